"""Checks on generated text before it is accepted: each raises ``OutputError`` with a reason.

The reason is written so it can be fed back into the next prompt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from newsbrief.errors import OutputError
from newsbrief.text.document import POSSESSIVE, WORD, Document, as_document
from newsbrief.text.lexicon import GROUNDING_FUNCTION_WORDS, NOT_NAMES_IN_ANSWERS
from newsbrief.text.quotation_marks import QUOTED_WORDS

_TOKEN = re.compile(r"\w+", re.UNICODE)


def check_not_empty(answer: str, *, min_words: int = 3) -> str:
    """Reject an empty or near-empty answer."""
    words = answer.split()
    if len(words) < min_words:
        raise OutputError(
            f"the answer has {len(words)} words; write at least {min_words}", raw_output=answer
        )
    return answer


def check_no_repetition(answer: str) -> str:
    """Reject degenerate repetition: a word run or a trigram repeated over and over."""
    words = [w.lower() for w in WORD.findall(answer)]
    for i in range(len(words) - 3):
        if words[i] == words[i + 1] == words[i + 2] == words[i + 3]:
            raise OutputError(f"the answer repeats {words[i]!r} again and again", raw_output=answer)
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    if trigrams:
        gram, count = trigrams.most_common(1)[0]
        if count >= 3:
            raise OutputError(
                f"the answer repeats {' '.join(gram)!r} {count} times", raw_output=answer
            )
    if len(words) >= 12 and len(set(words)) / len(words) < 0.4:
        raise OutputError("the answer keeps repeating the same few words", raw_output=answer)
    return answer


def unknown_names(answer: str, article: str | Document) -> list[str]:
    """Capitalised words of ``answer`` that the article never uses (case and possessives
    forgiven, and derived forms such as ``Belarusian`` for ``Belarus``)."""
    vocabulary = as_document(article).bare_words
    stems = {w[:5] for w in vocabulary if len(w) >= 5}
    missing: list[str] = []
    for match in WORD.finditer(answer):
        word = match.group(0)
        if not word[0].isupper():
            continue
        bare = POSSESSIVE.sub("", word).lower()
        if bare in NOT_NAMES_IN_ANSWERS or bare in vocabulary:
            continue
        if any(part in vocabulary for part in bare.split("-") if part):
            continue
        # Derived forms share a long prefix with a word of the article.
        if len(bare) >= 7 and _shares_prefix(bare, vocabulary, stems):
            continue
        missing.append(word)
    return list(dict.fromkeys(missing))


def _shares_prefix(word: str, vocabulary: frozenset[str], stems: set[str]) -> bool:
    if word[:5] not in stems:
        return False
    need = max(5, len(word) - 3)
    return any(len(v) >= need - 1 and v[:need] == word[:need] for v in vocabulary)


def check_names_in_article(answer: str, article: str | Document) -> str:
    """Reject an answer that names someone or something the article never mentions."""
    missing = unknown_names(answer, article)
    if missing:
        raise OutputError(
            f"it names {', '.join(missing)}, which the article does not mention; "
            "use only names from the article",
            raw_output=answer,
        )
    return answer


def check_no_copied_lines(answer: str, lines: Iterable[str], *, what: str) -> str:
    """Reject an answer that contains any of ``lines`` (captions, example answers)."""
    folded = " ".join(answer.lower().split())
    for line in lines:
        probe = " ".join(line.lower().split())
        if len(probe.split()) >= 3 and probe in folded:
            raise OutputError(f"it copies {what}: {line!r}", raw_output=answer)
    return answer


def word_out_of_order(text: str, source: str) -> str | None:
    """The first word of ``text`` that does not follow the previous one in ``source`` (case
    aside), or ``None`` when ``text`` is ``source`` with words left out."""
    tokens = [t.lower() for t in _TOKEN.findall(source)]
    position = 0
    for word in _TOKEN.findall(text):
        try:
            position = tokens.index(word.lower(), position) + 1
        except ValueError:
            return str(word)
    return None


def check_word_count(answer: str, *, low: int, high: int) -> str:
    """Reject an answer outside ``[low, high]`` words."""
    n = len(answer.split())
    if not low <= n <= high:
        raise OutputError(
            f"the answer has {n} words; it must have between {low} and {high}",
            raw_output=answer,
        )
    return answer


def grounded_share(phrase: str, article: str | Document | frozenset[str]) -> float:
    """Share of ``phrase``'s content words found in ``article`` (its words, a set such as
    :func:`~newsbrief.text.document.word_set` gives, or a text: a plural or a shared 5-letter
    stem counts: ``bag`` is grounded by ``bags``, ``lifting`` by ``lifts``)."""
    content = [w.lower() for w in WORD.findall(phrase) if w.lower() not in GROUNDING_FUNCTION_WORDS]
    if not content:
        return 0.0
    words = article if isinstance(article, frozenset) else as_document(article).words
    stems = {w[:5] for w in words if len(w) >= 5}

    def grounded(word: str) -> bool:
        if word in words or word + "s" in words or word.removesuffix("s") in words:
            return True
        return len(word) >= 5 and word[:5] in stems

    return sum(1 for w in content if grounded(w)) / len(content)


def check_quotes_are_verbatim(answer: str, article: str | Document) -> str:
    """Reject an answer that puts words in quotation marks the article never printed."""
    folded = as_document(article).folded
    for match in QUOTED_WORDS.finditer(answer):
        inner = " ".join(match.group(1).split()).strip(" ,.")
        whole_words = rf"(?<!\w){re.escape(inner.casefold())}(?!\w)"
        if inner and not re.search(whole_words, folded):
            raise OutputError(
                f"it quotes “{inner}”, which is not in the article; quote only the article's "
                "own words",
                raw_output=answer,
            )
    return answer
