"""Briefer on the scripted backend: composition, provenance, bad input, the contract."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

import pytest

import newsbrief
from newsbrief import Brief, Briefer, GenerationError, InputError, RetryExhaustedError
from newsbrief.backends import ScriptedBackend
from newsbrief.steps.shorten import words_in_order
from tests.unit.surfaces.test_cli import echo_sentence


def _score(prompt: str, option: str) -> float:
    """Coale's words read as support, Tsikhanouskaya's as caution; the prior is flat."""
    if "N/A" in prompt:
        return -5.0
    if "We are lifting the sanctions" in prompt and option.startswith(" supports"):
        return -1.0
    if "let’s not be naive" in prompt and option.startswith(" is cautious"):
        return -1.0
    return -4.0


ISSUE = "lifting sanctions on Belarusian potash"


def _scripted(
    issue: str | list[str] = ISSUE,
    score_fn: Callable[[str, str], float] = _score,
    answer_fn: Callable[[str], str | None] = echo_sentence,
) -> ScriptedBackend:
    return ScriptedBackend(
        by_prompt={
            "\nCentral issue:": issue,
            "\nSummary:": "The US is lifting sanctions on Belarusian potash after talks in Minsk.",
            "In one sentence: John Coale": "said the talks with Lukashenko were very productive.",
            "In one sentence: Sviatlana Tsikhanouskaya": "warned that Lukashenko has not changed.",
        },
        score_fn=score_fn,
        answer_fn=answer_fn,
    )


def test_brief_composes_quotes_issue_stances_and_summary(example_text: str) -> None:
    briefer = Briefer(backend=_scripted())
    brief = briefer.brief(example_text, title="Potash")
    assert isinstance(brief, Brief)
    assert brief.issue == "lifting sanctions on Belarusian potash"
    speakers = {q.speaker for q in brief.quotes if q.kind == "direct"}
    assert speakers == {"John Coale", "Sviatlana Tsikhanouskaya"}
    labels = {s.speaker: s.label for s in brief.stances}
    assert labels["John Coale"] == "supportive"
    assert labels["Sviatlana Tsikhanouskaya"] == "cautious"
    for stance in brief.stances:
        assert all(brief.quotes[i].speaker == stance.speaker for i in stance.evidence)
        # The same quotes by their stable ids, in the same order.
        assert stance.evidence_ids == [brief.quotes[i].id for i in stance.evidence]
    ids = [q.id for q in brief.quotes]
    assert len(set(ids)) == len(ids)
    assert all(q.id == f"q{q.start}-{q.end}" for q in brief.quotes)
    assert brief.text_sha256 == hashlib.sha256(example_text.encode("utf-8")).hexdigest()
    assert brief.failures == []
    # The lead first, each sentence recorded with how it was made and its article span.
    sentences = brief.summary_sentences
    assert brief.summary == " ".join(s.text for s in sentences)
    assert 1 <= len(sentences) <= 3
    assert sentences[0].text.startswith("The US says it is lifting sanctions on Belarusian potash")
    for sentence in sentences:
        (span,) = sentence.sources
        assert words_in_order(sentence.text, example_text[span.start : span.end])
        assert sentence.method in ("kept", "shortened")
    assert "Press Service" not in brief.summary
    ids = [p.id for p in brief.provenance.prompts]
    assert ids == ["issue.base@v1", "stance.base@v1", "compress.base@v2", "headline.base@v1"]
    assert brief.provenance.model_id == "scripted"
    assert brief.provenance.package_version == newsbrief.__version__
    assert brief.provenance.attempts == {"issue": 1, "summary": 1}
    assert brief.title == "Potash"
    assert Brief.model_validate_json(brief.model_dump_json()) == brief


def test_given_target_skips_issue_inference(example_text: str) -> None:
    backend = _scripted()
    brief = Briefer(backend=backend).brief(example_text, target="easing sanctions")
    assert brief.issue == "easing sanctions"
    assert not any("Central issue:" in c.prompts[0] for c in backend.calls)
    assert all(s.target == "easing sanctions" for s in brief.stances)


def test_switches_skip_steps(example_text: str) -> None:
    backend = _scripted()
    brief = Briefer(backend=backend).brief(example_text, summary=False, stances=False)
    assert brief.summary == "" and brief.stances == [] and brief.issue == ""
    assert backend.calls == []
    assert brief.quotes


def test_stance_for_one_speaker_by_a_name_variant(example_text: str) -> None:
    stance = Briefer(backend=_scripted()).stance(
        example_text, "lifting US sanctions on Belarus", speaker="Coale"
    )
    assert stance.label == "supportive" and stance.speaker == "Coale"
    assert stance.evidence and stance.confidence > 0.5


def test_author_stance_uses_the_prose(example_text: str) -> None:
    backend = _scripted()
    stance = Briefer(backend=backend).stance(example_text, "lifting US sanctions on Belarus")
    assert stance.speaker is None and stance.evidence == []
    assert "Statements by the article's author" in backend.calls[0].prompts[0]


def test_summarize_and_exhaustion(example_text: str) -> None:
    summary = Briefer(backend=_scripted()).summarize(example_text)
    assert summary == Briefer(backend=_scripted()).brief(example_text).summary
    one = Briefer(backend=_scripted(), summary_sentences=1).summarize(example_text)
    assert one.count(". ") == 0 and summary.startswith(one)
    # A model that writes freely (instruct style) is retried, then gives up loudly.
    garbage = ScriptedBackend(["Zorblax Quux."] * 10, score_fn=_score)
    with pytest.raises(RetryExhaustedError) as info:
        Briefer(backend=garbage, max_attempts=2, style="instruct").summarize(example_text)
    assert [a.raw_output for a in info.value.attempts] == ["Zorblax Quux."] * 2


def test_summarize_takes_the_title_brief_takes(
    example_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``summarize(text, title)`` hands the title to the summary step, as ``brief`` does
    (the headline guides what stays), and refuses a title that is not a string."""
    from newsbrief.steps.summarize import Summarizer

    seen: list[str | None] = []
    original = Summarizer.summarize

    def spy(self: Summarizer, *args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("title"))  # type: ignore[arg-type]
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Summarizer, "summarize", spy)
    title = "Belarus potash sanctions"
    briefer = Briefer(backend=_scripted())
    summary = briefer.summarize(example_text, title=title)
    assert seen == [title]
    assert summary == Briefer(backend=_scripted()).brief(example_text, title).summary
    with pytest.raises(TypeError, match="title"):
        briefer.summarize(example_text, title=42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", ["", "   \n\t", None, 42, b"bytes", "\x00\x01\x02 junk", "1234 5678"]
)
def test_unusable_input_is_an_input_error(bad: object) -> None:
    briefer = Briefer(backend=_scripted())
    for call in (briefer.brief, briefer.summarize, briefer.quotes):
        with pytest.raises(InputError):
            call(bad)  # type: ignore[arg-type]


def test_argument_misuse_is_value_or_type_error(example_text: str) -> None:
    briefer = Briefer(backend=_scripted())
    with pytest.raises(ValueError):
        briefer.stance(example_text, "  ")
    with pytest.raises(TypeError):
        briefer.brief(example_text, title=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Briefer(model="x", backend=_scripted())


def test_import_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, newsbrief; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


COURT_ARTICLE = (
    "The Supreme Court on Tuesday blocked the government's plan to close the northern "
    "border.\n\n"
    'Interior minister Ana Ruiz said the ruling was "a gift to smugglers" and promised an '
    "appeal.\n\n"
    "The Court ruled that the closure breached the constitution's freedom of movement.\n\n"
    "A photo of the border crossing. Photo: Reuters\n"
)


def test_a_speaker_never_quoted_is_judged_by_the_sentences_naming_them() -> None:
    def score(prompt: str, option: str) -> float:
        if "breached the constitution" in prompt:  # what the article says of the Court
            return 0.0 if option.strip().startswith("opposes") else -3.0
        return -1.0

    backend = ScriptedBackend(["x"], score_fn=score)
    briefer = Briefer(backend=backend)
    target = "the plan to close the northern border"
    stance = briefer.stance(COURT_ARTICLE, target, speaker="the Supreme Court")
    (call,) = backend.calls
    real = call.prompts[0]
    assert "blocked the government's plan" in real and "breached the constitution" in real
    assert "Photo" not in real  # captions and credits are no evidence
    assert "gift to smugglers" not in real  # the minister's words are not the Court's
    assert stance.label == "opposed" and stance.evidence == []
    quoted = briefer.stance(
        COURT_ARTICLE.replace("The Court ruled", "Judge Lee said"), target, speaker="Ana Ruiz"
    )
    assert quoted.evidence  # quoted speakers keep their own words
    # Reported rather than said: half the confidence the same scores would give.
    from newsbrief.steps.checks import grounded_share

    relevance = grounded_share(target, COURT_ARTICLE)
    assert relevance > 0
    assert stance.confidence == pytest.approx(0.5 * relevance * stance.scores["opposed"], abs=1e-5)
    assert briefer.stance(COURT_ARTICLE, target, speaker="Nobody Here").confidence == 0.0


# -- one step failing does not lose the brief (issue 17, item 2) --------------------------

# The Soleimani case: every answer to the issue prompt is longer than the 12 words allowed.
LONG_ISSUE = (
    "the United States airstrike that killed Iranian general Qasem Soleimani near the airport"
)


def _whole(example_text: str) -> Brief:
    return Briefer(backend=_scripted()).brief(example_text)


def test_issue_step_failing_keeps_quotes_and_summary(example_text: str) -> None:
    whole = _whole(example_text)
    brief = Briefer(backend=_scripted(issue=LONG_ISSUE)).brief(example_text)
    assert brief.quotes == whole.quotes and brief.summary == whole.summary != ""
    assert brief.issue == "" and brief.stances == []
    issue, stance = brief.failures
    assert (issue.step, issue.error) == ("issue", "RetryExhaustedError")
    assert "answer has" in issue.message and "words" in issue.message
    assert (stance.step, stance.error) == ("stance", "RetryExhaustedError")
    assert stance.message.startswith("not run: no issue") and "issue step failed" in stance.message
    assert brief.provenance.attempts["issue"] == 3
    assert Brief.model_validate_json(brief.model_dump_json()) == brief


# 100 Wikinews briefs: the model copied the opening's first sentence (too long) and, its
# answer held to the opening's tokens, copied it again on every retry; 7 lost their issue.
HEADLINE = "US lifts sanctions on Belarusian potash"


def _copies_the_opening(prompt: str) -> str | None:
    """Issue prompts are answered with a sentence too long to be an issue, except the one
    reading the headline."""
    if "\nCentral issue:" not in prompt:
        return echo_sentence(prompt)
    return ISSUE if f"Article: {HEADLINE}\n" in prompt else LONG_ISSUE


def test_an_issue_copied_from_the_opening_is_retried_on_the_headline(example_text: str) -> None:
    backend = ScriptedBackend(score_fn=_score, answer_fn=_copies_the_opening)
    brief = Briefer(backend=backend).brief(example_text, title=HEADLINE)
    assert brief.failures == [] and brief.issue == ISSUE
    assert brief.stances == _whole(example_text).stances != []
    assert brief.provenance.attempts["issue"] == 2
    issue_calls = [c for c in backend.calls if "\nCentral issue:" in c.prompts[0]]
    restrictions = [c.config.restrict_to if c.config else None for c in issue_calls]
    assert restrictions[1] == HEADLINE != restrictions[0]


def test_an_issue_that_keeps_copying_the_opening_fails_alone_saying_each_answer(
    example_text: str,
) -> None:
    backend = ScriptedBackend(score_fn=_score, answer_fn=_copies_the_opening)
    brief = Briefer(backend=backend).brief(example_text)  # no headline to read
    assert brief.issue == "" and brief.stances == [] and brief.quotes and brief.summary
    issue = brief.failures[0]
    assert (issue.step, issue.error) == ("issue", "RetryExhaustedError")
    assert issue.message.count(repr(LONG_ISSUE)) == 3  # each attempt's answer
    assert "repeats the answer of attempt 1" in issue.message
    assert brief.provenance.attempts["issue"] == 3


def test_backend_failure_in_the_issue_step_is_recorded_by_its_class(example_text: str) -> None:
    brief = Briefer(backend=_scripted(issue=[])).brief(example_text)  # the script runs out
    assert [(f.step, f.error) for f in brief.failures] == [
        ("issue", "ScriptExhaustedError"),
        ("stance", "ScriptExhaustedError"),
    ]
    assert brief.summary and brief.quotes


def test_summary_step_failing_keeps_issue_and_stances(example_text: str) -> None:
    whole = _whole(example_text)

    def broken_summary_scores(prompt: str, option: str) -> float:
        # The base-model summary scores shortened versions after "Shorter:"; a backend
        # that fails there (non-finite scores are a GenerationError) fails that step only.
        return math.nan if prompt.endswith("\nShorter:") else _score(prompt, option)

    brief = Briefer(backend=_scripted(score_fn=broken_summary_scores)).brief(example_text)
    assert brief.summary == "" and brief.summary_sentences == []
    assert brief.issue == ISSUE and brief.stances == whole.stances and brief.quotes
    (failure,) = brief.failures
    assert (failure.step, failure.error) == ("summary", "GenerationError")
    assert "nan" in failure.message.lower() or "finite" in failure.message.lower()


def test_stance_step_failing_keeps_issue_and_summary(example_text: str) -> None:
    whole = _whole(example_text)

    def broken(prompt: str, option: str) -> float:
        if ISSUE in option:  # a stance option: "... supports lifting sanctions on ..."
            raise GenerationError("scoring failed: out of memory")
        return _score(prompt, option)

    brief = Briefer(backend=_scripted(score_fn=broken)).brief(example_text)
    assert brief.issue == ISSUE and brief.summary == whole.summary and brief.quotes
    assert brief.stances == []
    (failure,) = brief.failures
    assert failure == newsbrief.models.StepFailure(
        step="stance", error="GenerationError", message="scoring failed: out of memory"
    )


def test_given_target_and_failing_summary_and_stances_leave_the_quotes(example_text: str) -> None:
    def broken(prompt: str, option: str) -> float:
        raise GenerationError("backend gone")

    def garbage(prompt: str) -> str | None:
        return "Zorblax Quux." if prompt.endswith("\nShorter:") else None

    backend = _scripted(score_fn=broken, answer_fn=garbage)
    brief = Briefer(backend=backend).brief(example_text, target="the sanctions")
    assert brief.issue == "the sanctions" and brief.quotes
    assert [f.step for f in brief.failures] == ["stance", "summary"]


def test_bad_input_is_still_raised_not_recorded() -> None:
    with pytest.raises(InputError):
        Briefer(backend=_scripted(issue=LONG_ISSUE)).brief("   ")


def test_a_bug_in_a_step_is_not_hidden_as_a_failure(example_text: str) -> None:
    def buggy(prompt: str, option: str) -> float:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        Briefer(backend=_scripted(score_fn=buggy)).brief(example_text)


def test_a_title_with_a_lone_surrogate_is_an_input_error(example_text: str) -> None:
    # It would reach the model as a scored option (the headline) and crash its tokenizer.
    with pytest.raises(InputError, match="title"):
        Briefer(backend=_scripted()).brief(example_text, title="Senate closes hospitals \ud83d")
