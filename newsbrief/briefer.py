"""Briefer: composes quotes, summary, issue and stances into a Brief."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from newsbrief.inputs import check_article
from newsbrief.models import DEFAULT_LABELS, Brief, Quote, Stance

if TYPE_CHECKING:
    from newsbrief.backends.base import Backend

logger = logging.getLogger(__name__)

_ISSUE_4 = "issue 4: Summaries and stance labels through versioned prompt templates"


class Briefer:
    """Turns news articles into briefs with one loaded model.

    Args:
        model: hub id, local directory, ``.gguf`` file, or ``None`` for the embedded
            default (Gemma 3 270M, offline, CPU).
        backend: any object implementing :class:`newsbrief.backends.Backend`; excludes
            ``model``.
        device: ``"cpu"`` (default), ``"cuda"`` or ``"auto"``.
        dtype: ``"float32"``, ``"bfloat16"``, ... or ``None`` for a sensible default.
        trust_remote_code: allow model code shipped with a checkpoint (off by default).
        allow_pickle: allow pickle checkpoints (``.bin``/``.pt``), which can run code.

    Raises:
        ModelLoadError: the model cannot be loaded (the message says what to do).
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        backend: Backend | None = None,
        device: str | None = None,
        dtype: Any = None,
        trust_remote_code: bool = False,
        allow_pickle: bool = False,
    ) -> None:
        if model is not None and backend is not None:
            raise ValueError("pass either model= or backend=, not both")
        if backend is None:
            from newsbrief.backends.loading import load_backend

            backend = load_backend(
                model or "embedded",
                device=device,
                dtype=dtype,
                trust_remote_code=trust_remote_code,
                allow_pickle=allow_pickle,
            )
        self.backend: Backend = backend

    def __repr__(self) -> str:
        return f"Briefer(backend={self.backend!r})"

    def quotes(self, text: str) -> list[Quote]:
        """Every quoted or reported statement in ``text`` with its speaker and exact span."""
        from newsbrief.quotes import find_quotes

        return find_quotes(check_article(text))

    def summarize(self, text: str) -> str:
        """A 1-3 sentence abstractive summary of ``text``."""
        check_article(text)
        raise NotImplementedError(_ISSUE_4)

    def stance(
        self,
        text: str,
        target: str,
        *,
        speaker: str | None = None,
        labels: tuple[str, ...] = DEFAULT_LABELS,
    ) -> Stance:
        """Where ``speaker`` (or the author) stands on ``target``."""
        check_article(text)
        raise NotImplementedError(_ISSUE_4)

    def brief(self, text: str, title: str | None = None, target: str | None = None) -> Brief:
        """Summary, quotes, issue and stances for one article."""
        check_article(text)
        raise NotImplementedError(_ISSUE_4)
