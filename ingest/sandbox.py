"""Parsing in a child process with limits on memory and time: a hostile or broken file (a zip or Flate bomb, a
five-thousand-page PDF, pathological nesting) costs one failed line, never the ingest, the bot, or the machine.

One child serves file after file (forked once, so jieba's dictionary and the readers are loaded already); a file
that exceeds a limit kills it, and the next file gets a new one. The parent never parses.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import threading
import traceback
from dataclasses import replace
from multiprocessing.connection import Connection

from .errors import NianbaoError, ReadError, UnidentifiedReport, over_memory, reader_failure
from .model import Report

__all__ = ["SandboxedParser", "MEMORY_MB", "SECONDS"]

MEMORY_MB = 1024  # beyond what the child already maps
SECONDS = 25.0  # a whole report parses in well under a second; a file taking this long is hostile


def _serve(conn: Connection, memory_mb: int) -> None:
    """The child: parse what comes, send back ("ok", report, its passages' tokens), ("unidentified", message,
    partial), ("error", message), or ("fatal", message) before it ends (out of memory)."""
    from .report import parse_bytes
    from .store import passage_tokens

    gc.freeze()  # the readers, the template and the tokenizer stay: never walked by the collector
    try:
        mapped = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # no /proc: the time limit still holds
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(1.0):  # a parent killed (kill -9) ends its children: the pipe alone may not say so,
                if os.getppid() != parent:  # a sibling forked later holds its other end
                    return
            data, name = conn.recv()
        except EOFError:
            return
        try:
            report = parse_bytes(data, name)
            tokens = passage_tokens(report)  # cut here, so the writer does not
            conn.send(("ok", replace(report, sections=()), tokens))  # (its sections are read in parsing only)
        except UnidentifiedReport as e:
            conn.send(("unidentified", str(e), e.partial))
        except NianbaoError as e:
            conn.send(("error", str(e)))
        except MemoryError:  # the parent starts a fresh child for the next file
            conn.send(("fatal", over_memory(name, memory_mb)))
            return
        except Exception as e:  # a reader's own error on a broken file
            conn.send(("error", reader_failure(name, e)))
        except BaseException:
            traceback.print_exc()
            return


class SandboxedParser:
    """``parse(data, name)`` as ``ingest.report.parse_bytes``, run in a child process under limits. The report
    comes back without its sections (``Report.sections``), which only parsing reads: what is stored is all there."""

    def __init__(self, memory_mb: int = MEMORY_MB, seconds: float = SECONDS, start_method: str | None = None):
        self.start_method = start_method
        self.memory_mb = memory_mb
        self.seconds = seconds
        self._child: multiprocessing.Process | None = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the child now (a fork of this process as it is: start it before any thread)."""
        self._start()

    def _start(self) -> Connection:
        if self._child is None or not self._child.is_alive():
            # fork is fast and shares what is loaded; a process with other threads (the bot) forks a clean server
            # instead, so that no lock another thread held is inherited locked
            method = self.start_method or ("fork" if threading.active_count() == 1 else "forkserver")
            context = multiprocessing.get_context(method)
            parent, child = context.Pipe()
            self._child = context.Process(
                target=_serve, args=(child, self.memory_mb), daemon=True, name="nianbao-parse")
            self._child.start()
            child.close()
            self._conn = parent
        assert self._conn is not None
        return self._conn

    def _stop(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.join()
        if self._conn is not None:
            self._conn.close()
        self._child, self._conn = None, None

    def parse(self, data: bytes, name: str) -> Report:
        return self.parse_with_tokens(data, name)[0]

    def parse_with_tokens(self, data: bytes, name: str) -> tuple[Report, tuple]:
        """The report and its passages' tokens (``ingest.store.passage_tokens``), both made in the child."""
        conn = self._start()
        try:
            conn.send((data, name))
            if not conn.poll(self.seconds):
                self._stop()
                raise ReadError(f"{name}：解析超过 {self.seconds:.0f} 秒，已放弃（文件过大或结构异常）。")
            reply = conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):  # the child died: out of memory, or killed
            self._stop()
            raise ReadError(over_memory(name, self.memory_mb)) from None
        if reply[0] == "ok":
            return reply[1], reply[2]
        if reply[0] == "unidentified":
            raise UnidentifiedReport(reply[1], reply[2])
        if reply[0] == "fatal":
            self._stop()
        raise ReadError(reply[1])

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> SandboxedParser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
