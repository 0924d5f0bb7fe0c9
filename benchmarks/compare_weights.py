"""The compact embedded model against the float32 copy it replaces, on the CI subset.

Loads both in one process: the float32 cache of format 1 (``--float32 DIR``, e.g. the
``~/.cache/newsbrief/models/gemma3-...`` directory written before issue 26) through
``transformers``, and the compact cache (``$NEWSBRIEF_CACHE``) through newsbrief; the same
tokenizer for both. For every gold stance of the CI subset (``evals/ci_subset.txt``) it runs
the stance head (``newsbrief/steps/heads/stance.py``) on ``(speaker, target, the speaker's
gold quotes)`` with each model and compares the pooled hidden states the head reads and its
probabilities; it also compares the logits of the last position of every article's opening
(512 tokens). Prints one JSON object::

    NEWSBRIEF_CACHE=/tmp/compact OMP_NUM_THREADS=1 .venv/bin/python \\
        benchmarks/compare_weights.py --float32 ~/.cache/newsbrief/models/gemma3-270m-...
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM

from newsbrief.backends.embedded import EMBEDDED_MODEL_ID, load_embedded
from newsbrief.backends.hf import HFBackend
from newsbrief.steps.heads.stance import StanceHead

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--float32", type=Path, required=True, help="a format-1 cache dir")
    args = parser.parse_args()
    ids = {
        line.strip()
        for line in (REPO / "evals" / "ci_subset.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    records = []
    for name in ("example.jsonl", "wikinews_politics.jsonl"):
        for line in (REPO / "evals" / "gold" / name).read_text().splitlines():
            if line.strip() and json.loads(line)["id"] in ids:
                records.append(json.loads(line))
    new = load_embedded()
    plain = AutoModelForCausalLM.from_pretrained(args.float32, dtype=torch.float32).eval()
    old = HFBackend(plain, new.tokenizer, model_id=EMBEDDED_MODEL_ID, use_chat_template=False)
    head = StanceHead.load()
    items = []
    for record in records:
        for stance in record.get("stances", []):
            quotes = [q["text"] for q in record["quotes"] if q.get("speaker") == stance["speaker"]]
            items.append((stance["speaker"], stance["target"], quotes or [record["title"]]))
    texts = [record["text"] for record in records]
    states_old = torch.tensor(old.embed(texts, layers=head.layers, pooling=head.pooling))
    states_new = torch.tensor(new.embed(texts, layers=head.layers, pooling=head.pooling))
    p_old = head.predict(old, items)
    p_new = head.predict(new, items)
    prob_diff = max(
        abs(a.probabilities[k] - b.probabilities[k])
        for a, b in zip(p_old, p_new, strict=True)
        for k in a.probabilities
    )
    logit_diff = 0.0
    with torch.inference_mode():
        for text in texts:
            encoded = torch.tensor([new.tokenizer(text)["input_ids"][:512]])
            a = plain(input_ids=encoded, logits_to_keep=1).logits
            b = new.model(input_ids=encoded, logits_to_keep=1).logits
            logit_diff = max(logit_diff, float((a - b).abs().max()))
    print(
        json.dumps(
            {
                "articles": len(records),
                "stance_items": len(items),
                "head_layers": list(head.layers),
                "pooled_states_max_abs_diff": float((states_old - states_new).abs().max()),
                "stance_probability_max_abs_diff": prob_diff,
                "same_labels": [
                    max(a.probabilities, key=a.probabilities.__getitem__) for a in p_old
                ]
                == [max(b.probabilities, key=b.probabilities.__getitem__) for b in p_new],
                "last_logits_max_abs_diff": logit_diff,
            }
        )
    )


if __name__ == "__main__":
    main()
