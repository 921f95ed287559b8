"""Parsing in a child process under limits: a file that needs too much memory or time is one failed line, the
child is replaced, and the next file parses as it would in process."""
from __future__ import annotations

import io
import time
import zipfile

import pytest

from ingest import report as report_module
from ingest.errors import ReadError
from ingest.report import parse_bytes
from ingest.sandbox import SandboxedParser
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"


def test_a_report_parses_in_the_child_as_in_process():
    data = SAMPLE.read_bytes()
    with SandboxedParser() as parser:
        child = parser.parse(data, SAMPLE.name)
    here = parse_bytes(data, SAMPLE.name)
    assert (child.body, child.year, child.cells, child.passages) == (here.body, here.year, here.cells, here.passages)


def test_a_file_that_takes_too_long_is_given_up_and_the_next_one_parses(monkeypatch):
    real = report_module.parse_bytes

    def slow(data, name):
        if name == "slow.txt":
            time.sleep(30)
        return real(data, name)

    monkeypatch.setattr(report_module, "parse_bytes", slow)  # the child is forked with it
    with SandboxedParser(seconds=1, start_method="fork") as parser:
        started = time.monotonic()
        with pytest.raises(ReadError, match="解析超过 1 秒"):
            parser.parse(b"x", "slow.txt")
        assert time.monotonic() - started < 5
        assert parser.parse(SAMPLE.read_bytes(), SAMPLE.name).body == "桥头胡街道"


def _zip_bomb_docx(uncompressed_mb: int) -> bytes:
    """A .docx whose document.xml inflates to ``uncompressed_mb`` of XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        docx.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with docx.open("word/document.xml", "w") as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                       b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = "政".encode() * (2**20 // 3)
            for _ in range(uncompressed_mb):
                part.write(chunk)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.slow
def test_a_zip_bomb_is_one_failed_line_within_the_memory_limit():
    bomb = _zip_bomb_docx(300)
    assert len(bomb) < 3 * 2**20
    with SandboxedParser(memory_mb=200, seconds=60) as parser:
        with pytest.raises(ReadError, match="内存超过 200 MB"):
            parser.parse(bomb, "bomb.docx")
        assert parser.parse(SAMPLE.read_bytes(), SAMPLE.name).year == 2020


@pytest.mark.parametrize("cores", [1, 2])
def test_files_read_through_one_child_come_back_in_order_with_their_tokens(tmp_path, monkeypatch, cores):
    """One parsing child, on one core (each file parsed, then handed back) or on two (parsed ahead in a thread):
    every file comes back in order, parsed as in process, with the tokens the writer stores."""
    from ingest import pipeline
    from ingest.store import Store, passage_tokens

    monkeypatch.setattr(pipeline, "usable_cores", lambda: cores)
    paths = sorted((ROOT / "data" / "reports").glob("*.txt"))
    with Store(tmp_path / "db.sqlite") as store, SandboxedParser() as parser:
        read = list(pipeline.read_files(paths, store, [parser]))
    assert [path for path, _ in read] == paths
    for path, item in read:
        here = parse_bytes(path.read_bytes(), path.name)
        assert isinstance(item, pipeline.Parsed) and item.tokens == passage_tokens(here)
        assert (item.report.body, item.report.cells, item.report.passages) == (here.body, here.cells, here.passages)


def test_large_files_are_read_ahead_fewer_at_a_time(tmp_path, monkeypatch):
    """The files read ahead of the one handed back hold their bytes: past READ_AHEAD_BYTES none more is read."""
    from ingest import pipeline
    from ingest.store import Store

    sizes = []
    real = pipeline.check_file

    def counted(path, *args):
        checked = real(path, *args)
        sizes.append(len(checked.data))
        return checked

    monkeypatch.setattr(pipeline, "check_file", counted)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    monkeypatch.setattr(pipeline, "READ_AHEAD_BYTES", 25_000)
    paths = sorted((ROOT / "data" / "reports").glob("*.txt"))
    with Store(tmp_path / "db.sqlite") as store, SandboxedParser() as parser:
        read = pipeline.read_files(paths, store, [parser])
        next(read)
        ahead = len(sizes)
        rest = list(read)
    assert len(rest) == len(paths) - 1
    assert sum(sizes[:ahead - 1]) <= 25_000 < sum(sizes[:ahead])  # read on only until the bytes ahead passed it
