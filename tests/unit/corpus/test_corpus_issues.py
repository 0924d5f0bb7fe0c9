"""Issues grouped across articles."""

from __future__ import annotations

from newsbrief.corpus.issues import cosine, group_issues, issue_vectors, issue_words


def test_issue_words_drop_function_words_and_fold() -> None:
    assert issue_words("The sanctions on Belarus's potash") == ["sanctions", "belarus", "potash"]


def test_vectors_are_unit_length_and_shared_words_weigh_less() -> None:
    vectors = issue_vectors({"a": "brexit deadline", "b": "brexit vote", "c": "hurricane"})
    assert abs(cosine(vectors["a"], vectors["a"]) - 1.0) < 1e-9
    assert vectors["a"]["brexit"] < vectors["a"]["deadline"]  # in two issues of three
    assert cosine(vectors["a"], vectors["c"]) == 0.0


def test_articles_on_one_story_share_a_group_with_a_readable_label() -> None:
    issues = {
        "a1": "no deal Brexit",
        "a2": "Brexit deadline",
        "a3": "Hurricane Dorian in the Bahamas",
        "a4": "Hurricane Dorian damage",
        "a5": "",
    }
    titles = {"a1": "Parliament suspended before Brexit", "a2": "Brexit deadline nears"}
    groups = group_issues(issues, 0.3, titles)
    members = sorted(sorted(g.article_ids) for g in groups)
    assert members == [["a1", "a2"], ["a3", "a4"]]  # the empty issue is in no group
    assert {g.label for g in groups} <= set(issues.values())
    again = group_issues(dict(reversed(list(issues.items()))), 0.3, titles)
    assert [(g.id, g.label) for g in again] == [(g.id, g.label) for g in groups]
    assert len(group_issues(issues, 0.99, titles)) == 4
