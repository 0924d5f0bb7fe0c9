"""Frozen pydantic result types: Quote, Stance, Brief and their provenance."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

QuoteKind = Literal["direct", "indirect", "mixed", "reported"]
"""``"direct"``: words in quotation marks; ``"indirect"``: a reported clause ("X said
(that) ...", "according to X, ..."); ``"mixed"``: a reported clause or naming with a
quoted fragment; ``"reported"``: what was said named by the object of a verb of saying,
not a clause ("X denied the allegations", "X announced plans to ...", "X accused Y of
..."): the article's words, quoting nobody (not counted among the quoted speakers)."""
#: What a quote's speaker is (``Quote.speaker_kind``).
SpeakerKind = Literal["person", "organisation", "document"]
BriefStep = Literal["summary", "issue", "stance"]
SentenceMethod = Literal["kept", "shortened", "generated"]
"""How a summary sentence was made: an article sentence ``kept`` whole, ``shortened`` by
deleting words only, or ``generated`` freely by the model."""
DEFAULT_LABELS: tuple[str, ...] = ("supportive", "opposed", "cautious", "neutral")
#: The one word for an abstention in every view (Markdown, HTML, tables, CSV, eval reports,
#: notebooks); in JSON an abstention is ``"label": null``.
ABSTAINED = "abstained"


class FrozenModel(BaseModel):
    """Base of newsbrief's records: immutable, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Quote(FrozenModel):
    """A quoted or reported statement: a verbatim span of the article and its speaker.

    Validate with ``Quote.model_validate(data, context={"text": article})`` to check the
    offsets against the article (``article[start:end] == text``) and the speaker mention.
    """

    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    kind: QuoteKind
    speaker: str | None = None
    speaker_start: int | None = Field(default=None, ge=0)
    speaker_end: int | None = Field(default=None, ge=0)
    cue: str | None = None
    speaker_kind: SpeakerKind | None = None
    """What the speaker is: ``"person"``, ``"organisation"`` or ``"document"`` (a report,
    poll or survey: "according to a survey by ..."); ``None`` when there is no speaker or
    the rules cannot tell."""
    speaker_description: str | None = None
    """The speaker's role or affiliation as the article gives it ("chairs the Chamber of
    Commerce", "opposition leader"), verbatim; ``None`` when the article gives none."""
    speaker_description_start: int | None = Field(default=None, ge=0)
    speaker_description_end: int | None = Field(default=None, ge=0)
    """The description's span: ``article[start:end] == speaker_description``."""
    id: str = ""
    """Stable id of the quote, from its span: ``"q{start}-{end}"`` (filled in when not
    given). The same text gives the same ids in every run; stances cite quotes by it
    (``Stance.evidence_ids``)."""

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            start, end = data.get("start"), data.get("end")
            if isinstance(start, int) and isinstance(end, int):
                data = {**data, "id": quote_id(start, end)}
        return data

    @model_validator(mode="after")
    def _check_offsets(self, info: ValidationInfo) -> Quote:
        if self.id != quote_id(self.start, self.end):
            expected = quote_id(self.start, self.end)
            raise ValueError(f"quote id {self.id!r} is not the id of its span, {expected!r}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span [{self.start}, {self.end}) has length {self.end - self.start}, "
                f"quote text has length {len(self.text)}"
            )
        if (self.speaker_start is None) != (self.speaker_end is None):
            raise ValueError("speaker_start and speaker_end must both be set or both be None")
        described = (self.speaker_description_start, self.speaker_description_end)
        if (described[0] is None) != (described[1] is None) or (
            described[0] is not None and self.speaker_description is None
        ):
            raise ValueError("a speaker description needs its text, start and end together")
        if self.speaker_start is not None and self.speaker_end is not None:
            if self.speaker_end <= self.speaker_start:
                raise ValueError("speaker mention must be a non-empty span")
            if self.speaker is None:
                raise ValueError("a speaker mention needs a canonical speaker name")
        article = info.context.get("text") if isinstance(info.context, dict) else None
        if isinstance(article, str):
            if article[self.start : self.end] != self.text:
                raise ValueError(f"quote text is not the article's span [{self.start}, {self.end})")
            if self.speaker_end is not None and self.speaker_end > len(article):
                raise ValueError("speaker mention lies outside the article")
            first, last = self.speaker_description_start, self.speaker_description_end
            if (
                first is not None
                and last is not None
                and (article[first:last] != self.speaker_description)
            ):
                raise ValueError("speaker description is not the article's span")
        return self


def quote_id(start: int, end: int) -> str:
    """The id of the quote spanning ``article[start:end]``."""
    return f"q{start}-{end}"


class Stance(FrozenModel):
    """Where a speaker (or the author, ``speaker=None``) stands on a target.

    ``label`` is ``None`` when newsbrief abstains (no evidence, or a confidence below the
    threshold): ``scores`` still holds what the model gave each label.
    """

    speaker: str | None
    target: str
    label: str | None
    confidence: float = Field(ge=0.0, le=1.0)
    scores: dict[str, float]
    evidence: list[int] = Field(default_factory=list)
    """Indices into ``brief.quotes`` (or ``Briefer.quotes(text)``) of the quotes scored."""
    evidence_ids: list[str] = Field(default_factory=list)
    """The same quotes by ``Quote.id``, in the same order: valid whatever list they are in."""
    speaker_description: str | None = None
    """The speaker's role or affiliation as the article gives it (from the speaker's
    quotes, ``Quote.speaker_description``); ``None`` when it gives none."""

    @model_validator(mode="after")
    def _check_label(self) -> Stance:
        if self.label is not None and self.scores and self.label not in self.scores:
            raise ValueError(f"label {self.label!r} is not among the scored labels")
        return self

    @property
    def abstained(self) -> bool:
        """Whether newsbrief declined to give a label."""
        return self.label is None

    @property
    def verdict(self) -> str:
        """The label, or :data:`ABSTAINED` (``"abstained"``) when there is none: what every
        view shows."""
        return self.label if self.label is not None else ABSTAINED


class SourceSpan(FrozenModel):
    """A character span of the article, ``article[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _check_order(self) -> SourceSpan:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} lies before its start {self.start}")
        return self


class SummarySentence(FrozenModel):
    """One sentence of the summary, how it was made and the article span(s) it comes from."""

    text: str = Field(min_length=1)
    method: SentenceMethod
    sources: list[SourceSpan] = Field(default_factory=list)


class StepFailure(FrozenModel):
    """A step of ``brief()`` that failed; the brief keeps the parts that succeeded."""

    step: BriefStep
    error: str
    """The exception's class name, e.g. ``RetryExhaustedError``."""
    message: str


class PromptRecord(FrozenModel):
    """Which template produced a prompt: its id (name@version) and content hash."""

    id: str
    sha256: str


class Provenance(FrozenModel):
    """How a result was made, so a run can be reproduced and compared."""

    model_id: str
    package_version: str
    prompts: list[PromptRecord] = Field(default_factory=list)
    generation: dict[str, float | int | str | None] = Field(default_factory=dict)
    attempts: dict[str, int] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    """What a step left out and why (e.g. a speaker sentence every attempt at failed)."""


class Brief(FrozenModel):
    """Everything newsbrief says about one article."""

    summary: str
    summary_sentences: list[SummarySentence] = Field(default_factory=list)
    """The summary sentence by sentence, each with its method and source spans."""
    quotes: list[Quote]
    stances: list[Stance]
    issue: str
    title: str | None = None
    provenance: Provenance
    failures: list[StepFailure] = Field(default_factory=list)
    """Steps that failed (their part of the brief is empty); empty when all succeeded."""
    text_sha256: str | None = None
    """SHA-256 (hex) of the text the offsets index into, as UTF-8 (see :func:`sha256_of_text`):
    tells whether a text is the one this brief was made from."""
    extracted_text: str | None = None
    """The text the offsets index into when newsbrief extracted it from something else (an
    HTML page, a downloaded URL: ``Briefer.brief_file``, ``newsbrief brief``), so quotes and
    summary spans can be located; ``None`` when the caller passed the text itself."""

    def _repr_html_(self) -> str | None:
        """Rich display (Jupyter, VS Code, marimo, ``HTML(brief._repr_html_())``): the HTML
        view set with :func:`set_html_renderer`, or ``None`` (plain repr) when none is."""
        return _html_renderer(self) if _html_renderer is not None else None


#: Renders a :class:`Brief` as HTML for notebooks. ``newsbrief/__init__.py`` sets it to the
#: display surface's view, so the result types never import display code themselves.
_html_renderer: Callable[[Brief], str] | None = None


def set_html_renderer(render: Callable[[Brief], str] | None) -> None:
    """Set what :meth:`Brief._repr_html_` returns (``None``: no HTML, the plain repr)."""
    global _html_renderer
    _html_renderer = render


def sha256_of_text(text: str) -> str:
    """The hex SHA-256 of ``text`` encoded as UTF-8 (a lone surrogate kept as its own bytes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
