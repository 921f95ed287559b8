"""Output into a pipe that closes early (``python -m ingest … | head -1``): the work goes on and finishes, the
lines no one reads are dropped, and no BrokenPipeError traceback is printed."""
from __future__ import annotations

import os
import sys

__all__ = ["guard_stdout"]


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
