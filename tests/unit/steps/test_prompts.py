"""Prompt templates: strict rendering, ids and hashes, released versions pinned, wheel data."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from newsbrief.steps.prompts import (
    STYLES,
    available_templates,
    demonstration_answers,
    load_template,
    style_for,
)

REPO = Path(__file__).resolve().parents[3]

# A released template is never edited: a change is a new version file. Adding a version
# means adding its hash here; changing a hash here is the defect this test exists to catch.
RELEASED = {
    "compress.base@v1": "4d9c3e7bc388710ab3222717dad9e2f8ab0e897f0c0ab4596b031948912ade77",
    "compress.base@v2": "700eb55fffd9ff82028a6fa8f8a53d0d963af3802ffa2ef9c38e8d5f3a60c85a",
    "headline.base@v1": "cfe6ea6e9a128742c919a2a8dbeb34828c65a7d0c86baa0f840308b311d46aec",
    "issue.base@v1": "7d8ff9776528c0c860fa3f671c5f5e130f33e501468005e331acf526d6b283a8",
    "issue.instruct@v1": "cd1a0aa608204017a764882dff30bedeb4e30bae0fec730defdea79cee529361",
    "issue.t5@v1": "dbefe0c84cc93304765b0b798c23b7a0877885b79b9d45bc6b6ac1e4cbb31973",
    "stance.base@v1": "7c0d27232f7d73b3f6c9c1d579bbe14ff2afcdcac1386152878c5119331e9d60",
    "stance.instruct@v1": "8cfa7f3b8244dc768c771b976a634a77d98ad99670e4d053abb2a7b55d397b29",
    "stance.t5@v1": "679b37ef9d742fb78410659548ceb0f8bc404c850049a40065b9bf1a2cad921a",
    "summary.base@v1": "873aea8b36ada147336b9a512c324ad94a86c5fa0507d570de1418e4e0584b09",
    "summary.instruct@v1": "f758ee42ddb550d62863c63e93676ab8028f08189c50c4c7facbc7445e4a0996",
    "summary.t5@v1": "f45ef741c5d321a4ddcfe15e9b383d8f75d2c3bfce719a0c754b0993f19affe1",
    "voice.base@v1": "43e1a83044909c957aa7751221cfb4438e46c8e80084897c7f705ada5f60cce6",
    "voice.instruct@v1": "d266f6ce2af7b89f760357014fa1d917f066d3100c05caacf2ab959c20af11b7",
    "voice.t5@v1": "50ebef2b78471660892c3cdc9c2808871f260e0f02d152e0fbf46991e22638cf",
}


def test_every_released_template_hash_is_pinned() -> None:
    found = {t.id: t.sha256 for t in available_templates()}
    assert set(RELEASED) <= set(found), "a released template disappeared"
    for template_id, sha in RELEASED.items():
        assert found[template_id] == sha, f"{template_id} was edited: add a new version instead"
    unpinned = set(found) - set(RELEASED)
    assert not unpinned, f"pin the new templates: {sorted(unpinned)}"


def test_hash_is_of_the_file_bytes() -> None:
    template = load_template("summary", "base")
    data = (REPO / "prompts" / "summary.base.v1.j2").read_bytes()
    assert template.sha256 == hashlib.sha256(data).hexdigest()
    assert template.id == "summary.base@v1"


def test_every_task_has_the_styles_it_needs() -> None:
    tasks = {t.task for t in available_templates()}
    assert tasks == {"summary", "voice", "issue", "stance", "compress", "headline"}
    for task in tasks - {"compress", "headline"}:
        for style in STYLES:
            assert load_template(task, style).version >= 1
    # Shortening a lead sentence is how few-shot base models summarise; the others write.
    assert load_template("compress", "base").version >= 1
    # Scoring how well a shortened sentence still predicts the headline (base models only).
    assert load_template("headline", "base").version >= 1


def test_rendering_is_strict_and_records_the_template() -> None:
    template = load_template("summary", "base")
    with pytest.raises(ValueError, match=r"summary\.base@v1"):
        template.render(feedback=None)  # article missing
    rendered = template.render(article="The council met.", feedback=None, max_words=40)
    assert rendered.text.endswith("Article: The council met.\nSummary:")
    assert rendered.record.id == "summary.base@v1"
    assert rendered.record.sha256 == template.sha256
    with_feedback = template.render(article="x", feedback="too long", max_words=40)
    assert "too long" in with_feedback.text and with_feedback.text != rendered.text


def test_unknown_template_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"summary\.base@v1"):
        load_template("summary", "base", version=99)


def test_demonstration_answers_are_read_from_the_template() -> None:
    answers = demonstration_answers(load_template("summary", "base"), "Summary:")
    assert len(answers) == 2 and all("{{" not in a for a in answers)
    assert answers[0].startswith("Springfield")


def test_style_follows_the_backend() -> None:
    class Fake:
        def __init__(self, family: str, chat: bool) -> None:
            self.family, self.use_chat_template = family, chat

    assert style_for(Fake("seq2seq", False)) == "t5"
    assert style_for(Fake("causal", True)) == "instruct"
    assert style_for(Fake("causal", False)) == "base"


def test_templates_ship_in_the_wheel(tmp_path: Path) -> None:
    """Build the wheel, install it into a bare directory, load a template from there."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheel_dir),
            "-q",
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheel_dir.glob("newsbrief-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsbrief/_prompts/summary.base.v1.j2" in names
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import newsbrief, newsbrief.steps.prompts as p\n"
        "t = p.load_template('stance', 'base')\n"
        "print(newsbrief.__file__); print(t.id, t.sha256)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(target)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    path, line = out.stdout.strip().splitlines()
    assert path.startswith(str(target))  # the installed copy, not the repository
    assert line == f"stance.base@v1 {load_template('stance', 'base').sha256}"


# -- damaged template files (issue 23): an error naming the file, not a bare traceback --


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Article: {{ text }\nSummary:", r"summary\.base\.v9\.j2:1: unexpected '}'"),
        (b"Article: {{ text }}\n\xff\xfe Summary:", r"summary\.base\.v9\.j2: not UTF-8"),
    ],
)
def test_a_damaged_template_file_is_an_error_naming_it(
    tmp_path: Path, content: bytes, message: str
) -> None:
    from newsbrief.errors import PromptTemplateError
    from newsbrief.steps.prompts import read_templates

    (tmp_path / "summary.base.v9.j2").write_bytes(content)
    with pytest.raises(PromptTemplateError, match=message) as info:
        read_templates(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_the_command_reports_a_damaged_template_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsbrief.steps import prompts
    from newsbrief.surfaces import cli

    shipped = Path(str(prompts.resources.files(prompts._PACKAGE)))
    for template in shipped.glob("*.j2"):
        (tmp_path / template.name).write_bytes(template.read_bytes())
    (tmp_path / "issue.base.v1.j2").write_bytes(b"{% if text %}never closed")
    monkeypatch.setattr(prompts, "available_templates", lambda: prompts.read_templates(tmp_path))

    def make(args: object) -> object:
        from newsbrief.backends import ScriptedBackend
        from newsbrief.briefer import Briefer

        return Briefer(backend=ScriptedBackend(by_prompt={}))

    monkeypatch.setattr(cli, "_make_briefer", make)
    article = tmp_path / "a.txt"
    article.write_text("Mayor Ann Lopez said the council would vote next month.\n")
    status = cli.main(["brief", str(article), "--format", "json"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_FAILED
    assert "issue.base.v1.j2" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
