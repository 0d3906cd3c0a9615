"""Errors a user can act on: each names the file (and line) that caused it."""

from __future__ import annotations

from pathlib import Path


class TemaError(Exception):
    """Base class for errors reported to the user without a traceback."""


class InputError(TemaError):
    """Bad input data: names the file and, where known, the line.

    The message is English, for the command line. `code` and `values` say the same as data,
    for a reader in another language: the browser app words each code in Norwegian and
    English (`tema.serve.input_errors`), filling in `values`."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        line: int | None = None,
        *,
        code: str = "",
        **values: object,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        self.code = code
        self.values = values
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class UnreadableFile(InputError):
    """A file with no text tema can read (binary, encrypted, scanned, empty, of an unknown
    type); ingest warns, names it and goes on with the rest of the batch."""


class ModelError(TemaError):
    """A model file that is missing, tampered with or built by other library versions:
    the problem (`problem`), then what to do about it (`advice`), if anything."""

    def __init__(self, problem: str, advice: str = "") -> None:
        self.problem = problem
        self.advice = advice
        super().__init__(f"{problem}; {advice}" if advice else problem)
