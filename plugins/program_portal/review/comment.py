"""Markdown for a pull-request comment, where every designer's text is hostile.

A title from program.yml may hold ``|`` (which would split a table cell), backticks,
``<script>``, ``@someone`` (which would notify a person) or ``#12`` (which would
cross-reference an issue). :func:`text` makes any string plain text in GitHub- and
GitLab-flavoured Markdown; the rest of the report is written by the portal itself.
"""

from __future__ import annotations

import html
import re
import unicodedata

WORD_JOINER = "\u2060"  # invisible; breaks @mentions and #references without changing what is read
MAX_TEXT = 200  # characters of one designer value in the report
MAX_COMMENT = 60_000  # GitHub refuses comments over 65,536 characters
MARKER = "<!-- program-portal diff -->"  # lets a CI job find and update its own comment

_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()#+\-.!|~:])")
_INVISIBLE = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")


def _visible(char: str) -> str:
    """Control, format (bidi overrides, zero-width) and private-use characters shown as ``\\uXXXX``."""
    if char in " \t\n\r" or unicodedata.category(char) not in _INVISIBLE:
        return char
    return f"\\u{ord(char):04x}"


def text(value: object, limit: int = MAX_TEXT) -> str:
    """``value`` as plain text in Markdown: one line, at most ``limit`` characters, nothing interpreted."""
    plain = " ".join("".join(_visible(c) for c in str(value)).split())
    if len(plain) > limit:
        plain = plain[: limit - 1].rstrip() + "…"
    escaped = _PUNCTUATION.sub(r"\\\1", html.escape(plain, quote=False))
    return escaped.replace("@", "@" + WORD_JOINER).replace("#", "#" + WORD_JOINER)


def code(value: str) -> str:
    """An id or code in a code span (``[a-z0-9-]+``, ``PD002``; anything else is escaped as text)."""
    return f"`{value}`" if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}", value) else text(value)


def literal(value: str) -> str:
    """A path or location in a code span when it is plainly safe there, else escaped :func:`text`."""
    return f"`{value}`" if re.fullmatch(r"[A-Za-z0-9._/:\- ]{1,200}", value) and value.strip() == value else text(value)


def table(header: list[str], rows: list[list[str]], limit: int = 12) -> str:
    """A Markdown table of already-escaped cells; past ``limit`` rows a last row says how many more."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append("| " + " | ".join([f"… and {len(rows) - limit} more"] + [""] * (len(header) - 1)) + " |")
    return "\n".join(lines) + "\n"


def cut(markdown: str, limit: int = MAX_COMMENT) -> str:
    """``markdown`` cut at a line boundary to fit one comment, saying so."""
    if len(markdown) <= limit:
        return markdown
    head = markdown[:limit].rpartition("\n")[0]
    rest = markdown[len(head) :].count("\n")
    return f"{head}\n\n*The report is cut here: {rest} more lines. Run `program-portal diff` locally for all of it.*\n"
