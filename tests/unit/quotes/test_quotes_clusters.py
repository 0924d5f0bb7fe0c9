"""Name clustering: variants and misspellings to one canonical name, never two people merged."""

from __future__ import annotations

from newsbrief.quotes.clusters import (
    NameClusters,
    fold,
    is_named_by,
    is_variant,
    same_surname,
    within_edit_distance,
)
from newsbrief.quotes.mentions import find_names, mention_before


def clusters_of(text: str) -> NameClusters:
    return NameClusters(find_names(text, 0, len(text)))


def test_fold_strips_accents_and_case() -> None:
    assert fold("Erdoğan") == "erdogan"


def test_edit_distance_limit() -> None:
    assert within_edit_distance("coal", "coale", 1)
    assert not within_edit_distance("coal", "coals!", 1)


def test_same_surname_tolerates_one_typo_in_long_names() -> None:
    assert same_surname("tsikhnouskaya", "tsikhanouskaya")
    assert not same_surname("lam", "lim")  # too short to risk it


def test_surname_variants() -> None:
    assert is_variant("Coal", "John Coale")
    assert is_variant("Pierluisi", "Pedro R. Pierluisi Urrutia")
    assert is_variant("Erdogan", "Recep Tayyip Erdoğan")


def test_two_people_named_in_full_never_merge() -> None:
    assert not is_variant("Hunter Biden", "Joe Biden")
    assert not is_variant("Maria Lopez", "Carlos Lopez")


def test_canonical_is_the_fullest_form() -> None:
    clusters = clusters_of(
        "Envoy to Belarus John Coale arrived. Coale spoke. Coal left. "
        "Leader Sviatlana Tsikhanouskaya replied. Tsikhnouskaya agreed."
    )
    assert clusters.canonical("Coal") == "John Coale"
    assert clusters.canonical("Coale") == "John Coale"
    assert clusters.canonical("Tsikhnouskaya") == "Sviatlana Tsikhanouskaya"


def test_unknown_name_is_its_own_canonical() -> None:
    assert clusters_of("Maria Lopez spoke.").canonical("Belta") == "Belta"


def test_description_resolves_by_title() -> None:
    text = "Special Envoy to Belarus John Coale met Lukashenko. The envoy said talks went well."
    clusters = clusters_of(text)
    position = text.index("said")
    description = mention_before(text, text.index("The envoy"), position)
    assert description is not None and description.kind == "description"
    resolved = clusters.resolve_description(description)
    assert resolved is not None and clusters.canonical(resolved.text) == "John Coale"


def test_a_speaker_is_named_by_the_same_name_or_a_shorter_variant() -> None:
    assert is_named_by("John Coale", "john coale ")
    assert is_named_by("John Coale", "Coale")
    assert is_named_by("Sviatlana Tsikhanouskaya", "Tsikhanouskaya")
    assert not is_named_by("Coale", "John Coale")  # the wanted name is the fuller one
    assert not is_named_by("Joe Biden", "Hunter Biden")
    assert not is_named_by(None, "Coale")
