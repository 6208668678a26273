"""The trust boundary: which HTML survives from what designers write (nh3, an allow-list sanitiser).

Everything a designer writes (program.yml, Markdown under ``content/``, placeholders) is data
until it has become HTML; then exactly one of these allow-lists decides what is kept:

- :data:`FIELD` for text fields of program.yml (summaries, clause texts, checklist items), after
  their placeholders are rendered: inline formatting, links with ``href`` and ``title`` only, and
  the portal's own fill-in fields (``blank()``), nothing else.
- :data:`PAGE` for the body of every page (the designer's pages and the generated ones, which
  embed body files): the HTML Markdown and Material produce (headings, tables, admonitions,
  details, footnotes, images) and the portal's own markup (fill-in inputs, checklists, the
  calendar's ``<time>``), but never a script, an event handler, a ``style``, a frame, a form,
  an object or a ``javascript:``/``data:`` URL.

Links and images keep only http, https, mailto and relative targets. Ids and names that
Material's own JavaScript looks up (``__config``, ``__search``...) cannot be taken by content.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Tags removed with everything inside them (the rest of a disallowed tag's content stays as text).
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "noscript", "noembed", "noframes", "object",
                               "embed", "applet", "frameset", "frame", "xmp", "plaintext", "math", "svg", "select", "option"})

INLINE_TAGS = frozenset({"a", "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
                         "s", "samp", "small", "strong", "sub", "sup", "u", "var", "wbr"})
# The controls ``blank()`` writes (placeholders.blank_html).
_BLANK_ATTRIBUTES = {"class", "name", "id", "aria-label", "title", "placeholder", "autocomplete", "data-pp-label", "size"}
_INPUT_TYPES = {"text", "checkbox", "radio", "date", "time"}  # radio: Material's content tabs

_FIELD_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "input": set(_BLANK_ATTRIBUTES),
    "textarea": {*_BLANK_ATTRIBUTES, "rows"},
}

PAGE_TAGS = INLINE_TAGS | {
    "address", "article", "aside", "blockquote", "button", "caption", "col", "colgroup", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "input", "label", "legend",
    "li", "nav", "ol", "p", "pre", "section", "span", "summary", "table", "tbody", "td", "textarea", "tfoot", "th",
    "thead", "time", "tr", "ul",
}
_PAGE_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "hidden"},
    "a": {"href", "download"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "time": {"datetime"},
    "label": {"for"},
    "input": {"name", "placeholder", "autocomplete", "readonly", "value", "checked", "disabled", "size", "maxlength"},
    "textarea": {"name", "placeholder", "autocomplete", "readonly", "disabled", "rows", "cols", "maxlength"},
    "button": {"disabled"},
}
# Attributes whose value Material's scripts (or the browser) treat as a reference into the page.
_REFERENCES = frozenset({"id", "name", "for", "headers"})


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Keep content off the names Material's JavaScript looks up (``__config``, ``__drawer``...)."""
    if attribute in _REFERENCES and value.lstrip().startswith("__") and not value.startswith("__tabbed_"):
        return None
    return value


_FIELD = nh3.Cleaner(
    tags=set(INLINE_TAGS | {"input", "textarea"}),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in _FIELD_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    tag_attribute_values={"input": {"type": {"text"}}},
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
)

# The footer's copyright line: inline text and links.
_FOOTER = nh3.Cleaner(
    tags=set(INLINE_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={"a": {"href", "title"}, "abbr": {"title"}},
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
)

_PAGE = nh3.Cleaner(
    tags=set(PAGE_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in _PAGE_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    generic_attribute_prefixes={"aria-", "data-pp-"},
    tag_attribute_values={"input": {"type": set(_INPUT_TYPES)}, "button": {"type": {"button"}}},
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
)


def field(markup: str) -> str:
    """A program.yml text field (inline Markdown or HTML, placeholders rendered): only :data:`FIELD` survives.

    Text is left as it is (Markdown formatting stays Markdown); tags and attributes outside the
    allow-list go, and the content of scripts, styles and frames goes with them.
    """
    return _FIELD.clean(markup)


def page(html: str) -> str:
    """The HTML body of one page (or one download), with only the :data:`PAGE` allow-list kept.

    The same text gives the same result, so a page cleaned by an earlier build (a live-preview rebuild,
    or a build whose cleaned pages were kept on disk: :func:`load_kept`) is not cleaned again."""
    if len(html) > _REMEMBERED_PAGE:
        return _PAGE.clean(html)
    key = hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=_KEY_SIZE).digest()
    cleaned = _USED.get(key)
    if cleaned is None:
        cleaned = _KEPT.pop(key, None)
        if cleaned is None:
            cleaned = _PAGE.clean(html)
        if len(_USED) < _PER_BUILD:
            _USED[key] = cleaned
    return cleaned


_REMEMBERED_PAGE = 200_000  # characters: longer pages are cleaned every time, never kept
_KEEP = 512  # cleaned pages kept in memory from earlier builds: at most about 100 MB in the worst case
_PER_BUILD = 4096  # pages one build keeps (a build has a few hundred; cleaning without a build keeps no more)
_KEY_SIZE = 20
_USED: dict[bytes, str] = {}  # the pages this build cleaned (or found cleaned), by the hash of their HTML
_KEPT: OrderedDict[bytes, str] = OrderedDict()  # those of earlier builds
_READ: set[str] = set()
KEPT_FILE = "sanitized-pages"
"""The cleaned pages of the last build, in the download cache's folder (sealed: :mod:`program_portal.integrity`)."""
_KEPT_LIMIT = 64_000_000  # bytes: a larger file is not read


@lru_cache(maxsize=1)
def _kept_context() -> str:
    """This module's code (its attribute filter runs in the cleaning) and nh3's version: what decides the result."""
    from importlib.metadata import version

    from program_portal import integrity

    return f"{KEPT_FILE} {integrity.fingerprint([Path(__file__)], version('nh3'))}"


def load_kept(folder: Path | None, root: Path | None) -> None:
    """A build starts: the pages the builds before it cleaned are kept for it (from ``folder``'s sealed file, read
    once per process, and from memory)."""
    from program_portal import integrity

    for key, cleaned in _USED.items():
        _KEPT[key] = cleaned
        _KEPT.move_to_end(key)
    _USED.clear()
    if folder is not None and str(folder) not in _READ:
        _READ.add(str(folder))
        data = integrity.read_sealed(folder / KEPT_FILE, integrity.cache_key(root), _kept_context(), _KEPT_LIMIT)
        try:
            for key, cleaned in json.loads(data) if data is not None else ():
                if isinstance(cleaned, str):
                    _KEPT.setdefault(bytes.fromhex(key), cleaned)
        except (ValueError, TypeError):  # not what this module writes (the seal verified): what was read stays
            pass
    while len(_KEPT) > _KEEP:
        _KEPT.popitem(last=False)


def save_kept(folder: Path | None, root: Path | None) -> None:
    """After a build: the pages it cleaned, sealed in ``folder`` for the next build."""
    from program_portal import integrity

    if folder is not None:
        rows = [[key.hex(), cleaned] for key, cleaned in sorted(_USED.items())]
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        integrity.write_sealed(folder / KEPT_FILE, integrity.cache_key(root), _kept_context(), data)


def title(text: str) -> str:
    """A title or setting as themes print it (HTML text or a quoted attribute): its text only, no markup."""
    cleaned = nh3.clean(text, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return cleaned.replace('"', "&quot;").replace("'", "&#39;")


TEXT_SETTINGS = ("site_name", "site_description", "site_author", "repo_name")


def site_settings(config: dict[str, object]) -> dict[str, str]:
    """mkdocs.yml settings the theme prints without escaping, as they must be: text, or (copyright) page HTML."""
    changes = {key: title(value) for key in TEXT_SETTINGS if isinstance(value := config.get(key), str)}
    if isinstance(copyright := config.get("copyright"), str):
        changes["copyright"] = _FOOTER.clean(copyright)
    return changes


def link_target(url: str) -> str:
    """A link target from a setting (mkdocs.yml ``nav``): kept when http, https, mailto or relative, else ``#``."""
    probe = nh3.clean(f'<a href="{html_escape(url)}">x</a>', tags={"a"}, attributes={"a": {"href"}}, link_rel=None,
                      url_schemes=set(URL_SCHEMES))
    return url if "href=" in probe else "#"


def front_matter(meta: dict[str, object]) -> None:
    """A page's front matter values (the theme prints title, description... unescaped): text only, in place."""
    for key, value in meta.items():
        if isinstance(value, str):
            meta[key] = title(value)
