"""Reporting sentences: the sentences that say, by name, what a speaker said."""

from __future__ import annotations

from newsbrief.quotes import find_quotes
from newsbrief.quotes.reporting import reporting_sentences

PARLIAMENT = (
    "Lawmakers in Ruritania passed the budget on Tuesday.\n"
    '"This budget protects families," Finance Minister Ivo Marek said. "It is fair," he added.\n'
    "Opposition leader Lena Kral said that the budget would raise taxes on small firms.\n"
)


def _by(speaker: str, text: str) -> list[str]:
    quotes = [q for q in find_quotes(text) if q.speaker == speaker]
    return [r.text for r in reporting_sentences(text, quotes)]


def test_reported_speech_comes_first_and_pronoun_attributions_are_left_out(
    example_text: str,
) -> None:
    sentences = _by("Sviatlana Tsikhanouskaya", example_text)
    assert sentences[0].startswith("Belarusian opposition leader Sviatlana Tsikhanouskaya told")
    assert sentences[-1].endswith("said Tsikhanouskaya.")  # the direct quote, last
    coale = _by("John Coale", example_text)
    assert not any("he said according to Belta" in s for s in coale)


def test_each_sentence_names_the_speaker_with_its_mention() -> None:
    quotes = find_quotes(PARLIAMENT)
    marek = reporting_sentences(PARLIAMENT, [q for q in quotes if q.speaker == "Ivo Marek"])
    # "he added" names nobody: only the sentence with the name counts.
    assert [(r.text, r.mention) for r in marek] == [
        ('"This budget protects families," Finance Minister Ivo Marek said.', "Ivo Marek")
    ]
    kral = reporting_sentences(PARLIAMENT, [q for q in quotes if q.speaker == "Lena Kral"])
    assert [r.text for r in kral] == [
        "Opposition leader Lena Kral said that the budget would raise taxes on small firms."
    ]
    for sentence in (*marek, *kral):
        assert sentence.mention in sentence.text
