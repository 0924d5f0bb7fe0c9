"""Sources by kind and the speaker's description as the article gives it (issue 25)."""

from __future__ import annotations

import pytest

from newsbrief import Quote
from newsbrief.quotes import find_quotes


def _one(text: str) -> Quote:
    quotes = find_quotes(text)
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker", "kind"),
    [
        (
            "According to a survey by the Gallup Research Center, most parents back the plan.\n",
            "Gallup Research Center",
            "organisation",
        ),
        (
            "Rents rose by 9 percent in March, according to the Office for National Statistics.\n",
            "Office for National Statistics",
            "organisation",
        ),
        (
            "According to a new Marist poll, the two candidates are tied in Iowa.\n",
            "new Marist poll",
            "document",
        ),
        (
            "According to the audit, the city overspent by 3 million dollars last year.\n",
            "audit",
            "document",
        ),
    ],
)
def test_according_to_gives_the_source_and_its_kind(text: str, speaker: str, kind: str) -> None:
    quote = _one(text)
    assert quote.speaker == speaker
    assert quote.speaker_kind == kind
    assert quote.speaker_start is not None and quote.speaker_end is not None
    assert speaker in text[quote.speaker_start : quote.speaker_end]


def test_a_named_person_is_a_person_with_the_description_the_article_gives() -> None:
    text = (
        "Luis Ortega, who chairs the Chamber of Commerce, opened the meeting on Monday.\n"
        '"We need the new road before winter," Ortega said.\n'
        "Opposition leader Rosa Lind said the road would cost too much.\n"
    )
    first, second = find_quotes(text)
    assert (first.speaker, first.speaker_kind) == ("Luis Ortega", "person")
    assert first.speaker_description == "who chairs the Chamber of Commerce"
    start, end = first.speaker_description_start, first.speaker_description_end
    assert start is not None and end is not None
    assert text[start:end] == first.speaker_description
    assert second.speaker == "Rosa Lind"
    assert second.speaker_description == "Opposition leader"


def test_no_description_where_the_article_gives_none() -> None:
    text = '"Prices must fall," said Maria Lopez.\nShe spoke from Madrid on the phone.\n'
    quote = _one(text)
    assert quote.speaker_description is None
    assert quote.speaker_description_start is None


def test_a_description_must_be_the_articles_span() -> None:
    text = "Ana Ruiz, a nurse, said the ward was full."
    with pytest.raises(ValueError, match="description"):
        Quote.model_validate(
            {
                "text": "the ward was full",
                "start": 24,
                "end": 41,
                "kind": "indirect",
                "speaker": "Ana Ruiz",
                "speaker_description": "a doctor",
                "speaker_description_start": 10,
                "speaker_description_end": 17,
            },
            context={"text": text},
        )


def test_a_stance_carries_its_speakers_description() -> None:
    from newsbrief import Briefer
    from newsbrief.backends import ScriptedBackend

    text = (
        "Luis Ortega, who chairs the Chamber of Commerce, opened the meeting on Monday.\n"
        '"We need the new road before winter, and we support the plan," Ortega said.\n'
    )
    backend = ScriptedBackend(answer_fn=lambda prompt: "the road", score_fn=lambda p, o: 0.0)
    brief = Briefer(backend=backend, max_attempts=1).brief(text, target="the new road")
    stances = [s for s in brief.stances if s.speaker == "Luis Ortega"]
    assert stances and stances[0].speaker_description == "who chairs the Chamber of Commerce"
    assert '"speaker_description"' in brief.model_dump_json()


def test_according_to_the_medium_or_data_of_a_named_source() -> None:
    # "according to the Vox website", "according to Johns Hopkins University data": the
    # outlet or body whose site or figures they are is the source (issue 25).
    from newsbrief.quotes import find_quotes

    lead = "The harbour reopened on Monday.\n\n"
    cases = {
        "Ferry traffic fell by half, according to the Harbour Gazette website.": (
            "Harbour Gazette"
        ),
        "According to the Gazette's website, ferry traffic fell by half.": "Gazette",
        "According to Port Avalon University data, ferry traffic fell by half.": (
            "Port Avalon University"
        ),
        "Ferry traffic fell by half, according to Port Avalon University figures.": (
            "Port Avalon University"
        ),
    }
    for sentence, speaker in cases.items():
        quotes = find_quotes(lead + sentence)
        assert [(q.text, q.speaker) for q in quotes] == [
            (
                "Ferry traffic fell by half"
                if sentence.startswith("Ferry")
                else "ferry traffic fell by half",
                speaker,
            )
        ], sentence


def test_a_weekday_that_owns_the_clause_s_subject_opens_the_clause() -> None:
    # "Sky News said Thursday's accident was ...": not "said Thursday" (a time).
    from newsbrief.quotes import find_quotes

    text = (
        "The crash happened on Thursday.\n\n"
        "The Harbour Gazette said Thursday's crash was the fourth this year.\n"
    )
    assert [(q.text, q.speaker) for q in find_quotes(text)] == [
        ("Thursday's crash was the fourth this year", "Harbour Gazette")
    ]


def test_a_nationality_and_a_body_noun_after_the_cue_are_one_source() -> None:
    # "according to Iraqi military": the military, not "Iraqi".
    from newsbrief.quotes import find_quotes

    text = "Rockets hit the base.\n\nNine rockets struck the base, according to Norwegian police.\n"
    assert [q.speaker for q in find_quotes(text)] == ["Norwegian police"]
