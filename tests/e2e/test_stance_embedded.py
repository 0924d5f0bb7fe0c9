"""The shipped stance head on the embedded model: loads, fits the model, reads caution,
negation and the lack of evidence on articles other than the example."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from newsbrief import Briefer
from newsbrief.backends.embedded import EMBEDDED_MODEL_ID
from newsbrief.steps.heads.stance import SHIPPED, StanceHead, head_for

pytestmark = pytest.mark.embedded

BRIDGE = (
    "The town council of Eastbury voted on Tuesday to approve a new road bridge over the "
    "river, at a cost of 40 million dollars.\n\n"
    '"This bridge is exactly what our town needs, and we will build it," said Mayor Tom '
    "Hale after the vote.\n\n"
    '"We must be very careful with the cost. We can only go ahead if the state money is '
    'really there, and we should not rush it," said councillor Maria Diaz.\n\n'
    "Work is due to start next spring."
)
DENIAL = (
    "Diplomats met in Vienna on Monday to discuss the sanctions on the country's oil "
    "exports.\n\nIt was not true that Vladimir Putin supports the sanctions, a spokesman "
    "for the Kremlin said.\n\nThe talks resume next week."
)


@pytest.fixture(scope="module")
def briefer(embedded_backend: Any) -> Briefer:
    return Briefer(backend=embedded_backend)


def test_shipped_head_is_small_and_fits_the_embedded_model(embedded_backend: Any) -> None:
    path = resources.files("newsbrief.steps.heads").joinpath(SHIPPED)
    assert path.is_file() and len(path.read_bytes()) < 3_000_000
    head = StanceHead.load()
    assert head.model_id == EMBEDDED_MODEL_ID
    assert head.check_backend(embedded_backend) is None
    assert head_for(embedded_backend) is not None
    card = head.card
    assert card["metrics"]["heldout"]["n"] > 0 and 0 < card["threshold"] < 1


def test_a_speaker_urging_care_leans_cautious(briefer: Briefer) -> None:
    target = "building the new road bridge"
    diaz = briefer.stance(BRIDGE, target, speaker="Maria Diaz")
    hale = briefer.stance(BRIDGE, target, speaker="Tom Hale")
    assert diaz.label in ("cautious", None)
    assert diaz.scores["cautious"] > max(diaz.scores["supportive"], diaz.scores["opposed"])
    assert hale.scores["supportive"] > hale.scores["opposed"]


def test_an_enthusiastic_speaker_is_not_cautious(briefer: Briefer) -> None:
    # Was a strict xfail: with cautious stances weighted up to balance (hedge_balance 1)
    # the hedging axis called the mayor cautious (0.56); the balance is now chosen on dev.
    hale = briefer.stance(BRIDGE, "building the new road bridge", speaker="Tom Hale")
    assert hale.label in ("supportive", None)


def test_a_denied_attribution_is_not_support(briefer: Briefer) -> None:
    stance = briefer.stance(DENIAL, "the sanctions", speaker="Vladimir Putin")
    assert stance.label != "supportive"


def test_no_evidence_abstains_and_subsets_restrict(briefer: Briefer) -> None:
    nobody = briefer.stance(BRIDGE, "building the new road bridge", speaker="Zelda Quist")
    assert nobody.abstained and nobody.confidence == 0.0
    labels = ("supportive", "opposed", "neutral")
    hale = briefer.stance(BRIDGE, "building the new road bridge", speaker="Tom Hale", labels=labels)
    assert set(hale.scores) == set(labels)
