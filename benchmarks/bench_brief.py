"""Brief benchmark: newsbrief against a naive use of the same model, in one run.

Run from the repository root (not collected by pytest)::

    .venv/bin/python benchmarks/bench_brief.py                              # the full run
    .venv/bin/python benchmarks/bench_brief.py --articles 3 --skip-cold     # a quick look
    .venv/bin/python benchmarks/bench_brief.py --json /tmp/bench_brief.json --threads 2
    .venv/bin/python benchmarks/bench_brief.py --many --articles 6 --threads 1  # brief_many

Options: ``--articles N`` (default 24: the politics articles of the gold's dev split,
``evals/splits.json``, with the long many-speaker ones; ``--any-split``: the first N
records whatever their split), ``--skip-cold``, ``--cold-runs N`` (default 2),
``--threads N`` (``torch.set_num_threads`` in the briefing processes; default: torch's own),
``--json OUT`` (every figure and per-article record as JSON), ``--gold FILE``, ``--many``
(only the comparison below).

``--many``: in one process with one loaded ``Briefer()``, the per-article loop
(``briefer.brief(text, title)``) against ``Briefer.brief_many`` on the same articles,
paired article by article (for each article, one ``brief()`` then the next record of one
``brief_many`` generator, so both see the same warm model), after one warm-up brief that
neither side counts. It prints both sides' seconds per article and in total, their ratio,
and whether the briefs are identical. Then it measures what batching model calls *across*
articles could buy: the backend calls of each article's brief are recorded and replayed on
the same model twice, one article after another as ``brief_many`` makes them, and in
lockstep, the i-th call of every article of a group of ``--group`` (default 2) merged into
one call where they can be (``score`` calls always; ``generate`` calls only with equal
configs: constrained decoding carries the article's own text, so those stay apart).

Articles: the first N dev records of ``evals/gold/wikinews_politics.jsonl``, in file order.

Each side runs in its own process, one after the other, so each peak RSS is its own:

- **newsbrief**: a loaded ``Briefer()`` (embedded model). Per article, timed separately:
  quotes (``briefer.quotes``), issue + stances (``briefer.brief(text, summary=False)``;
  it also finds the quotes again, ~10 ms), summary (``briefer.summarize``; the same), and
  the whole brief (``briefer.brief``) on its own. The backend's ``generate`` and ``score``
  are wrapped to count calls, generated tokens and the seconds spent in each. A
  ``NewsbriefError`` is counted as a failure of that step; figures are over successes.
- **naive**: the same weights (the embedded model's cached copy) as a plain float32
  ``transformers`` model (the compact copy with its 8-bit embedding de-quantised into an
  ordinary ``nn.Embedding``: ``compact.load_compact(dir, plain=True)``), and asked
  free-text questions with ``model.generate`` (greedy, batch size 1, each call encodes its
  whole prompt, nothing reused between calls): for each quote newsbrief found, who said it
  (the whole article in the prompt, 16 new tokens); the central issue (16); for each
  quoted speaker, their stance on that issue given the article and their quotes (8; the
  label is read by keyword, only to count answers); and a summary (96). The whole brief is
  the sum of the steps.

Cold start (unless ``--skip-cold``), each in a new process with a fresh, empty
``NEWSBRIEF_CACHE``: the first ``import newsbrief; Briefer()`` (converts the GGUF), then a
cached one, then the naive load of the cached copy. Seconds to a ready model are counted
from just before the process is started (interpreter start-up included).

Those children use torch's default threads whatever ``--threads`` says.

The table at the end gives median [min-max] and p90 per article, naive/newsbrief ratios of
the medians, the machine, and PASS/FAIL for the targets of issue 26 (2-core CPU): cached
cold start <= 3 s, whole brief median <= 3 s and p90 <= 6 s, >= 8x faster than naive, peak
RSS <= 1 GB. Inside each step it gives the seconds in ``generate``, ``score``, hidden
states (``embed``, the stance head), the output layer (inside those) and outside the model
(parsing, prompts, checks).
Generated tokens/s is the tokens generated over the seconds spent inside ``generate``
(prompt encoding included); peak RSS is ``ru_maxrss`` of each briefing process (model load
included). On a machine shared with other jobs (the script warns when the load average is
high), torch's threads wait for each other at every operation and generation gets many
times slower; ``--threads 1`` is the fairer setting there. The full run (20 articles, two
cold-start runs) takes about 15 minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from _common import ChildRun, fresh_cache_env, machine_info, run_python, stats

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "evals" / "gold" / "wikinews_politics.jsonl"
SPLITS = REPO / "evals" / "splits.json"

#: Targets from the issue (2-core CPU machine, embedded model).
TARGET_COLD_S = 3.0
TARGET_BRIEF_S = 3.0
TARGET_BRIEF_P90_S = 6.0
TARGET_SPEEDUP = 8.0
TARGET_RSS_MB = 1024.0
#: Above this 1-minute load average per core the machine is reported as busy.
BUSY_LOAD = 0.5

#: Steps per article, in the order they are timed; "brief" is the whole brief.
STEPS = ("quotes", "issue_stance", "summary", "brief")
STEP_NAMES = {
    "quotes": "quotes s/article",
    "issue_stance": "issue+stance s/article",
    "summary": "summary s/article",
    "brief": "whole brief s/article",
}

# The naive prompts: plain free-text questions, the whole article every time.
NAIVE_QUOTE = 'Article: {article}\n\nWho said: "{quote}"? Answer:'
NAIVE_ISSUE = "Article: {article}\n\nThe central issue of this story is"
NAIVE_STANCE = (
    "Article: {article}\n\n{speaker} said:\n{quotes}\n\n"
    "Does {speaker} support, oppose, is cautious about, or is neutral about {issue}? Answer:"
)
NAIVE_SUMMARY = "Article: {article}\nSummary:"
NAIVE_NEW_TOKENS = {"quote": 16, "issue": 16, "stance": 8, "summary": 96}
#: Keywords that read a naive stance answer as a label (the earliest one found wins).
LABEL_KEYWORDS = {
    "support": "supportive",
    "favo": "supportive",
    "oppos": "opposed",
    "against": "opposed",
    "cautio": "cautious",
    "neutral": "neutral",
}

COLD_NEWSBRIEF = """
import time
start_epoch, start = time.time(), time.perf_counter()
import json, resource
import newsbrief
imported = time.perf_counter()
briefer = newsbrief.Briefer()
ready_epoch, ready = time.time(), time.perf_counter()
print(json.dumps({"start_epoch": start_epoch, "ready_epoch": ready_epoch,
                  "import_s": imported - start, "load_s": ready - imported,
                  "model_dir": getattr(briefer.backend, "loaded_from", None),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

COLD_NAIVE = """
import time
start_epoch, start = time.time(), time.perf_counter()
import json, resource, sys
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from newsbrief.backends import compact
from pathlib import Path
imported = time.perf_counter()
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
if compact.is_compact(Path(sys.argv[1])):  # the embedded cache: its embedding de-quantised
    model = compact.load_compact(Path(sys.argv[1]), dtype=torch.float32, device="cpu", plain=True)
else:
    model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
model.eval()
ready_epoch, ready = time.time(), time.perf_counter()
print(json.dumps({"start_epoch": start_epoch, "ready_epoch": ready_epoch,
                  "import_s": imported - start, "load_s": ready - imported,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# -- shared by the children ------------------------------------------------------------------


def load_articles(path: Path, n: int, *, dev: bool = True) -> list[dict[str, str]]:
    """The first ``n`` records of a gold JSONL file, in file order (id, title, text); with
    ``dev``, only those of the dev split (``evals/splits.json``: tuning is on dev only)."""
    articles: list[dict[str, str]] = []
    allowed: set[str] | None = None
    if dev:
        allowed = set(json.loads(SPLITS.read_text(encoding="utf-8"))["dev"])
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if len(articles) >= n:
                break
            if line.strip():
                record = json.loads(line)
                if allowed is not None and record["id"] not in allowed:
                    continue
                articles.append(
                    {"id": record["id"], "title": record.get("title", ""), "text": record["text"]}
                )
    if len(articles) < n:
        which = "dev articles" if dev else "articles"
        raise SystemExit(f"{path} has only {len(articles)} {which}, {n} asked for")
    return articles


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Counts:
    """Model calls and their cost: generation (tokens, seconds) and scoring."""

    gen_calls: int = 0
    gen_rows: int = 0
    prompt_tokens: int = 0
    gen_tokens: int = 0
    gen_s: float = 0.0
    score_calls: int = 0
    score_s: float = 0.0
    embed_calls: int = 0
    embed_s: float = 0.0
    #: seconds in the output layer (inside generate and score): the full or restricted
    #: layer, and the sliced log-probabilities of scored options
    output_s: float = 0.0

    def minus(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)}
        )

    def copy(self) -> Counts:
        return Counts(**asdict(self))


class Meter:
    """Wraps a newsbrief backend's ``generate`` and ``score`` to count what they do."""

    def __init__(self, backend: Any) -> None:
        self.counts = Counts()
        generate, score = backend.generate, backend.score

        def counted_generate(prompts: Sequence[str], config: Any = None) -> Any:
            start = time.perf_counter()
            out = generate(prompts, config)
            self.counts.gen_s += time.perf_counter() - start
            self.counts.gen_calls += 1
            self.counts.gen_rows += len(out)
            self.counts.prompt_tokens += sum(g.prompt_tokens for g in out)
            self.counts.gen_tokens += sum(g.completion_tokens for g in out)
            return out

        def counted_score(prompts: Sequence[str], options: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            out = score(prompts, options, **kwargs)
            self.counts.score_s += time.perf_counter() - start
            self.counts.score_calls += 1
            return out

        backend.generate = counted_generate
        backend.score = counted_score
        embed = getattr(backend, "embed", None)
        if embed is not None:

            def counted_embed(texts: Sequence[str], **kwargs: Any) -> Any:
                start = time.perf_counter()
                out = embed(texts, **kwargs)
                self.counts.embed_s += time.perf_counter() - start
                self.counts.embed_calls += 1
                return out

            backend.embed = counted_embed
        self._time_output_layer()

    def _time_output_layer(self) -> None:
        """Add the seconds spent in the output layer's code paths to ``output_s``."""
        from newsbrief.backends import compact, output_layer

        def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.counts.output_s += time.perf_counter() - start

            return wrapper

        output_layer.RowsHead.forward = timed(output_layer.RowsHead.forward)  # type: ignore[method-assign]
        compact.Q8OutputLayer.forward = timed(compact.Q8OutputLayer.forward)  # type: ignore[method-assign]
        output_layer.token_logprobs = timed(output_layer.token_logprobs)

    def timed(
        self, fn: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> tuple[dict[str, Any], Any]:
        """Call ``fn``; its seconds, counts and error (a ``NewsbriefError``), and its value."""
        from newsbrief.errors import NewsbriefError

        before = self.counts.copy()
        error: str | None = None
        value: Any = None
        start = time.perf_counter()
        try:
            value = fn(*args, **kwargs)
        except NewsbriefError as exc:
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
        return {"s": seconds, "error": error, **asdict(self.counts.minus(before))}, value


# -- child: newsbrief --------------------------------------------------------------------------


def child_newsbrief(articles: list[dict[str, str]], threads: int | None) -> dict[str, Any]:
    """Brief each article with a loaded ``Briefer()``, step by step and whole."""
    start = time.perf_counter()
    import torch
    import transformers

    import newsbrief

    if threads:
        torch.set_num_threads(threads)
    briefer = newsbrief.Briefer()
    load_s = time.perf_counter() - start
    rss_loaded = peak_rss_mb()
    backend: Any = briefer.backend
    meter = Meter(backend)
    records: list[dict[str, Any]] = []
    for i, article in enumerate(articles):
        text = article["text"]
        record: dict[str, Any] = {"id": article["id"], "chars": len(text)}
        record["quotes"], quotes = meter.timed(briefer.quotes, text)
        record["issue_stance"], _ = meter.timed(briefer.brief, text, summary=False)
        record["summary"], _ = meter.timed(briefer.summarize, text)
        record["brief"], brief = meter.timed(briefer.brief, text)
        record["found"] = [{"text": q.text, "speaker": q.speaker} for q in quotes or []]
        if brief is not None:
            record["issue"] = brief.issue
            record["summary_text"] = brief.summary
            record["stances"] = len(brief.stances)
        records.append(record)
        progress(
            f"[newsbrief {i + 1}/{len(articles)}] {article['id']}: "
            + ", ".join(f"{s} {record[s]['s']:.2f} s" for s in STEPS)
            + f" ({len(record['found'])} quotes, peak RSS {peak_rss_mb():.0f} MB)"
        )
    # The peak of briefing, before the stance-path comparison: its zero-shot path (not what
    # a brief runs) raises this process's peak by ~460 MB.
    peak_briefing = peak_rss_mb()
    stance_paths = stance_step(briefer, articles)
    return {
        "side": "newsbrief",
        "model_dir": getattr(backend, "loaded_from", None),
        "model_id": backend.model_id,
        "dtype": str(getattr(getattr(backend, "model", None), "dtype", "")),
        "weight_dtypes": sorted(
            {str(t.dtype) for t in backend.model.state_dict().values() if t.dim() == 2}
        ),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "threads": torch.get_num_threads(),
        "load_s": load_s,
        "rss_after_load_mb": rss_loaded,
        "peak_rss_mb": peak_briefing,
        "peak_rss_with_stance_paths_mb": peak_rss_mb(),
        "totals": asdict(meter.counts),
        "articles": records,
        "stance_paths": stance_paths,
    }


def stance_step(briefer: Any, articles: list[dict[str, str]]) -> dict[str, Any]:
    """The stance step alone (quotes, then every quoted speaker's stance on the article's
    title as target), by the zero-shot path and then by the trained stance head, on the
    same loaded model: seconds per article and how far each raised the peak RSS (the head
    runs second, so its figure is what it adds above the zero-shot path's peak)."""
    import newsbrief

    paths = {
        "zero_shot": newsbrief.Briefer(backend=briefer.backend, stance_head=False),
        "head": briefer,
    }
    out: dict[str, Any] = {}
    for name, runner in paths.items():
        before = peak_rss_mb()
        seconds, labels = [], []
        for article in articles:
            target = article.get("title") or article["text"].split(".")[0]
            start = time.perf_counter()
            brief = runner.brief(article["text"], target=target, summary=False)
            seconds.append(time.perf_counter() - start)
            labels += [s.label for s in brief.stances]
        out[name] = {
            "seconds": stats(seconds),
            "peak_rss_added_mb": peak_rss_mb() - before,
            "stances": len(labels),
            "abstained": sum(label is None for label in labels),
        }
        progress(
            f"[stance step, {name}] median {out[name]['seconds']['median']:.2f} s/article, "
            f"peak RSS +{out[name]['peak_rss_added_mb']:.0f} MB"
        )
    return out


# -- child: the per-article loop against brief_many --------------------------------------------


def child_many(
    articles: list[dict[str, str]], threads: int | None, group: int = 2
) -> dict[str, Any]:
    """``brief()`` per article against ``brief_many`` on the same loaded model, paired."""
    import torch

    import newsbrief

    if threads:
        torch.set_num_threads(threads)
    briefer = newsbrief.Briefer()
    warm = articles[0]
    briefer.brief(warm["text"], warm["title"] or None)  # first-use costs count for neither
    records = briefer.brief_many((a["id"], a["text"], a["title"] or None) for a in articles)
    loop_s: list[float] = []
    many_s: list[float] = []
    identical = 0
    for i, article in enumerate(articles):
        start = time.perf_counter()
        alone = briefer.brief(article["text"], article["title"] or None)
        loop_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        record = next(records)
        many_s.append(time.perf_counter() - start)
        identical += record.brief == alone
        progress(
            f"[many {i + 1}/{len(articles)}] {article['id']}: brief() {loop_s[-1]:.2f} s, "
            f"brief_many {many_s[-1]:.2f} s, identical: {record.brief == alone}"
        )
    replay = replay_across_articles(briefer, articles, group)
    return {
        "replay": replay,
        "side": "many",
        "threads": torch.get_num_threads(),
        "loop": stats(loop_s),
        "many": stats(many_s),
        "loop_total_s": sum(loop_s),
        "many_total_s": sum(many_s),
        "identical": identical,
        "articles": len(articles),
    }


def replay_across_articles(
    briefer: Any, articles: list[dict[str, str]], group: int
) -> dict[str, Any]:
    """Record each article's backend calls, then time them one article after another and
    merged in lockstep across groups of ``group`` articles (see the module docstring)."""
    backend = briefer.backend
    calls: list[list[tuple[str, Any, Any, Any]]] = []
    generate, score = backend.generate, backend.score

    def recording_generate(prompts: Sequence[str], config: Any = None) -> Any:
        calls[-1].append(("generate", list(prompts), config, None))
        return generate(prompts, config)

    def recording_score(prompts: Sequence[str], options: Any, **kwargs: Any) -> Any:
        from newsbrief.backends.base import options_per_prompt

        per_prompt = options_per_prompt(prompts, options)
        calls[-1].append(("score", list(prompts), per_prompt, kwargs.get("normalize", False)))
        return score(prompts, options, **kwargs)

    backend.generate, backend.score = recording_generate, recording_score
    try:
        for article in articles:
            calls.append([])
            briefer.brief(article["text"], article["title"] or None)
    finally:
        backend.generate, backend.score = generate, score

    def run(kind: str, prompts: list[str], extra: Any, normalize: Any) -> None:
        if kind == "generate":
            generate(prompts, extra)
        else:
            score(prompts, extra, normalize=normalize)

    start = time.perf_counter()
    for article_calls in calls:
        for call in article_calls:
            run(*call)
    one_by_one = time.perf_counter() - start
    merged_calls = separate_calls = 0
    start = time.perf_counter()
    for first in range(0, len(calls), group):
        members = calls[first : first + group]
        for step in range(max(len(c) for c in members)):
            at_step = [c[step] for c in members if step < len(c)]
            batches = merge_calls(at_step)
            merged_calls += len(batches)
            separate_calls += len(at_step)
            for batch in batches:
                run(*batch)
    lockstep = time.perf_counter() - start
    progress(
        f"[replay] {sum(len(c) for c in calls)} backend calls: one article after another "
        f"{one_by_one:.1f} s, lockstep in groups of {group} {lockstep:.1f} s "
        f"({separate_calls} calls made {merged_calls})"
    )
    return {
        "group": group,
        "calls": sum(len(c) for c in calls),
        "one_by_one_s": one_by_one,
        "lockstep_s": lockstep,
        "lockstep_calls": merged_calls,
    }


def merge_calls(
    calls: Sequence[tuple[str, list[str], Any, Any]],
) -> list[tuple[str, list[str], Any, Any]]:
    """Backend calls merged where one call can make them: ``score`` calls with the same
    ``normalize`` (options are per prompt), ``generate`` calls with equal configs."""
    merged: list[tuple[str, list[str], Any, Any]] = []
    for kind, prompts, extra, normalize in calls:
        for other_kind, other_prompts, other_extra, other_normalize in merged:
            if kind == other_kind == "score" and normalize == other_normalize:
                other_prompts.extend(prompts)
                other_extra.extend(extra)
                break
            if kind == other_kind == "generate" and extra == other_extra:
                other_prompts.extend(prompts)
                break
        else:
            merged.append(
                (kind, list(prompts), list(extra) if kind == "score" else extra, normalize)
            )
    return merged


def print_many(result: dict[str, Any]) -> None:
    """The per-article loop against brief_many, as measured by :func:`child_many`."""
    loop, many = result["loop"], result["many"]
    print(
        f"per-article loop (brief): {fmt_stats(loop)} s/article, "
        f"{result['loop_total_s']:.1f} s in all"
    )
    print(
        f"brief_many:               {fmt_stats(many)} s/article, "
        f"{result['many_total_s']:.1f} s in all"
    )
    print(
        f"brief_many / loop, total: {result['many_total_s'] / result['loop_total_s']:.3f}; "
        f"identical briefs: {result['identical']}/{result['articles']}; "
        f"torch threads {result['threads']}"
    )
    replay = result["replay"]
    print(
        f"the same backend calls ({replay['calls']}) replayed: one article after another "
        f"{replay['one_by_one_s']:.1f} s, merged across groups of {replay['group']} articles "
        f"({replay['lockstep_calls']} calls) {replay['lockstep_s']:.1f} s: "
        f"lockstep / one by one {replay['lockstep_s'] / replay['one_by_one_s']:.3f}"
    )


# -- child: naive ------------------------------------------------------------------------------


class NaiveModel:
    """The model called the plain way: one greedy ``generate`` per prompt, batch size 1."""

    def __init__(self, model_dir: str) -> None:
        from transformers import AutoTokenizer

        self.tokenizer: Any = AutoTokenizer.from_pretrained(model_dir)
        self.model: Any = plain_model(model_dir)
        self.counts = Counts()

    def generate(self, prompt: str, max_new_tokens: int) -> str:
        import torch

        encoded = self.tokenizer(prompt, return_tensors="pt")
        start = time.perf_counter()
        with torch.no_grad():
            output = self.model.generate(
                **encoded,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id,
            )
        self.counts.gen_s += time.perf_counter() - start
        prompt_length = int(encoded["input_ids"].shape[1])
        new = output[0, prompt_length:]
        self.counts.gen_calls += 1
        self.counts.gen_rows += 1
        self.counts.prompt_tokens += prompt_length
        self.counts.gen_tokens += int(new.shape[0])
        return str(self.tokenizer.decode(new, skip_special_tokens=True))

    def timed(self, fn: Callable[[], Any]) -> tuple[dict[str, Any], Any]:
        before = self.counts.copy()
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
        return {"s": seconds, "error": None, **asdict(self.counts.minus(before))}, value


def plain_model(model_dir: str) -> Any:
    """The same weights as an ordinary ``transformers`` model, every weight float32: the
    embedded cache's compact copy with its embedding de-quantised (the same numbers), or
    any other model directory through ``from_pretrained``."""
    import torch
    from transformers import AutoModelForCausalLM

    from newsbrief.backends import compact

    if compact.is_compact(Path(model_dir)):
        return compact.load_compact(Path(model_dir), dtype=torch.float32, device="cpu", plain=True)
    model: Any = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    return model.eval()


def parse_label(answer: str) -> str | None:
    """The stance label a free-text answer names first, by keyword (``None``: none)."""
    lowered = answer.lower()
    found = [(lowered.find(k), label) for k, label in LABEL_KEYWORDS.items() if k in lowered]
    return min(found)[1] if found else None


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0].strip(" .\"'") if lines else ""


def child_naive(
    inputs: list[dict[str, Any]], model_dir: str, threads: int | None
) -> dict[str, Any]:
    """The same questions asked the plain way; ``inputs`` carry newsbrief's quote spans."""
    start = time.perf_counter()
    import torch
    import transformers

    if threads:
        torch.set_num_threads(threads)
    naive = NaiveModel(model_dir)
    load_s = time.perf_counter() - start
    rss_loaded = peak_rss_mb()
    records: list[dict[str, Any]] = []
    for i, item in enumerate(inputs):
        article: str = item["text"]
        found: list[dict[str, Any]] = item["found"]
        record: dict[str, Any] = {"id": item["id"], "chars": len(article)}

        def quotes(article: str = article, found: list[dict[str, Any]] = found) -> list[str]:
            return [
                naive.generate(
                    NAIVE_QUOTE.format(article=article, quote=q["text"]),
                    NAIVE_NEW_TOKENS["quote"],
                )
                for q in found
            ]

        def issue_stance(
            article: str = article, found: list[dict[str, Any]] = found
        ) -> tuple[str, list[str | None]]:
            raw = naive.generate(NAIVE_ISSUE.format(article=article), NAIVE_NEW_TOKENS["issue"])
            issue = first_line(raw) or "the central issue of this story"
            labels: list[str | None] = []
            for speaker in dict.fromkeys(q["speaker"] for q in found if q["speaker"]):
                said = "\n".join(f'"{q["text"]}"' for q in found if q["speaker"] == speaker)
                answer = naive.generate(
                    NAIVE_STANCE.format(article=article, speaker=speaker, quotes=said, issue=issue),
                    NAIVE_NEW_TOKENS["stance"],
                )
                labels.append(parse_label(answer))
            return issue, labels

        def summary(article: str = article) -> str:
            return first_line(
                naive.generate(NAIVE_SUMMARY.format(article=article), NAIVE_NEW_TOKENS["summary"])
            )

        record["quotes"], _ = naive.timed(quotes)
        record["issue_stance"], (issue, labels) = naive.timed(issue_stance)
        record["summary"], summary_text = naive.timed(summary)
        record["brief"] = {
            key: sum(record[step][key] for step in ("quotes", "issue_stance", "summary"))
            for key in record["quotes"]
            if key != "error"
        }
        record["brief"]["error"] = None
        record["issue"] = issue
        record["summary_text"] = summary_text
        record["stances"] = len(labels)
        record["stances_parsed"] = sum(label is not None for label in labels)
        records.append(record)
        progress(
            f"[naive {i + 1}/{len(inputs)}] {item['id']}: "
            + ", ".join(f"{s} {record[s]['s']:.2f} s" for s in STEPS)
            + f" ({naive.counts.gen_calls} generations so far, peak RSS {peak_rss_mb():.0f} MB)"
        )
    return {
        "side": "naive",
        "model_dir": model_dir,
        "dtype": str(naive.model.dtype),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "threads": torch.get_num_threads(),
        "load_s": load_s,
        "rss_after_load_mb": rss_loaded,
        "peak_rss_mb": peak_rss_mb(),
        "totals": asdict(naive.counts),
        "articles": records,
    }


# -- parent ------------------------------------------------------------------------------------


def run_child(side: str, args: argparse.Namespace, extra: Sequence[str] = ()) -> dict[str, Any]:
    command = [str(Path(__file__).resolve()), "--child", side, "--articles", str(args.articles)]
    command += ["--gold", str(args.gold), *extra]
    if args.threads:
        command += ["--threads", str(args.threads)]
    run = run_python(command, show_stderr=True)
    result = run.result
    result["process_s"] = run.seconds
    return result


def ready_s(run: ChildRun) -> dict[str, float]:
    """Seconds of a cold-start child: to a ready model from process start, and its parts."""
    result = run.result
    return {
        "ready_s": result["ready_epoch"] - run.spawn_epoch,
        "startup_s": result["start_epoch"] - run.spawn_epoch,
        "import_s": result["import_s"],
        "load_s": result["load_s"],
        "process_s": run.seconds,
        "peak_rss_mb": result["peak_rss_mb"],
    }


def cold_start(runs: int) -> dict[str, list[dict[str, float]]]:
    """``runs`` times, in a fresh cache: first conversion, cached, naive cached."""
    out: dict[str, list[dict[str, float]]] = {"first": [], "cached": [], "naive_cached": []}
    for i in range(runs):
        with fresh_cache_env() as env:
            first = ready_s(run_python(["-c", COLD_NEWSBRIEF], env))
            cached_run = run_python(["-c", COLD_NEWSBRIEF], env)
            cached = ready_s(cached_run)
            model_dir = str(cached_run.result["model_dir"])
            naive = ready_s(run_python(["-c", COLD_NAIVE, model_dir], env))
        out["first"].append(first)
        out["cached"].append(cached)
        out["naive_cached"].append(naive)
        progress(
            f"[cold {i + 1}/{runs}] first conversion {first['ready_s']:.1f} s, cached "
            f"{cached['ready_s']:.2f} s (import newsbrief {cached['import_s']:.2f} s, Briefer() "
            f"{cached['load_s']:.2f} s), naive cached {naive['ready_s']:.2f} s"
        )
    return out


def step_stats(side: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per step: seconds per article over the articles where it succeeded, and failures."""
    out: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        done = [a[step] for a in side["articles"] if a[step]["error"] is None]
        out[step] = {
            "seconds": stats([d["s"] for d in done]),
            "failures": len(side["articles"]) - len(done),
            "gen_s": stats([d["gen_s"] for d in done]),
            "score_s": stats([d["score_s"] for d in done]),
            "embed_s": stats([d.get("embed_s", 0.0) for d in done]),
            "output_s": stats([d.get("output_s", 0.0) for d in done]),
            "other_s": stats(
                [d["s"] - d["gen_s"] - d["score_s"] - d.get("embed_s", 0.0) for d in done]
            ),
            "gen_calls": stats([d["gen_calls"] for d in done]),
            "score_calls": stats([d["score_calls"] for d in done]),
            "gen_tokens": stats([d["gen_tokens"] for d in done]),
        }
    totals = side["totals"]
    out["generation"] = {
        "tokens": totals["gen_tokens"],
        "seconds": totals["gen_s"],
        "tokens_per_s": totals["gen_tokens"] / totals["gen_s"] if totals["gen_s"] else None,
        "calls": totals["gen_calls"],
        "prompt_tokens_per_call": (
            totals["prompt_tokens"] / totals["gen_rows"] if totals["gen_rows"] else None
        ),
    }
    return out


def fmt_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "MB" or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def fmt_count(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def fmt_stats(s: dict[str, Any] | None, unit: str = "") -> str:
    if not s or s.get("median") is None:
        return "n/a"
    text = fmt_number(s["median"], unit)
    if s["n"] > 1:
        text += f" [{fmt_number(s['min'], unit)}-{fmt_number(s['max'], unit)}]"
        text += f" p90 {fmt_number(s['p90'], unit)}"
    return text


def ratio(naive: float | None, ours: float | None) -> float | None:
    return naive / ours if naive is not None and ours else None


def single(value: float | None) -> dict[str, Any] | None:
    return None if value is None else {"n": 1, "median": value}


def build_table(
    ours: dict[str, Any], naive: dict[str, Any], cold: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Rows of figure, newsbrief, naive and naive/newsbrief (of the medians)."""
    a, b = step_stats(ours), step_stats(naive)
    rows: list[dict[str, Any]] = []

    def add(name: str, x: dict[str, Any] | None, y: dict[str, Any] | None, unit: str = "") -> None:
        mx = x["median"] if x else None
        my = y["median"] if y else None
        rows.append(
            {
                "figure": name,
                "newsbrief": x,
                "naive": y,
                "ratio": ratio(my, mx),
                "cells": [name, fmt_stats(x, unit), fmt_stats(y, unit)],
            }
        )

    for step in STEPS:
        add(STEP_NAMES[step], a[step]["seconds"], b[step]["seconds"])
    add(
        "generated tokens/s",
        single(a["generation"]["tokens_per_s"]),
        single(b["generation"]["tokens_per_s"]),
    )
    add("generated tokens/article", a["brief"]["gen_tokens"], b["brief"]["gen_tokens"])
    if cold:
        add(
            "cached cold start s",
            stats([r["ready_s"] for r in cold["cached"]]),
            stats([r["ready_s"] for r in cold["naive_cached"]]),
        )
        add("first conversion s", stats([r["ready_s"] for r in cold["first"]]), None)
    add("peak RSS MB", single(ours["peak_rss_mb"]), single(naive["peak_rss_mb"]), "MB")
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ["figure", "newsbrief", "naive", "naive/newsbrief"]
    cells = [
        [*r["cells"], "n/a" if r["ratio"] is None else f"{fmt_number(r['ratio'])}x"] for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    for line in [header, ["-" * w for w in widths], *cells]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def targets(
    ours: dict[str, Any], rows: list[dict[str, Any]], cold: dict[str, Any] | None
) -> list[dict[str, Any]]:
    by_name = {r["figure"]: r for r in rows}
    brief = by_name[STEP_NAMES["brief"]]
    cached = stats([r["ready_s"] for r in cold["cached"]])["median"] if cold else None
    checks: list[tuple[str, float | None, str, Callable[[float], bool], str]] = [
        (
            "cached cold start (median)",
            cached,
            f"<= {TARGET_COLD_S:g} s",
            lambda v: v <= TARGET_COLD_S,
            "s",
        ),
        (
            "whole brief median",
            brief["newsbrief"]["median"] if brief["newsbrief"] else None,
            f"<= {TARGET_BRIEF_S:g} s",
            lambda v: v <= TARGET_BRIEF_S,
            "s",
        ),
        (
            "whole brief p90",
            brief["newsbrief"]["p90"] if brief["newsbrief"] else None,
            f"<= {TARGET_BRIEF_P90_S:g} s",
            lambda v: v <= TARGET_BRIEF_P90_S,
            "s",
        ),
        (
            "naive/newsbrief, whole brief",
            brief["ratio"],
            f">= {TARGET_SPEEDUP:g}x",
            lambda v: v >= TARGET_SPEEDUP,
            "x",
        ),
        (
            "peak RSS while briefing",
            ours["peak_rss_mb"],
            f"<= {TARGET_RSS_MB:g} MB",
            lambda v: v <= TARGET_RSS_MB,
            "MB",
        ),
    ]
    out = []
    for name, value, target, passes, unit in checks:
        result = "SKIP" if value is None else ("PASS" if passes(value) else "FAIL")
        shown = "n/a" if value is None else f"{fmt_number(value, unit)} {unit}"
        out.append({"target": name, "value": value, "goal": target, "result": result, "at": shown})
    return out


def print_breakdown(ours: dict[str, Any], naive: dict[str, Any]) -> None:
    """Where the time goes: model calls inside each step (medians per article)."""
    for label, side in (("newsbrief", ours), ("naive", naive)):
        s = step_stats(side)
        print(f"{label}: inside each step (median per article)")
        for step in STEPS:
            d = s[step]
            line = (
                f"  {STEP_NAMES[step]:<24} {fmt_stats(d['seconds'])} s; "
                f"generate {fmt_number(d['gen_s']['median'])} s "
                f"({fmt_count(d['gen_calls']['median'])} calls, "
                f"{fmt_count(d['gen_tokens']['median'])} tokens)"
            )
            if label == "newsbrief":
                line += (
                    f", score {fmt_number(d['score_s']['median'])} s "
                    f"({fmt_count(d['score_calls']['median'])} calls)"
                    f", hidden states {fmt_number(d['embed_s']['median'])} s"
                    f", of which output layer {fmt_number(d['output_s']['median'])} s"
                    f"; outside the model (parsing, prompts, checks) "
                    f"{fmt_number(d['other_s']['median'])} s"
                )
            if d["failures"]:
                line += f"; {d['failures']} failed"
            print(line)
        g = s["generation"]
        print(
            f"  generation: {g['tokens']} tokens in {g['seconds']:.1f} s over {g['calls']} calls, "
            f"{fmt_number(g['prompt_tokens_per_call'])} prompt tokens per call; "
            f"model load in the briefing process {side['load_s']:.1f} s, "
            f"RSS after load {side['rss_after_load_mb']:.0f} MB"
        )
    parsed = sum(a["stances_parsed"] for a in naive["articles"])
    asked = sum(a["stances"] for a in naive["articles"])
    print(f"naive stance answers read as a label: {parsed}/{asked}")
    for name, figures in ours.get("stance_paths", {}).items():
        print(
            f"stance step ({name.replace('_', '-')}, title as target): "
            f"{fmt_stats(figures['seconds'])} s/article, peak RSS "
            f"+{figures['peak_rss_added_mb']:.0f} MB, "
            f"{figures['abstained']}/{figures['stances']} abstained"
        )
    errors = [
        f"  {a['id']} {step}: {a[step]['error']}"
        for a in ours["articles"]
        for step in STEPS
        if a[step]["error"]
    ]
    if errors:
        print("newsbrief failures:")
        print("\n".join(errors))


def busy_warning(machine: dict[str, Any]) -> str | None:
    """A warning when other processes were using the CPU (the 1-minute load average)."""
    load, cores = machine["load_average"][0], machine["usable_cores"] or 1
    if load <= BUSY_LOAD * cores:
        return None
    return (
        f"WARNING: load average {load:g} on {cores} cores: other processes share the CPU, so "
        "these figures are not those of a quiet machine (torch threads that are descheduled "
        "wait for each other at every operation: try --threads 1 on a busy machine)"
    )


def parent(args: argparse.Namespace) -> None:
    articles = load_articles(args.gold, args.articles, dev=not args.any_split)
    machine = machine_info()
    print(f"bench_brief: the first {len(articles)} articles of {args.gold}")
    print("ids: " + " ".join(a["id"] for a in articles))
    print(
        f"machine: {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"load average {machine['load_average']}, {machine['date']}",
        flush=True,
    )
    warnings = [w for w in [busy_warning(machine)] if w]
    for warning in warnings:
        print(warning, flush=True)
    progress("-- newsbrief (one process) --")
    ours = run_child("newsbrief", args)
    if not ours.get("model_dir"):
        raise SystemExit("the newsbrief child did not report the embedded model's directory")
    progress("-- naive (one process, the same weights) --")
    with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
        inputs = Path(tmp) / "inputs.json"
        found = {a["id"]: a["found"] for a in ours["articles"]}
        inputs.write_text(json.dumps([{**a, "found": found[a["id"]]} for a in articles]))
        naive = run_child(
            "naive", args, ["--inputs", str(inputs), "--model-dir", ours["model_dir"]]
        )
    cold: dict[str, Any] | None = None
    if not args.skip_cold:
        progress(f"-- cold start ({args.cold_runs} runs, each in a fresh cache) --")
        cold = cold_start(args.cold_runs)
    rows = build_table(ours, naive, cold)
    checks = targets(ours, rows, cold)
    machine_end = machine_info()
    end_warning = busy_warning(machine_end)
    if end_warning and not warnings:
        warnings.append(end_warning.replace("load average", "load average at the end"))
    print()
    print(
        f"machine: {machine['cpu']}; {machine['cores']} cores ({machine['usable_cores']} usable); "
        f"torch {ours['torch']}, {ours['threads']} threads; transformers {ours['transformers']}; "
        f"Python {machine['python']}"
    )
    print(
        f"date: {machine['date']} to {machine_end['date']}; load average at start "
        f"{machine['load_average']}, at end {machine_end['load_average']}"
    )
    print(
        f"model: {ours['model_id']} ({ours['dtype']}) for newsbrief; the same weights for naive "
        f"({naive['dtype']}); {len(articles)} articles"
    )
    print()
    print_breakdown(ours, naive)
    print()
    print_table(rows)
    print(
        "(naive/newsbrief above 1: newsbrief is faster or smaller; for generated tokens/s, "
        "below 1 means newsbrief generates faster)"
    )
    print()
    width = max(len(c["target"]) for c in checks)
    for c in checks:
        print(f"target {c['target']:<{width}}  {c['goal']:<10}  {c['at']:<12}  {c['result']}")
    for warning in warnings:
        print(warning)
    if args.json:
        report = {
            "machine": machine,
            "machine_end": machine_end,
            "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "articles": [a["id"] for a in articles],
            "newsbrief": ours,
            "naive": naive,
            "cold_start": cold,
            "table": [{k: v for k, v in r.items() if k != "cells"} for r in rows],
            "targets": checks,
            "warnings": warnings,
        }
        args.json.write_text(json.dumps(report, indent=2))
        print(f"\nJSON written to {args.json}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--articles", type=int, default=24, help="dev articles (default 24: all the politics dev)"
    )
    parser.add_argument(
        "--any-split", action="store_true", help="the first N records, dev and held-out"
    )
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold-start runs")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold-start runs (default 2)")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads(N)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold JSONL of articles")
    parser.add_argument(
        "--many", action="store_true", help="only the per-article loop against brief_many"
    )
    parser.add_argument(
        "--group", type=int, default=2, help="with --many: articles per lockstep group"
    )
    parser.add_argument("--child", choices=("newsbrief", "naive", "many"), help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles < 1 or args.cold_runs < 1:
        parser.error("--articles and --cold-runs must be at least 1")
    args.gold = args.gold.resolve()
    if args.child == "newsbrief":
        result = child_newsbrief(
            load_articles(args.gold, args.articles, dev=not args.any_split), args.threads
        )
    elif args.child == "many":
        result = child_many(
            load_articles(args.gold, args.articles, dev=not args.any_split),
            args.threads,
            args.group,
        )
    elif args.child == "naive":
        if args.inputs is None or args.model_dir is None:
            parser.error("--child naive needs --inputs and --model-dir")
        inputs = json.loads(args.inputs.read_text())
        result = child_naive(inputs, args.model_dir, args.threads)
    elif args.many:
        machine = machine_info()
        print(f"bench_brief --many: the first {args.articles} articles of {args.gold}")
        print(f"machine: {machine['cpu']}, load average {machine['load_average']}", flush=True)
        warning = busy_warning(machine)
        if warning:
            print(warning)
        print_many(run_child("many", args, ["--group", str(args.group)]))
        return
    else:
        parent(args)
        return
    print(json.dumps(result))


if __name__ == "__main__":
    main()
