"""One Hugging Face backend for encoder-decoder and decoder-only models.

The model class is decided from the config (``is_encoder_decoder``). ``HFBackend`` puts
together its parts, one module per job: the loaded model and tokenizer (``hf_model``),
generation (``hf_generate``), option scoring (``hf_score``) and pooled hidden states
(``hf_embed``). Finding and loading weights lives in ``sources`` (``loading`` for names),
the logits processors in ``processors``, the output-layer shortcuts in ``heads``, and the
greedy loop with reused prompt openings in ``decoding``.
"""

from __future__ import annotations

from newsbrief.backends.hf_embed import HFEmbedding
from newsbrief.backends.hf_generate import HFGeneration
from newsbrief.backends.hf_score import HFScoring


class HFBackend(HFGeneration, HFScoring, HFEmbedding):
    """A loaded ``transformers`` model and tokenizer behind the ``Backend`` protocol.

    Build it with :func:`newsbrief.backends.load_backend`, or directly from a model and
    tokenizer you already hold.

    Args:
        model: a ``PreTrainedModel`` (seq2seq or causal LM), already on its device.
        tokenizer: its tokenizer.
        model_id: the id reported in provenance.
        use_chat_template: wrap prompts in the tokenizer's chat template. ``None`` uses it
            when the tokenizer has one (instruction-tuned models) and never for seq2seq.
        loaded_from: where the weights came from (a path), for diagnostics.
        prompt_lookup: tokens drafted from the prompt per step of greedy single-prompt
            causal generation (0: off); the answer is the plain greedy answer.
        restricted_head: while a restricted answer is generated (``restrict_to`` /
            ``subsequence_of``), compute output logits only for the tokens it may use
            (see :mod:`newsbrief.backends.output_layer`); ``False`` runs the full output layer.
        sliced_scoring: score option tokens from the final hidden states, applying the
            output layer slice by slice of the vocabulary (less memory, the matrix read
            once per call); ``None`` turns it on when a probe shows nothing follows the
            output layer in the model's forward (e.g. no soft-capping); ``False``: off.
        prefix_cache: in greedy single-prompt causal decoding, start from the KV cache of
            the opening a prompt shares with one of the last few prompts (see
            :mod:`newsbrief.backends.decoding`).
    """

    def __repr__(self) -> str:
        return (
            f"HFBackend(model_id={self.model_id!r}, family={self.family!r}, "
            f"device={str(self.device)!r}, dtype={self.model.dtype})"
        )
