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


def resolve_dtype(dtype: Any, device: str) -> Any:
    """``None`` -> float32 on CPU, bfloat16 (or float16) on CUDA; names or torch dtypes."""
    import torch

    if dtype is None or dtype == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    if isinstance(dtype, torch.dtype):
        return dtype
    names = {
        "float32": torch.float32,
        "fp32": torch.float32,
        "bfloat16": torch.bfloat16,
        "bf16": torch.bfloat16,
        "float16": torch.float16,
        "fp16": torch.float16,
    }
    if dtype not in names:
        raise ValueError(f"unknown dtype {dtype!r}: use one of {sorted(names)} or a torch.dtype")
    return names[dtype]
