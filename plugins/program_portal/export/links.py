"""Links to the Markdown downloads, written so that no engine turns ``x.md`` into the page ``x/``.

Zensical 0.0.73 rewrites every relative address that ends in ``.md`` into the URL of a page,
in Markdown links and in raw HTML alike (after decoding entities, with or without a query or
fragment), and resolves raw HTML addresses from the page's *source* file. It leaves alone an
address that ends in whitespace, which browsers strip (HTML: "strip leading and trailing ASCII
whitespace" from a URL). So each inline link to a Markdown download becomes
``<a href="../downloads/x.md ">``, relative to the source file: Zensical makes it relative to
the page's URL; MkDocs and ProperDocs leave raw HTML alone, and the export's hook
(hooks/markdown_downloads.py) does the same for them. The link text stays Markdown.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection

_LINK = re.compile(r"\[(?P<text>[^\]\n]*)\]\((?P<href>[^)\s]+)\)(?:\{:?(?P<attrs>[^}\n]*)\})?")
_ATTR = re.compile(r"""\.(?P<cls>[\w-]+)|\#(?P<id>[\w-]+)|(?P<key>[\w:-]+)(?:=(?P<value>"[^"]*"|'[^']*'|[^\s"']+))?""")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _attributes(attrs: str | None) -> str:
    if not attrs:
        return ""
    classes, out = [], []
    for match in _ATTR.finditer(attrs):
        if match.group("cls"):
            classes.append(match.group("cls"))
        elif match.group("id"):
            out.append(f'id="{html.escape(match.group("id"))}"')
        elif match.group("key"):
            value = match.group("value")
            if value is None:
                out.append(html.escape(match.group("key")))
            else:
                out.append(f'{html.escape(match.group("key"))}="{html.escape(value.strip(chr(34) + chr(39)))}"')
    if classes:
        out.insert(0, f'class="{" ".join(classes)}"')
    return "".join(" " + a for a in out)


def download_links_as_html(markdown: str, src: str, downloads: Collection[str]) -> str:
    """``markdown`` (the page ``src``) with every inline link to one of ``downloads`` written as HTML."""
    base = posixpath.dirname(src)

    def replace(match: re.Match[str]) -> str:
        href = match.group("href")
        path, sep, fragment = href.partition("#")
        if "://" in path or path.startswith("/"):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(base, path))
        if target not in downloads:
            return match.group(0)
        url = posixpath.relpath(target, base or ".") + (sep + fragment) + " "
        return f'<a href="{html.escape(url)}"{_attributes(match.group("attrs"))}>{match.group("text")}</a>'

    out, fenced = [], False
    for line in markdown.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else _LINK.sub(replace, line))
    return "".join(out)
