"""Safe output: a file name printed as one line (no newline, no control that reorders the line), and output into
a pipe that closes early (``python -m ingest … | head -1``): the work goes on and finishes, the lines no one reads
are dropped, and no BrokenPipeError traceback is printed."""
from __future__ import annotations

import os
import re
import sys

__all__ = ["guard_stdout", "printable_name", "UNPRINTABLE"]

# control characters and the bidirectional controls that reorder what follows them on a terminal or in a chat
UNPRINTABLE = re.compile("[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable_name(name: str) -> str:
    """A file name as shown in a line of output: no newline, no control that would reorder the line."""
    return UNPRINTABLE.sub("?", name)


class _Guarded:
    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())  # the interpreter's own flush at exit finds no broken pipe
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)
        self._stream = open(os.devnull, "w", encoding="utf-8")

    def __getattr__(self, name):
        return getattr(self._stream, name)


def guard_stdout() -> None:
    if not isinstance(sys.stdout, _Guarded):
        sys.stdout = _Guarded(sys.stdout)
