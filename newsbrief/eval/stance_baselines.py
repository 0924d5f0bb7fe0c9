"""Stance baselines without evidence or without a model: the label prior and a lexicon."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.backends.base import Backend
from newsbrief.steps.prompts import PromptStyle, load_template
from newsbrief.steps.stance import AUTHOR, CONTENT_FREE_INPUTS, stance_option
from newsbrief.text.lexicon import STANCE_CUE_WORDS

#: The cue words per label (the shared lexicon's list, under the name this module exports).
LEXICON = STANCE_CUE_WORDS
#: Order in which tied labels win.
_TIE_ORDER = ("supportive", "opposed", "cautious", "neutral")
_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")


def lexical_label(evidence: Sequence[str], labels: Sequence[str], fallback: str) -> str:
    """The label whose cue words occur most often in the evidence.

    Args:
        evidence: the speaker's quotes (or sentences naming them).
        labels: the allowed labels; only those with a lexicon entry can win.
        fallback: the label when no cue word occurs (the majority label).

    Returns:
        The label with the most cue-word hits; ties go to supportive, opposed, cautious
        in that order; ``fallback`` when nothing hits.
    """
    words = [w.replace("’", "'") for text in evidence for w in _WORD.findall(text.lower())]
    hits = {label: sum(w in LEXICON[label] for w in words) for label in labels if label in LEXICON}
    best = max(hits.values(), default=0)
    if best == 0:
        return fallback
    order = {label: i for i, label in enumerate(_TIE_ORDER)}
    return min((label for label, n in hits.items() if n == best), key=lambda x: order.get(x, 99))


def prior_labels(
    backend: Backend,
    style: PromptStyle,
    *,
    target: str,
    speakers: Sequence[str | None],
    labels: Sequence[str],
) -> list[str]:
    """Each speaker's label from the calibration prompts alone (no evidence).

    The stance step scores every label after content-free evidence ("N/A", nothing) to
    estimate the model's prior; this baseline answers that prior's best label, i.e.
    what the model says about the speaker and the target without reading anything.

    Args:
        backend: the model (only ``score`` is used, in one call).
        style: the prompt style of the stance template.
        target: the issue.
        speakers: speaker names (``None``: the article's author).
        labels: the label set.

    Returns:
        One label per speaker.
    """
    if not speakers:
        return []
    template = load_template("stance", style)
    prompts: list[str] = []
    options: list[list[str]] = []
    for speaker in speakers:
        who = speaker or AUTHOR
        speaker_options = [stance_option(label, target, who, style) for label in labels]
        for free in CONTENT_FREE_INPUTS:
            prompts.append(
                template.render(speaker=who, quotes=[free], target=target, labels=labels).text
            )
            options.append(speaker_options)
    scores = backend.score(prompts, options, normalize=False)
    width = len(CONTENT_FREE_INPUTS)
    chosen = []
    for k in range(len(speakers)):
        rows = scores[k * width : (k + 1) * width]
        prior = [sum(values) / len(values) for values in zip(*rows, strict=True)]
        chosen.append(labels[max(range(len(labels)), key=lambda i: prior[i])])
    return chosen
