"""A report whose tables are cut off or missing answers for what it holds and says what it does not: never 0,
never 未填写."""
from __future__ import annotations

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.ingest.conftest import QIAOTOUHU, sample_text


def test_a_report_cut_before_its_tables_says_it_holds_no_table(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    text = sample_text(QIAOTOUHU)
    (reports / "qiaotouhu_cut.txt").write_text(text[: int(len(text) * 0.35)], encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    service = Answerer(load_config(config), dense=False)
    try:
        answer = service.answer("桥头胡街道2020年收到多少申请")
        assert answer.value is None
        assert "未包含表三的数据" in answer.answer, answer.answer
        assert "未填写" not in answer.answer
        text_answer = service.answer("桥头胡街道有哪些改进措施")  # its text is kept and searched
        assert text_answer.kind in ("narrative", "none")
    finally:
        service.close()
