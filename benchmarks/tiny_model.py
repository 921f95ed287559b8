"""A small sentence-transformers model built offline, for tests and benchmarks on a machine with no model hub.

It is a real ``SentenceTransformer`` (a ``StaticEmbedding`` module) over a character vocabulary taken from the
given texts, with seeded random vectors: the mean of a text's character vectors. It exercises the real loading,
encoding and FAISS code; it is not a good Chinese model (see the README on what a real one adds).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

__all__ = ["build_tiny_model"]


def build_tiny_model(texts: Iterable[str], folder: Path, dim: int = 64, seed: int = 0) -> Path:
    """Save a character-level StaticEmbedding model to ``folder`` and return it (load it by that path)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    chars = sorted({ch for text in texts for ch in text if not ch.isspace()})
    vocab = {"[UNK]": 0} | {ch: i + 1 for i, ch in enumerate(chars)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    weights = np.random.default_rng(seed).normal(size=(len(vocab), dim)).astype("float32")
    weights[0] = 0.0
    model = SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_weights=weights)], device="cpu")
    folder.mkdir(parents=True, exist_ok=True)
    model.save(str(folder))
    return folder
