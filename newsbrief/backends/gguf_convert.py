"""The embedded model's GGUF straight into its compact cache (issue 26: the first conversion).

Loading the GGUF through ``transformers`` (``from_pretrained(gguf_file=...)``) and saving the
model took 55 s on a quiet 2-core machine: its loader parses the file's metadata with
``gguf.GGUFReader`` once for the config, once for the model and once more for the tokenizer's
config (8-14 s each: the 262k-token vocabulary is read value by value), builds a full float32
model and de-quantises the 670 MB token embedding that the compact copy does not keep.

This reads the header once with ``struct`` (:func:`~newsbrief.backends.gguf_check.read_gguf_header`,
0.3 s), de-quantises each layer's tensor with the ``gguf`` package's own
``gguf.quants.dequantize`` (the function ``transformers``' loader calls), keeps the token
embedding as the file's ``Q8_0`` blocks (:mod:`newsbrief.backends.compact`) and takes from
``transformers`` what it knows about the architecture, as its GGUF loader
(``transformers.modeling_gguf_pytorch_utils.load_gguf_checkpoint``) uses it:

- the config: the metadata keys renamed by ``GGUF_CONFIG_MAPPING`` (the architecture's and
  ``general``'s), the output layer tied when the file has no ``output.weight``, the vocabulary's
  size from its tokens, Gemma 3's text-only model type;
- the tensor names: the ``gguf`` package's name map (what ``get_gguf_hf_weights_map`` uses)
  over the parameter names of the model, newsbrief's own Gemma 3
  (:mod:`newsbrief.backends.gemma3`: ``transformers``' names) built on the ``meta`` device
  (no memory, no initialisation, no import of ``transformers``' modelling code);
- the values: the architecture's ``TENSOR_PROCESSORS`` entry (Gemma stores its norm weights
  plus one, and the processor takes the one off; Gemma has no Q/K permutation);
- the tokenizer: the config's tokenizer class, ``from_pretrained(gguf_file=...)`` (it reads the
  vocabulary only, not the tensors).

The copy is the one the ``transformers`` route wrote: every tensor bit for bit, the same
config, generation config and tokenizer files (``tests/backends/test_gguf_convert.py`` on a
tiny Gemma 3 GGUF; on the embedded model ``tests/backends/test_gguf_convert_embedded.py``,
against ``transformers``' loader, and ``benchmarks/bench_conversion.py``, against the
conversion before this one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsbrief.backends.gguf_check import GGUFHeader, GGUFTensorInfo, read_gguf_header

#: Architectures converted here: those whose output layer is tied to a ``Q8_0`` token
#: embedding in the files newsbrief ships (the compact layout's requirement).
ARCHITECTURES = ("gemma3",)
#: The GGUF name of the token embedding.
TOKEN_EMBEDDING = "token_embd.weight"
#: ``model_type`` of the text-only model a GGUF of these architectures holds.
_TEXT_MODEL_TYPES = {"gemma3": "gemma3_text"}


class GGUFConversionError(ValueError):
    """The GGUF file is well formed but not a model this conversion handles."""


def convert_gguf(gguf_path: Path, out: Path) -> str:
    """Write the compact copy of the GGUF model ``gguf_path`` into ``out``: config,
    generation config, tokenizer, the layers in float32 and the token embedding as the
    file's ``Q8_0`` blocks. Returns the weights' description for the cache's marker.

    Raises:
        GGUFFormatError: the file is damaged (:mod:`newsbrief.backends.gguf_check`).
        GGUFConversionError: another architecture, an untied output layer, a token
            embedding that is not ``Q8_0``, or tensors that do not make the model.
        OSError: a file cannot be read or written.
    """
    import torch
    from transformers import GenerationConfig

    from newsbrief.backends import compact, gemma3

    header = read_gguf_header(gguf_path)
    architecture = header.metadata.get("general.architecture")
    if architecture not in ARCHITECTURES:
        raise GGUFConversionError(
            f"{gguf_path}: a GGUF of architecture {architecture!r}; this conversion handles "
            f"{', '.join(ARCHITECTURES)}"
        )
    settings = gguf_config_dict(header)
    config = _config(settings)
    # what transformers' GGUF load records in the config it saves
    config.dtype = torch.float32
    config.quantization_config = {
        "dequantize": False,
        "gguf_file": gguf_path.name,
        "quant_method": "gguf",
    }
    if not config.tie_word_embeddings:
        raise GGUFConversionError(
            f"{gguf_path}: an output layer of its own; the compact layout needs it tied to "
            "the token embedding"
        )
    values = config.to_dict()
    if not gemma3.computes_exactly(values):
        raise GGUFConversionError(f"{gguf_path}: not a Gemma 3 text model newsbrief computes")
    # newsbrief's own Gemma 3 on the meta device gives the parameters' names (transformers'
    # own, without importing its modelling code: 2-2.6 s); it has no embedding of its own
    model = gemma3.build(values)
    generation = GenerationConfig.from_model_config(config)
    embedding = {_module_name(model, model.get_input_embeddings()) + ".weight"}
    mapping = _weights_map([*model.state_dict(), *embedding], settings)
    data = _mapped(gguf_path)
    by_name = {info.name: info for info in header.tensors}
    embedding_info = by_name.get(TOKEN_EMBEDDING)
    if embedding_info is None or mapping.get(TOKEN_EMBEDDING) not in embedding:
        raise GGUFConversionError(f"{gguf_path}: no token embedding {TOKEN_EMBEDDING!r}")
    q, scale = _q8_0_embedding(gguf_path, header, embedding_info, data, config)
    layers = _layers(header, data, mapping, settings, skip=embedding_info.name)
    expected = set(model.state_dict())
    missing, unexpected = sorted(expected - set(layers)), sorted(set(layers) - expected)
    if missing or unexpected:
        raise GGUFConversionError(
            f"{gguf_path}: the tensors do not make a {config.model_type} model: missing "
            f"{missing[:5]}, unexpected {unexpected[:5]}"
        )
    _save_tokenizer(gguf_path, config.model_type, out)
    compact.write_compact(config, generation, layers, q, scale, out)
    return f"{config.dtype} layers, Q8_0 embedding"


def gguf_config_dict(header: GGUFHeader) -> dict[str, Any]:
    """The ``transformers`` config of the file's model as ``transformers``' GGUF loader
    builds it for these architectures (its key mapping, applied to the metadata)."""
    from transformers.integrations.ggml import GGUF_CONFIG_MAPPING

    renames: dict[str, dict[str, Any]] = GGUF_CONFIG_MAPPING  # type: ignore[assignment]
    metadata = header.metadata
    architecture = str(metadata["general.architecture"])
    settings: dict[str, Any] = {
        "tie_word_embeddings": all(info.name != "output.weight" for info in header.tensors)
    }
    for key, value in metadata.items():
        prefix, _, rest = key.partition(".")
        renamed = renames.get(prefix, {}).get(rest)
        if renamed is None or renamed == -1:
            continue
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        settings[renamed] = value
    settings["model_type"] = _TEXT_MODEL_TYPES.get(architecture, architecture)
    if "vocab_size" not in settings and isinstance(metadata.get("tokenizer.ggml.tokens"), list):
        settings["vocab_size"] = len(metadata["tokenizer.ggml.tokens"])
    return settings


def _config(settings: dict[str, Any]) -> Any:
    from transformers import AutoConfig

    config_class = type(AutoConfig.for_model(settings["model_type"]))
    return config_class.from_dict(dict(settings))


def _module_name(model: Any, module: Any) -> str:
    return str(next(name for name, found in model.named_modules() if found is module))


def _weights_map(state_names: list[str], settings: dict[str, Any]) -> dict[str, str]:
    """GGUF tensor name -> state-dict name: the ``gguf`` package's name map of the
    architecture applied to each state-dict name, as ``transformers``'
    ``get_gguf_hf_weights_map`` applies it to the whole model (it applies it again to every
    submodule, rebuilding the map each time: 4 s; the whole model's names map them all)."""
    from gguf import MODEL_ARCH_NAMES, get_tensor_name_map

    architecture = _architecture(settings)
    arch = next((key for key, name in MODEL_ARCH_NAMES.items() if name == architecture), None)
    if arch is None:
        raise GGUFConversionError(
            f"the gguf package does not know the architecture {architecture!r}"
        )
    names = get_tensor_name_map(arch, int(settings["num_hidden_layers"]))
    mapping: dict[str, str] = {}
    for hf_name in state_names:
        base, suffix = hf_name, ""
        if hf_name.endswith((".weight", ".bias")):
            base, _, end = hf_name.rpartition(".")
            suffix = f".{end}"
        gguf_name = names.get_name(base)
        if gguf_name is not None:
            mapping[gguf_name + suffix] = hf_name
    return mapping


def _architecture(settings: dict[str, Any]) -> str:
    model_type = str(settings["model_type"])
    return next((a for a, t in _TEXT_MODEL_TYPES.items() if t == model_type), model_type)


def _mapped(path: Path) -> Any:
    import numpy as np

    return np.memmap(path, dtype=np.uint8, mode="r")


def _raw(data: Any, header: GGUFHeader, info: GGUFTensorInfo) -> Any:
    """The tensor's bytes, shaped as ``gguf.GGUFReader`` shapes them (rows of blocks)."""
    from gguf import GGMLQuantizationType
    from gguf.quants import quant_shape_to_byte_shape

    start = header.data_start + info.offset
    shape = quant_shape_to_byte_shape(
        tuple(reversed(info.dims)), GGMLQuantizationType(info.type_id)
    )
    return data[start : start + info.nbytes].reshape(shape)


def _layers(
    header: GGUFHeader, data: Any, mapping: dict[str, str], settings: dict[str, Any], skip: str
) -> dict[str, Any]:
    """Every mapped tensor but ``skip``, de-quantised to float32 and processed as
    ``transformers``' loader does, by state-dict name."""
    import numpy as np
    import torch
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize
    from transformers.modeling_gguf_pytorch_utils import TENSOR_PROCESSORS, TensorProcessor

    processor: Any = TENSOR_PROCESSORS.get(_architecture(settings), TensorProcessor)
    processor = processor(config=settings)
    layers: dict[str, Any] = {}
    for info in header.tensors:
        if info.name == skip:
            continue
        weights = dequantize(_raw(data, header, info), GGMLQuantizationType(info.type_id))
        result = processor.process(
            weights=weights,
            name=info.name,
            tensor_key_mapping=mapping,
            parsed_parameters={"tensors": layers},
        )
        if result.name not in mapping:
            continue
        layers[mapping[result.name]] = torch.from_numpy(np.copy(result.weights)).to(torch.float32)
    return layers


def _q8_0_embedding(
    gguf_path: Path, header: GGUFHeader, info: GGUFTensorInfo, data: Any, config: Any
) -> tuple[Any, Any]:
    """The bytes and scales of the file's ``Q8_0`` token embedding."""
    from gguf import GGMLQuantizationType

    from newsbrief.backends import compact

    if info.type_id != GGMLQuantizationType.Q8_0:
        raise GGUFConversionError(
            f"{gguf_path}: the token embedding is {GGMLQuantizationType(info.type_id).name}, "
            "not the Q8_0 the compact cache keeps"
        )
    rows, columns = int(config.vocab_size), int(config.hidden_size)
    if tuple(info.dims) != (columns, rows):
        raise GGUFConversionError(
            f"{gguf_path}: a token embedding of {info.dims} for {rows} tokens of {columns}"
        )
    return compact.q8_0_blocks(_raw(data, header, info), rows, columns)


def _save_tokenizer(gguf_path: Path, model_type: str, out: Path) -> None:
    """The tokenizer of the config's class, built from the file (its vocabulary only), saved."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(
        str(gguf_path.parent),
        gguf_file=gguf_path.name,
        tokenizer_type=model_type,
        local_files_only=True,
        trust_remote_code=False,
    )
    tokenizer.save_pretrained(out)
