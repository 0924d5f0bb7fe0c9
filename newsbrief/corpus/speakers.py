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
from newsbrief.corpus.clustering import KeyGroups
from newsbrief.corpus.names import (
    ORGANISATION_END_KEYS,
    Merge,
    SpeakerKind,
    most_used,
    name_key,
    name_words,
)
from newsbrief.quotes.clusters import is_variant


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
    state = _MergeState(stats)
    apart = aliases.apart_keys(state.keys) if aliases is not None else set()
    names = [k for k in state.keys if stats[k].kind == "name" and k not in apart]
    full = [k for k in names if len(k.split()) >= 2]
    if options.title_prefix:
        _merge_title_prefixes(state, full)
    if options.variants:
        by_initial = _by_surname_initial(full)
        _merge_name_variants(state, full, by_initial)
        singles = [k for k in names if len(k.split()) == 1]
        _merge_lone_surnames(state, singles, full, by_initial, options.dominance)
    if aliases is not None:
        state.merges.extend(aliases.apply(state.keys, state.groups.union))
    return _speakers(state)


@dataclass
class _MergeState:
    """What steps 2-5 share: the keys' stats, their groups, the keys found titled (a
    longer form of another key), the titles seen per key and the merges so far."""

    stats: Mapping[str, KeyStats]
    keys: list[str] = field(init=False)
    groups: KeyGroups = field(init=False)
    titled: set[str] = field(default_factory=set)
    titles_of: dict[str, set[str]] = field(init=False)
    merges: list[Merge] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = sorted(self.stats)
        self.groups = KeyGroups(self.keys)
        self.titles_of = {k: set(v.titles) for k, v in self.stats.items()}

    def add_title(self, key: str, titled_name: str, cut: int) -> None:
        """Record as a title of ``key`` the first ``cut`` words of ``titled_name``'s key
        as it was written."""
        self.titles_of[key].add(" ".join(name_words(self.stats[titled_name].names)[:cut]))


def _merge_title_prefixes(state: _MergeState, full: Sequence[str]) -> None:
    """Step 2: a full name whose last two or more words are another full name joins it."""
    full_set = set(full)
    for key in full:
        words = key.split()
        for cut in range(1, len(words) - 1):  # longest suffix first, at least two words
            suffix = " ".join(words[cut:])
            if suffix in full_set:
                state.groups.union(key, suffix)
                state.titled.add(key)
                state.add_title(suffix, key, cut)
                state.merges.append(
                    Merge("title prefix", key, suffix, f"drops {cut} leading word(s)")
                )
                break


def _by_surname_initial(full: Sequence[str]) -> dict[str, list[str]]:
    """The full names by the first letter of each word after their first (as NameClusters
    does: a surname's first letter finds its names)."""
    by_initial: dict[str, list[str]] = defaultdict(list)
    for key in full:
        for initial in sorted({w[:1] for w in key.split()[1:]}):
            by_initial[initial].append(key)
    return by_initial


def _variant_form(short: str, longer: str) -> str | None:
    """The form of ``short`` that is a variant of the fuller name ``longer``: the name
    itself or, for a titled name, one of its tails ("... Adviser John Bolton"), each shorter
    than ``longer`` and with its last word; ``None`` when none is."""
    words = short.split()
    forms = [" ".join(words[cut:]) for cut in range(len(words) - 1)]
    return next(
        (
            f
            for f in forms
            if len(f.split()) < len(longer.split())
            and f.split()[-1] == longer.split()[-1]
            and is_variant(f, longer)
        ),
        None,
    )


def _merge_name_variants(
    state: _MergeState, full: Sequence[str], by_initial: Mapping[str, list[str]]
) -> None:
    """Step 3: a full name joins a fuller one it is a variant of."""
    for short in full:
        words = short.split()
        for longer in by_initial.get(words[-1][:1], []):
            if longer == short or longer in state.titled or words[-1] in ORGANISATION_END_KEYS:
                continue
            form = _variant_form(short, longer)
            if form is not None and state.groups.union(short, longer):
                detail = "" if form == short else f"as {form!r}"
                if form != short:
                    state.titled.add(short)
                    state.add_title(longer, short, len(words) - len(form.split()))
                state.merges.append(Merge("name variant", short, longer, detail))


def _merge_lone_surnames(
    state: _MergeState,
    singles: Sequence[str],
    full: Sequence[str],
    by_initial: Mapping[str, list[str]],
    dominance: float,
) -> None:
    """Step 4: a lone surname joins the group of the full name it belongs to, when one
    stands out (:func:`_surname_target`)."""
    groups = state.groups
    for single in singles:
        candidates = Counter[str]()
        for key in by_initial.get(single[:1], []):
            if key.split()[-1] == single not in ORGANISATION_END_KEYS and is_variant(single, key):
                candidates[groups.find(key)] += state.stats[key].count
        if not candidates:
            continue
        ranked = sorted(candidates.items(), key=lambda kv: (-kv[1], kv[0]))
        articles = state.stats[single].articles
        same_article = [
            root
            for root, _ in ranked
            if any(articles & state.stats[k].articles for k in full if groups.find(k) == root)
        ]
        chosen = _surname_target(ranked, same_article, dominance)
        if chosen is None:
            names_seen = ", ".join(repr(r) for r, _ in ranked)
            state.merges.append(Merge("ambiguous surname (kept apart)", single, "", names_seen))
            continue
        target, why = chosen
        groups.union(single, target)
        state.merges.append(Merge("surname alone", single, target, why))


def _surname_target(
    ranked: Sequence[tuple[str, int]], same_article: Sequence[str], dominance: float
) -> tuple[str, str] | None:
    """The group a lone surname joins and why, or ``None`` when it is ambiguous.

    Args:
        ranked: the groups of the full names with that surname and their mentions, most
            mentioned first.
        same_article: those of them named in an article beside the surname.
        dominance: how many times the next one's mentions the first needs to win alone.
    """
    if len(same_article) == 1:
        return same_article[0], "the only full name with it in the same article"
    if len(ranked) == 1:
        return ranked[0][0], "the only full name with it in the corpus"
    if ranked[0][1] >= dominance * ranked[1][1]:
        return ranked[0][0], f"{ranked[0][1]} mentions against {ranked[1][1]} for {ranked[1][0]!r}"
    return None


def _speakers(state: _MergeState) -> tuple[dict[str, str], dict[str, Speaker], list[Merge]]:
    """One speaker per group: key -> speaker id, the speakers, the merges."""
    members: dict[str, list[str]] = defaultdict(list)
    for key in state.keys:
        members[state.groups.find(key)].append(key)
    speakers: dict[str, Speaker] = {}
    speaker_of_key: dict[str, str] = {}
    for group in members.values():
        speaker = _speaker(state, group)
        speakers[speaker.id] = speaker
        for key in group:
            speaker_of_key[key] = speaker.id
    return speaker_of_key, speakers, state.merges


def _speaker(state: _MergeState, group: Sequence[str]) -> Speaker:
    """The speaker of a group of keys: its id and display name come from its best key (an
    untitled full name, the most mentioned, the shortest)."""
    stats = state.stats
    best = min(
        group,
        key=lambda k: (k in state.titled, len(k.split()) < 2, -stats[k].count, len(k), k),
    )
    display = most_used(stats[best].names)
    if best not in state.titled:
        display = " ".join(name_words(stats[best].names))
    speaker_id = "sp-" + hashlib.sha256(best.encode("utf-8")).hexdigest()[:10]
    variants = sorted({n for k in group for n in stats[k].names})
    descriptions = sorted({t for k in group for t in state.titles_of[k]})
    articles = sorted({a for k in group for a in stats[k].articles})
    return Speaker(speaker_id, display, stats[best].kind, variants, descriptions, [], articles)
