"""A fast structural check of a GGUF file: header, metadata and tensor table vs file size.

``gguf.GGUFReader`` builds arrays for every metadata value (13 s for a 250 MB model here);
this walks the header with ``struct`` only, so a truncated or corrupt file fails in well
under a second.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

_MAGIC = b"GGUF"
_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY, _UINT32 = 8, 9, 4
_DEFAULT_ALIGNMENT = 32
#: Deepest nesting of metadata arrays walked (real files nest at most 2: arrays of strings).
MAX_ARRAY_DEPTH = 64
#: Most dimensions a tensor has (``GGML_MAX_DIMS``).
MAX_TENSOR_DIMS = 4


class GGUFFormatError(ValueError):
    """The file is not a complete, well-formed GGUF file."""


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
            for _ in range(n_kv):
                key = cursor.string()
                value_type = cursor.u32()
                if key == b"general.alignment" and value_type == _UINT32:
                    alignment = cursor.u32()
                    if alignment <= 0 or alignment & (alignment - 1):
                        raise GGUFFormatError(f"alignment {alignment} is not a power of two")
                else:
                    cursor.skip_value(value_type)
            data_end = 0
            for _ in range(n_tensors):
                cursor.string()
                n_dims = cursor.u32()
                if n_dims > MAX_TENSOR_DIMS:
                    raise GGUFFormatError(f"a tensor with {n_dims} dimensions (at most 4)")
                dims = [cursor.u64() for _ in range(n_dims)]
                type_id, offset = cursor.u32(), cursor.u64()
                try:
                    block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(type_id)]
                except (ValueError, KeyError) as exc:
                    raise GGUFFormatError(f"unknown tensor type {type_id}") from exc
                elements = 1
                for dim in dims:
                    elements *= dim
                data_end = max(data_end, offset + elements // block * type_size)
            start = (cursor.pos + alignment - 1) // alignment * alignment
            if start + data_end > len(data):
                raise GGUFFormatError(
                    f"truncated: tensors need {start + data_end} bytes, file has {len(data)}"
                )
            return n_tensors
