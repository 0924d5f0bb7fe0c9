"""``brief_many`` for the eval tests' fake briefers, which answer ``brief()`` themselves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newsbrief.briefer import Briefer
from newsbrief.options import BriefOptions, BriefRecord


class BriefsMany:
    """Gives a fake with its own ``brief()`` the real ``Briefer.brief_many`` loop over it."""

    options = BriefOptions(summary_sentences=3, max_attempts=3, seed=0, style="base")

    def brief_many(
        self, items: Iterable[Any], options: BriefOptions | None = None
    ) -> Iterator[BriefRecord]:
        return Briefer.brief_many(self, items, options)  # type: ignore[arg-type]

    def _with_settings(self, options: BriefOptions) -> Any:
        return self
