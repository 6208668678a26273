"""Limits on Markdown text (bodies and pages) that every later stage can take.

Python-Markdown, python-docx and WeasyPrint walk a document recursively: a thousand nested
``>`` (or ``<div>``, or ``*``) ends in a RecursionError, and deep lists take minutes to lay
out. Control characters break the Word writer (XML cannot hold them) and Python-Markdown
(which uses some as markers). This module finds each of these in the source, with its line
and column, before anything is rendered. It is linear in the text.

Some Markdown is cheap to write and expensive to convert: Python-Markdown rescans the rest of
a paragraph for every ``[`` or ``](`` that is not closed (``[a](`` x 150,000 took minutes), and
makes each duplicate heading's id unique by trying ``_1``, ``_2``... in turn (60,000 ``# a``
took minutes), and its HTML reader rescans for every ``<a`` left open. So a page also has a
**structure budget** (:data:`BUDGET`), counted in the same pass: headings, links, link brackets,
raw HTML tags (and those left open), list items and table cells, each with a limit no realistic
page reaches, and the characters Markdown would rescan for brackets left open
(:data:`MAX_BRACKET_SCAN`). ``check`` and the build apply it alike, before Markdown runs; past
it, the page goes no further. Within it, converting a page costs about what converting the same
size of ordinary prose costs (``make benchmark``; figures in the CHANGELOG).
"""

from __future__ import annotations

import re

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

BUDGET = {
    "headings": 1_000,
    "links": 20_000,
    "link brackets": 40_000,
    "raw HTML tags": 20_000,
    "raw HTML tags left open": 1_000,
    "list items": 10_000,
    "table cells": 50_000,
}
"""The most of each structure one page may have (a long realistic page has a few hundred of each)."""
MAX_BRACKET_SCAN = 2_000_000
"""Characters Python-Markdown rescans for ``[`` and ``(`` of links that close late or never, in one page."""

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


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,63})(?=[\s/>])[^<>]*>|<!--.*?(?:-->|\Z)", re.S)


def _html_too_deep(text: str) -> tuple[int, int] | None:
    """The 1-based ``(line, column)`` of the first raw HTML element nested past :data:`MAX_HTML_DEPTH`, or None.

    One pass: open elements on a stack with a count per name, so that a closing tag that matches
    nothing costs nothing and one that matches pops what it closes (each element popped once)."""
    stack: list[str] = []
    counts: dict[str, int] = {}
    for m in _TAG.finditer(text):
        name = m.group(2)
        if name is None:  # a comment
            continue
        tag = name.lower()
        if tag in _NOT_NESTING:
            continue
        if not m.group(1):
            stack.append(tag)
            counts[tag] = counts.get(tag, 0) + 1
            if len(stack) > MAX_HTML_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        elif counts.get(tag):
            while stack:
                top = stack.pop()
                counts[top] -= 1
                if top == tag:
                    break
    return None


_HEADING = re.compile(r"[ ]{0,3}#{1,6}(?:[ \t]|$)|[ ]{0,3}(?:=+|-+)[ \t]*$")
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_CLOSED = re.compile(r"<[^<>]*>")
_STRUCTURE = re.compile(r"\]\(|[\[\]()|]|<[A-Za-z/!?]")


class _Budget:
    """The structure of a page, counted line by line (see the module), and where it first goes past a limit."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(BUDGET, 0)
        self.scan = 0
        self.past: tuple[str, int, int] | None = None  # (what, line, column)
        self._brackets: list[tuple[int, int, int]] = []  # (offset, line, column) of open '[' in the current block
        self._parens: list[tuple[int, int, int]] = []  # the same for open '(' of link targets
        self._previous_text = False

    def _count(self, what: str, line: int, column: int, n: int = 1) -> None:
        self.counts[what] += n
        if self.past is None and self.counts[what] > BUDGET[what]:
            self.past = (what, line, column)

    def end_block(self, offset: int, line: int) -> None:
        """Brackets still open at the end of a paragraph cost a rescan of the rest of it each
        (past the budget: located at the first of them)."""
        opened = self._brackets + self._parens
        for start, _, _ in opened:
            self.scan += offset - start
        if self.past is None and self.scan > MAX_BRACKET_SCAN:
            first = min(opened, default=(0, line, 1))
            self.past = ("bracket scan", first[1], first[2])
        self._brackets.clear()
        self._parens.clear()

    def line(self, text: str, start: int, number: int) -> None:
        stripped = text.strip()
        if not stripped:
            self.end_block(start, number)
            self._previous_text = False
            return
        heading = _HEADING.match(text)
        if heading and (text.lstrip().startswith("#") or self._previous_text):
            self._count("headings", number, 1)
        if _ITEM.match(text) or stripped.startswith(("|", ">", "#")):
            self.end_block(start, number)  # a new list item, table row, quote or heading: a new inline text
            if _ITEM.match(text):
                self._count("list items", number, 1)
        self._previous_text = not heading
        cells = 0
        for m in _STRUCTURE.finditer(text):
            token = m.group()
            offset = start + m.start()
            if token == "[":
                self._count("link brackets", number, m.start() + 1)
                self._brackets.append((offset, number, m.start() + 1))
            elif token == "]":
                if self._brackets:
                    self.scan += offset - self._brackets.pop()[0]
            elif token == "](":
                self._count("links", number, m.start() + 1)
                if self._brackets:
                    self.scan += offset - self._brackets.pop()[0]
                self._parens.append((offset, number, m.start() + 1))
            elif token == "(":
                if self._parens:
                    self._parens.append((offset, number, m.start() + 1))
            elif token == ")":
                if self._parens:
                    self.scan += offset - self._parens.pop()[0]
            elif token == "|":
                cells += 1
            else:
                self._count("raw HTML tags", number, m.start() + 1)
                if not _CLOSED.match(text, m.start()):  # '<a' with no '>' before the next '<' on its line
                    self._count("raw HTML tags left open", number, m.start() + 1)
            if self.past is None and self.scan > MAX_BRACKET_SCAN:
                self.past = ("bracket scan", number, m.start() + 1)
            if self.past:
                return
        if cells:
            self._count("table cells", number, 1, cells)

    def message(self) -> str:
        assert self.past is not None
        what = self.past[0]
        if what == "bracket scan":
            return (f"link brackets '[' and '](' left open make Markdown read the rest of the paragraph again for each: "
                    f"more than {MAX_BRACKET_SCAN} characters by here; close them, or put them in `code`")
        return (f"more than {BUDGET[what]} {what} on one page (the structure budget keeps every page quick to build); "
                "split the page")


def markdown_problems(text: str, file: str, *, line_offset: int = 0, max_length: int | None = None) -> list[Diagnostic]:
    """Located errors for ``text`` (a body or page): control characters, nesting, length. Never raises."""
    problems: list[Diagnostic] = []

    def at(line: int, column: int) -> Location:
        return Location(file, line + line_offset, column)

    if max_length is not None and len(text) > max_length:
        problems.append(error(LIMIT, f"this file has {len(text)} characters; a body may have at most {max_length}", Location(file)))
        return problems
    budget = _Budget()
    number = 0
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group().rstrip("\n").rstrip("\r")
        if budget.past is None:
            budget.line(line, match.start(), number)
            if budget.past is not None:
                problems.append(error(LIMIT, budget.message(), at(budget.past[1], budget.past[2])))
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
    if budget.past is None:
        budget.end_block(len(text), number)
        if budget.past is not None:
            problems.append(error(LIMIT, budget.message(), at(budget.past[1], budget.past[2])))
    if budget.past is not None:
        return problems  # past the budget: the page goes no further, and the nesting scan is not needed
    if "<" in text and (too_deep := _html_too_deep(text)):
        problems.append(error(LIMIT, f"HTML elements nested more than {MAX_HTML_DEPTH} deep", at(*too_deep)))
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

