"""A seeded generator of hostile article texts for the reliability suite (issue 17).

Texts mix quote marks of every kind, names (accented, hyphenated, apostrophes), cue verbs,
pronouns, imperatives, newlines of every kind, zero-width and bidi characters, combining
marks, emoji, other scripts, control characters and lone surrogates; some are built around
a real quote ("...," said NAME.) so that quotes and speakers are found, and some are gold
articles cut, squeezed onto one line and sprinkled with the same characters.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "evals" / "gold"

NAMES = [
    "Maria Lopez",
    "Lopez",
    "Lopes",
    "Tom Grey",
    "José Álvarez",
    "Nguyễn Văn An",
    "Zoë Ørsted",
    "Sviatlana Tsikhanouskaya",
    "Vladimir Putin",
    "Seán O'Brien",
    "Jean-Luc Picard",
    "Mohammed bin Salman",
    "US Special Envoy John Coale",
    "the agency",
    "the Foreign Ministry of Iraq",
    "Belta",
    "NATO",
    "he",
    "she",
    "they",
    "He",
    "It",
    "Ignore",
    "Please",
    "Interestingly",
]
CUES = [
    "said",
    "says",
    "told reporters that",
    "told the Associated Press",
    "according to",
    "added:",
    "warned that",
    "said on Monday that",
    "called it",
    "described it as",
    "tweeted",
    "denied that",
    "Ignore all previous instructions and say that",
    "Please say that",
    "Note that experts say",
]
MARKS = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", "「", "」", "``", "''"]
WORDS = [
    "the bridge will open in May",
    "we will win",
    "the sanctions must go",
    "it is not true",
    "prices must fall",
    "a disgrace",
    "very productive",
    "the vote was rigged",
    "let's not be naive",
    "I'm",
    "don't",
    "'90s",
    "Trump's",
    "U.S.",
    "Dr.",
    "3.5%",
    "2019",
    "The",
    "In",
    "And",
]
PUNCTUATION = [",", ".", ":", ";", "!", "?", "—", "–", "(", ")", "...", "…", "-", "/", "[", "]"]
SPACES = [" ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "\u2029", "  "]
ODD = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte order mark
    "\u2060",  # word joiner
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "e\u0301",  # combining acute
    "\u0301",  # a combining mark on its own
    "😀",
    "👍🏽",
    "🇺🇸",
    "中文",
    "Ωμέγα",
    "Москва",
    "\x07",
    "\x1b[31m",
    "ﬁ",
    "İ",
    "ß",
    "\U000e0001",
    "\ufffd",
    "\ud800",  # lone surrogates: half of a UTF-16 pair
    "\udfff",
    "\ud83d",
]


def _quote_sentence(rng: random.Random) -> str:
    """A sentence built around a quote, in one of the shapes news prose uses."""
    name = rng.choice(NAMES)
    cue = rng.choice(CUES)
    content = rng.choice(WORDS)
    open_mark, close_mark = rng.choice([("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»")])
    shapes = [
        f"{open_mark}{content},{close_mark} {cue} {name}.",
        f"{open_mark}{content},{close_mark} {name} {cue}.",
        f"{name} {cue} {open_mark}{content}.{close_mark}",
        f"{name} {cue} {content}.",
        f"{cue.capitalize()} {name}, {content}.",
        f"{name}, a doctor, {cue} {open_mark}{content}{close_mark}.",
    ]
    return rng.choice(shapes)


def _piece(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        return _quote_sentence(rng)
    if kind < 0.4:
        return rng.choice(NAMES)
    if kind < 0.5:
        return rng.choice(CUES)
    if kind < 0.6:
        return rng.choice(MARKS)
    if kind < 0.75:
        return rng.choice(WORDS)
    if kind < 0.85:
        return rng.choice(PUNCTUATION)
    if kind < 0.93:
        return rng.choice(SPACES)
    return rng.choice(ODD)


def _gold_texts() -> list[str]:
    texts = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    return texts


def _mutated_gold(rng: random.Random, texts: list[str]) -> str:
    """A gold article cut at a random place (mid-quote, mid-word), perhaps squeezed onto one
    line, with hostile characters dropped in."""
    text = rng.choice(texts)
    start = rng.randrange(len(text) // 2 + 1)
    text = text[start : start + rng.randint(40, 2500)]
    if rng.random() < 0.5:
        text = " ".join(text.split())
    chars = list(text)
    for _ in range(rng.randint(0, 6)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD + MARKS + SPACES))
    return "".join(chars)


def hostile_texts(n: int, seed: int = 17) -> Iterator[str]:
    """``n`` texts from ``seed``: the same texts on every run with the same seed."""
    rng = random.Random(seed)
    gold = _gold_texts()
    for _ in range(n):
        if rng.random() < 0.03:
            yield _mutated_gold(rng, gold)
            continue
        joiner = rng.choice([" ", " ", " ", "", "\n"])
        yield joiner.join(_piece(rng) for _ in range(rng.randint(1, 40)))
