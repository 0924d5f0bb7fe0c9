"""Model backends: the protocol, the Hugging Face backend, the scripted test double."""

from newsbrief.backends import quiet  # noqa: F401 - the newsbrief logger's NullHandler
from newsbrief.backends.base import Backend, Generation, GenerationConfig
from newsbrief.backends.options import LoadOptions
from newsbrief.backends.scripted import Call, ScriptedBackend, ScriptExhaustedError

__all__ = [
    "Backend",
    "Call",
    "Generation",
    "GenerationConfig",
    "LoadOptions",
    "ScriptExhaustedError",
    "ScriptedBackend",
    "load_backend",
]


def load_backend(model: str, **kwargs: object) -> Backend:
    """Load a Hugging Face model; see :func:`newsbrief.backends.loading.load_backend`."""
    from newsbrief.backends.loading import load_backend as _load

    return _load(model, **kwargs)  # type: ignore[arg-type]
