"""Load a model by name: a registered one (``"embedded"``), else a hub id, directory or .gguf."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from newsbrief.backends.embedded import NAMED_MODELS, load_named, preload_embedded_tokenizer
from newsbrief.backends.hf import HFBackend
from newsbrief.backends.options import LoadKeywords, LoadOptions, show_loading_keywords
from newsbrief.backends.quiet import library_output_to_logging
from newsbrief.backends.sources import load_from_source, resolve_source

if TYPE_CHECKING:
    from typing_extensions import Unpack


@show_loading_keywords
def load_backend(
    model: str | os.PathLike[str],
    *,
    load_options: LoadOptions | None = None,
    **loading: Unpack[LoadKeywords],
) -> HFBackend:
    """Load a seq2seq or causal LM from a hub id, a local directory or a ``.gguf`` file.

    Args:
        model: hub id (``google/flan-t5-large``), directory, ``.gguf`` file, or the name
            of a registered model (``"embedded"``). Nothing is written to stderr: progress
            bars are off and third-party warnings go to the ``newsbrief.transformers``
            logger (:mod:`newsbrief.backends.quiet`).
        load_options: how the model loads, as one :class:`LoadOptions`.
        **loading: the same as keywords instead (``device=``, ``dtype=``,
            ``trust_remote_code=``, ``allow_pickle=``, ``revision=``,
            ``use_chat_template=``: see :class:`LoadOptions`); passing both a keyword and
            ``load_options`` is a ``ValueError``.

    Raises:
        ModelLoadError: the model cannot be found, reached, trusted or read.
        ValueError: an unknown device or dtype, or ``load_options`` with a keyword.
    """
    options = LoadOptions.from_call(load_options, **loading)
    name = os.fspath(model)
    if not isinstance(name, str) or not name.strip():
        raise ValueError("model must be a non-empty hub id, path or registered name")
    if name in NAMED_MODELS:
        # Parse the cached tokenizer beside the imports below: saves 1.1-1.4 s of start-up.
        preload_embedded_tokenizer()
    # Progress bars, transformers' warnings: to logging, not stderr (see quiet).
    with library_output_to_logging():
        if name in NAMED_MODELS:
            return load_named(name, options)
        source = resolve_source(name, allow_pickle=options.allow_pickle, revision=options.revision)
        return load_from_source(source, model_id=name, options=options)
