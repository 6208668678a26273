"""The designer's own pages under docs_dir: which ones are published, their front matter, their placeholders.

Each page is read and rendered once, here; the MkDocs adapter hands MkDocs the rendered
text, and ``program-portal export`` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from program_portal.codes import BAD_VALUE, YAML_SYNTAX
from program_portal.diagnostics import Location, ProgramError, error
from program_portal.paths import MARKDOWN_SUFFIXES
from program_portal.render.placeholders import Blanks, render, split_front_matter
from program_portal.source.yamlfile import load

# The YAML header exactly as MkDocs recognises it (mkdocs.utils.meta.YAML_RE).
MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


@dataclass
class ContentPage:
    """An ordinary page under docs_dir (not a body): its source and its rendered Markdown (front matter kept)."""

    src: str
    text: str


def is_published(src: str) -> bool:
    """Whether MkDocs publishes ``src`` by default (it skips dot-files and ``templates/``)."""
    parts = src.split("/")
    return not any(p.startswith(".") for p in parts) and parts[0] != "templates"


def content_files(docs_dir: Path) -> list[str]:
    """Every file under docs_dir, docs-relative."""
    if not docs_dir.is_dir():
        return []
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file())


def is_markdown(src: str) -> bool:
    """Whether ``src`` is a page (every suffix MkDocs reads as Markdown)."""
    return src.endswith(MARKDOWN_SUFFIXES)


def check_front_matter(text: str, file: str) -> None:
    """A YAML header must be a mapping (MkDocs would otherwise publish it as text, or fail). Raises ProgramError."""
    match = MKDOCS_FRONT_MATTER.match(text)
    if not match:
        return
    try:
        data, _ = load(match.group(1), file)
    except ProgramError as exc:
        if any("is empty" in d.message for d in exc.diagnostics):
            data = None
        else:  # lines counted from the opening '---'
            raise ProgramError([
                type(d)(d.severity, d.code, f"front matter: {d.message}", Location(file, d.location.line + 1, d.location.column))
                for d in exc.diagnostics
            ]) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {'list' if isinstance(data, list) else type(data).__name__}"
        raise ProgramError([error(BAD_VALUE, f"the front matter must be a mapping of keys (title: ...), not {kind}", Location(file, 2, 1))])
    template = data.get("template")
    if template is not None and not (isinstance(template, str) and _TEMPLATE_NAME.fullmatch(template)):
        line = next((n for n, row in enumerate(match.group(1).splitlines(), 2) if row.startswith("template")), 2)
        raise ProgramError([error(BAD_VALUE, "front matter 'template' must name one of the theme's templates, like main.html (no folders)", Location(file, line, 1))])


_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\.html")


def render_content_page(portal_context: Mapping[str, Any], text: str, file: str, language: Any = None) -> str:
    """An ordinary page's Markdown with placeholders rendered (front matter kept out of Jinja);
    ``language``: the program's, for the ``date`` filter."""
    check_front_matter(text, file)
    head, body, offset = split_front_matter(text)
    return head + render(body, file=file, context=portal_context, blanks=Blanks("html"), line_offset=offset, language=language)


def read_page(path: Path, file: str) -> str:
    """A page's text as MkDocs reads it; unreadable: a located PF001."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramError([error(YAML_SYNTAX, f"cannot read this page: {exc}", Location(file))]) from None
