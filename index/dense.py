"""Dense retrieval: an embedding model behind a small protocol, and a FAISS index of passage vectors.

The FAISS id of a vector is the passage's SQLite row id. The index lives in a versioned folder under the
configured index path; ``current`` is a symlink swapped atomically when a new build is complete, so a reader
never sees half an index. ``meta.json`` records model, dimension, count and build time; a mismatch with the
configured model is refused with a message that says what to run.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from ingest.errors import IndexMismatchError

if TYPE_CHECKING:
    import numpy as np  # imported where vectors are made: the read path of a number never needs it

__all__ = ["Embedder", "SentenceTransformerEmbedder", "OnnxEmbedder", "StaticEmbedder", "DenseIndex", "load_embedder", "current_dir",
           "read_meta"]


class Embedder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


def _prompts(folder: Path) -> dict[str, str]:
    """The query and passage prompts a sentence-transformers folder declares (e5: ``query: `` / ``passage: ``)."""
    try:
        return json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8")).get("prompts") or {}
    except (OSError, ValueError):
        return {}


def _known_instruction(name: str) -> str:
    """The query instruction a well-known model wants when it declares no prompt and none is configured."""
    return "为这个句子生成表示以用于检索相关文章：" if re.search(r"bge-[a-z]+-zh", name, re.I) else ""


class SentenceTransformerEmbedder:
    """A sentence-transformers model: normalised vectors; on queries and passages the prompts the model declares
    (e5's ``query: `` / ``passage: ``), or else the configured query instruction (bge's)."""

    def __init__(self, name: str, query_instruction: str = "", batch_size: int = 32, local_files_only: bool = False):
        from sentence_transformers import SentenceTransformer  # seconds to import: only when a model is wanted

        self.name = name
        self.model = SentenceTransformer(name, device="cpu", local_files_only=local_files_only)
        dimension = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dimension() or self.model.encode(["维度"]).shape[1])
        prompts = getattr(self.model, "prompts", None) or {}
        self.query_instruction = prompts.get("query", query_instruction or _known_instruction(name))
        self.passage_prefix = prompts.get("passage", "")
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype="float32")

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_instruction + t for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts])


class StaticEmbedder:
    """A model2vec static model (``python -m index model --static``): token vectors averaged, numpy only."""

    def __init__(self, folder: Path, query_instruction: str = ""):
        from model2vec import StaticModel

        self.name = model_fingerprint(folder, "config.json", "model.safetensors", "tokenizer.json")
        self.model = StaticModel.from_pretrained(str(folder))
        self.dim = int(self.model.dim)
        self.query_instruction = query_instruction

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.encode([self.query_instruction + t for t in texts]), dtype="float32")

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.encode(texts, batch_size=1024), dtype="float32")


def model_fingerprint(folder: Path, *files: str) -> str:
    """A name for the model in a folder that changes when the model does (rebuilt, replaced) and not when the
    folder moves: vectors are cached and indexes checked under it."""
    digest = hashlib.sha256()
    for name in files:
        path = folder / name
        stat = path.stat()
        digest.update(f"{name}:{stat.st_size}:".encode())
        digest.update(path.read_bytes() if stat.st_size < 1 << 20 else b"%d" % stat.st_mtime_ns)
    return f"{folder.name}@{digest.hexdigest()[:12]}"


class OnnxEmbedder:
    """The e5 folder built by ``python -m index model`` run through onnxruntime: no torch, about three times the
    speed of sentence-transformers on a CPU. Texts are cut at 512 tokens (with ``<s>`` and ``</s>``).

    One text per run: the int8 graph quantises its activations with one scale per run, so a text batched with
    others would get a vector that depends on them (the cache assumes a vector is a function of its text), and
    batching measured no faster here."""

    def __init__(self, folder: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        from .e5model import MARK, MAX_SEQ_LENGTH, ONNX_NAME

        self.folder = folder
        self.name = model_fingerprint(folder, MARK, "tokenizer.json", ONNX_NAME)
        prompts = _prompts(folder)
        self.query_instruction = prompts.get("query", "query: ")
        self.passage_prefix = prompts.get("passage", "passage: ")
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_SEQ_LENGTH)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0)) or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(folder / ONNX_NAME), options,
                                                    providers=["CPUExecutionProvider"])
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype="float32")
        for row, encoding in enumerate(self.tokenizer.encode_batch(texts)):
            ids = np.asarray([encoding.ids], dtype="int64")
            out[row] = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.query_instruction + t for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts])


def load_embedder(name: str, query_instruction: str = "", batch_size: int = 32) -> tuple[Embedder | None, str | None]:
    """(embedder, None), or (None, a one-line reason) when the model cannot be loaded (offline, not cached).

    A local folder or a model in the local cache loads without the network. Otherwise the hub is asked only when
    it answers at once: unreachable, huggingface_hub would retry for more than a minute before giving up.
    The e5 folder that ``python -m index model`` builds runs on onnxruntime, without torch.
    """
    from .e5model import folder_ready, is_e5_folder, is_static_folder

    folder = Path(name)
    try:
        if is_static_folder(folder) and importlib.util.find_spec("model2vec") is not None:
            return StaticEmbedder(folder, query_instruction), None
        if is_e5_folder(folder):
            if not folder_ready(folder):
                return None, (f"向量模型文件夹 {name} 还没有建好（运行 python -m index model，再运行 python -m index "
                              "build），只用关键词索引（BM25）回答。")
            return OnnxEmbedder(folder), None
        try:
            return SentenceTransformerEmbedder(name, query_instruction, batch_size, local_files_only=True), None
        except Exception:  # network, cache and format errors all mean the same to the user
            if Path(name).exists():
                raise
        endpoint = os.environ.get("HF_ENDPOINT") or "https://huggingface.co"
        if _offline() or not (_proxied() or _reachable(endpoint)):
            return None, (f"向量模型 {name} 无法加载（本机没有缓存，也连不上模型仓库 {endpoint}），"
                          "只用关键词索引（BM25）回答。")
        return SentenceTransformerEmbedder(name, query_instruction, batch_size), None
    except Exception as error:
        reason = str(error).splitlines()[0][:160] if str(error) else error.__class__.__name__
        return None, f"向量模型 {name} 无法加载（{reason}），只用关键词索引（BM25）回答。"


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def _proxied() -> bool:
    """Behind a proxy a direct probe says nothing: let huggingface_hub go through it."""
    return any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"))


def _reachable(url: str, timeout: float = 3.0) -> bool:
    """Whether a TCP connection to the URL's host opens within ``timeout`` seconds (the name lookup may take
    longer: it does not honour the timeout)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)),
                                      timeout=timeout):
            return True
    except OSError:
        return False


def current_dir(index_path: Path) -> Path:
    return index_path / "current"


def read_meta(index_path: Path) -> dict | None:
    meta = current_dir(index_path) / "meta.json"
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else None


class DenseIndex:
    def __init__(self, index, meta: dict):
        self.index = index
        self.meta = meta

    @classmethod
    def load(cls, index_path: Path, model: str, dim: int | None = None) -> DenseIndex | None:
        """The current index, or None when none has been built. Raises IndexMismatchError on another model."""
        import faiss

        meta = read_meta(index_path)
        if meta is None:
            return None
        if meta.get("model") != model or (dim is not None and meta.get("dim") != dim):
            raise IndexMismatchError(
                f"向量索引 {current_dir(index_path)} 是用模型 {meta.get('model')}（{meta.get('dim')} 维）建的，"
                f"配置的是 {model}；请运行 python -m index build 重建。")
        index = faiss.read_index(str(current_dir(index_path) / "dense.faiss"))
        return cls(index, meta)

    def search(self, query: np.ndarray, limit: int = 20, allowed_ids: list[int] | None = None) -> list[tuple[int, float]]:
        import faiss
        import numpy as np

        if self.index.ntotal == 0:
            return []
        params = None
        if allowed_ids is not None:
            if not allowed_ids:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed_ids, dtype="int64")))
        scores, ids = self.index.search(np.asarray(query, dtype="float32").reshape(1, -1), limit, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]


def swap_in(index_path: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` atomically, then remove older builds."""
    link = current_dir(index_path)
    tmp = index_path / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build_dir.name)
    os.replace(tmp, link)
    for old in index_path.glob("build-*"):
        if old.is_dir() and old.name != build_dir.name:
            for f in old.iterdir():
                f.unlink()
            old.rmdir()
