"""The stance step: a label chosen by scoring, calibrated against the label prior.

The model never writes the label: ``Backend.score`` gives the log-likelihood of each label
after the speaker's own quotes, and the mean of the same scores for content-free versions
of the prompt (evidence replaced by "N/A", or by nothing) is subtracted, so a model's bias
toward one label word does not decide (contextual calibration, Zhao et al. 2021).
Probabilities are the softmax of the calibrated scores; confidence is the top probability,
scaled down by how much of the target the article actually mentions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.backends.base import Backend
from newsbrief.models import PromptRecord, Quote, Stance
from newsbrief.steps.checks import grounded_share
from newsbrief.steps.heads.adapted import AdaptedStanceHead
from newsbrief.steps.heads.base import LABELS as HEAD_LABELS
from newsbrief.steps.heads.base import MAX_EVIDENCE_CHARS, shifted, trim_evidence
from newsbrief.steps.heads.stance import StanceHead, restrict
from newsbrief.steps.positions import position_takers, speaker_names
from newsbrief.steps.prompts import PromptStyle, load_template
from newsbrief.text.document import Document, as_document, word_set

#: Evidence quotes given to the model per speaker (the longest first).
MAX_EVIDENCE = 6
CONTENT_FREE = "N/A"
#: Content-free evidence whose label scores, averaged, estimate the label prior.
CONTENT_FREE_INPUTS = (CONTENT_FREE, "")
AUTHOR = "the article's author"


@dataclass(frozen=True)
class StanceResult:
    """A stance and the record of the prompt that scored it."""

    stance: Stance
    prompt: PromptRecord


_KIND_ORDER = {"direct": 0, "mixed": 1, "indirect": 2}


def pick_evidence(
    quotes: Sequence[Quote], *, limit: int = MAX_EVIDENCE, own_words: bool = False
) -> list[str]:
    """The quotes shown to the model, at most ``limit``, trimmed: the speaker's own words
    first (direct, then mixed, then reported), longer before shorter. With ``own_words``,
    only the best kind the speaker has is used (whole direct quotes rather than quoted
    fragments, fragments rather than reported statements)."""
    if own_words and quotes:
        best = min(_KIND_ORDER.get(q.kind, 3) for q in quotes)
        quotes = [q for q in quotes if _KIND_ORDER.get(q.kind, 3) == best]
    ranked = sorted(quotes, key=lambda q: (_KIND_ORDER.get(q.kind, 3), -len(q.text)))
    texts = dict.fromkeys(q.text.strip() for q in ranked if q.text.strip())
    return [trim_evidence(t) for t in list(texts)[:limit]]


def check_labels(labels: object) -> tuple[str, ...]:
    """``labels`` as a tuple of at least two distinct non-empty strings (the one check of
    a stance label set; ``newsbrief.options`` re-exports it).

    Raises:
        TypeError: not a sequence of strings (one string is refused).
        ValueError: fewer than two, repeated or empty labels.
    """
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise TypeError("labels must be a sequence of strings, not one string")
    if not all(isinstance(x, str) for x in labels):
        raise TypeError("labels must be strings")
    found = tuple(labels)
    if len(found) < 2 or len(set(found)) != len(found) or any(not x.strip() for x in found):
        raise ValueError("labels must be at least two distinct non-empty strings")
    return found


#: Confidence factor when the evidence is what the article reports of a speaker who is
#: never quoted (sentences naming them), not their own words.
REPORTED_WEIGHT = 0.5


@dataclass(frozen=True)
class StanceRequest:
    """One speaker to score: canonical name (``None``: the author), evidence and its ids.

    ``reported``: the evidence is sentences about the speaker, not their words (confidence
    is scaled by ``REPORTED_WEIGHT``). ``whole_text``: the author's stance read from the
    whole of a short text (a tweet, a statement; see :func:`author_evidence`), which a
    trained head answers at its ``author_threshold``."""

    speaker: str | None
    evidence: Sequence[Quote] | Sequence[str]
    evidence_ids: Sequence[int] = ()
    reported: bool = False
    whole_text: bool = False


def evidence_texts(request: StanceRequest) -> list[str]:
    """The evidence of ``request`` as shown to a model: quotes ranked and trimmed by
    :func:`pick_evidence`, plain strings trimmed, at most ``MAX_EVIDENCE``."""
    evidence = request.evidence
    if evidence and all(isinstance(e, Quote) for e in evidence):
        return pick_evidence([e for e in evidence if isinstance(e, Quote)])
    return [trim_evidence(str(e)) for e in evidence if str(e).strip()][:MAX_EVIDENCE]


#: Paragraphs of the author's prose used as evidence for the author's stance.
AUTHOR_EVIDENCE_PARAGRAPHS = 6


def is_short_text(article: str | Document) -> bool:
    """Whether ``article`` is short enough to be its author's evidence whole (at most
    ``MAX_EVIDENCE_CHARS`` once its whitespace runs are made one space)."""
    return len(" ".join(as_document(article).text.split())) <= MAX_EVIDENCE_CHARS


def author_evidence(article: str | Document, target: str | None = None) -> list[str]:
    """What the text itself says, for its author's stance: a short text (a tweet, a
    statement of one item's length) whole; else the prose sentences about ``target``
    (sharing a content word with it), in text order, at most ``MAX_EVIDENCE``; else (none
    does, or no target) the first prose paragraphs. A target the text never names is not
    by itself a reason to give no evidence."""
    from newsbrief.text.article import prose_paragraphs

    article = as_document(article)
    if is_short_text(article):
        whole = " ".join(article.text.split())
        return [whole] if whole else []
    if target is not None and target.strip():
        about = []
        for segment in article.prose_sentences:
            sentence = article.normalized(segment)
            if sentence.strip() and grounded_share(target, word_set(sentence)) > 0:
                about.append(sentence)
        if about:
            return about[:MAX_EVIDENCE]
    return prose_paragraphs(article)[:AUTHOR_EVIDENCE_PARAGRAPHS]


def stance_requests(
    article: str | Document,
    quotes: Sequence[Quote],
    speakers: Sequence[str | None],
    target: str | None = None,
) -> list[StanceRequest]:
    """The evidence for each speaker: their own quotes (with their indices in ``quotes``);
    for a speaker never quoted, the prose sentences naming them (``reported``); for the
    author (``None``), the text's own sentences about ``target`` (:func:`author_evidence`).
    A speaker the article never names gets no evidence at all."""
    from newsbrief.steps.positions import sentences_about, speaker_quotes

    article = as_document(article)
    requests = []
    for speaker in speakers:
        if speaker is None:
            evidence = author_evidence(article, target)
            requests.append(StanceRequest(None, evidence, whole_text=is_short_text(article)))
            continue
        ids = speaker_quotes(quotes, speaker)
        if ids:
            requests.append(StanceRequest(speaker, [quotes[i] for i in ids], ids))
            continue
        # Never quoted (a government, a court, a leader whose acts are reported): what
        # the article says of them. On the gold, stance accuracy for such speakers went
        # from 0.11 (the prior alone) to 0.39, on both halves of the set.
        named = sentences_about(article, speaker, MAX_EVIDENCE)
        requests.append(StanceRequest(speaker, named, (), reported=True))
    return requests


def score_stance(
    backend: Backend,
    style: PromptStyle,
    *,
    article: str | Document,
    target: str,
    speaker: str | None,
    evidence: Sequence[Quote] | Sequence[str],
    evidence_ids: Sequence[int] = (),
    labels: Sequence[str],
) -> StanceResult:
    """Choose ``speaker``'s stance on ``target`` among ``labels`` from ``evidence``.

    Args:
        backend: the model (only ``score`` is used).
        style: template style.
        article: the full article (to measure how much of the target it mentions).
        target: the issue.
        speaker: canonical speaker name, or ``None`` for the author.
        evidence: the speaker's quotes (ranked by :func:`pick_evidence`), or plain
            strings (the author's prose), used in order.
        evidence_ids: indices of the quotes used, stored in ``Stance.evidence``.
        labels: the label set (at least two distinct, non-empty labels).

    Raises:
        ValueError: fewer than two labels, duplicates, or empty labels.
    """
    (result,) = score_stances(
        backend,
        style,
        article=article,
        target=target,
        requests=[StanceRequest(speaker, evidence, evidence_ids)],
        labels=labels,
    )
    return result


def score_stances(
    backend: Backend,
    style: PromptStyle,
    *,
    article: str | Document,
    target: str,
    requests: Sequence[StanceRequest],
    labels: Sequence[str],
    head: StanceHead | AdaptedStanceHead | None = None,
) -> list[StanceResult]:
    """:func:`score_stance` for several speakers on one target, in one ``Backend.score``
    call (every speaker's real and content-free prompts batched together).

    With a trained ``head`` (see :mod:`newsbrief.steps.heads.stance`) and ``labels`` a subset of
    the default labels, the head decides instead (restricted to ``labels``), and abstains
    (label ``None``) when its calibrated confidence is under its threshold. Either way a
    speaker with no evidence, or a target the article never mentions, is an abstention
    (with the head, except for the author's own stance: see :func:`_head_stances`)."""
    labels = list(check_labels(labels))
    if head is not None and set(labels) <= set(HEAD_LABELS):
        return _head_stances(backend, head, article, target, requests, labels)
    template = load_template("stance", style)
    relevance = grounded_share(target, article)
    prompts: list[str] = []
    options: list[list[str]] = []
    rendered = []
    for request in requests:
        who = request.speaker or AUTHOR
        shown = evidence_texts(request) or [CONTENT_FREE]
        real = template.render(speaker=who, quotes=shown, target=target, labels=labels)
        blanks = [
            template.render(speaker=who, quotes=[free], target=target, labels=labels).text
            for free in CONTENT_FREE_INPUTS
        ]
        rendered.append((real, shown))
        prompts += [real.text, *blanks]
        speaker_options = [stance_option(label, target, who, style) for label in labels]
        options += [speaker_options] * (1 + len(blanks))
    # Summed log-likelihoods: the options share the target, and the calibration removes
    # what the label words cost on their own. Measured on the dev gold (embedded model):
    # macro-F1 0.31 (majority baseline 0.18); per-token means did worse once calibrated.
    scores = backend.score(prompts, options, normalize=False) if prompts else []
    width = 1 + len(CONTENT_FREE_INPUTS)
    results = []
    for k, (request, (real, shown)) in enumerate(zip(requests, rendered, strict=True)):
        scored, *priors = scores[k * width : (k + 1) * width]
        prior = [sum(values) / len(values) for values in zip(*priors, strict=True)]
        calibrated = [s - p for s, p in zip(scored, prior, strict=True)]
        probabilities = _softmax(calibrated)
        best = max(range(len(labels)), key=lambda i: probabilities[i])
        # Nothing the speaker said, or a target the article never mentions: the label
        # would rest on the prior alone, so none is given.
        weight = 0.0 if shown == [CONTENT_FREE] else relevance
        if request.reported:
            weight *= REPORTED_WEIGHT
        stance = Stance(
            speaker=request.speaker,
            target=target,
            label=labels[best] if weight > 0 else None,
            confidence=round(probabilities[best] * weight, 6),
            scores={label: round(p, 6) for label, p in zip(labels, probabilities, strict=True)},
            evidence=list(request.evidence_ids),
        )
        results.append(StanceResult(stance=stance, prompt=real.record))
    return results


#: How each default label is said; another label ``L`` reads "is L about <target>".
VERBALIZERS = {
    "supportive": "supports",
    "opposed": "opposes",
    "cautious": "is cautious about",
    "neutral": "is neutral about",
}


def stance_option(label: str, target: str, speaker: str, style: PromptStyle) -> str:
    """The continuation scored for ``label``: "<speaker> supports <target>." (the base
    template already ends with the speaker's name, so its options start after it)."""
    label = label.strip()
    verb = VERBALIZERS.get(label.lower(), f"is {label} about")
    sentence = f"{verb} {target.strip()}."
    return " " + sentence if style == "base" else f"{speaker} {sentence}"


def _softmax(values: Sequence[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def _head_stances(
    backend: Backend,
    head: StanceHead | AdaptedStanceHead,
    article: str | Document,
    target: str,
    requests: Sequence[StanceRequest],
    labels: list[str],
) -> list[StanceResult]:
    """The trained head's stances (see :func:`score_stances`)."""
    from newsbrief.steps.heads.stance import Embedder

    # The author's stance on a target whose words the text does not use (a tweet about
    # God, the target "atheism") is the head's to judge, not a reason to abstain; a named
    # speaker on an issue the article never mentions is not judged (it would be a guess).
    # No evidence at all is an abstention.
    relevance = grounded_share(target, article)
    evidence = [evidence_texts(r) for r in requests]
    asked = [
        k for k, e in enumerate(evidence) if e and (relevance > 0 or requests[k].speaker is None)
    ]
    predictions = {}
    if asked:
        items = [(requests[k].speaker, target, evidence[k]) for k in asked]
        if isinstance(head, AdaptedStanceHead):
            found = head.predict(backend, items)
        else:
            if not isinstance(backend, Embedder):
                raise TypeError("the stance head needs a backend with an embed method")
            found = head.predict(backend, items)
        predictions = dict(zip(asked, found, strict=True))
    results = []
    uniform = {label: round(1.0 / len(labels), 6) for label in labels}
    for k, request in enumerate(requests):
        prediction = predictions.get(k)
        if prediction is None:
            label, confidence, scores = None, 0.0, uniform
        else:
            # The author of a short text read whole has its own label offsets and threshold
            # (chosen on SemEval train tweets, see the head's card); named speakers, and the
            # author of a longer text, keep the head as chosen on news.
            author = request.speaker is None and request.whole_text
            probabilities = prediction.probabilities
            if author:
                probabilities = shifted(probabilities, head.author_bias)
            scores = restrict(probabilities, labels)
            best = max(labels, key=lambda x: scores[x])
            confidence = scores[best] * (0.5 if prediction.denied else 1.0)
            bar = head.author_threshold if author else head.threshold
            label = best if confidence >= bar else None
            scores = {x: round(v, 6) for x, v in scores.items()}
        stance = Stance(
            speaker=request.speaker,
            target=target,
            label=label,
            confidence=round(confidence, 6),
            scores=scores,
            evidence=list(request.evidence_ids),
        )
        results.append(StanceResult(stance=stance, prompt=head.record))
    return results


def stance_speakers(article: str | Document, quotes: Sequence[Quote]) -> list[str]:
    """Everyone ``brief()`` gives a stance for: the quoted speakers (most quoted first; a
    role word before a name dropped, a body called by its common noun under its full name:
    :func:`~newsbrief.steps.positions.speaker_names`), then the people and bodies reported
    taking a position (:func:`position_takers`)."""
    from newsbrief.quotes import quoted_speakers

    quoted = list(dict.fromkeys(speaker_names(quoted_speakers(quotes)).values()))
    return [*quoted, *position_takers(article, quotes)]
