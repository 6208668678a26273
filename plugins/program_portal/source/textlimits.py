"""Limits on Markdown text (bodies and pages) that every later stage can take.

Python-Markdown, python-docx and WeasyPrint walk a document recursively: a thousand nested
``>`` (or ``<div>``, or ``*``) ends in a RecursionError, and deep lists take minutes to lay
out. Control characters break the Word writer (XML cannot hold them) and Python-Markdown
(which uses some as markers). This module finds each of these in the source, with its line
and column, before anything is rendered. It is linear in the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import yaml

from program_portal.codes import BAD_VALUE, LIMIT, YAML_SYNTAX
from program_portal.diagnostics import Diagnostic, Location, error
from program_portal.source.yamlfile import DepthLimited

MAX_BLOCK_DEPTH = 16
"""Quotes and lists inside each other (``>``, ``-``, ``1.``, and each 4 columns of indentation)."""
MAX_HTML_DEPTH = 32
"""Raw HTML elements inside each other."""
MAX_DELIMITER_RUN = 32
"""``*``, ``_``, ``~``, ``^``, ``=`` or ``+`` in a row inside a line (emphasis nested in emphasis)."""
MAX_BODY = 50_000
"""Characters in one body file (its page, its Word and PDF documents)."""

_UNUSABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_RUN = re.compile(r"([*_~^=+])\1{%d,}" % MAX_DELIMITER_RUN)
_LINE = re.compile(r"[^\n]*\n?")
# Elements that close themselves, or that HTML closes implicitly: not counted as nesting.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta source track wbr p li dt dd tr td th option thead tbody tfoot colgroup".split()
)


def _width(indent: str) -> int:
    return sum(4 - (i % 4) if c == "\t" else 1 for i, c in enumerate(indent))


def _block_depth(line: str) -> tuple[int, int]:
    """How deep a line nests quotes and lists (indentation counts a level per 4 columns), and the
    column where it goes past :data:`MAX_BLOCK_DEPTH`."""
    indent = len(line) - len(line.lstrip(" \t"))
    depth, column, pos = _width(line[:indent]) // 4, indent + 1, 0
    while match := _MARKER.match(line, pos):
        depth += 1
        if depth == MAX_BLOCK_DEPTH + 1:
            marker = match.group()
            column = match.start() + len(marker) - len(marker.lstrip(" \t")) + 1
        pos = match.end()
    return depth, column


class _Nesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.too_deep: tuple[int, int] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _NOT_NESTING or self.too_deep:
            return
        self.open.append(tag)
        if len(self.open) > MAX_HTML_DEPTH:
            self.too_deep = self.getpos()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def markdown_problems(text: str, file: str, *, line_offset: int = 0, max_length: int | None = None) -> list[Diagnostic]:
    """Located errors for ``text`` (a body or page): control characters, nesting, length. Never raises."""
    problems: list[Diagnostic] = []

    def at(line: int, column: int) -> Location:
        return Location(file, line + line_offset, column)

    if max_length is not None and len(text) > max_length:
        problems.append(error(LIMIT, f"this file has {len(text)} characters; a body may have at most {max_length}", Location(file)))
        return problems
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group().rstrip("\n").rstrip("\r")
        if not line:
            continue
        if bad := _UNUSABLE.search(line):
            problems.append(error(BAD_VALUE, f"the control character U+{ord(bad.group()):04X} cannot be published; remove it", at(number, bad.start() + 1)))
            break
        depth, column = _block_depth(line)
        if depth > MAX_BLOCK_DEPTH:
            problems.append(error(LIMIT, f"quotes and lists nested {depth} deep; at most {MAX_BLOCK_DEPTH} levels", at(number, column)))
            break
        if (run := _RUN.search(line)) and line.strip() != run.group():
            problems.append(
                error(LIMIT, f"{len(run.group())} '{run.group(1)}' in a row: emphasis nested too deeply (at most {MAX_DELIMITER_RUN})", at(number, run.start() + 1))
            )
            break
    if "<" in text:
        parser = _Nesting()
        parser.feed(text)
        parser.close()
        if parser.too_deep:
            line, offset = parser.too_deep
            problems.append(error(LIMIT, f"HTML elements nested more than {MAX_HTML_DEPTH} deep", at(line, offset + 1)))
    return problems


class _DepthLoader(DepthLimited, yaml.SafeLoader):
    pass


def front_matter_problems(head: str, file: str) -> list[Diagnostic]:
    """A page's YAML front matter nested deeper than MkDocs' YAML reader can take (other problems are MkDocs')."""
    body = head.split("\n", 1)[1] if "\n" in head else ""
    try:
        yaml.compose(body.rsplit("\n", 2)[0] if body else "", Loader=_DepthLoader)
    except yaml.composer.ComposerError as exc:
        if exc.problem and "levels deep" in exc.problem and exc.problem_mark:  # the one problem MkDocs cannot report
            return [error(YAML_SYNTAX, f"front matter: {exc.problem}", Location(file, exc.problem_mark.line + 2, exc.problem_mark.column + 1))]
    except (yaml.YAMLError, RecursionError):
        pass
    return []

