"""A fast structural check of a GGUF file (header, metadata and tensor table vs file size),
and the header itself read the same way (:func:`read_gguf_header`).

``gguf.GGUFReader`` builds arrays for every metadata value (13 s for a 250 MB model here);
this walks the header with ``struct`` only, so a truncated or corrupt file fails in well
under a second, and the embedded model's conversion reads its metadata and tensor table in
about as long (:mod:`newsbrief.backends.gguf_convert`).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MAGIC = b"GGUF"
_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
#: ``struct`` codes of the scalar value types (u8, i8, u16, i16, u32, i32, f32, bool, u64,
#: i64, f64).
_SCALAR_FORMATS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY, _UINT32 = 8, 9, 4
_DEFAULT_ALIGNMENT = 32
#: Deepest nesting of metadata arrays walked (real files nest at most 2: arrays of strings).
MAX_ARRAY_DEPTH = 64
#: Most dimensions a tensor has (``GGML_MAX_DIMS``).
MAX_TENSOR_DIMS = 4


class GGUFFormatError(ValueError):
    """The file is not a complete, well-formed GGUF file."""


@dataclass(frozen=True)
class GGUFTensorInfo:
    """One entry of a GGUF file's tensor table."""

    name: str
    dims: tuple[int, ...]
    """ggml's order: the fastest-moving dimension first (a row's length, then the rows)."""
    type_id: int
    """The ``GGMLQuantizationType`` value."""
    offset: int
    """Bytes from the start of the tensor data."""
    nbytes: int


@dataclass(frozen=True)
class GGUFHeader:
    """A GGUF file's metadata and tensor table, checked against the file's size."""

    metadata: dict[str, Any]
    """Scalars and strings as Python values, arrays of them as lists (an array of arrays as
    ``None``); empty when read with ``values=False``."""
    tensors: tuple[GGUFTensorInfo, ...]
    data_start: int
    """Where the tensor data begins in the file."""


def _decoded(raw: bytes, pos: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GGUFFormatError(f"a string that is not UTF-8 before byte {pos}") from exc


class _Cursor:
    def __init__(self, data: mmap.mmap) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise GGUFFormatError(f"file ends inside the header (at byte {self.pos}, needs {n})")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])

    def string(self) -> bytes:
        return self.take(self.u64())

    def text(self) -> str:
        return _decoded(self.string(), self.pos)

    def value(self, value_type: int) -> Any:
        """One metadata value: a scalar, a string, or an array of them (an array of arrays
        is skipped and read as ``None``)."""
        if value_type in _SCALAR_FORMATS:
            return struct.unpack(
                "<" + _SCALAR_FORMATS[value_type], self.take(_SCALAR_SIZES[value_type])
            )[0]
        if value_type == _STRING:
            return self.text()
        if value_type != _ARRAY:
            raise GGUFFormatError(f"unknown metadata value type {value_type} at byte {self.pos}")
        start = self.pos
        inner, count = self.u32(), self.u64()
        if inner in _SCALAR_FORMATS:
            raw = self.take(_SCALAR_SIZES[inner] * count)
            return list(struct.unpack(f"<{count}{_SCALAR_FORMATS[inner]}", raw))
        if inner == _STRING:
            return [self.text() for _ in range(count)]
        self.pos = start
        self.skip_value(value_type)
        return None

    def skip_value(self, value_type: int) -> None:
        """Skip one metadata value; arrays of arrays are walked with an explicit stack
        (never recursion) at most ``MAX_ARRAY_DEPTH`` deep."""
        # Items still to skip: (their type, how many, how deep in arrays they sit).
        pending: list[tuple[int, int, int]] = [(value_type, 1, 0)]
        while pending:
            item_type, count, depth = pending.pop()
            if item_type == _ARRAY:
                if count > 1:
                    pending.append((item_type, count - 1, depth))
                inner, inner_count = self.u32(), self.u64()
                if depth + 1 > MAX_ARRAY_DEPTH:
                    raise GGUFFormatError(
                        f"metadata arrays nested more than {MAX_ARRAY_DEPTH} deep "
                        f"(at byte {self.pos})"
                    )
                if inner_count:
                    pending.append((inner, inner_count, depth + 1))
            elif item_type == _STRING:
                for _ in range(count):
                    self.string()
            elif item_type in _SCALAR_SIZES:
                self.take(_SCALAR_SIZES[item_type] * count)
            else:
                raise GGUFFormatError(f"unknown metadata value type {item_type} at byte {self.pos}")


def check_gguf_structure(path: Path) -> int:
    """Return the number of tensors; raise ``GGUFFormatError`` if the file is damaged."""
    return len(read_gguf_header(path, values=False).tensors)


def read_gguf_header(path: Path, *, values: bool = True) -> GGUFHeader:
    """The metadata (``values``: else skipped) and tensor table of the GGUF file ``path``,
    checked as :func:`check_gguf_structure` checks them.

    Raises:
        GGUFFormatError: the file is not a complete, well-formed GGUF file.
        OSError: it cannot be read.
    """
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    with path.open("rb") as handle:
        if path.stat().st_size < 24:
            raise GGUFFormatError(f"{path.stat().st_size} bytes is too short for a GGUF header")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            cursor = _Cursor(data)
            if cursor.take(4) != _MAGIC:
                raise GGUFFormatError("bad magic: not a GGUF file")
            version = cursor.u32()
            if version < 2:
                raise GGUFFormatError(f"GGUF version {version} is not supported")
            n_tensors, n_kv = cursor.u64(), cursor.u64()
            alignment = _DEFAULT_ALIGNMENT
            metadata: dict[str, Any] = {}
            for _ in range(n_kv):
                key = cursor.string()
                value_type = cursor.u32()
                if key == b"general.alignment" and value_type == _UINT32:
                    alignment = cursor.u32()
                    if alignment <= 0 or alignment & (alignment - 1):
                        raise GGUFFormatError(f"alignment {alignment} is not a power of two")
                    if values:
                        metadata[_decoded(key, cursor.pos)] = alignment
                elif values:
                    metadata[_decoded(key, cursor.pos)] = cursor.value(value_type)
                else:
                    cursor.skip_value(value_type)
            data_end = 0
            tensors = []
            for _ in range(n_tensors):
                name = cursor.string()
                n_dims = cursor.u32()
                if n_dims > MAX_TENSOR_DIMS:
                    raise GGUFFormatError(f"a tensor with {n_dims} dimensions (at most 4)")
                dims = tuple(cursor.u64() for _ in range(n_dims))
                type_id, offset = cursor.u32(), cursor.u64()
                try:
                    block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(type_id)]
                except (ValueError, KeyError) as exc:
                    raise GGUFFormatError(f"unknown tensor type {type_id}") from exc
                elements = 1
                for dim in dims:
                    elements *= dim
                nbytes = elements // block * type_size
                data_end = max(data_end, offset + nbytes)
                tensors.append(
                    GGUFTensorInfo(_decoded(name, cursor.pos), dims, type_id, offset, nbytes)
                )
            start = (cursor.pos + alignment - 1) // alignment * alignment
            if start + data_end > len(data):
                raise GGUFFormatError(
                    f"truncated: tensors need {start + data_end} bytes, file has {len(data)}"
                )
            return GGUFHeader(metadata, tuple(tensors), start)
