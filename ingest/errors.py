"""The project's exceptions. Each message names the file, report or setting and says what to do."""
from __future__ import annotations

__all__ = ["NianbaoError", "ConfigError", "ReadError", "NotAReportError", "UnidentifiedReport", "IndexMismatchError"]


class NianbaoError(Exception):
    """Base class: a user-facing error whose message is one clear line."""


class ConfigError(NianbaoError):
    pass


class ReadError(NianbaoError):
    """The file cannot be read or decoded (empty, binary, unreadable, unsupported type)."""


class NotAReportError(NianbaoError):
    """The file reads, but is not an annual report (or is cut off before anything usable)."""


class UnidentifiedReport(NotAReportError):
    """Tables of a report that names neither its body nor its year (an excerpt). ``partial`` is what was read, with
    an empty body and year 0; the store may recognise it as a held report's excerpt (``ingest.identity``)."""

    def __init__(self, message: str, partial):
        super().__init__(message)
        self.partial = partial


class IndexMismatchError(NianbaoError):
    """The saved vector index was built with another model or dimension."""


def reader_failure(name: str, error: BaseException) -> str:
    """The one line for a file a reader could not read: pathological nesting, or a reader's own error on a broken
    file (lxml, python-docx, pdfminer). Said the same in process and from the parsing child."""
    if isinstance(error, RecursionError):
        return f"{name}：文件结构嵌套过深，无法解析。"
    reason = str(error).splitlines()[0][:120] if str(error) else error.__class__.__name__
    return f"{name}：文件已损坏或格式不对，无法读取（{reason}）。"


def over_memory(name: str, memory_mb: int) -> str:
    return f"{name}：解析时所需内存超过 {memory_mb} MB 上限，已放弃（文件可能是压缩炸弹）。"
