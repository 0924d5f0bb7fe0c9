"""Input checks: the article size limit and the title's length (issue 23, items 4-5)."""

from __future__ import annotations

import pytest

from newsbrief import Briefer, InputError
from newsbrief.backends import ScriptedBackend
from newsbrief.text.inputs import (
    MAX_ARTICLE_CHARS,
    MAX_TITLE_CHARS,
    check_article,
    cut_title,
    max_article_chars,
)

ARTICLE = 'The council met on Tuesday. "We will win," said Maria Lopez, the mayor.\n'


def test_an_article_over_the_limit_is_an_input_error_naming_the_limit_and_the_way_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSBRIEF_MAX_CHARS", raising=False)
    text = "word " * (MAX_ARTICLE_CHARS // 5 + 1)
    with pytest.raises(InputError) as info:
        check_article(text)
    message = str(info.value)
    assert f"{MAX_ARTICLE_CHARS:,}" in message
    assert "NEWSBRIEF_MAX_CHARS" in message and "max_chars" in message
    assert check_article(text, max_chars=len(text)) is text


def test_the_limit_is_raised_or_lowered_by_keyword_or_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBRIEF_MAX_CHARS", "50")
    assert max_article_chars() == 50
    with pytest.raises(InputError, match="limit of 50"):
        check_article(ARTICLE)
    with pytest.raises(InputError, match="limit of 50"):
        Briefer(backend=ScriptedBackend(answers=[])).quotes(ARTICLE)
    assert check_article(ARTICLE, max_chars=1000) == ARTICLE
    monkeypatch.setenv("NEWSBRIEF_MAX_CHARS", "many")
    with pytest.raises(ValueError, match="NEWSBRIEF_MAX_CHARS"):
        check_article(ARTICLE)
    with pytest.raises(ValueError, match="positive"):
        max_article_chars(0)


def test_a_long_title_is_cut_at_a_space_before_the_limit() -> None:
    assert cut_title(None) is None
    assert cut_title("Short headline") == "Short headline"
    long = "word " * 200
    cut = cut_title(long)
    assert cut is not None and len(cut) <= MAX_TITLE_CHARS
    assert long.startswith(cut) and cut.endswith("word")
    unbroken = "x" * 1000
    assert cut_title(unbroken) == "x" * MAX_TITLE_CHARS


def test_the_summary_step_reads_the_cut_title_and_the_brief_keeps_the_given_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsbrief.steps.summarize import Summarizer

    seen: list[object] = []
    original = Summarizer.summarize

    def spy(self: Summarizer, *args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("title"))
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Summarizer, "summarize", spy)
    title = "Council votes on the budget " * 600  # 16.8 kB, as in issue 23
    backend = ScriptedBackend(answer_fn=lambda prompt: "the budget", score_fn=lambda p, o: 0.0)
    brief = Briefer(backend=backend, max_attempts=1).brief(ARTICLE, title=title)
    assert brief.title == title
    assert seen == [cut_title(title)]
