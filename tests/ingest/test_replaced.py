"""A corrected report stays served: the reports folder is the source of truth, and a rebuild from it (``/reindex``,
a fresh deploy) serves the version that was served, not whichever file sorts last. "Unchanged" is said only of the
version being served; an older version named again is served again."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.admin import add_report, rebuild_all
from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from ingest.ledger import Ledger
from tests.conftest import ROOT

QIAOTOUHU = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"
QUESTION = "桥头胡街道2020年收到多少申请"


def _corrected() -> bytes:
    """The 桥头胡街道 2020 report with 本年新收 corrected from 18 to 25 (自然人 and 总计)."""
    text = QIAOTOUHU.read_text(encoding="utf-8")
    label = "一、本年新收政府信息公开申请数量"
    start = text.index(label)
    end = text.index("二、", start)
    block = re.sub(r"\t18\n", "\t25\n", text[start:end])
    assert block.count("\t25\n") == 2
    return (text[:start] + block + text[end:]).encode("utf-8")


def _value(config_path: Path) -> float | None:
    service = Answerer(load_config(config_path), dense=False)
    try:
        return service.answer(QUESTION).value
    finally:
        service.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "002_qiaotouhu_2020.txt").write_bytes(QIAOTOUHU.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--quiet", "--no-index"]) == 0
    assert _value(config) == 18
    return config


def test_an_uploaded_correction_survives_a_rebuild_and_is_unchanged_when_sent_again(folder):
    config = load_config(folder)
    outcome, service = add_report(config, _corrected(), "桥头胡2020更正.txt", None)
    assert outcome.status == "replaced" and service is not None
    assert service.answer(QUESTION).value == 25
    result = rebuild_all(config, service)  # the old file is still in the folder, and sorts last
    assert result.service.answer(QUESTION).value == 25
    assert [o.status for o in result.outcomes if o.path.name == "002_qiaotouhu_2020.txt"] == ["superseded"]
    again, _ = add_report(config, _corrected(), "桥头胡2020更正.txt", result.service)
    assert again.status == "unchanged"
    assert _value(folder) == 25


def test_a_fresh_store_from_the_folder_serves_the_correction(folder, capsys):
    config = load_config(folder)
    (config.paths.reports / "zz_qiaotouhu_corrected.txt").write_bytes(_corrected())
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 25
    entries = list(Ledger(config.paths.reports).entries.values())  # the folder records which file replaced which
    assert [(e["name"], e["by"]) for e in entries] == [("002_qiaotouhu_2020.txt", "zz_qiaotouhu_corrected.txt")]
    config.paths.database.unlink()  # a fresh deploy: the folder is all there is
    capsys.readouterr()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 25
    out = capsys.readouterr().out
    assert "· 002_qiaotouhu_2020.txt：是旧版本，这份报告现由 zz_qiaotouhu_corrected.txt 提供" in out
    # a second run changes nothing, and says the old file is an older version, not that it is "unchanged"
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    out = capsys.readouterr().out
    assert "002_qiaotouhu_2020.txt：是旧版本" in out and "002_qiaotouhu_2020.txt：已入库，内容未变" not in out


def test_an_older_version_named_again_is_served_again(folder, capsys):
    config = load_config(folder)
    corrected = config.paths.reports / "zz_qiaotouhu_corrected.txt"
    corrected.write_bytes(_corrected())
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index", str(corrected)]) == 0
    assert _value(folder) == 25
    old = config.paths.reports / "002_qiaotouhu_2020.txt"
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index", str(old)]) == 0
    assert "[替换]" in capsys.readouterr().out
    assert _value(folder) == 18
    config.paths.database.unlink()  # and a rebuild honours that choice
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 18


def _docx_with(tmp_path: Path, name: str, mangle) -> Path:
    """A real .docx whose word/document.xml is rewritten by ``mangle``."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("桥头胡街道2020年政府信息公开工作年度报告")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "信息内容"
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, mangle(data.decode("utf-8")).encode("utf-8") if item.filename == "word/document.xml"
                         else data)
    return path


@pytest.mark.parametrize("mangle", [
    lambda xml: xml[:len(xml) // 2],  # truncated XML
    lambda xml: xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="two"/>', 1).replace(
        "<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="two"/></w:tcPr>', 1),  # a span that is not a number
], ids=["truncated", "gridspan-text"])
def test_a_broken_docx_is_one_failed_line_and_the_files_after_it_are_stored(tmp_path, mangle, capsys):
    reports = tmp_path / "reports"
    reports.mkdir()
    _docx_with(reports, "000_broken.docx", mangle)
    (reports / "002_qiaotouhu_2020.txt").write_bytes(QIAOTOUHU.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--quiet", "--no-index"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("✗")] == [next(l for l in lines if "000_broken.docx" in l)]
    assert any(line.startswith("✓ 002_qiaotouhu_2020.txt") for line in lines)
    assert _value(config) == 18


def test_a_correction_ingested_from_outside_the_folder_survives_a_fresh_deploy(folder, tmp_path, capsys):
    config = load_config(folder)
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    corrected = elsewhere / "桥头胡2020更正.txt"
    corrected.write_bytes(_corrected())
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index", str(corrected)]) == 0
    assert _value(folder) == 25
    capsys.readouterr()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0  # the folder again
    assert _value(folder) == 25
    assert "已不在报告文件夹里" not in capsys.readouterr().out  # served from where the record says it came from
    config.paths.database.unlink()  # a fresh deploy: the folder and its record are all there is
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 25
    corrected.unlink()  # the correction is gone from where it was: said, and the folder's own file is read
    config.paths.database.unlink()
    capsys.readouterr()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert "桥头胡2020更正.txt：曾从报告文件夹以外入库，现已不在原处" in capsys.readouterr().out
    assert _value(folder) == 18


def _with_correction_in_folder(folder) -> Path:
    config = load_config(folder)
    corrected = config.paths.reports / "zz_qiaotouhu_corrected.txt"
    corrected.write_bytes(_corrected())
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 25
    return corrected


def test_a_renamed_correction_is_still_the_one_served_after_a_fresh_deploy(folder):
    corrected = _with_correction_in_folder(folder)
    corrected.rename(corrected.with_name("renamed.txt"))  # the record follows the file's digest, not its name
    load_config(folder).paths.database.unlink()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 0
    assert _value(folder) == 25


def test_a_correction_broken_or_gone_lets_the_older_file_be_read_again(folder):
    corrected = _with_correction_in_folder(folder)
    corrected.write_bytes(b"\x00\x01 not a report any more")
    load_config(folder).paths.database.unlink()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 1  # the broken file: one ✗ line
    assert _value(folder) == 18  # not nothing: the older version is what the folder holds


def test_two_writers_of_the_record_keep_each_others_entries(folder, tmp_path):
    from ingest.pipeline import FileOutcome

    reports = load_config(folder).paths.reports
    first, second = Ledger(reports), Ledger(reports)  # a CLI run and a bot upload, both open at once
    first.note(FileOutcome(reports / "a2.txt", "replaced", replaced_source="a1.txt", replaced_sha256="a1",
                           sha256="a2"))
    second.note(FileOutcome(reports / "b2.txt", "replaced", replaced_source="b1.txt", replaced_sha256="b1",
                            sha256="b2"))
    assert first.save() is None and second.save() is None
    assert set(Ledger(reports).entries) == {"a1", "b1"}


def test_the_record_is_written_when_a_run_is_interrupted(folder, monkeypatch):
    import ingest.pipeline as pipeline

    config = load_config(folder)
    (config.paths.reports / "zz_qiaotouhu_corrected.txt").write_bytes(_corrected())
    (config.paths.reports / "zzz_dongliu.txt").write_bytes((ROOT / "data" / "reports" / "001_785ebbaa410aaa3a.txt")
                                                           .read_bytes())
    real = pipeline.check_file

    def interrupted(path, *args, **kwargs):
        if path.name == "zzz_dongliu.txt":
            raise KeyboardInterrupt
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_file", interrupted)
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) == 130
    assert [e["by"] for e in Ledger(config.paths.reports).entries.values()] == ["zz_qiaotouhu_corrected.txt"]


def test_a_run_that_replaces_nothing_writes_no_record(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / QIAOTOUHU.name).write_bytes(QIAOTOUHU.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--quiet", "--no-index"]) == 0
    assert sorted(p.name for p in reports.iterdir()) == [QIAOTOUHU.name]


def test_a_report_whose_file_left_the_folder_is_named(folder, capsys):
    config = load_config(folder)
    (config.paths.reports / "002_qiaotouhu_2020.txt").unlink()
    capsys.readouterr()
    assert ingest_main(["--config", str(folder), "--quiet", "--no-index"]) in (0, 1)
    out = capsys.readouterr().out
    assert "桥头胡街道 2020年：文件 002_qiaotouhu_2020.txt 已不在报告文件夹里" in out
