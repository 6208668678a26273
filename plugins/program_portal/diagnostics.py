"""Located messages: every problem a designer sees is ``FILE:LINE:COLUMN: severity CODE: message``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a file named relative to the project directory."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the program or a page."""

    severity: Severity
    code: str
    message: str
    location: Location

    def __str__(self) -> str:
        return f"{one_line(str(self.location))}: {self.severity} {self.code}: {one_line(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(message: str) -> str:
    """``message`` on one line: line breaks and other control characters (from a designer's text) escaped."""
    return _LINE_BREAKING.sub(lambda m: repr(m.group(0))[1:-1], message)


def error(code: str, message: str, location: Location) -> Diagnostic:
    return Diagnostic("error", code, message, location)


def warning(code: str, message: str, location: Location) -> Diagnostic:
    return Diagnostic("warning", code, message, location)


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A hint like `` (did you mean 'mentor'?)`` for a mistyped id, or ``""``."""
    if not isinstance(word, str):
        return ""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    return (loc.file, loc.line, loc.column, diagnostic.code)


class ProgramError(Exception):
    """Raised when the program cannot be loaded; carries every error found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics, key=sort_key)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
