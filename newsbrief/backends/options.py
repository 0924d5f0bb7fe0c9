"""The model-loading options, written once: :class:`LoadOptions`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypedDict, TypeVar

from newsbrief.backends.devices import check_device, check_dtype

_F = TypeVar("_F", bound=Callable[..., Any])


class LoadKeywords(TypedDict, total=False):
    """:class:`LoadOptions` as keyword arguments: what ``Briefer(**loading)`` and
    ``load_backend(model, **loading)`` accept (each one's meaning is on
    :class:`LoadOptions`; a test checks the two name the same options)."""

    device: str | None
    dtype: Any
    trust_remote_code: bool
    allow_pickle: bool
    revision: str | None
    use_chat_template: bool | None


@dataclass(frozen=True)
class LoadOptions:
    """How a model loads: one frozen object that loading, sources, ``Briefer``, Ray and the
    datasets cache key all read, checked when it is made.

    Attributes:
        device: ``"cpu"`` (default), ``"cuda"``, ``"cuda:N"`` or ``"auto"``.
        dtype: ``"float32"``, ``"bfloat16"``, ``"float16"`` (or ``fp32``/``bf16``/``fp16``,
            ``"auto"``), a ``torch.dtype``, or ``None`` for float32 on CPU and bfloat16
            (else float16) on CUDA.
        trust_remote_code: run model code shipped with the checkpoint (off by default).
        allow_pickle: allow ``.bin``/``.pt`` pickle checkpoints, which can run code on load.
        revision: hub revision (branch, tag or commit).
        use_chat_template: wrap prompts in the tokenizer's chat template (``None``: when
            the tokenizer has one); see :class:`newsbrief.backends.hf.HFBackend`.

    Raises:
        ValueError: an unknown device or dtype name.
        TypeError: a value of the wrong type.
    """

    device: str | None = None
    dtype: Any = None
    trust_remote_code: bool = False
    allow_pickle: bool = False
    revision: str | None = None
    use_chat_template: bool | None = None

    def __post_init__(self) -> None:
        check_device(self.device)
        check_dtype(self.dtype)
        for name in ("trust_remote_code", "allow_pickle"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False")
        if self.use_chat_template is not None and not isinstance(self.use_chat_template, bool):
            raise TypeError("use_chat_template must be True, False or None")
        if self.revision is not None and (
            not isinstance(self.revision, str) or not self.revision.strip()
        ):
            raise TypeError("revision must be a non-empty string or None")

    @classmethod
    def from_call(cls, load_options: LoadOptions | None, **keywords: Any) -> LoadOptions:
        """The options of a call that takes both ``load_options=`` and the loading keywords.

        Args:
            load_options: the object a caller passed, or ``None``.
            **keywords: the call's loading keywords (``device=``, ``dtype=``, ...).

        Raises:
            ValueError: ``load_options`` and a keyword other than its default both given.
            TypeError: ``load_options`` is not a ``LoadOptions``, or an unknown keyword.
        """
        defaults = {f.name: f.default for f in fields(cls)}
        unknown = sorted(set(keywords) - set(defaults))
        if unknown:
            raise TypeError(
                f"unexpected keyword arguments {unknown}; the loading options are "
                f"{sorted(defaults)}"
            )
        if load_options is None:
            return cls(**keywords)
        if not isinstance(load_options, LoadOptions):
            raise TypeError(
                f"load_options must be a LoadOptions, not {type(load_options).__name__}"
            )
        given = sorted(k for k, v in keywords.items() if v is not defaults[k])
        if given:
            raise ValueError(f"pass either load_options= or {', '.join(given)}=, not both")
        return load_options

    def as_dict(self) -> dict[str, Any]:
        """Every option by name, the dtype as text (for cache keys and logs)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if values["dtype"] is not None:
            values["dtype"] = str(values["dtype"])
        return values


def show_loading_keywords(func: _F) -> _F:
    """Give ``func`` (which takes ``**loading: Unpack[LoadKeywords]``) a signature that
    lists each loading option as a keyword with its default, so ``help()``, IDEs and
    Jupyter's signature help show ``device=``, ``dtype=``... instead of ``**loading``."""
    signature = inspect.signature(func)
    kept = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    keywords = [
        inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=f.type
        )
        for f in fields(LoadOptions)
    ]
    func.__signature__ = signature.replace(parameters=[*kept, *keywords])  # type: ignore[attr-defined]
    return func
