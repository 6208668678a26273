"""Placeholders in Markdown (``{{ blank('goals') }}``, ``{{ program.title }}``), rendered in Jinja's sandbox.

An undefined name, a syntax error or a sandbox violation becomes one located error
(``PF015``); nothing a page writes can reach Python internals.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .diagnostics import Location, ProgramError, error

PLACEHOLDER_ERROR = "PF015"

Target = Literal["html", "markdown"]
"""``html``: blanks become form inputs (web pages, PDF); ``markdown``: ``________ (label)``."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "field"


@dataclass
class Blanks:
    """Hands out one fill-in field per ``blank()`` call, each with a unique, meaningful name."""

    target: Target
    prefix: str = ""
    names: list[str] = field(default_factory=list)

    def field_name(self, label: str) -> str:
        base = f"{self.prefix}{slug(label)}"
        name, n = base, 1
        while name in self.names:
            n += 1
            name = f"{base}-{n}"
        self.names.append(name)
        return name

    def __call__(self, label: object = "", lines: object = 1) -> Markup | str:
        if not isinstance(label, str):
            raise TypeError("blank() takes a text label, e.g. blank('goals')")
        if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 20:
            raise TypeError("blank(lines=...) takes a whole number from 1 to 20")
        if self.target == "markdown":
            return f"________ ({label})" if label else "________"
        return blank_html(self.field_name(label or "field"), label, lines)


def blank_html(name: str, label: str, lines: int = 1) -> Markup:
    """The fill-in control for one blank: an input, or a textarea when more than a line is asked for."""
    attrs = Markup(' name="{0}" id="pp-{0}" aria-label="{1}" title="{1}" data-pp-label="{1}"').format(name, label or "field")
    if lines > 1:
        return Markup('<textarea class="pp-blank pp-blank--area" rows="{0}"{1}></textarea>').format(lines, attrs)
    return Markup('<input type="text" class="pp-blank" autocomplete="off"{0} placeholder="{1}">').format(attrs, label)


class _Environment(ImmutableSandboxedEnvironment):
    pass


_ENV = _Environment(
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    finalize=None,
)
_ENV_HTML = _Environment(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """``(front_matter, body, lines_in_front_matter)`` the way MkDocs strips a YAML header."""
    match = re.match(r"^-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*\n", text, re.S)
    if not match:
        return "", text, 0
    head = match.group(0)
    return head, text[len(head):], head.count("\n")


def _line_of(exc: BaseException, name: str) -> int | None:
    if isinstance(exc, TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == name and frame.lineno:
            return frame.lineno
    return None


def _column(source: str, line: int, exc: BaseException) -> int:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return 1
    text = lines[line - 1]
    quoted = re.search(r"'([^']+)' is undefined", str(exc))
    for needle in ([quoted.group(1)] if quoted else []) + ["{{", "{%"]:
        col = text.find(needle)
        if col >= 0:
            return col + 1
    return 1


def _message(exc: BaseException) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a placeholder: {exc}"
    if isinstance(exc, TemplateSyntaxError):
        return f"placeholder syntax error: {exc.message}"
    text = str(exc) or type(exc).__name__
    if "is undefined" in text or "has no attribute" in text:
        return f"{text}; available: program, blank(){' and the page’s own track or template' if 'track' not in text else ''}"
    return text


def render(
    source: str,
    *,
    file: str,
    context: Mapping[str, Any],
    blanks: Blanks,
    line_offset: int = 0,
) -> str:
    """Render placeholders in ``source``. Raises :class:`ProgramError` located in ``file``."""
    if "{{" not in source and "{%" not in source and "{#" not in source:
        return source
    env = _ENV_HTML if blanks.target == "html" else _ENV
    try:
        template = env.from_string(source)
        template.filename = file
        return template.render({**context, "blank": blanks})
    except (TemplateError, SecurityError, TypeError, ValueError, AttributeError, LookupError, ArithmeticError, RecursionError) as exc:
        line = _line_of(exc, file) or _line_of(exc, "<template>") or 1
        location = Location(file, line + line_offset, _column(source, line, exc))
        raise ProgramError([error(PLACEHOLDER_ERROR, _message(exc), location)]) from None


def values(model: Any) -> dict[str, Any]:
    """A model's fields as plain data for templates (dates stay dates, so `{{ program.starts }}` is ISO)."""
    return model.model_dump(mode="python", by_alias=True)


def format_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


Renderer = Callable[[str], str]
