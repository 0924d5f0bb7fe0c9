"""The :class:`Corpus`: briefs of many articles, their metadata, merged speakers, issue groups."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from newsbrief.corpus.aliases import Aliases
from newsbrief.corpus.base import CorpusData
from newsbrief.corpus.issues import DEFAULT_THRESHOLD, group_issues
from newsbrief.corpus.loading import (
    ArticleInfo,
    LoadReport,
    briefs_of_dataset,
    read_article_info,
    read_batch,
)
from newsbrief.corpus.speakers import Mention, MergeOptions, merge_speakers
from newsbrief.models import Brief

logger = logging.getLogger(__name__)


class Corpus(CorpusData):
    """Briefs of many articles with speakers merged across them and issues grouped.

    Build one with :meth:`from_batch`, :meth:`from_briefs` or :meth:`from_dataset`; the
    fields are :class:`newsbrief.corpus.base.CorpusData`'s.
    """

    # -- building ---------------------------------------------------------------------

    @classmethod
    def from_batch(
        cls,
        paths: str | Path | Sequence[str | Path],
        *,
        articles: str | Path | None = None,
        aliases: str | Path | Aliases | None = None,
        options: MergeOptions | None = None,
        issue_threshold: float = DEFAULT_THRESHOLD,
    ) -> Corpus:
        """A corpus from one or more batch outputs (JSONL files or ``.parquet`` directories).

        Args:
            paths: the batch output(s); a later one's brief wins for a repeated id.
            articles: the batch input (JSONL) for the articles' metadata: ``title``, a date
                field, an outlet field (else the url's host) and ``url``.
            aliases: an alias file (see :mod:`newsbrief.corpus.aliases`) or its rules.
            options: speaker merge tuning.
            issue_threshold: the similarity from which two issues are one story.

        Raises:
            InputError: a path does not exist; AliasError: the alias file is wrong.
        """
        report = LoadReport()
        briefs: dict[str, Brief] = {}
        for path in [paths] if isinstance(paths, str | Path) else paths:
            for key, brief in read_batch(path, report).items():
                if key in briefs:
                    report.skip("duplicate id across outputs (the later brief kept)", key)
                briefs[key] = brief
        report.loaded = len(briefs)
        infos = read_article_info(articles, report) if articles is not None else {}
        return cls.build(briefs, infos, report, aliases, options, issue_threshold)

    @classmethod
    def from_briefs(
        cls,
        briefs: Sequence[Brief] | Mapping[str, Brief],
        *,
        articles: Mapping[str, Mapping[str, Any]] | None = None,
        aliases: str | Path | Aliases | None = None,
        options: MergeOptions | None = None,
        issue_threshold: float = DEFAULT_THRESHOLD,
    ) -> Corpus:
        """A corpus from briefs (a list: ids ``"0"``, ``"1"``...; or a mapping of id to
        brief) and optionally each article's metadata fields by id."""
        from newsbrief.corpus.loading import article_info

        keyed = (
            {str(k): v for k, v in briefs.items()}
            if isinstance(briefs, Mapping)
            else {str(i): b for i, b in enumerate(briefs)}
        )
        for key, brief in keyed.items():
            if not isinstance(brief, Brief):
                raise TypeError(f"item {key!r} is {type(brief).__name__}, not a Brief")
        report = LoadReport(loaded=len(keyed))
        infos = {str(k): article_info(str(k), v, report) for k, v in (articles or {}).items()}
        return cls.build(keyed, infos, report, aliases, options, issue_threshold)

    @classmethod
    def from_dataset(
        cls,
        dataset: Iterable[Mapping[str, Any]],
        *,
        id_column: str = "id",
        aliases: str | Path | Aliases | None = None,
        options: MergeOptions | None = None,
        issue_threshold: float = DEFAULT_THRESHOLD,
    ) -> Corpus:
        """A corpus from a ``datasets.Dataset`` briefed with
        :func:`newsbrief.surfaces.hf_datasets.brief_hf_dataset` (its other columns, e.g.
        ``date``, ``outlet``, ``url``, ``title``, are the metadata)."""
        report = LoadReport()
        briefs, infos = briefs_of_dataset(dataset, report, id_column=id_column)
        return cls.build(briefs, infos, report, aliases, options, issue_threshold)

    @classmethod
    def build(
        cls,
        briefs: dict[str, Brief],
        infos: dict[str, ArticleInfo],
        report: LoadReport,
        aliases: str | Path | Aliases | None = None,
        options: MergeOptions | None = None,
        issue_threshold: float = DEFAULT_THRESHOLD,
    ) -> Corpus:
        """Merge the speakers and group the issues of loaded briefs."""
        if aliases is not None and not isinstance(aliases, Aliases):
            aliases = Aliases.read(aliases)
        articles = {
            key: infos.get(key) or ArticleInfo(key, title=brief.title)
            for key, brief in briefs.items()
        }
        for key, info in list(articles.items()):
            if info.title is None and briefs[key].title:
                articles[key] = ArticleInfo(
                    key, briefs[key].title, info.date, info.outlet, info.url
                )
        index = merge_speakers(speaker_mentions(briefs), aliases, options)
        issues = {k: b.issue for k, b in briefs.items()}
        titles = {k: info.title for k, info in articles.items()}
        groups = group_issues(issues, issue_threshold, titles)
        return cls(briefs, articles, report, index, groups)

    def _repr_html_(self) -> str:
        from newsbrief.corpus.report import corpus_summary_html

        return corpus_summary_html(self)


def speaker_mentions(briefs: Mapping[str, Brief]) -> list[Mention]:
    """One mention per attributed quote, and one per stance speaker never quoted."""
    mentions: list[Mention] = []
    for key, brief in briefs.items():
        quoted = set()
        for quote in brief.quotes:
            if quote.speaker:
                mentions.append(Mention(f"{key}/{quote.id}", key, quote.speaker))
                quoted.add(quote.speaker)
        for i, stance in enumerate(brief.stances):
            if stance.speaker and stance.speaker not in quoted:
                mentions.append(Mention(f"{key}/stance{i}", key, stance.speaker))
                quoted.add(stance.speaker)
    return mentions
