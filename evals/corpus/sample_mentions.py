"""Draw the speaker mentions to label for the cross-article merge gold (run once; see DATASHEET.md).

Mentions are the quotes with a speaker that the rules (``newsbrief.quotes.find_quotes``, the
same step ``brief()`` runs) find in the Wikinews articles. Two strata:

* confusable: every mention whose speaker's last word (folded) is the last word of another
  speaker string elsewhere in the corpus (where a merge decision is made);
* other: a seeded random sample of the remaining named mentions (singletons).

    python evals/corpus/sample_mentions.py ../shared/data/wikinews/wikinews_2019_2020.jsonl \
        > evals/corpus/mentions_to_label.tsv
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict

from newsbrief.quotes import find_quotes
from newsbrief.quotes.clusters import fold


def main(path: str, others: int = 60, seed: int = 28) -> None:
    rows = []
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
    for line in lines:
        article = json.loads(line)
        text = article["text"]
        for quote in find_quotes(text):
            if quote.speaker is None or quote.speaker_start is None:
                continue
            lo = max(0, quote.speaker_start - 90)
            context = text[lo : quote.speaker_end + 60].replace("\n", " ").replace("\t", " ")
            surface = text[quote.speaker_start : quote.speaker_end]
            rows.append((article["id"], quote.id, quote.speaker, surface, context))
    by_last: dict[str, set[str]] = defaultdict(set)
    for _, _, speaker, _, _ in rows:
        by_last[fold(speaker.split()[-1])].add(speaker)
    confusable = [r for r in rows if len(by_last[fold(r[2].split()[-1])]) > 1]
    rest = [r for r in rows if r not in confusable]
    random.Random(seed).shuffle(rest)
    print("article_id\tquote_id\tspeaker\tsurface\tstratum\tcontext")
    for stratum, chosen in (("confusable", confusable), ("other", rest[:others])):
        for article_id, quote_id, speaker, surface, context in chosen:
            print(f"{article_id}\t{quote_id}\t{speaker}\t{surface}\t{stratum}\t{context}")


if __name__ == "__main__":
    main(sys.argv[1])
