"""Speakers merged across articles: one id per person or organisation, every merge kept.

Each article's brief already gives its speakers' fullest names (``quotes/clusters.py``
merges the variants inside one article). Across articles the same speaker still appears as
"Jim Bridenstine", "NASA Administrator Jim Bridenstine" and "Bridenstine", and two people
can share a surname. :func:`merge_speakers` resolves them in a fixed order, each step
logged as a :class:`Merge`:

1. **Deterministic key**: the name without leading titles ("President", "Mr") and
   post-nominals ("QC"), lower-cased without accents. Equal keys are one speaker.
   A *description* ("police", "the study", "a family spokesperson") names someone only
   inside its article: its key carries the article id, so two articles' "police" stay apart.
2. **Title prefix**: a name whose last two or more words are another speaker's whole key
   ("NASA Administrator Jim Bridenstine" -> "Jim Bridenstine").
3. **Name variant**: a full name that is a variant of a fuller one by
   :func:`newsbrief.quotes.clusters.is_variant` ("John Bolton" -> "John R. Bolton"): first
   names must agree, so "Joe Biden" and "Hunter Biden" stay apart. Across articles the last
   words must be equal (``is_variant`` forgives a misspelt surname inside one article, where
   "Davis" beside "Tanya Davies" is a typo; across articles it is another person).
4. **Surname alone**: "Trump" joins the one person the corpus names with that surname; when
   several do, it joins the most quoted only if that one has at least ``dominance`` times
   the mentions of the next (else it stays apart, logged as ambiguous). Organisations'
   names ("New York Times") never take a lone word ("Times").
5. **Aliases** (:mod:`.aliases`): the user's file keeps names apart or merges them, last.

Every step is order-independent (keys are visited sorted), so the same mentions give the
same speakers and ids whatever order the articles come in.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsbrief.corpus.aliases import Aliases
from newsbrief.corpus.names import Merge, SpeakerKind, most_used, name_key, name_words
from newsbrief.quotes.clusters import fold, is_variant
from newsbrief.text.lexicon import ORGANISATION_ENDS

_ORG_ENDS = frozenset(fold(w) for w in ORGANISATION_ENDS)


@dataclass(frozen=True)
class Mention:
    """One speaker mention: a quote (or a stance) of an article and the name it gives."""

    id: str
    article_id: str
    name: str


@dataclass
class Speaker:
    """A speaker of the corpus: its id, display name and every form it was named by."""

    id: str
    name: str
    kind: SpeakerKind
    variants: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SpeakerIndex:
    """The merged speakers: ``speakers`` by id, ``of_mention`` (mention id -> speaker id),
    ``merges`` (every decision, in order) and ``of_name`` ((article id, name) -> speaker id)."""

    speakers: dict[str, Speaker]
    of_mention: dict[str, str]
    of_name: dict[tuple[str, str], str]
    merges: list[Merge]


@dataclass(frozen=True)
class MergeOptions:
    """Tuning of :func:`merge_speakers` (chosen on the dev half of the labelled sample).

    Attributes:
        dominance: a lone surname joins the most mentioned full name with it only when that
            one has at least this many times the mentions of the next.
        title_prefix: apply step 2 (title prefixes).
        variants: apply steps 3 and 4 (name variants, lone surnames).
    """

    dominance: float = 5.0
    title_prefix: bool = True
    variants: bool = True


class _Groups:
    """Union-find over keys with a deterministic representative (the smaller key)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        low, high = sorted((ra, rb))
        self.parent[high] = low
        return True


@dataclass
class KeyStats:
    """What the mentions with one deterministic key share: the mergeable summary step 1
    leaves (``+`` adds two, so batches of mentions can be summarised apart and combined)."""

    kind: SpeakerKind
    count: int = 0
    names: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)

    def __add__(self, other: KeyStats) -> KeyStats:
        return KeyStats(
            self.kind,
            self.count + other.count,
            self.names + other.names,
            self.articles | other.articles,
            self.titles | other.titles,
        )


def key_stats(mentions: Iterable[Mention]) -> dict[str, KeyStats]:
    """Step 1: each mention's deterministic key, summarised per key."""
    stats: dict[str, KeyStats] = {}
    for mention in mentions:
        key, kind, titles = name_key(mention.name, mention.article_id)
        entry = stats.get(key)
        if entry is None:
            entry = stats[key] = KeyStats(kind)
        entry.count += 1
        entry.names[mention.name] += 1
        entry.articles.add(mention.article_id)
        if titles:
            entry.titles.add(" ".join(titles))
    return stats


def merge_speakers(
    mentions: Sequence[Mention],
    aliases: Aliases | None = None,
    options: MergeOptions | None = None,
) -> SpeakerIndex:
    """Merge the mentions' names into speakers (see the module docstring for the steps).

    Raises:
        AliasError: an alias names a speaker the corpus does not have.
    """
    speaker_of_key, speakers, merges = merge_keys(key_stats(mentions), aliases, options)
    of_mention: dict[str, str] = {}
    of_name: dict[tuple[str, str], str] = {}
    for mention in mentions:
        speaker_id = speaker_of_key[name_key(mention.name, mention.article_id)[0]]
        of_mention[mention.id] = speaker_id
        of_name[(mention.article_id, mention.name)] = speaker_id
        speakers[speaker_id].mentions.append(mention.id)
    return SpeakerIndex(speakers, of_mention, of_name, merges)


def merge_keys(
    stats: Mapping[str, KeyStats],
    aliases: Aliases | None = None,
    options: MergeOptions | None = None,
) -> tuple[dict[str, str], dict[str, Speaker], list[Merge]]:
    """Steps 2-5 on the distinct keys: key -> speaker id, the speakers (without their
    mention ids), every merge decision.

    Raises:
        AliasError: an alias names a speaker the corpus does not have.
    """
    options = options or MergeOptions()
    kind_of = {k: v.kind for k, v in stats.items()}
    counts = Counter({k: v.count for k, v in stats.items()})
    raw_names = {k: v.names for k, v in stats.items()}
    articles_of = {k: v.articles for k, v in stats.items()}
    titles_of: dict[str, set[str]] = {k: set(v.titles) for k, v in stats.items()}
    keys = sorted(counts)
    groups = _Groups(keys)
    merges: list[Merge] = []
    apart = aliases.apart_keys(keys) if aliases is not None else set()
    names = [k for k in keys if kind_of[k] == "name" and k not in apart]
    full = [k for k in names if len(k.split()) >= 2]
    full_set = set(full)
    titled: set[str] = set()

    if options.title_prefix:
        for key in full:
            words = key.split()
            for cut in range(1, len(words) - 1):  # longest suffix first, at least two words
                suffix = " ".join(words[cut:])
                if suffix in full_set:
                    groups.union(key, suffix)
                    titled.add(key)
                    titles_of[suffix].add(" ".join(name_words(raw_names[key])[:cut]))
                    merges.append(
                        Merge("title prefix", key, suffix, f"drops {cut} leading word(s)")
                    )
                    break
    if options.variants:
        by_initial: dict[str, list[str]] = defaultdict(list)
        for key in full:  # as NameClusters does: a surname's first letter finds its names
            for initial in sorted({w[:1] for w in key.split()[1:]}):
                by_initial[initial].append(key)
        for short in full:
            words = short.split()
            # The name itself, and for a titled name its tails ("... Adviser John Bolton").
            forms = [" ".join(words[cut:]) for cut in range(len(words) - 1)]
            for longer in by_initial[words[-1][:1]]:
                if longer == short or longer in titled or words[-1] in _ORG_ENDS:
                    continue
                form = next(
                    (
                        f
                        for f in forms
                        if len(f.split()) < len(longer.split())
                        and f.split()[-1] == longer.split()[-1]
                        and is_variant(f, longer)
                    ),
                    None,
                )
                if form is not None and groups.union(short, longer):
                    detail = "" if form == short else f"as {form!r}"
                    if form != short:
                        titled.add(short)
                        cut = len(words) - len(form.split())
                        titles_of[longer].add(" ".join(name_words(raw_names[short])[:cut]))
                    merges.append(Merge("name variant", short, longer, detail))
        for single in (k for k in names if len(k.split()) == 1):
            candidates = Counter[str]()
            for key in by_initial[single[:1]]:
                if key.split()[-1] == single not in _ORG_ENDS and is_variant(single, key):
                    candidates[groups.find(key)] += counts[key]
            if not candidates:
                continue
            ranked = sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))
            same_article = [
                root
                for root, _ in ranked
                if any(articles_of[single] & articles_of[k] for k in full if groups.find(k) == root)
            ]
            if len(same_article) == 1:
                target, why = same_article[0], "the only full name with it in the same article"
            elif len(ranked) == 1:
                target, why = ranked[0][0], "the only full name with it in the corpus"
            elif ranked[0][1] >= options.dominance * ranked[1][1]:
                target = ranked[0][0]
                why = f"{ranked[0][1]} mentions against {ranked[1][1]} for {ranked[1][0]!r}"
            else:
                names_seen = ", ".join(repr(r) for r, _ in ranked)
                merges.append(Merge("ambiguous surname (kept apart)", single, "", names_seen))
                continue
            groups.union(single, target)
            merges.append(Merge("surname alone", single, target, why))
    if aliases is not None:
        for alias_merge in aliases.apply(keys, groups.union):
            merges.append(alias_merge)

    members: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        members[groups.find(key)].append(key)
    speakers: dict[str, Speaker] = {}
    speaker_of_key: dict[str, str] = {}
    for group in members.values():
        best = min(
            group,
            key=lambda k: (k in titled, len(k.split()) < 2, -counts[k], len(k), k),
        )
        display = most_used(raw_names[best])
        if best not in titled:
            display = " ".join(name_words(raw_names[best]))
        speaker_id = "sp-" + hashlib.sha256(best.encode("utf-8")).hexdigest()[:10]
        variants = sorted({n for k in group for n in raw_names[k]})
        descriptions = sorted({t for k in group for t in titles_of[k]})
        articles = sorted({a for k in group for a in articles_of[k]})
        speakers[speaker_id] = Speaker(
            speaker_id, display, kind_of[best], variants, descriptions, [], articles
        )
        for key in group:
            speaker_of_key[key] = speaker_id
    return speaker_of_key, speakers, merges
