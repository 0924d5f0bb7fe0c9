"""Brief options (every option of a brief, once) and the record of one briefed article."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator, model_validator

from newsbrief.models import DEFAULT_LABELS, Brief, FrozenModel
from newsbrief.steps.asking import check_max_attempts
from newsbrief.steps.prompts import STYLES, PromptStyle
from newsbrief.steps.stance import check_labels as check_labels
from newsbrief.steps.summary_parts import check_summary_sentences
from newsbrief.text.inputs import escape_surrogates
from newsbrief.text.safe_text import one_line_json

#: The options that are settings of the Briefer (``None`` in :class:`BriefOptions`: the
#: Briefer's own); the others are per brief.
BRIEFER_SETTINGS: tuple[str, ...] = ("summary_sentences", "max_attempts", "seed", "style")


@dataclass(frozen=True)
class BriefOptions:
    """Every option of a brief, in one place: what the CLI, batch, Ray, datasets and eval pass.

    The first four are per brief (as ``Briefer.brief`` takes them); the last four are the
    Briefer's settings (as ``Briefer(...)`` takes them), where ``None`` keeps the Briefer's
    own. Checked when made, so a bad option fails at once, before any article.

    Attributes:
        target: the issue to take stances on; inferred per article when ``None``.
        summary: write the summary.
        stances: score stances (without a ``target``, also infer the issue).
        labels: the stance label set (see ``Briefer.stance``).
        summary_sentences: 1-3 sentences per summary.
        max_attempts: attempts per generated answer before ``RetryExhaustedError``.
        seed: base seed for the sampled retries.
        style: prompt template style (``"base"``, ``"instruct"``, ``"t5"``).

    Raises:
        ValueError: an empty target, fewer than two distinct labels, or a setting out of
            range.
        TypeError: an option of the wrong type.
    """

    target: str | None = None
    summary: bool = True
    stances: bool = True
    labels: tuple[str, ...] = DEFAULT_LABELS
    summary_sentences: int | None = None
    max_attempts: int | None = None
    seed: int | None = None
    style: PromptStyle | None = None

    def __post_init__(self) -> None:
        if self.target is not None:
            check_target(self.target)
        for name in ("summary", "stances"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False")
        object.__setattr__(self, "labels", check_labels(self.labels))
        for name in ("summary_sentences", "max_attempts", "seed"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"{name} must be an int or None")
        if self.summary_sentences is not None:
            check_summary_sentences(self.summary_sentences)
        if self.max_attempts is not None:
            check_max_attempts(self.max_attempts)
        if self.style is not None and self.style not in STYLES:
            raise ValueError(f"style must be one of {', '.join(STYLES)}")

    def resolved(self, defaults: BriefOptions) -> BriefOptions:
        """These options with each Briefer setting left ``None`` taken from ``defaults``."""
        missing = {
            name: getattr(defaults, name)
            for name in BRIEFER_SETTINGS
            if getattr(self, name) is None
        }
        return dataclasses.replace(self, **missing) if missing else self

    def settings(self) -> dict[str, Any]:
        """The Briefer settings of these options (name -> value)."""
        return {name: getattr(self, name) for name in BRIEFER_SETTINGS}

    def as_dict(self) -> dict[str, Any]:
        """Every option as JSON-ready values (labels as a list), e.g. for a cache key."""
        values = dataclasses.asdict(self)
        values["labels"] = list(self.labels)
        return values


def check_target(target: object) -> None:
    """Refuse a target that is not a non-empty string (``ValueError``)."""
    if not isinstance(target, str) or not target.strip():
        raise ValueError("target must be a non-empty string")


# -- the record of one article --------------------------------------------------------


class RecordError(FrozenModel):
    """Why an article has no brief: the error's class name and its message."""

    type: str
    message: str

    @field_validator("message")
    @classmethod
    def _writable(cls, message: str) -> str:
        return escape_surrogates(message)


class BriefRecord(FrozenModel):
    """One article's result: its id, then its ``Brief`` or the error that stopped it.

    The line format of a batch output (``newsbrief brief --batch``), of Ray runs and of
    ``Briefer.brief_many``; as JSON (:meth:`to_json`)::

        {"id": "a1", "brief": {...}}                                  # a Brief as JSON
        {"id": "a2", "error": {"type": "InputError", "message": "..."}}

    As a Parquet row (:meth:`to_row`) the brief is JSON text and the other field null. A
    lone surrogate in the id or message is written as the six characters ``\\ud83d``, so a
    record always writes and a rerun recognises its id.
    """

    id: str
    brief: Brief | None = None
    error: RecordError | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    """The input record's other fields (``url``, ``date``, ``outlet``...), carried to the
    JSONL output as ``"meta"`` so it needs no join by id; empty (and not written) when the
    input had none."""

    @field_validator("id")
    @classmethod
    def _writable_id(cls, value: str) -> str:
        return escape_surrogates(value)

    @model_validator(mode="after")
    def _brief_or_error(self) -> BriefRecord:
        if (self.brief is None) == (self.error is None):
            raise ValueError("a record holds either a brief or an error")
        return self

    @classmethod
    def failed(cls, record_id: str, error: BaseException | str, message: str = "") -> BriefRecord:
        """The record of an article that failed with ``error`` (an exception, or its class
        name with ``message``)."""
        if isinstance(error, BaseException):
            error, message = type(error).__name__, str(error)
        return cls(id=record_id, error=RecordError(type=error, message=message))

    @property
    def ok(self) -> bool:
        """Whether the article has a brief."""
        return self.brief is not None

    def located(self, where: str) -> BriefRecord:
        """An error record whose message starts with ``where`` (the article's source)."""
        if self.error is None or not where:
            return self
        error = RecordError(type=self.error.type, message=f"{where}: {self.error.message}")
        return self.model_copy(update={"error": error})

    def with_meta(self, meta: Mapping[str, Any] | None) -> BriefRecord:
        """This record carrying ``meta`` (the input record's other fields)."""
        return self.model_copy(update={"meta": dict(meta)}) if meta else self

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON object: ``{"id", "brief"}`` or ``{"id", "error"}``, and
        ``"meta"`` when the input carried other fields."""
        extra = {"meta": self.meta} if self.meta else {}
        if self.brief is not None:
            return {"id": self.id, "brief": self.brief.model_dump(mode="json"), **extra}
        assert self.error is not None  # one of the two, checked when made
        return {"id": self.id, "error": self.error.model_dump(), **extra}

    def json_line(self) -> str:
        """The record as one line of JSONL (without the newline): one line for
        ``str.splitlines()`` too (U+2028, U+2029 and C1 controls as ``\\u`` escapes)."""
        line = json.dumps(self.to_json(), ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate in a brief: JSON's \\u escapes write it
            line = json.dumps(self.to_json())
        return one_line_json(line)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BriefRecord:
        """A record read back from its JSON object (raises pydantic's error if it is none)."""
        return cls.model_validate(dict(data))

    @classmethod
    def line_schema(cls) -> dict[str, Any]:
        """The JSON schema of one line of a batch output: ``{id, brief}`` or ``{id, error}``
        (``newsbrief schema --record``)."""
        brief = Brief.model_json_schema()
        defs = {**brief.pop("$defs", {}), "Brief": brief}
        error = RecordError.model_json_schema()
        error.pop("description", None)
        return {
            "title": "newsbrief batch record",
            "$defs": defs,
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "brief": {"$ref": "#/$defs/Brief"},
                        "meta": {"type": "object"},
                    },
                    "required": ["id", "brief"],
                },
                {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "error": error,
                        "meta": {"type": "object"},
                    },
                    "required": ["id", "error"],
                },
            ],
        }

    def to_row(self) -> dict[str, Any]:
        """The record as a Parquet/Arrow row: ``id``, ``brief`` (JSON text) and ``error``,
        and ``meta`` (JSON text) when the input carried other fields."""
        row: dict[str, Any] = {
            "id": self.id,
            "brief": None if self.brief is None else self.brief.model_dump_json(),
            "error": None if self.error is None else self.error.model_dump(),
        }
        if self.meta:
            row["meta"] = json.dumps(self.meta, ensure_ascii=False)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BriefRecord:
        """A record read back from its row (see :meth:`to_row`)."""
        meta = json.loads(row["meta"]) if row.get("meta") else {}
        if row.get("brief") is not None:
            return cls(id=row["id"], brief=Brief.model_validate_json(row["brief"]), meta=meta)
        return cls(id=row["id"], error=RecordError.model_validate(dict(row["error"])), meta=meta)

    @staticmethod
    def json_of_row(row: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON object (:meth:`to_json`) of a row, without validating the brief (fast,
        for reading large outputs back)."""
        extra = {"meta": json.loads(row["meta"])} if row.get("meta") else {}
        if row.get("brief") is not None:
            return {"id": row["id"], "brief": json.loads(row["brief"]), **extra}
        return {"id": row["id"], "error": dict(row["error"]), **extra}
