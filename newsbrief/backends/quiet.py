"""Loading a model writes nothing to stderr: third-party output goes to ``logging``.

``transformers`` and ``huggingface_hub`` each attach a stderr handler to their own loggers
and draw ``tqdm`` bars ("Loading weights", in a notebook also a ``TqdmWarning`` when
ipywidgets is missing). While :func:`library_output_to_logging` is active their bars are
off, their log records go to the :data:`THIRD_PARTY_LOGGER` logger, and Python warnings
raised are logged there too; everything is put back as it was on exit.

Logger names, for applications (the CLI's ``-v``/``--quiet``):

- ``newsbrief`` (:data:`LOGGER`): every newsbrief logger is under it. It has a
  ``NullHandler``, so a library user who configured no logging sees nothing.
- ``newsbrief.transformers`` (:data:`THIRD_PARTY_LOGGER`): what ``transformers``,
  ``huggingface_hub`` and Python warnings said while newsbrief loaded a model (records
  keep their own names, e.g. ``transformers.modeling_utils``).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

#: The logger every newsbrief logger is under.
LOGGER = "newsbrief"
#: Where third-party log records and warnings raised during a model load go.
THIRD_PARTY_LOGGER = "newsbrief.transformers"
#: The third-party loggers whose own stderr handlers are set aside during a load.
ROUTED_LOGGERS = ("transformers", "huggingface_hub")

if not any(isinstance(h, logging.NullHandler) for h in logging.getLogger(LOGGER).handlers):
    # The library convention: nothing is printed unless the application configures logging
    # (without it, Python's last-resort handler prints warnings to stderr).
    logging.getLogger(LOGGER).addHandler(logging.NullHandler())


class _Forward(logging.Handler):
    """Hands each record to :data:`THIRD_PARTY_LOGGER` (and so to newsbrief's handlers)."""

    def emit(self, record: logging.LogRecord) -> None:
        target = logging.getLogger(THIRD_PARTY_LOGGER)
        if target.isEnabledFor(record.levelno):
            target.handle(record)


@contextmanager
def library_output_to_logging() -> Iterator[None]:
    """While inside, ``transformers``/``huggingface_hub`` draw no progress bars and their log
    records and Python warnings go to :data:`THIRD_PARTY_LOGGER` instead of stderr.

    Handlers, propagation, progress-bar switches and warning filters are restored on exit
    (nesting is fine). The switches are process-wide while inside: another thread's
    downloads draw no bars during a load either.
    """
    # Both libraries attach their stderr handler on first use: have them do it now, so
    # that it is set aside here and put back on exit (not added inside and then lost).
    import huggingface_hub.utils.logging as hub_logging
    from transformers.utils import logging as hf_logging

    hf_logging.get_verbosity()
    hub_logging.get_verbosity()
    with ExitStack() as stack:
        for name in ROUTED_LOGGERS:
            stack.enter_context(routed(logging.getLogger(name), _Forward()))
        # Warnings first: switching the bars off can itself warn (a user's env setting).
        caught = stack.enter_context(warnings.catch_warnings(record=True))
        stack.enter_context(_progress_bars_off())
        try:
            yield
        finally:
            log = logging.getLogger(THIRD_PARTY_LOGGER)
            for warning in caught:
                log.warning(
                    "%s: %s (%s:%s)",
                    warning.category.__name__,
                    warning.message,
                    warning.filename,
                    warning.lineno,
                )


@contextmanager
def routed(logger: logging.Logger, handler: logging.Handler) -> Iterator[None]:
    """While inside, ``logger``'s records go to ``handler`` only (not to its own handlers
    nor its parents'); both are restored on the way out."""
    handlers, propagate = list(logger.handlers), logger.propagate
    logger.handlers = [handler]
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers = handlers
        logger.propagate = propagate


@contextmanager
def _progress_bars_off() -> Iterator[None]:
    """transformers' switch (it also flips huggingface_hub's); the hub's per-group states
    are put back as they were."""
    import importlib

    from transformers.utils import logging as hf_logging

    # The module (its package re-exports a class of the same name over it).
    hub_tqdm = importlib.import_module("huggingface_hub.utils.tqdm")
    states: dict[str, Any] | None = getattr(hub_tqdm, "progress_bar_states", None)
    saved = dict(states) if isinstance(states, dict) else None
    enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        if enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
        if saved is not None and isinstance(states, dict):
            states.clear()
            states.update(saved)
