"""The consistency overview (``check --summary``) and a report's health sheet (``check 机关 年度 --sheet``).

The store is built in a temporary folder from copies of the shipped samples and the real reports, with three
made-up years of 桥头胡街道: 2019 (so 2020's 上年结转 0 meets 2019's 结转下年度 7), 2021 cut before its tables and 2022
cut inside table 三. The ranking is checked against counts taken from the store with plain SQL.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from ingest import health
from ingest.cli import main
from ingest.model import NO_SUCH_ROW
from ingest.pipeline import ingest_file
from ingest.store import Store
from tests.conftest import REAL, ROOT, SAMPLES
from tests.ingest.conftest import QIAOTOUHU, ZUOJIAZHUANG, dump_database, sample_path, sample_text, shift_years

WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"


def _build(folder: Path, files: list[Path]) -> Path:
    """A config in ``folder`` whose store holds ``files`` (copied into its reports folder first)."""
    reports = folder / "reports"
    reports.mkdir(parents=True)
    for path in files:
        if not (reports / path.name).exists():
            shutil.copy(path, reports / path.name)
    config = folder / "config.toml"
    config.write_text('[paths]\nreports = "reports"\ndatabase = "db/nianbao.sqlite"\nindex = "index"\n',
                      encoding="utf-8")
    with Store(folder / "db" / "nianbao.sqlite") as store:
        for path in sorted(reports.iterdir()):
            ingest_file(path, store)
    return config


@pytest.fixture(scope="module")
def held(tmp_path_factory) -> Path:
    """The config of the samples' store (see the module docstring)."""
    made = tmp_path_factory.mktemp("made")
    text = sample_text(QIAOTOUHU)
    extra = {"qiaotouhu_2019.txt": shift_years(text, -1),
             "qiaotouhu_2021_cut.txt": shift_years(text[:len(text) * 35 // 100], 1),
             "qiaotouhu_2022_cut.txt": shift_years(text[:len(text) * 70 // 100], 2)}
    for name, content in extra.items():
        (made / name).write_text(content, encoding="utf-8")
    return _build(tmp_path_factory.mktemp("held"), [*SAMPLES, *REAL, *(made / name for name in extra)])


@pytest.fixture(scope="module")
def wild(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("wild"), sorted(WILD.iterdir()))


def _database(config: Path) -> Path:
    return config.parent / "db" / "nianbao.sqlite"


@pytest.fixture
def store(held):
    with Store(_database(held), readonly=True) as opened:
        yield opened


def _report_id(store: Store, body: str, year: int) -> str:
    return store.conn.execute("SELECT id FROM reports WHERE body = ? AND year = ? AND part = 'full'",
                              (body, year)).fetchone()[0]


def _ranking_by_sql(database: Path) -> list[tuple[str, int, int, int]]:
    """(body, rules broken, tables missing or cut off, unknown + missing cells) of every body with a problem,
    worst first, counted straight from the tables."""
    conn = sqlite3.connect(database)
    try:
        bodies = {body: [0, 0, 0] for (body,) in conn.execute("SELECT DISTINCT body FROM reports")}
        for body, n in conn.execute("SELECT r.body, COUNT(*) FROM findings f JOIN reports r ON r.id = f.report_id"
                                    " GROUP BY r.body"):
            bodies[body][0] += n
        states = {}
        for rid, body, tables, part in conn.execute("SELECT id, body, tables, part FROM reports"):
            states[rid] = json.loads(tables) if part == "full" else {}
            bodies[body][1] += sum(state in ("missing", "incomplete") for state in states[rid].values())
        for body, n in conn.execute("SELECT r.body, COUNT(*) FROM cells c JOIN reports r ON r.id = c.report_id"
                                    " WHERE c.status = 'unknown' GROUP BY r.body"):
            bodies[body][2] += n
        for rid, body, table in conn.execute("SELECT r.id, r.body, c.tbl FROM cells c JOIN reports r"
                                             " ON r.id = c.report_id WHERE c.warning = ?", (NO_SUCH_ROW,)):
            bodies[body][2] += states[rid].get(table) == "complete"  # a cut-off table counts as the table
    finally:
        conn.close()
    troubled = [(body, *counts) for body, counts in bodies.items() if any(counts)]
    return sorted(troubled, key=lambda t: (-t[1], -t[2], -t[3], t[0]))


# --- the overview -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("corpus", ["held", "wild"])
def test_the_ranking_is_the_one_the_store_counts_give(corpus, request):
    database = _database(request.getfixturevalue(corpus))
    expected = _ranking_by_sql(database)
    with Store(database, readonly=True) as store:
        overview = health.summary(store, top=1000)
    assert [(h.body, h.failed, len(h.gaps), h.unknown + h.missing_cells) for h in overview.ranked] == expected
    assert overview.troubled == len(expected)
    assert overview.failed == sum(e[1] for e in expected)


def test_the_worst_bodies_of_the_samples_and_where_their_problems_are(store):
    overview = health.summary(store)
    assert (overview.reports, overview.bodies, overview.troubled) == (12, 9, 3)
    zuo, qiao, shanghai = overview.ranked
    assert (zuo.body, zuo.failed, zuo.years) == ("左家庄街道", 2, (2019,))
    assert {p.label for p in zuo.worst} == {"表三（七）总计", "表三（四）1.本机关不掌握相关政府信息"}
    assert (qiao.body, qiao.failed, qiao.failed_years) == ("桥头胡街道", 1, ((2020, 1),))  # the cross-year rule
    assert [p.label for p in qiao.worst] == ["表三上年结转与上年报告"]
    assert {(g.year, g.table, g.state) for g in qiao.gaps} == {
        (2021, "二", "missing"), (2021, "三", "missing"), (2021, "四", "missing"),
        (2022, "三", "incomplete"), (2022, "四", "missing")}
    assert qiao.missing_rows == ()  # the rows a cut-off table lacks are its gap, not missing rows
    assert (shanghai.body, shanghai.failed, shanghai.unknown) == ("上海市人民政府办公厅", 0, 6)


def test_top_keeps_the_worst_and_the_totals_count_every_body(store):
    overview = health.summary(store, top=1)
    assert [h.body for h in overview.ranked] == ["左家庄街道"]
    assert (overview.troubled, overview.failed, overview.gaps, overview.unknown) == (3, 3, 5, 6)
    lines = health.render_summary(overview)
    assert lines[0] == "9 个机关的 12 份报告中，3 个机关的报告有问题，下面是问题最多的 1 个。"
    assert not any(line.startswith("2. ") for line in lines)
    assert lines[-1] == "合计：勾稽关系不成立 3 条，缺表或表不完整 5 张，无法确定的单元格 6 个；其余 6 个机关未见问题。"


def test_the_overview_names_missing_tables_and_reads_short(store):
    lines = health.render_summary(health.summary(store))
    assert "1. 左家庄街道（2019年）：2 条勾稽关系不成立。" in lines
    (qiao,) = [line for line in lines if line.startswith("2. ")]
    assert qiao == ("2. 桥头胡街道（2019—2022年，4 份）：1 条勾稽关系不成立（2020年），2021年缺表二、表三、表四，"
                    "2022年表三不完整、缺表四。")
    assert "3. 上海市人民政府办公厅（2025年）：6 个单元格无法确定。" in lines
    assert all(len(line) <= 120 for line in lines)


def test_a_narrower_look_and_a_clean_one():
    clean = health.Overview(2019, 2, 2, 0, (), 0, 0, 0, 0, ())
    assert health.render_summary(clean) == [
        "2 个机关的 2 份2019年的报告都没有发现问题：勾稽关系成立，统计表齐全，单元格都已读出。"]
    assert health.render_summary(health.Overview(None, 0, 0, 0, (), 0, 0, 0, 0, ())) == ["库中还没有年度报告。"]


def test_the_overview_of_one_year(store):
    overview = health.summary(store, year=2019)
    assert overview.reports == 4 and [h.body for h in overview.ranked] == ["左家庄街道"]


# --- the health sheet -----------------------------------------------------------------------------------------
def test_a_report_with_broken_rules_shows_them_in_its_sheet(store):
    sheet = health.sheet(store, _report_id(store, "左家庄街道", 2019))
    assert sheet.rules_failed == 2 and sheet.rules_checked >= 2
    assert [f.rule for f in sheet.findings] == ["t3_row_sum", "t3_outcomes"]
    assert sheet.cells.total == sheet.cells.stated + sheet.cells.derived + sheet.cells.blank + sheet.cells.unknown
    assert sheet.carried_in is None and sheet.carried_out is None
    lines = health.render_sheet(sheet)
    assert lines[0] == f"左家庄街道 2019年年度报告，2019版格式，文件 {sample_path(ZUOJIAZHUANG).name}"
    assert lines[1] == "统计表：表二、表三、表四齐全。"
    assert f"勾稽关系：核对 {sheet.rules_checked} 条，2 条不成立：" in lines
    assert "· 表三（四）1.本机关不掌握相关政府信息：总计 1 ≠ 各列之和 0" in lines
    assert "· 表三（自然人列）：（七）总计 3 ≠ 各项办理结果之和 2" in lines
    assert lines[-1] == "上年结转：库中没有2018年的报告，无从对照。"


def test_the_sheet_meets_the_neighbouring_years(store):
    sheet = health.sheet(store, _report_id(store, "桥头胡街道", 2020))
    assert sheet.carried_in.agrees is False and sheet.carried_in.carried_forward == 7
    assert [f.rule for f in sheet.findings] == ["t3_across_years"]
    lines = health.render_sheet(sheet)
    assert "上年结转 0 件，2019年报告却写结转下年度 7 件，对不上。" in lines
    assert lines[-1] == "结转下年度 7 件，2021年报告没有上年结转的数，无从对照。"  # 2021 lost its tables
    before = health.render_sheet(health.sheet(store, _report_id(store, "桥头胡街道", 2019)))
    assert "结转下年度 7 件，2020年报告的上年结转却是 0 件，对不上。" in before
    assert "勾稽关系：核对 40 条，全部成立。" in before  # the broken cross-year rule is told under 2020


def test_missing_and_cut_off_tables_are_in_the_sheet(store):
    cut = health.render_sheet(health.sheet(store, _report_id(store, "桥头胡街道", 2021)))
    assert cut[1:] == ["统计表：表二、表三、表四不在文本中（可能截去或是图片）。", "单元格：没有读到统计表的单元格。",
                       "勾稽关系：没有能核对的规则（所需单元格缺失或无法确定）。", "没有表三，上年结转和结转下年度都无从对照。"]
    sheet = health.sheet(store, _report_id(store, "桥头胡街道", 2022))
    assert dict(sheet.tables) == {"二": "complete", "三": "incomplete", "四": "missing"}
    lines = health.render_sheet(sheet)
    assert lines[1].startswith("统计表：表三不完整（文本在表中截断，缺 ") and lines[1].endswith(
        "行）；表四不在文本中（可能截去或是图片）。")
    assert "上年结转 0 件，2021年报告没有结转下年度的数，无从对照。" in lines


def test_unknown_cells_are_named_by_row(store):
    sheet = health.sheet(store, _report_id(store, "上海市人民政府办公厅", 2025))
    assert sheet.cells.unknown == 6
    assert {p.label for p in sheet.unknown_rows} == {"表二规章", "表二行政规范性文件"}
    assert "无法确定 6 个（在表二" in health.render_sheet(sheet)[2]


def test_the_rules_checked_are_the_template_rules_and_the_cross_year_ones(store):
    from ingest.checks import evaluate_rules

    rid = _report_id(store, "桥头胡街道", 2020)
    same_year = evaluate_rules("桥头胡街道", 2020, store.cells(rid))[1]
    assert health.sheet(store, rid).rules_checked == same_year + 1  # 上年结转 against 2019


# --- the command line -----------------------------------------------------------------------------------------
def _run(capsys, *args: str) -> tuple[int, list[str]]:
    status = main(["check", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out.splitlines()


def test_check_summary_prints_the_overview_and_writes_nothing(held, capsys, store):
    before = dump_database(_database(held))
    status, lines = _run(capsys, "--config", str(held), "--summary")
    assert status == 0
    assert lines == health.render_summary(health.summary(store)) + [
        "看一份报告的体检单：python -m ingest check 机关 年度 --sheet"]
    assert lines[0] == "9 个机关的 12 份报告中，3 个机关的报告有问题。"
    assert dump_database(_database(held)) == before


def test_check_summary_top_and_year(held, capsys):
    status, lines = _run(capsys, "--config", str(held), "--summary", "--top", "2")
    assert status == 0 and "下面是问题最多的 2 个" in lines[0]
    assert [line[:3] for line in lines if line[:1].isdigit() and ". " in line[:4]] == ["1. ", "2. "]
    status, lines = _run(capsys, "--config", str(held), "2019", "--summary")
    assert status == 0 and lines[0] == "4 个机关的 4 份2019年的报告中，1 个机关的报告有问题。"
    status, lines = _run(capsys, "--config", str(held), "2030", "--summary")
    assert (status, lines) == (1, ["库中没有 2030 年的年度报告。"])


def test_check_sheet_of_one_report_and_of_every_year(held, capsys, store):
    status, lines = _run(capsys, "--config", str(held), "左家庄", "2019", "--sheet")
    assert status == 0
    assert lines == health.render_sheet(health.sheet(store, _report_id(store, "左家庄街道", 2019)))
    status, lines = _run(capsys, "--config", str(held), "桥头胡街道", "--sheet")
    assert status == 0
    heads = [line for line in lines if "年度报告" in line and line.startswith("桥头胡街道")]
    assert [head.split(" ")[1][:4] for head in heads] == ["2019", "2020", "2021", "2022"]
    assert lines.count("") == 3  # one sheet after another, a blank line between


def test_check_without_a_flag_still_lists_the_findings(held, capsys):
    status, lines = _run(capsys, "--config", str(held), "左家庄街道", "2019")
    assert status == 0 and lines[-1] == "共 2 条。" and len(lines) == 3


def test_check_sheet_needs_a_body_and_options_are_checked(held, capsys):
    assert _run(capsys, "--config", str(held), "--sheet") == (
        2, ["--sheet 要写明机关，例如：python -m ingest check 左家庄街道 2019 --sheet"])
    for bad in (["--summary", "--sheet", "左家庄街道"], ["--summary", "--top", "0"]):
        with pytest.raises(SystemExit) as exited:
            main(["check", "--config", str(held), *bad])
        assert exited.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


def test_check_help_shows_the_overview_and_the_sheet(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "python -m ingest check --summary" in out and "python -m ingest check 左家庄街道 2019 --sheet" in out
