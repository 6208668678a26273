"""Writing Markdown safely: text from program.yml is escaped, links between generated pages are relative."""

from __future__ import annotations

import html
import posixpath
import re
from functools import lru_cache
from typing import Any

_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")


def text(value: str) -> str:
    """Plain text: shown exactly as written, never as Markdown or HTML."""
    return _SPECIAL.sub(r"\\\1", html.escape(value, quote=False)).replace("\n", " ")


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_LINK_TARGET = re.compile(r"\]\(\s*<?(?P<scheme>[^():/?#\]]*):")
_REFERENCE = re.compile(r"^(\s*)\[([^\]]*)\]:")


def _safe_link(match: re.Match[str]) -> str:
    scheme = re.sub(r"[\s\x00-\x1f]", "", match.group("scheme")).lower()
    return match.group(0) if scheme in SAFE_SCHEMES else "](#"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# attr_list (`{: onclick=...}`, `{#id}`, `{.class}`) and images (`![x](https://tracker/)`) are not
# for program.yml fields: their braces and the image's `!` are escaped, so they stay text.
_ATTR_LIST_OR_IMAGE = re.compile(r"([{}]|!(?=\[))")
# What would turn the start of a line into a block (heading, quote, list, rule, code fence).
_BLOCK_START = re.compile(r"^(?:(#|>|[-+*](?=\s|$)|`{3,}|~{3,})|(\d{1,9})([.)])(?=\s|$)|([-*_])(?=(?:\s*\4){2,}\s*$))")


def _block_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}"
    return "\\" + match.group(0)


def inline(value: str, *, braces: bool = True) -> str:
    """Inline Markdown from program.yml (``summary``, ``text``, ``notes``): formatting yes, raw HTML no.

    Links keep only http, https, mailto and relative targets (``javascript:`` and ``data:``
    links become harmless in-page links), a line cannot become a link reference definition, a
    heading, a quote, a list or a rule, and neither attr_list attributes nor images apply.
    ``braces=False`` leaves ``{`` and ``}`` for placeholders (the caller escapes them after rendering).
    """
    text = html.escape(_CONTROL.sub(" ", value), quote=False).replace("|", "\\|").replace("\n", " ").strip()
    text = _LINK_TARGET.sub(_safe_link, text)
    text = _ATTR_LIST_OR_IMAGE.sub(lambda m: "\\" + m.group(0) if braces or m.group(0) == "!" else m.group(0), text)
    text = _BLOCK_START.sub(_block_start, text)
    return _REFERENCE.sub(r"\1\\[\2]:", text)


@lru_cache(maxsize=4096)
def _relative(to_src: str, from_dir: str) -> str:
    return posixpath.relpath(to_src, from_dir)


def after_placeholders(rendered: str) -> str:
    """A field written with ``inline(..., braces=False)`` once its placeholders are rendered.

    What a placeholder produced gets the rules of :func:`inline` again: one line, safe link
    targets, no image, and its ``{`` and ``}`` as character references (never attr_list syntax).
    Then :func:`program_portal.render.sanitize.field` keeps only the allowed HTML (the blanks).
    """
    from program_portal.render import sanitize

    text = re.sub(r"[\r\n]+", " ", rendered)
    text = _LINK_TARGET.sub(_safe_link, text)
    text = re.sub(r"!(?=\[)", r"\\!", text)
    return sanitize.field(text).replace("{", "&#123;").replace("}", "&#125;")


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def email_or_text(value: str) -> str:
    """An e-mail address as a Markdown autolink, anything else as plain text."""
    return f"<{value}>" if _EMAIL.fullmatch(value) else text(value)


def link(from_src: str, to_src: str, label: str, anchor: str = "") -> str:
    """A Markdown link from generated page ``from_src`` to page ``to_src`` (both docs-relative ``.md`` paths)."""
    target = _relative(to_src, posixpath.dirname(from_src) or ".")
    if anchor:
        target = f"{target}#{anchor}" if to_src != from_src else f"#{anchor}"
    return f"[{label}]({target})"


def bullet_list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) + "\n" if items else ""


def facts(pairs: list[list[str]], colon: str = ":") -> str:
    """Label-value pairs as a compact list (``- **Runs:** 11 Jan 2027 – 17 Dec 2027``); ``colon`` in the page's language."""
    return "".join(f"- **{label}{colon}** {value}\n" for label, value in pairs)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=4096)
def inline_html(value: str) -> str:
    """Inline Markdown from program.yml rendered to HTML (for places inside raw HTML), raw HTML escaped.

    One converter for the process (reset between values: the same output as a new one, without
    building it each time), and each value converted once per process (pages, standalone documents).
    """
    from program_portal.render import sanitize

    converter = _converter()
    rendered = converter.reset().convert(inline(value).replace("\\|", "|"))
    return sanitize.field(rendered.removeprefix("<p>").removesuffix("</p>"))


@lru_cache(maxsize=1)
def _converter() -> Any:
    import markdown  # local: only checklists need it

    return markdown.Markdown(output_format="html")


_ADMONITION = re.compile(r'^(?P<indent>[ ]*)(?:!!!|\?\?\?\+?)[ ]+(?P<kind>[\w-]+)(?:[^"\n]*?"(?P<title>[^"\n]*)")?[ ]*$')
_FENCE = re.compile(r"^[ ]*(```|~~~)")


def plain_admonitions(text: str) -> str:
    """MkDocs' admonitions (``!!! note "Title"`` and an indented block) as plain Markdown block quotes.

    For the Markdown download, which is read outside MkDocs: ``> **Title**`` then the block's
    lines, dedented, each behind ``> ``. Code fences are left as they are.
    """
    out: list[str] = []
    lines = text.split("\n")
    i, fence = 0, None
    while i < len(lines):
        line = lines[i]
        if (match := _FENCE.match(line)) and (fence is None or match.group(1) == fence):
            fence = None if fence else match.group(1)
            out.append(line)
            i += 1
            continue
        match = _ADMONITION.match(line) if fence is None else None
        if not match:
            out.append(line)
            i += 1
            continue
        indent = match.group("indent")
        title = match.group("title")
        title = match.group("kind").replace("-", " ").capitalize() if title is None else title
        block: list[str] = []
        i += 1
        while i < len(lines) and (lines[i].strip() == "" or lines[i].startswith(indent + "    ")):
            block.append(lines[i][len(indent) + 4:] if lines[i].strip() else "")
            i += 1
        blank = 0
        while block and not block[-1]:
            block.pop()
            blank += 1
        quoted = ([f"{indent}> **{title}**", f"{indent}>"] if title else []) + [f"{indent}> {b}".rstrip() for b in block]
        out += quoted + [""] * blank  # the blank lines after the block stay (a paragraph break, the file's last newline)
    return "\n".join(out)
