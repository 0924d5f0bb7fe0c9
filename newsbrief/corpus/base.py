"""The data of a corpus (what the tables, pictures and report read), apart from its builders."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from newsbrief.corpus.issues import IssueGroup
from newsbrief.corpus.loading import ArticleInfo, LoadReport
from newsbrief.corpus.speakers import SpeakerIndex
from newsbrief.models import Brief, Quote


@dataclass(repr=False)
class CorpusData:
    """Briefs of many articles with speakers merged across them and issues grouped (build
    one with :class:`newsbrief.corpus.core.Corpus`).

    Attributes:
        briefs: article id -> its brief.
        articles: article id -> its metadata (id only when none was given).
        report: what the load kept and skipped, and dates it could not read.
        index: the merged speakers (:class:`newsbrief.corpus.speakers.SpeakerIndex`).
        issue_groups: the articles grouped by issue, largest group first.
    """

    briefs: dict[str, Brief]
    articles: dict[str, ArticleInfo]
    report: LoadReport
    index: SpeakerIndex
    issue_groups: list[IssueGroup] = field(default_factory=list)

    # -- views ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<Corpus: {len(self.briefs)} articles, {len(self.index.speakers)} speakers, "
            f"{len(self.issue_groups)} issue groups>"
        )

    def speaker_of(self, article_id: str, name: str | None) -> str | None:
        """The speaker id of a name as an article's brief gives it (``None`` for none)."""
        return None if name is None else self.index.of_name.get((article_id, name))

    def quotes(self) -> Iterator[tuple[str, ArticleInfo, Quote, str | None, str | None]]:
        """Every quote of every brief, in order, as (article id, its metadata, the quote,
        its merged speaker id, that speaker's name); ids and names ``None`` for none."""
        for key, brief in self.briefs.items():
            info = self.articles[key]
            for quote in brief.quotes:
                speaker_id = self.speaker_of(key, quote.speaker)
                name = self.index.speakers[speaker_id].name if speaker_id else None
                yield key, info, quote, speaker_id, name

    def group_of(self) -> dict[str, IssueGroup]:
        """Article id -> its issue group."""
        return {a: g for g in self.issue_groups for a in g.article_ids}
