"""A corpus of briefs: speakers merged across articles, issues grouped, tables, SQL, report.

    from newsbrief.corpus import Corpus

    corpus = Corpus.from_batch("briefs.jsonl", articles="articles.jsonl")
    corpus.report.lines()            # what was loaded, skipped (and why), dates not read
    corpus.index.speakers            # merged speakers; corpus.index.merges: every decision

See ``docs/CORPUS.md`` and ``newsbrief corpus --help``.
"""

from newsbrief.corpus.aliases import AliasError, Aliases
from newsbrief.corpus.core import Corpus
from newsbrief.corpus.loading import ArticleInfo, LoadReport
from newsbrief.corpus.speakers import MergeOptions, Speaker, SpeakerIndex, merge_speakers

__all__ = [
    "AliasError",
    "Aliases",
    "ArticleInfo",
    "Corpus",
    "LoadReport",
    "MergeOptions",
    "Speaker",
    "SpeakerIndex",
    "merge_speakers",
]
