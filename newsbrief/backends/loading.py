"""Load a model by name: a registered one (``"embedded"``), else a hub id, directory or .gguf."""

from __future__ import annotations

import os
from typing import Any

from newsbrief.backends.hf import HFBackend
from newsbrief.backends.options import LoadOptions
from newsbrief.backends.quiet import library_output_to_logging
from newsbrief.backends.registry import NAMED_MODELS, load_named
from newsbrief.backends.sources import load_from_source, resolve_source


def load_backend(
    model: str | os.PathLike[str],
    *,
    device: str | None = None,
    dtype: Any = None,
    trust_remote_code: bool = False,
    allow_pickle: bool = False,
    revision: str | None = None,
    use_chat_template: bool | None = None,
    load_options: LoadOptions | None = None,
) -> HFBackend:
    """Load a seq2seq or causal LM from a hub id, a local directory or a ``.gguf`` file.

    Args:
        model: hub id (``google/flan-t5-large``), directory, ``.gguf`` file, or the name
            of a registered model (``"embedded"``). Nothing is written to stderr: progress
            bars are off and third-party warnings go to the ``newsbrief.transformers``
            logger (:mod:`newsbrief.backends.quiet`).
        device: ``"cpu"`` (default), ``"cuda"``, ``"cuda:N"`` or ``"auto"``.
        dtype: ``"float32"``, ``"bfloat16"``, ``"float16"``, a ``torch.dtype`` or ``None``.
        trust_remote_code: run model code shipped with the checkpoint (off by default).
        allow_pickle: allow ``.bin``/``.pt`` pickle checkpoints, which can run code on load.
        revision: hub revision (branch, tag or commit).
        use_chat_template: see :class:`HFBackend`.
        load_options: all of the above as one :class:`LoadOptions` (instead of the
            keywords; passing both is a ``ValueError``).

    Raises:
        ModelLoadError: the model cannot be found, reached, trusted or read.
        ValueError: an unknown device or dtype, or ``load_options`` with a keyword.
    """
    options = LoadOptions.from_call(
        load_options,
        device=device,
        dtype=dtype,
        trust_remote_code=trust_remote_code,
        allow_pickle=allow_pickle,
        revision=revision,
        use_chat_template=use_chat_template,
    )
    name = os.fspath(model)
    if not isinstance(name, str) or not name.strip():
        raise ValueError("model must be a non-empty hub id, path or registered name")
    # Progress bars, transformers' warnings: to logging, not stderr (see quiet).
    with library_output_to_logging():
        if name in NAMED_MODELS:
            return load_named(name, options)
        source = resolve_source(name, allow_pickle=options.allow_pickle, revision=options.revision)
        return load_from_source(source, model_id=name, options=options)
