"""A total over a number whose own row contradicts it (总计 0 where the row's columns add up to 6) is not known:
the answer says so and gives each report's printed number, with no headline value. A rule across rows
(一+二 = 七+四) does not say which number is wrong, and the printed one is summed, flagged."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT

WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"
PINGTAN_2024 = ["036_pingtan_gonganju_2024.txt", "037_pingtan_ziranziyuanju_2024.txt",
                "038_pingtan_touzicujinju_2024.txt", "040_pingtan_haitanpianqu_2024.txt",
                "041_pingtan_shichangjianguanju_2024.txt"]
PINGTAN_2021 = ["005_pingtan_gonganju_2021.txt", "020_pingtan_ziranziyuanju_2021.txt",
                "022_pingtan_haitanpianqu_2021.txt", "053_pingtan_caijinju_2021.txt",
                "054_pingtan_junshanpianqu_2021.txt", "056_pingtan_shichangjianguanju_2021.txt"]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Answerer:
    folder: Path = tmp_path_factory.mktemp("contradicted")
    config = folder / "config.toml"
    config.write_text('[paths]\nreports = "reports"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    paths = [str(WILD / name) for name in PINGTAN_2024 + PINGTAN_2021]
    assert ingest_main(["--config", str(config), "--no-index", "--quiet", *paths]) == 0
    answerer = Answerer(load_config(config), dense=False)
    yield answerer
    answerer.close()


def test_a_total_over_a_row_that_contradicts_itself_is_not_known(service):
    # 海坛片区管理局 2024 prints 总计 0 for 本年新收 while its columns add up to 6
    answer = service.answer("平潭各单位2024年收到多少申请")
    assert answer.kind == "aggregate" and answer.value is None
    assert "合计不能确定" in answer.answer and "平潭综合实验区海坛片区管理局2024年" in answer.answer
    assert "照原文相加为81件" in answer.answer and any("总计 0 ≠ 各列之和 6" in w for w in answer.warnings)


def test_a_rule_across_rows_leaves_the_printed_total_summed_and_flagged(service):
    # 公安局 2021: 一+二 = 1 but 七+四 = 2; which row is wrong the report does not say
    answer = service.answer("2021年平潭收录的部门和片区合计收到多少政府信息公开申请")
    assert answer.value == 32 and any("勾稽关系不一致" in w for w in answer.warnings)
