"""``python -m ingest`` as a new user meets it: bad files next to a good one, ``check``, ``--help``.

Every bad file must give exactly one line starting with ✗ and exit status 1, while the good file is stored,
nothing stored before changes, and a second run reports every stored file unchanged.
"""
from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.cli import main
from tests.ingest.conftest import (QIAOTOUHU, ZUOJIAZHUANG, dump_database, report_rows, sample_path,
                                   sample_text, shift_years)

WANGJIA = "003"  # 重庆市渝北区人民政府王家街道办事处 2019


@pytest.fixture(autouse=True)
def no_config_from_the_environment(monkeypatch):
    monkeypatch.delenv("NIANBAO_CONFIG", raising=False)
    monkeypatch.delenv("NIANBAO_ADMIN_IDS", raising=False)


@dataclass
class Workspace:
    config: Path
    reports: Path  # the folder a user points the command at: one good sample in it
    good: Path
    earlier: Path  # a folder ingested before: 左家庄街道 2019
    database: Path


@dataclass
class Run:
    status: int
    lines: list[str]
    err: str

    def about(self, name: str) -> list[str]:
        return [line for line in self.lines if name in line]


@pytest.fixture
def workspace(tmp_path, write_config) -> Workspace:
    config = write_config(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    good = reports / sample_path(QIAOTOUHU).name
    shutil.copy(sample_path(QIAOTOUHU), good)
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    shutil.copy(sample_path(ZUOJIAZHUANG), earlier)
    return Workspace(config, reports, good, earlier, tmp_path / "db" / "nianbao.sqlite")


@pytest.fixture
def run(capsys, workspace):
    """``python -m ingest --config … --quiet --no-index ARGS`` (the vector index step has its own test below)."""
    def run(*args: str | Path) -> Run:
        status = main(["--config", str(workspace.config), "--quiet", "--no-index", *map(str, args)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Run(status, captured.out.splitlines(), captured.err)

    return run


def _report_id(database: Path, body: str) -> str:
    conn = sqlite3.connect(database)
    try:
        return conn.execute("SELECT id FROM reports WHERE body = ?", (body,)).fetchone()[0]
    finally:
        conn.close()


def _bodies(database: Path) -> set[str]:
    conn = sqlite3.connect(database)
    try:
        return {row[0] for row in conn.execute("SELECT body FROM reports")}
    finally:
        conn.close()


def _assert_one_failure(workspace: Workspace, run, bad: Path, message: str, *explicit: Path) -> None:
    """The whole contract for one bad file next to a good one (see the module docstring)."""
    assert run(workspace.earlier).status == 0
    earlier_id = _report_id(workspace.database, "左家庄街道")
    earlier_rows = report_rows(workspace.database, earlier_id)

    first = run(workspace.reports, *explicit)
    assert first.status == 1
    (line,) = first.about(bad.name)
    assert line.startswith("✗ ")
    assert message in line
    (good,) = first.about(workspace.good.name)
    assert good.startswith("✓ ") and good.endswith("[新增]")
    assert first.lines[-1].startswith("完成：新增 1，替换 0，未变 0，失败 1。")
    assert _bodies(workspace.database) == {"左家庄街道", "桥头胡街道"}
    assert report_rows(workspace.database, earlier_id) == earlier_rows
    after_first = dump_database(workspace.database)

    second = run(workspace.reports, workspace.earlier, *explicit)
    assert second.status == 1
    (line,) = second.about(bad.name)
    assert line.startswith("✗ ") and message in line
    for stored in (workspace.good.name, sample_path(ZUOJIAZHUANG).name):
        (line,) = second.about(stored)
        assert line == f"· {stored}：已入库，内容未变"
    assert second.lines[-1].startswith("完成：新增 0，替换 0，未变 2，失败 1。")
    assert dump_database(workspace.database) == after_first


PNG_JUNK = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(3).randbytes(8192)  # a picture renamed .txt
NOT_A_REPORT = "会议通知\n请各科室负责人于周五下午三点到三楼会议室参加安全生产工作会议。\n办公室\n"

BAD_FILES = {
    "empty": ("empty.txt", lambda: b"", "文件是空的"),
    "binary junk": ("photo.txt", lambda: PNG_JUNK, "photo.txt："),
    "no report": ("notes.txt", lambda: NOT_A_REPORT.encode("utf-8"), "不是政府信息公开工作年度报告"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_next_to_a_good_one(workspace, run, case):
    name, content, message = BAD_FILES[case]
    bad = workspace.reports / name
    bad.write_bytes(content())
    _assert_one_failure(workspace, run, bad, message)


def test_binary_junk_says_it_is_not_text(workspace, run):
    bad = workspace.reports / "photo.txt"
    bad.write_bytes(PNG_JUNK)
    (line,) = run(workspace.reports).about(bad.name)
    assert "二进制" in line


def test_unsupported_suffix_passed_explicitly(workspace, run):
    bad = workspace.reports / "report.xlsx"
    bad.write_bytes(b"PK\x03\x04" + bytes(100))
    _assert_one_failure(workspace, run, bad, "不支持的文件类型 .xlsx", bad)


def test_unsupported_file_in_a_folder_is_not_picked_up(workspace, run):
    (workspace.reports / "report.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    result = run(workspace.reports)
    assert result.status == 0
    assert result.about("report.xlsx") == []


def test_unreadable_file(workspace, run):
    bad = workspace.reports / "locked.txt"
    bad.write_bytes(sample_path(WANGJIA).read_bytes())
    bad.chmod(0)
    try:
        if os.access(bad, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading (see test_unreadable_file_simulated)")
        _assert_one_failure(workspace, run, bad, "无法读取文件")
    finally:
        bad.chmod(0o644)


def test_unreadable_file_simulated(workspace, run, monkeypatch):
    """The same contract where chmod cannot stop the reader (root): the read raises PermissionError."""
    bad = workspace.reports / "locked.txt"
    bad.write_bytes(sample_path(WANGJIA).read_bytes())
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == bad.name:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    _assert_one_failure(workspace, run, bad, "locked.txt：无法读取文件（Permission denied），请检查文件权限。")


def test_gbk_file_is_stored(workspace, run):
    gbk = workspace.reports / "wangjia_gbk.txt"
    gbk.write_bytes(sample_text(WANGJIA).encode("gbk"))
    first = run(workspace.reports)
    assert first.status == 0
    (line,) = first.about(gbk.name)
    assert line.startswith(f"✓ {gbk.name}：王家街道 2019年 2019版格式") and line.endswith("[新增]")
    assert _bodies(workspace.database) == {"王家街道", "桥头胡街道"}
    second = run(workspace.reports)
    assert second.status == 0
    assert all(line.startswith("· ") for line in second.lines[:-1]) and len(second.lines) == 3


@pytest.mark.slow
def test_fifty_megabyte_text_file(workspace, run, capsys):
    big = workspace.reports / "huge.txt"
    chunk = sample_path(ZUOJIAZHUANG).read_bytes()
    with big.open("wb") as out:
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            out.write(chunk)
    assert big.stat().st_size >= 50 * 1024 * 1024
    started = time.perf_counter()
    _assert_one_failure(workspace, run, big, "超过")
    with capsys.disabled():
        print(f"\n50 MB file: three ingest runs took {time.perf_counter() - started:.1f} s")


def test_missing_path_is_one_line(workspace, run):
    result = run(workspace.reports, workspace.reports / "nope.txt")
    assert result.status == 1
    (line,) = result.about("nope.txt")
    assert line.startswith("✗ ") and "找不到这个文件或文件夹" in line
    assert _bodies(workspace.database) == {"桥头胡街道"}


def test_folder_without_reports(workspace, run, tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / "readme.xlsx").write_bytes(b"x")
    result = run(empty)
    assert result.status == 1
    assert result.lines == [f"{empty} 里没有报告文件（支持 .txt .md .html .htm .docx .pdf）。"]


def test_default_paths_come_from_the_config_file_folder(workspace, run, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run()
    assert result.status == 0
    assert result.lines[0].startswith(f"✓ {workspace.good.name}：桥头胡街道 2020年")
    assert workspace.database.exists()
    assert list(elsewhere.iterdir()) == []
    assert str(workspace.database) in result.lines[-1]


@pytest.mark.slow  # imports sentence-transformers to try the model
def test_index_step_adds_one_line_and_keeps_the_status(tmp_path, write_config, workspace, capsys):
    """Without --no-index, ingest also updates the vector index; a model that cannot load must not fail it."""
    config = write_config(extra=f'[index]\nmodel = "{tmp_path / "no-such-model"}"\n')
    assert main(["--config", str(config), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"✓ {workspace.good.name}")
    assert lines[1].startswith("完成：新增 1，")
    assert len(lines) == 3 and "no-such-model" in lines[2]
    assert main(["--config", str(config), "--quiet"]) == 0  # nothing new: no index step, no extra line
    assert capsys.readouterr().out.splitlines()[-1].startswith("完成：新增 0，替换 0，未变 1，失败 0。")


def test_config_from_the_environment(workspace, capsys, monkeypatch):
    monkeypatch.setenv("NIANBAO_CONFIG", str(workspace.config))
    assert main(["--quiet", "--no-index"]) == 0
    assert capsys.readouterr().out.startswith(f"✓ {workspace.good.name}")
    assert workspace.database.exists()


@pytest.mark.parametrize("config_text, message", [
    ('[paths]\nreprots = "reports"\n', "reprots"),
    ("[nonsense]\n", "[nonsense]"),
    ("[paths\n", "TOML"),
])
def test_bad_config_is_one_line_on_stderr(tmp_path, capsys, config_text, message):
    config = tmp_path / "bad.toml"
    config.write_text(config_text, encoding="utf-8")
    assert main(["--config", str(config)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("错误：") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_missing_config_file(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "nope.toml")]) == 2
    assert "找不到配置文件" in capsys.readouterr().err


# --- check ----------------------------------------------------------------------------------------------------
ZUOJIAZHUANG_FINDINGS = [
    f"左家庄街道 2019 表三（四）1.本机关不掌握相关政府信息：总计 1 ≠ 各列之和 0    〔{sample_path(ZUOJIAZHUANG).name}〕",
    f"左家庄街道 2019 表三（自然人列）：（七）总计 3 ≠ 各项办理结果之和 2    〔{sample_path(ZUOJIAZHUANG).name}〕",
]


def test_check_lists_the_findings(workspace, run, capsys):
    run(workspace.earlier, workspace.reports)
    assert main(["check", "--config", str(workspace.config)]) == 0
    assert capsys.readouterr().out.splitlines() == ZUOJIAZHUANG_FINDINGS + ["共 2 条。"]
    assert main(["check", "--config", str(workspace.config), "左家庄街道", "2019"]) == 0
    assert capsys.readouterr().out.splitlines() == ZUOJIAZHUANG_FINDINGS + ["共 2 条。"]
    assert main(["check", "--config", str(workspace.config), "左家庄街道", "2020"]) == 1
    assert capsys.readouterr().out.splitlines() == ["没有找到左家庄街道2020年的年度报告（已收录：2019年）。"]
    assert main(["check", "--config", str(workspace.config), "桥头胡街道"]) == 0
    assert capsys.readouterr().out.splitlines() == ["桥头胡街道：没有发现勾稽关系问题。"]


@pytest.mark.parametrize("name", ["左家庄", "左家桩街道", "左家庄街道办事处"])
def test_check_reads_a_short_name_or_a_slip_as_the_held_body(workspace, run, capsys, name):
    run(workspace.earlier, workspace.reports)
    assert main(["check", "--config", str(workspace.config), name, "2019"]) == 0
    assert capsys.readouterr().out.splitlines() == ZUOJIAZHUANG_FINDINGS + ["共 2 条。"]


def test_check_of_a_body_or_year_not_held_says_so_rather_than_finding_nothing(workspace, run, capsys):
    run(workspace.earlier, workspace.reports)
    assert main(["check", "--config", str(workspace.config), "西柳街道"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("没有找到“西柳街道”的年度报告。已收录的机关：") and "桥头胡街道" in line
    assert main(["check", "--config", str(workspace.config), "桥头胡", "2030"]) == 1
    assert capsys.readouterr().out.splitlines() == ["没有找到桥头胡街道2030年的年度报告（已收录：2020年）。"]
    assert main(["check", "--config", str(workspace.config), "2030"]) == 1
    assert capsys.readouterr().out.splitlines() == ["库中没有 2030 年的年度报告。"]


def test_check_without_a_database(workspace, capsys):
    assert main(["check", "--config", str(workspace.config)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert "还没有数据库" in line and "python -m ingest" in line
    assert not workspace.database.exists()


def test_check_year_must_be_a_number(workspace, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["check", "--config", str(workspace.config), "左家庄街道", "去年"])
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_check_after_the_config_option(workspace, run, capsys):
    run(workspace.earlier)
    assert main(["--config", str(workspace.config), "check"]) == 0
    assert capsys.readouterr().out.splitlines() == ZUOJIAZHUANG_FINDINGS + ["共 2 条。"]


# --- audit ----------------------------------------------------------------------------------------------------
def test_audit_goes_on_past_a_missing_path_and_marks_what_is_not_whole(workspace, tmp_path, capsys):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    missing = tmp_path / "nowhere"
    argv = ["audit", "--config", str(workspace.config), str(missing), str(sample_path(ZUOJIAZHUANG)),
            str(sample_path(QIAOTOUHU)), str(broken)]
    assert main(argv) == 1  # a path missing and a file refused
    captured = capsys.readouterr()
    assert "找不到" in captured.err and "nowhere" in captured.err
    lines = captured.out.splitlines()
    assert len(lines) == 4
    (zuo,) = [line for line in lines if sample_path(ZUOJIAZHUANG).name in line]
    (qiao,) = [line for line in lines if sample_path(QIAOTOUHU).name in line]
    assert zuo.startswith("⚠") and "总计 3 ≠ 各项办理结果之和 2" in zuo  # the report's own sums do not hold
    assert qiao.startswith("✓") and qiao.endswith("表三完整且成立")
    assert any(line.startswith("✗") for line in lines)
    assert lines[-1].startswith("共 3 个文件：可入库 2") and "拒收 1" in lines[-1]
    assert not workspace.database.exists()  # an audit writes nothing


# --- help -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["check", "--help"]])
def test_help_has_examples(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "示例" in out
    assert "python -m ingest check" in out


def test_help_usage_names_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "python -m ingest check" in usage and "python -m ingest audit" in usage


# --- known problems -------------------------------------------------------------------------------------------
def test_cut_off_before_any_table_is_stored_with_its_text_and_says_so(workspace, run):
    cut = workspace.reports / "qiaotouhu_cut.txt"
    text = sample_text(QIAOTOUHU)
    cut.write_text(text[: int(len(text) * 0.35)], encoding="utf-8")
    result = run(workspace.reports)
    (line,) = result.about(cut.name)
    assert line.startswith("✓ ") and "桥头胡街道 2020年" in line, line
    assert "表二、表三、表四不在文本中" in line, line
    assert result.status == 0


def test_two_versions_of_one_report_in_a_folder_settle(workspace, run):
    (workspace.reports / "qiaotouhu_gbk.txt").write_bytes(sample_text(QIAOTOUHU).encode("gbk"))
    first = run(workspace.reports)
    assert first.status == 0
    after_first = dump_database(workspace.database)
    second = run(workspace.reports)
    assert all(not line.startswith("✓") for line in second.lines)
    assert dump_database(workspace.database) == after_first


def test_database_of_an_older_schema_is_kept_aside_and_rebuilt_from_the_reports_folder(workspace, run):
    """After an upgrade the store is rebuilt from the report files; the old file stays beside as a backup."""
    workspace.database.parent.mkdir(parents=True)
    old = sqlite3.connect(workspace.database)
    old.execute("CREATE TABLE reports (id TEXT PRIMARY KEY, body TEXT)")
    old.execute("INSERT INTO reports VALUES ('x', '旧库里的机关')")
    old.execute("PRAGMA user_version = 4")
    old.commit()
    old.close()

    index = workspace.config.parent / "index"  # the dense index built over the old store's passage ids
    (index / "v1").mkdir(parents=True)
    (index / "current").symlink_to("v1")

    result = run(workspace.earlier)  # a folder given explicitly: the reports folder is rebuilt too
    assert result.status == 0
    assert not (index / "current").exists() and (index / "current.v4.bak").is_symlink()
    backup = workspace.database.with_name("nianbao.sqlite.v4.bak")
    assert result.lines[0] == (f"数据库 {workspace.database} 是旧版本的格式，已另存为 {backup.name}；"
                               f"现从报告文件夹 {workspace.reports} 重建。")
    assert _bodies(workspace.database) == {"桥头胡街道", "左家庄街道"}
    assert _bodies(backup) == {"旧库里的机关"}
    assert run().lines[-1].startswith("完成：新增 0，替换 0，未变 1，失败 0。")  # upgraded once


def _database_file(workspace: Workspace, content: bytes | None = None, version: int | None = None) -> None:
    workspace.database.parent.mkdir(parents=True)
    if content is not None:
        workspace.database.write_bytes(content)
        return
    conn = sqlite3.connect(workspace.database)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_database_path_holding_another_file_is_one_line(workspace, run):
    _database_file(workspace, content=b"not a database at all, just some text " * 100)
    result = run()
    assert result.status == 2 and result.lines == []
    assert result.err == f"错误：{workspace.database} 不是 SQLite 数据库；请检查配置里的 database 路径，或移走这个文件。\n"
    assert workspace.database.read_bytes().startswith(b"not a database")  # left as it was


def test_database_of_a_newer_schema_is_left_alone(workspace, run):
    _database_file(workspace, version=99)
    result = run()
    assert result.status == 2
    assert "更新版本的 nianbao" in result.err and "99" in result.err
    assert not list(workspace.database.parent.glob("*.bak"))



# --- files stored by older parsing code --------------------------------------------------------------------------
def _as_older_code_read_it(database: Path, path: Path, year: int, came: float) -> None:
    """Store ``path`` as older parsing code would have: read under ``year``, first stored at ``came``."""
    import hashlib
    from dataclasses import replace as with_

    from ingest.report import parse_bytes
    from ingest.store import Store

    data = path.read_bytes()
    with Store(database) as store:
        store.write(with_(parse_bytes(data, path.name), year=year), hashlib.sha256(data).hexdigest())
        store.conn.execute("UPDATE files SET parser = 'older code', ingested_at = ? WHERE source = ?",
                           (came, path.name))


def _held(database: Path) -> list[tuple[str, int, str]]:
    conn = sqlite3.connect(database)
    try:
        return sorted(conn.execute("SELECT body, year, source FROM reports"))
    finally:
        conn.close()


def test_a_file_older_code_read_under_the_wrong_year_gives_its_year_back(workspace, run):
    # older code read b.txt (桥头胡街道's 2021 report) as 2020, and it replaced a.txt, the 2020 report
    a, b = workspace.reports / "a.txt", workspace.reports / "b.txt"
    a.write_bytes(sample_path(QIAOTOUHU).read_bytes())
    b.write_text(shift_years(sample_text(QIAOTOUHU), 1), encoding="utf-8")
    workspace.good.unlink()
    workspace.database.parent.mkdir(parents=True, exist_ok=True)
    _as_older_code_read_it(workspace.database, a, 2020, came=1.0)
    _as_older_code_read_it(workspace.database, b, 2020, came=2.0)
    assert _held(workspace.database) == [("桥头胡街道", 2020, "b.txt")]
    assert run(workspace.reports).status == 0
    assert _held(workspace.database) == [("桥头胡街道", 2020, "a.txt"), ("桥头胡街道", 2021, "b.txt")]
    before = dump_database(workspace.database)
    assert all("未变" in line for line in run(workspace.reports).lines[:-1])  # settled: a second run changes nothing
    assert dump_database(workspace.database) == before


def test_an_older_file_read_again_does_not_take_a_newer_files_year(workspace, run):
    # older code read a.txt (the 2020 report) as 2019; corrected.txt, the newer file for 2020, came later
    a, newer = workspace.reports / "a.txt", workspace.reports / "corrected.txt"
    a.write_bytes(sample_path(QIAOTOUHU).read_bytes())
    newer.write_text(sample_text(QIAOTOUHU).replace("无其他需要报告事项。", "本年度无其他需要报告的事项。"), encoding="utf-8")
    workspace.good.unlink()
    workspace.database.parent.mkdir(parents=True, exist_ok=True)
    _as_older_code_read_it(workspace.database, a, 2019, came=1.0)
    _as_older_code_read_it(workspace.database, newer, 2020, came=2.0)
    assert run(workspace.reports).status == 0
    assert _held(workspace.database) == [("桥头胡街道", 2020, "corrected.txt")]  # as a fresh build in arrival order
