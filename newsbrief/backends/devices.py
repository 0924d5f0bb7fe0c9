"""Devices and dtypes: what ``device=`` and ``dtype=`` accept and what they resolve to."""

from __future__ import annotations

import re
from typing import Any

from newsbrief.errors import ModelLoadError

#: Devices ``Briefer(device=...)`` and ``--device`` accept (see :func:`resolve_device`).
_DEVICE = re.compile(r"cpu|auto|cuda(:\d+)?")


def device_problem(device: str | None) -> str | None:
    """Why ``--device`` cannot work (checked before any model loads), or ``None``."""
    if device is None or _DEVICE.fullmatch(device):
        return None
    return f"unknown --device {device!r}: use cpu, cuda, cuda:N or auto"


def resolve_device(device: str | None) -> str:
    """``None``/``"cpu"`` -> CPU; ``"cuda"`` only when available; ``"auto"`` picks."""
    import torch

    if device in (None, "cpu"):
        return "cpu"
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if str(device).startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelLoadError(
                f"device={device!r} was asked for but CUDA is not available in this torch "
                "build or machine; use device='cpu' or device='auto'"
            )
        return str(device)
    raise ValueError(f"unknown device {device!r}: use 'cpu', 'cuda', 'cuda:N' or 'auto'")


#: The dtype names ``dtype=`` accepts, and the ``torch`` dtype each stands for.
DTYPE_NAMES = {
    "float32": "float32",
    "fp32": "float32",
    "bfloat16": "bfloat16",
    "bf16": "bfloat16",
    "float16": "float16",
    "fp16": "float16",
}


def check_device(device: object) -> None:
    """Raise if ``device`` is not one :func:`resolve_device` accepts (no torch needed).

    Raises:
        TypeError: ``device`` is neither a string nor ``None``.
        ValueError: an unknown device name.
    """
    if device is not None and not isinstance(device, str):
        raise TypeError(f"device must be a string or None, not {type(device).__name__}")
    if device_problem(device) is not None:
        raise ValueError(f"unknown device {device!r}: use 'cpu', 'cuda', 'cuda:N' or 'auto'")


def check_dtype(dtype: object) -> None:
    """Raise if ``dtype`` is not one :func:`resolve_dtype` accepts.

    Raises:
        TypeError: ``dtype`` is neither ``None``, a name nor a ``torch.dtype``.
        ValueError: an unknown dtype name.
    """
    if dtype is None or dtype == "auto":
        return
    if isinstance(dtype, str):
        if dtype not in DTYPE_NAMES:
            raise ValueError(
                f"unknown dtype {dtype!r}: use one of {sorted(DTYPE_NAMES)} or a torch.dtype"
            )
        return
    import torch

    if not isinstance(dtype, torch.dtype):
        raise TypeError(f"dtype must be a name or a torch.dtype, not {type(dtype).__name__}")


def resolve_dtype(dtype: Any, device: str) -> Any:
    """``None`` -> float32 on CPU, bfloat16 (or float16) on CUDA; names or torch dtypes."""
    import torch

    check_dtype(dtype)
    if dtype is None or dtype == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    if isinstance(dtype, torch.dtype):
        return dtype
    return getattr(torch, DTYPE_NAMES[dtype])
