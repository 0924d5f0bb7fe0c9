"""Versioned prompt templates: load from ``prompts/``, render strictly, id + content hash.

A template file is ``{task}.{style}.v{N}.j2``. Its id is ``{task}.{style}@v{N}`` and its
hash is the SHA-256 of the file's bytes. A released version is never edited: a change is a
new file with the next version (the tests pin every released hash).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2

from newsbrief.errors import PromptTemplateError
from newsbrief.models import PromptRecord

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11+
    from importlib.resources.abc import Traversable

PromptStyle = Literal["base", "instruct", "t5"]
STYLES: tuple[PromptStyle, ...] = ("base", "instruct", "t5")
_NAME = re.compile(r"^(?P<task>[a-z_]+)\.(?P<style>[a-z0-9]+)\.v(?P<version>\d+)\.j2$")
_PACKAGE = "newsbrief._prompts"


@dataclass(frozen=True)
class PromptTemplate:
    """One released template file."""

    task: str
    style: str
    version: int
    source: str
    sha256: str

    @property
    def id(self) -> str:
        return f"{self.task}.{self.style}@v{self.version}"

    def render(self, **variables: Any) -> RenderedPrompt:
        """Render with every variable required (a missing one raises ``ValueError``)."""
        try:
            text = _compiled(self.source).render(**variables)
        except jinja2.UndefinedError as exc:
            raise ValueError(f"template {self.id}: {exc}") from exc
        return RenderedPrompt(text=text, record=PromptRecord(id=self.id, sha256=self.sha256))


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready for the model, with the record of the template that made it."""

    text: str
    record: PromptRecord


@cache
def _compiled(source: str) -> jinja2.Template:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # prompts are plain text for a model, not HTML
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.from_string(source)


@cache
def available_templates() -> tuple[PromptTemplate, ...]:
    """Every template shipped with the package, sorted by task, style and version.

    Raises:
        PromptTemplateError: a template file is not UTF-8 or not a valid Jinja template.
    """
    return read_templates(resources.files(_PACKAGE))


def read_templates(directory: Traversable | Path) -> tuple[PromptTemplate, ...]:
    """The template files (``{task}.{style}.v{N}.j2``) of ``directory``, each read and
    compiled, sorted by task, style and version.

    Raises:
        PromptTemplateError: a file is not UTF-8 or not a valid Jinja template (the
            message names the file and the line).
    """
    found: list[PromptTemplate] = []
    for entry in directory.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        data = entry.read_bytes()
        try:
            source = data.decode("utf-8")
            _compiled(source)
        except UnicodeDecodeError as exc:
            raise PromptTemplateError(
                f"prompt template {entry}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                "reinstall newsbrief (released templates are never edited)"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise PromptTemplateError(
                f"prompt template {entry}:{exc.lineno}: {exc.message}; reinstall newsbrief "
                "(released templates are never edited)"
            ) from None
        found.append(
            PromptTemplate(
                task=match["task"],
                style=match["style"],
                version=int(match["version"]),
                source=source,
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    return tuple(sorted(found, key=lambda t: (t.task, t.style, t.version)))


def load_template(task: str, style: str, version: int | None = None) -> PromptTemplate:
    """The template for ``task`` in ``style`` (the latest version unless one is given).

    Raises:
        ValueError: no such task, style or version.
    """
    candidates = [t for t in available_templates() if t.task == task and t.style == style]
    if version is not None:
        candidates = [t for t in candidates if t.version == version]
    if not candidates:
        known = sorted({t.id for t in available_templates()})
        raise ValueError(f"no prompt template {task}.{style}@v{version or '*'}; known: {known}")
    return candidates[-1]


def style_for(backend: object) -> PromptStyle:
    """The template style a backend needs: ``t5`` for encoder-decoders, ``instruct`` for
    chat-templated causal models, ``base`` (few-shot) for everything else."""
    if getattr(backend, "family", None) == "seq2seq":
        return "t5"
    if getattr(backend, "use_chat_template", False):
        return "instruct"
    return "base"


def demonstration_answers(template: PromptTemplate, marker: str) -> list[str]:
    """The example answers written into a few-shot template after ``marker``.

    A model that copies one of them has not answered; checks use this list to say so.
    """
    pattern = re.compile(rf"^{re.escape(marker)}[ \t]*(.+\S)[ \t]*$", re.MULTILINE)
    return [m.group(1) for m in pattern.finditer(template.source) if "{{" not in m.group(1)]
