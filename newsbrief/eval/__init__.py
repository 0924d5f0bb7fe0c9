"""Evaluation: gold data, ROUGE, quote and stance metrics, bootstrap intervals, baselines."""

from newsbrief.eval.baselines import lead_k, majority_stance, nearest_name_speaker
from newsbrief.eval.bootstrap import ConfidenceInterval, bootstrap_ci
from newsbrief.eval.gold import (
    GoldQuote,
    GoldRecord,
    GoldSet,
    GoldStance,
    gold_from_dataset,
    load_gold,
    write_gold,
)
from newsbrief.eval.gum import gum_to_gold
from newsbrief.eval.quote_metrics import QuoteCounts, QuoteScores, count_quote_matches, score_quotes
from newsbrief.eval.rouge import RougeScores, score_rouge
from newsbrief.eval.scoring import PRF
from newsbrief.eval.stance_metrics import StanceScores, score_stances
from newsbrief.eval.tokenize import Tokenizer, tokenize

__all__ = [
    "PRF",
    "ConfidenceInterval",
    "GoldQuote",
    "GoldRecord",
    "GoldSet",
    "GoldStance",
    "QuoteCounts",
    "QuoteScores",
    "RougeScores",
    "StanceScores",
    "Tokenizer",
    "bootstrap_ci",
    "count_quote_matches",
    "gold_from_dataset",
    "gum_to_gold",
    "lead_k",
    "load_gold",
    "majority_stance",
    "nearest_name_speaker",
    "score_quotes",
    "score_rouge",
    "score_stances",
    "tokenize",
    "write_gold",
]
