"""Exports (``python -m index export``, ``index.export``): one row per stored cell in the template's order, as CSV
(UTF-8 with BOM), XLSX (a sheet per table, frozen bold header) and JSON; blank and unknown cells empty, never 0;
findings too; a body as users write it; one Chinese line for a user error.

The numbers checked here were read by eye from the shipped samples in data/reports: 002_c98c7a4ac036b6ca.txt
(桥头胡街道 2020, 表三 一、本年新收 18 … 18, 四、结转下年度继续办理 7 … 7), 003_faf2576bdefa9143.txt (王家街道 2019,
表二 其他对外管理服务事项 128 / -8 / 11924) and 001_785ebbaa410aaa3a.txt (东柳街道 2020, 表三 本年新收: six empty
cells, then 无 under 总计)."""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from index.cli import main as index_main
from index.export import CellRow, Export, ExportError, export_rows, write_csv, write_files, write_xlsx
from ingest.config import load_config
from ingest.template import TABLE3, table2_spec
from tests.index.conftest import write_config

HEADER = ["机关", "机关全称", "年度", "模板版本", "表", "行键", "行", "列键", "列", "数值", "单位", "读取方式", "读取代码",
          "说明", "原文", "报告标题", "来源文件"]


def export(config: Path, *args: str) -> int:
    return index_main(["export", "--config", str(config), *args])


def cell_count(database: Path, where: str = "1", args: tuple = ()) -> int:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM cells c JOIN reports r ON r.id = c.report_id WHERE {where}",
                            args).fetchone()[0]
    finally:
        conn.close()


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def find(rows: list[dict], body: str, table: str, row_key: str, col_key: str) -> dict:
    [row] = [r for r in rows if (r["机关"], r["表"], r["行键"], r["列键"]) == (body, table, row_key, col_key)]
    return row


@pytest.fixture(scope="module")
def workbook(store_config: Path, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "全部.xlsx"
    assert export(store_config, "-o", str(path)) == 0
    return openpyxl.load_workbook(path)


def test_xlsx_has_one_sheet_per_table_with_a_frozen_bold_header(workbook, database: Path):
    assert workbook.sheetnames == ["表二", "表三", "表四"]
    for sheet in workbook:
        assert [c.value for c in sheet[1]] == HEADER
        assert all(c.font.b for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["G"].width > sheet.column_dimensions["E"].width  # 行 wider than 表
        assert {r["表"] for r in rows_of(sheet)} == {sheet.title[1]}
    assert sum(sheet.max_row - 1 for sheet in workbook) == cell_count(database)


def test_xlsx_values_read_by_eye_from_the_samples(workbook):
    t3, t2 = rows_of(workbook["表三"]), rows_of(workbook["表二"])
    received = find(t3, "桥头胡街道", "三", "new_received", "total")
    assert received["数值"] == 18 and isinstance(received["数值"], int)
    assert received["行"] == "一、本年新收政府信息公开申请数量" and received["列"] == "总计"
    assert received["年度"] == 2020 and received["读取方式"] == "原文写明" and received["原文"] == "18"
    assert received["来源文件"] == "002_c98c7a4ac036b6ca.txt" and received["报告标题"].startswith("桥头胡街道")
    assert find(t3, "桥头胡街道", "三", "carried_forward", "natural_person")["数值"] == 7
    assert [find(t2, "王家街道", "二", "other_services", c)["数值"] for c in ("previous_items", "change", "decisions")] \
        == [128, -8, 11924]
    assert find(t2, "王家街道", "二", "other_services", "decisions")["机关全称"] == "重庆市渝北区人民政府王家街道办事处"


def test_blank_is_an_empty_cell_not_zero(workbook):
    t3 = rows_of(workbook["表三"])
    blank = find(t3, "东柳街道", "三", "new_received", "natural_person")
    assert blank["数值"] is None and blank["读取方式"] == "空白（未填写）" and blank["读取代码"] == "blank"
    written_none = find(t3, "东柳街道", "三", "new_received", "total")  # 无: stated as none, 0
    assert written_none["数值"] == 0 and written_none["原文"] == "无" and written_none["读取代码"] == "stated"
    assert all(r["数值"] is None for r in t3 if r["读取代码"] in ("blank", "no_row", "unknown"))
    assert all(r["数值"] is not None for r in t3 if r["读取代码"] == "stated")


def test_rows_follow_the_template_order(workbook):
    t3 = rows_of(workbook["表三"])
    order = {(row.key, col.key): (i, j) for i, row in enumerate(TABLE3.rows) for j, col in enumerate(row.columns)}
    bodies = list(dict.fromkeys(r["机关"] for r in t3))
    assert bodies == sorted(bodies)  # report by report
    for body in bodies:
        mine = [order[(r["行键"], r["列键"])] for r in t3 if r["机关"] == body]
        assert mine == sorted(mine)
        assert t3[[r["机关"] for r in t3].index(body)]["行键"] == "new_received"
    first = [(r["行键"], r["列键"]) for r in t3 if r["机关"] == "桥头胡街道"][:7]
    assert first == [("new_received", c.key) for c in TABLE3.rows[0].columns]
    t2 = [r for r in rows_of(workbook["表二"]) if r["机关"] == "王家街道"]
    assert list(dict.fromkeys(r["行键"] for r in t2)) == [row.key for row in table2_spec("2019").rows]


def test_csv_is_utf8_with_bom_and_the_same_columns(store_config: Path, tmp_path: Path, capsys):
    path = tmp_path / "桥头胡.csv"
    assert export(store_config, "--body", "桥头胡", "-o", str(path)) == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert header == HEADER
    assert {r["机关"] for r in rows} == {"桥头胡街道"}
    assert find(rows, "桥头胡街道", "三", "new_received", "total")["数值"] == "18"
    assert capsys.readouterr().out.strip() == f"已写入 {len(rows)} 行单元格到 {path}。"


def test_csv_keeps_blank_empty_and_negative_numbers_plain(store_config: Path, tmp_path: Path):
    path = tmp_path / "out.csv"
    assert export(store_config, "--body", "东柳", "--year", "2020", "-o", str(path)) == 0
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
    assert find(rows, "东柳街道", "三", "new_received", "natural_person")["数值"] == ""
    path = tmp_path / "wang.csv"
    assert export(store_config, "--body", "王家街道", "--table", "二", "-o", str(path)) == 0
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig", newline="")))
    change = find(rows, "王家街道", "二", "other_services", "change")
    assert change["数值"] == "-8" and change["原文"] == "-8"


def test_json_is_a_list_of_objects_filtered_by_body_year_and_table(store_config: Path, database: Path,
                                                                    tmp_path: Path, capsys):
    path = tmp_path / "t3.json"
    assert export(store_config, "--body", "东柳", "--year", "2020", "--table", "三", "-o", str(path)) == 0
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert len(rows) == cell_count(database, "r.body = ? AND r.year = 2020 AND c.tbl = '三'", ("东柳街道",))
    assert {(r["body"], r["year"], r["table"]) for r in rows} == {("东柳街道", 2020, "三")}
    blank = next(r for r in rows if (r["row_key"], r["col_key"]) == ("new_received", "natural_person"))
    assert blank["value"] is None and blank["how"] == "blank"
    assert capsys.readouterr().out.strip() == f"已写入 {len(rows)} 行单元格到 {path}。"


def test_format_comes_from_the_suffix_or_the_flag(store_config: Path, tmp_path: Path, capsys):
    path = tmp_path / "out.txt"
    assert export(store_config, "--body", "柴桥", "--format", "json", "-o", str(path)) == 0
    assert json.loads(path.read_text(encoding="utf-8"))[0]["body"] == "柴桥街道"
    path = tmp_path / "one.xlsx"
    assert export(store_config, "--table", "表四", "-o", str(path)) == 0
    assert openpyxl.load_workbook(path).sheetnames == ["表四"]
    assert "表四 " in capsys.readouterr().out


def test_findings_export(store_config: Path, tmp_path: Path, capsys):
    path = tmp_path / "findings.xlsx"
    assert export(store_config, "--findings", "-o", str(path)) == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["勾稽发现"]
    sheet = book["勾稽发现"]
    assert sheet.freeze_panes == "A2"
    rows = rows_of(sheet)
    assert {(r["机关"], r["年度"], r["规则"]) for r in rows} == {("左家庄街道", 2019, "t3_row_sum"),
                                                              ("左家庄街道", 2019, "t3_outcomes")}
    row_sum = next(r for r in rows if r["规则"] == "t3_row_sum")
    assert "总计 1 ≠ 各列之和 0" in row_sum["发现"]
    assert "三/unavailable.not_held/total" in row_sum["涉及单元格"]
    assert "表三（四）1.本机关不掌握相关政府信息 / 总计" in row_sum["涉及单元格（名称）"]
    assert capsys.readouterr().out.strip() == f"已写入 2 行勾稽关系问题到 {path}。"
    path = tmp_path / "none.json"
    assert export(store_config, "--findings", "--body", "东柳", "-o", str(path)) == 0
    assert json.loads(path.read_text(encoding="utf-8")) == []


def test_api_for_the_bot(database: Path, tmp_path: Path):
    result = export_rows(database, body="桥头胡", year=2020)
    assert result.name == "桥头胡街道_2020年_表二三四" and not result.findings
    assert all(isinstance(row, CellRow) for row in result.rows)
    paths = write_files(result, tmp_path / "out")
    assert [p.name for p in paths] == ["桥头胡街道_2020年_表二三四.csv", "桥头胡街道_2020年_表二三四.xlsx"]
    assert openpyxl.load_workbook(paths[1]).sheetnames == ["表二", "表三", "表四"]
    assert not list((tmp_path / "out").glob(".*.part"))
    with pytest.raises(ExportError, match="没有找到"):
        export_rows(database, body="不存在的机关")


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    row = CellRow("某街道", "某街道", 2020, "2021", "三", "total", "（七）总计", "total", "总计", None, None,
                  "无法确定", "unknown", "数值无法确定", "=1+2", None, "x.txt")
    result = Export((row,), False, ("三",), "x")
    cell = openpyxl.load_workbook(write_xlsx(result, tmp_path / "x.xlsx"))["表三"]["O2"]
    assert cell.value == "=1+2" and cell.data_type == "s"
    text = write_csv(result, tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert "'=1+2" in text


@pytest.mark.parametrize("args, says", [
    (["--body", "不存在的机关"], "没有找到“不存在的机关”的年度报告"),
    (["--body", "东柳", "--year", "2019"], "没有找到东柳街道2019年的年度报告（已收录：2020年）"),
    (["--year", "2011"], "库中没有 2011 年的年度报告"),
    (["--table", "五"], "没有“五”这张表"),
])
def test_user_errors_are_one_line(store_config: Path, tmp_path: Path, capsys, args, says):
    path = tmp_path / "out.csv"
    assert export(store_config, *args, "-o", str(path)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("错误：") and says in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not path.exists()


def test_no_database_and_unknown_suffix_are_one_line(tmp_path: Path, store_config: Path, capsys):
    config = write_config(tmp_path / "empty")
    assert export(config, "-o", str(tmp_path / "out.csv")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "还没有数据库" in err and "python -m ingest" in err
    assert not load_config(config).paths.database.exists()
    assert export(store_config, "-o", str(tmp_path / "out.txt")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--format" in err
    assert export(store_config, "--format", "csv", "-o", str(tmp_path)) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit) as exit:
        index_main(["export", "--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert "示例" in out and "python -m index export --body 东柳" in out
    with pytest.raises(SystemExit):
        index_main(["--help"])
    assert "export" in capsys.readouterr().out
