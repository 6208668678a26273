"""Placeholders in Markdown (``{{ blank('goals') }}``, ``{{ program.title }}``), rendered in Jinja's sandbox.

An undefined name, a syntax error or a sandbox violation becomes one located error
(``PF015``); nothing a page writes can reach Python internals.
"""

from __future__ import annotations

import re
import traceback
from functools import lru_cache
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, Undefined, pass_context
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from program_portal.diagnostics import Location, ProgramError, did_you_mean, error
from program_portal.codes import PLACEHOLDER_ERROR
from program_portal.render.placeholder_limits import LimitedSandbox, guard_filter, page_budget


Target = Literal["html", "markdown"]
"""``html``: blanks become form inputs (web pages, PDF); ``markdown``: ``________ (label)``."""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "field"


MAX_BLANKS = 500
"""Fill-in fields in one document (each is a form field of the Word and PDF downloads)."""


@dataclass
class Blanks:
    """Hands out one fill-in field per ``blank()`` call, each with a unique, meaningful name."""

    target: Target
    prefix: str = ""
    names: list[str] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set, repr=False)
    _next: dict[str, int] = field(default_factory=dict, repr=False)
    unnamed: str = "field"  # the accessible name of a blank without a label, in the program's language

    def field_name(self, label: str) -> str:
        if len(self.names) >= MAX_BLANKS:
            raise SecurityError(f"more than {MAX_BLANKS} fill-in fields in one document")
        base = f"{self.prefix}{slug(label)}"
        name, n = base, self._next.get(base, 1)
        while name in self._taken or name in self.names:
            n += 1
            name = f"{base}-{n}"
        self._next[base] = n
        self._taken.add(name)
        self.names.append(name)
        return name

    def __call__(self, label: object = "", lines: object = 1) -> Markup | str:
        if not isinstance(label, str):
            raise TypeError("blank() takes a text label, e.g. blank('goals')")
        if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 20:
            raise TypeError("blank(lines=...) takes a whole number from 1 to 20")
        if self.target == "markdown":
            from program_portal.render.markdown import text  # the label as text, never Markdown or HTML

            return f"________ ({text(label)})" if label else "________"
        return blank_html(self.field_name(label or "field"), label, lines, unnamed=self.unnamed)


def blank_html(name: str, label: str, lines: int = 1, *, unnamed: str = "field") -> Markup:
    """The fill-in control for one blank: an input, or a textarea when more than a line is asked for."""
    attrs = Markup(' name="{0}" id="pp-{0}" aria-label="{1}" title="{1}" data-pp-label="{1}"').format(name, label or unnamed)
    if lines > 1:
        return Markup('<textarea class="pp-blank pp-blank--area" rows="{0}"{1}></textarea>').format(lines, attrs)
    # as wide as its label (the placeholder), so the label is never cut; CSS caps it at the column's width
    size = min(max(len(label) + 2, 12), 60)
    return Markup('<input type="text" class="pp-blank" autocomplete="off"{0} placeholder="{1}" size="{2}">').format(attrs, label, size)


# A Jinja comment needs a space after ``{#`` (``{# note #}``): ``{#goals}`` is the attr_list
# syntax for a heading id in Markdown, not the start of a comment.
COMMENT_START = "{# "
_OPTIONS: dict[str, Any] = {"undefined": StrictUndefined, "keep_trailing_newline": True, "comment_start_string": COMMENT_START}
_ENV = LimitedSandbox(autoescape=False, **_OPTIONS)
_ENV_HTML = LimitedSandbox(autoescape=True, **_OPTIONS)

# --- the ``date`` filter: ``{{ program.starts | date }}``, ``{{ program.ends | date('short') }}`` ---
DATE_STYLES = ("short", "medium", "long")
"""CLDR's date styles the filter takes; ``long`` (``11 January 2027``) when none is given."""
_LANGUAGE: ContextVar[Any] = ContextVar("program_portal_placeholder_language", default=None)


def _shown(value: object) -> str:
    """A value in an error message: its type and at most 40 characters of it."""
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


@pass_context  # never folded into a constant when compiled: the language is known only when rendering
def date_filter(_context: Any, value: object, style: object = "long", *more: object, **named: object) -> str:
    """A date in the program's language and one of CLDR's styles (the ``date`` filter)."""
    from program_portal.i18n.language import Language

    if more or set(named) - {"style"}:
        raise TypeError("the date filter takes one style at most: date, date('short'), date('medium') or date('long')")
    style = named.get("style", style)
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined: the undefined name's own located error
    if not isinstance(style, str) or style not in DATE_STYLES:
        raise ValueError(f"the date filter's style must be one of {', '.join(repr(s) for s in DATE_STYLES)}, not {_shown(style)}")
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"the date filter takes a date like program.starts; {value!r} is not a day of the calendar") from None
    if not isinstance(value, date):
        raise TypeError(f"the date filter takes a date like program.starts or '2027-01-11', not {_shown(value)}")
    language = _LANGUAGE.get() or Language("en")
    return language.date_text(value, style)


for _env in (_ENV, _ENV_HTML):
    _env.filters["date"] = guard_filter("date", date_filter)


@contextmanager
def language_of_dates(language: Any) -> Iterator[None]:
    """The language the ``date`` filter formats in while rendering (the program's)."""
    token = _LANGUAGE.set(language)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


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


def _source_line(source: str, line: int) -> str:
    lines = source.splitlines()
    return lines[line - 1] if 1 <= line <= len(lines) else ""


_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'$")


def _attribute_owner(text: str, attribute: str) -> re.Match[str] | None:
    """Where ``owner.attribute`` (or ``owner['attribute']``) is written on the line."""
    name = re.escape(attribute)
    return re.search(rf"([A-Za-z_]\w*)\s*(?:\.\s*{name}\b|\[\s*['\"]{name}['\"]\s*\])", text)


def _column(text: str, exc: BaseException) -> int:
    """The column of the offending name on the line, else of the placeholder that holds it."""
    message = str(exc)
    if undefined := _UNDEFINED.match(message):
        match = re.search(rf"(?<![\w.]){re.escape(undefined.group(1))}\b", text)
        if match:
            return match.start() + 1
    elif attribute := _NO_ATTRIBUTE.search(message):
        match = _attribute_owner(text, attribute.group(1))
        if match:
            return match.start() + 1
    found = [col for col in (text.find(needle) for needle in ("{{", "{%", COMMENT_START)) if col >= 0]
    return min(found) + 1 if found else 1


def _available(context: Mapping[str, Any]) -> str:
    names = sorted(k for k in context if k != "blank")
    return ", ".join(names + ["blank()"])


def _message(exc: BaseException, context: Mapping[str, Any], text: str) -> str:
    if isinstance(exc, SecurityError):
        return f"not allowed in a placeholder: {exc}"
    if isinstance(exc, TemplateSyntaxError):
        return f"placeholder syntax error: {exc.message}"
    if isinstance(exc, MemoryError):
        return "this placeholder needs too much memory"
    if isinstance(exc, RecursionError):
        return "this placeholder nests too deeply"
    message = str(exc) or type(exc).__name__
    if undefined := _UNDEFINED.match(message):
        name = undefined.group(1)
        hint = did_you_mean(name, [*context, "blank"])
        return f"'{name}' is undefined{hint}; available here: {_available(context)}"
    if attribute := _NO_ATTRIBUTE.search(message):
        name = attribute.group(1)
        owner = _attribute_owner(text, name)
        value = context.get(owner.group(1)) if owner else None
        if owner and isinstance(value, Mapping):
            fields = [str(k) for k in value]
            return f"'{owner.group(1)}' has no field '{name}'{did_you_mean(name, fields)}; its fields: {', '.join(fields)}"
        return f"{message}; available here: {_available(context)}"
    return message


_CODE: dict[str, Any] = {"cache": None}


def use_code_cache(folder: Any, root: Any) -> None:
    """Keep the compiled placeholders in the sealed bytecode cache under the cache folder ``folder``
    (:mod:`.compiled`; None: compile in memory only), for the next build."""
    from program_portal.render import compiled

    _CODE["cache"] = compiled.code_cache(folder, root, compiled.PLACEHOLDERS, "", "placeholders.py", "placeholder_limits.py")


@lru_cache(maxsize=2048)
def _compiled(html: bool, source: str) -> Template:
    """The compiled template for ``source`` (the same text is rendered for the page, the standalone
    document and the Markdown download: compile it once; a warm build reads the code a previous
    build compiled, see :func:`use_code_cache`). Syntax errors are raised, never cached."""
    from program_portal.render import compiled

    return compiled.compile_string(_ENV_HTML if html else _ENV, source, _CODE["cache"], "html" if html else "text")


def render(
    source: str,
    *,
    file: str,
    context: Mapping[str, Any],
    blanks: Blanks,
    line_offset: int = 0,
    language: Any = None,
) -> str:
    """Render placeholders in ``source``. Raises :class:`ProgramError` located in ``file``.

    ``language``: the program's :class:`~program_portal.i18n.language.Language`, for the ``date`` filter.
    """
    if "{{" not in source and "{%" not in source and COMMENT_START not in source:
        return source
    try:
        with page_budget(), (language_of_dates(language) if language is not None else nullcontext()):
            template = _compiled(blanks.target == "html", source)
            template.filename = file
            return template.render({**context, "blank": blanks})
    except (
        TemplateError, SecurityError, TypeError, ValueError, AttributeError, LookupError, ArithmeticError,
        RecursionError, MemoryError,
    ) as exc:  # fmt: skip
        line = _line_of(exc, file) or _line_of(exc, "<template>") or 1
        text = _source_line(source, line)
        location = Location(file, line + line_offset, _column(text, exc))
        raise ProgramError([error(PLACEHOLDER_ERROR, _message(exc, context, text), location)]) from None


def values(model: Any) -> dict[str, Any]:
    """A model's fields as plain data for templates (dates stay dates, so `{{ program.starts }}` is ISO)."""
    return model.model_dump(mode="python", by_alias=True)


def format_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


Renderer = Callable[[str], str]
