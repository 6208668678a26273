"""The theme as hostile input: files that would shadow it, scripts in its ``custom_dir``, templates that reach for internals.

* A file under ``content/`` is published at its own path, and MkDocs lets it win over the
  theme's file there: ``content/assets/javascripts/bundle.<hash>.min.js`` would replace
  Material's script on every page, and run under the portal's ``script-src 'self'``. Every
  path the theme (its folders, ``custom_dir`` included), its static templates (``404.html``,
  ``sitemap.xml``), the search index and the portal's own ``assets/program-portal/`` publish is
  refused there (PF033 at ``content/PATH:1:1``).
* A script in the theme's ``custom_dir`` (``overrides/assets/javascripts/bundle....js``, or a new
  one a template override loads with ``<script src>``) would run the same way: refused.
* ``program-portal check`` renders no page, so the templates of ``custom_dir`` are parsed here
  in the theme's sandbox: a syntax error, an attribute that starts with ``_`` (``__class__``,
  ``__globals__``), ``|attr('__...')`` and a call of a method of the objects a page gets
  (``config.theme.get_env()``, ``config.plugins[...].on_post_build()``) are reported at their
  line, as the build's sandbox (:mod:`program_portal.render.theme_sandbox`) refuses them.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from program_portal.codes import THEME_REFUSED
from program_portal.diagnostics import Diagnostic, Location, error
from program_portal.paths import ASSET_DIR, MARKDOWN_SUFFIXES

SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsm")
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".j2", ".jinja", ".jinja2", ".txt")
# What the build writes at a fixed path besides the theme's folders (MkDocs' static templates and
# their gzip, the search plugin's index).
OFFLINE_SHIM = "assets/vendor/iframe-worker/shim.js"  # the offline pack's search shim (mkdocs.offline.yml; `make offline` copies it in)
SITE_FILES = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json", OFFLINE_SHIM})
# The names a theme template gets from MkDocs (their methods are refused by the sandbox).
CONTEXT_NAMES = frozenset({"config", "page", "nav", "pages", "files", "base_url", "extra_css", "extra_javascript",
                           "mkdocs_version", "build_date_utc"})
# Methods a template may call on plain values (``page.meta.get('x')``): the sandbox decides at run time.
_PLAIN_METHODS = frozenset(n for t in (str, dict, list, tuple, set, frozenset, int, float) for n in dir(t) if not n.startswith("_"))
_ATTRIBUTE_FILTERS = frozenset({"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max"})


def _hidden(rel: str) -> bool:
    return any(p.startswith(".") or p == "__pycache__" for p in rel.split("/"))


def _skipped(rel: str) -> bool:
    """Theme files MkDocs does not publish (its own add_files_from_theme rules): templates, Python, translations."""
    parts = rel.split("/")
    lower = parts[-1].lower()
    return (_hidden(rel) or lower.endswith((".py", ".pyc", ".html", *MARKDOWN_SUFFIXES))
            or "readme" in lower or lower == "mkdocs_theme.yml" or parts[0] == "locales")


@lru_cache(maxsize=16)
def _files_of(folder: str) -> frozenset[str]:
    out: set[str] = set()
    for top, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        base = os.path.relpath(top, folder).replace(os.sep, "/")
        for name in names:
            rel = name if base == "." else f"{base}/{name}"
            if not _skipped(rel):
                out.add(rel)
    return frozenset(out)


def theme_paths(theme_dirs: Iterable[str | Path], static_templates: Iterable[str] = ()) -> frozenset[str]:
    """Every site path the theme publishes or renders: its folders' files, static templates, fixed files."""
    paths: set[str] = set(SITE_FILES)
    for folder in theme_dirs:
        if os.path.isdir(folder):
            paths |= _files_of(os.path.abspath(folder))
    for template in static_templates:
        paths |= {template, f"{template}.gz"} if template.endswith(".xml") else {template}
    return frozenset(paths)


def shadow_problem(src: str, reserved: frozenset[str]) -> str | None:
    """Why a published file under content/ may not be at ``src``, or None."""
    if src == ASSET_DIR or src.startswith(ASSET_DIR + "/"):
        return f"/{ASSET_DIR}/ holds the portal's own scripts and styles; this file would replace or sit among them; move it"
    if src in reserved and src.lower().endswith(SCRIPT_SUFFIXES):
        return (f"the theme publishes a script at /{src}; this file would replace it and run on every page"
                " under the portal's script policy; rename or move it")
    if src in reserved:
        return f"the theme publishes /{src}; this file would replace it; rename or move it"
    return None


def custom_dir_problems(custom_dir: str | None, root: Path) -> list[Diagnostic]:
    """Scripts in the theme's ``custom_dir``, and what its templates would be refused in the build for."""
    if not custom_dir:
        return []
    folder = Path(custom_dir) if Path(custom_dir).is_absolute() else root / custom_dir
    if not folder.is_dir() or not folder.resolve().is_relative_to(root.resolve()):
        return []  # missing, or out of the project (PV005, checks/published.py)
    name = os.path.relpath(folder.resolve(), root.resolve()).replace(os.sep, "/")
    problems: list[Diagnostic] = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue  # a symlink is PV005's (checks/files.py)
        rel = path.relative_to(folder).as_posix()
        if _hidden(rel):
            continue
        file = f"{name}/{rel}"
        if rel.lower().endswith(SCRIPT_SUFFIXES):
            problems.append(error(THEME_REFUSED, "a script in the theme's custom_dir would run on the portal's pages under its "
                                  "script policy ('self'); the portal's scripts are its own: remove it", Location(file)))
        elif rel.lower().endswith(TEMPLATE_SUFFIXES):
            problems += template_problems(path, file)
    return problems


def template_problems(path: Path, file: str) -> list[Diagnostic]:
    """What the build's sandbox would refuse in one template, found without rendering it (at its line)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [error(THEME_REFUSED, f"this theme template cannot be read as UTF-8 ({exc.__class__.__name__})", Location(file))]
    env = ImmutableSandboxedEnvironment(extensions=["jinja2.ext.i18n"])  # parsed as the build's sandbox parses it
    try:
        tree = env.parse(source, file, file)
    except TemplateSyntaxError as exc:
        return [error(THEME_REFUSED, f"this theme template is not valid Jinja ({' '.join(exc.message.split()) if exc.message else exc})",
                      Location(file, exc.lineno or 1, 1))]
    return [error(THEME_REFUSED, f"this theme template {why}; templates may only show values and call their macros", Location(file, line, 1))
            for line, why in _refused(tree)]


def _root_name(node: nodes.Node) -> str | None:
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


def _refused(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    seen: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call)):
        line = node.lineno
        why = None
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            why = f"reads the attribute {node.attr!r}, which the sandbox refuses"
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            why = f"reads the item {node.arg.value!r}, which the sandbox refuses"
        elif isinstance(node, nodes.Filter) and node.name in _ATTRIBUTE_FILTERS:
            names = [a.value for a in [*node.args, *(k.value for k in node.kwargs)] if isinstance(a, nodes.Const) and isinstance(a.value, str)]
            if bad := next((n for n in names if n.startswith("_") or "._" in n), None):
                why = f"reads the attribute {bad!r} through |{node.name}, which the sandbox refuses"
        elif (isinstance(node, nodes.Call) and isinstance(node.node, (nodes.Getattr, nodes.Getitem)) and _root_name(node.node) in CONTEXT_NAMES
              and not (isinstance(node.node, nodes.Getattr) and node.node.attr in _PLAIN_METHODS)):
            why = f"calls a method of `{_root_name(node.node)}`, which the sandbox refuses (it could run the build's code)"
        if why and line not in seen:
            seen.add(line)
            yield line, why


# --- what a built page loads -------------------------------------------------------------------
#
# ``script-src 'self'`` allows every script of the origin, and the portal's origin is an intranet
# host shared with other applications: a template override (or anything else that gets markup on a
# page) could load ``/other-app/x.js`` or ``../../other/x.js``. So every built page is parsed
# (lxml's HTML parser, linear in the page) and everything on it that loads code must resolve,
# relative to the page's URL, to a script the theme or the portal publishes.

THEME_SCRIPTS = "assets/javascripts/"  # Material's scripts (its bundle, workers, lunr)
MAX_LOAD_FINDINGS = 20  # per build: a page that loads thousands of things is reported, not listed
# (tag, attribute) pairs that make the browser fetch code, a document or a base for every URL.
_LOADS = {"script": ("src", "href", "xlink:href"), "iframe": ("src", "srcdoc"), "frame": ("src",), "object": ("data",),
          "embed": ("src",), "applet": ("code", "archive", "codebase"), "base": ("href",), "link": ("href",)}
_REMEDY = "a template override or a page's markup put it there: remove it"
_PLAIN_URL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~/-")


@lru_cache(maxsize=8)
def allowed_scripts(theme_dirs: tuple[str, ...], custom_dir: str | None, *, serving: bool) -> frozenset[str]:
    """The site paths a built page may load code from: the theme's own scripts (never ``custom_dir``'s) and the portal's."""
    from program_portal.paths import PREVIEW_SCRIPT, SCRIPTS

    own = [d for d in theme_dirs if not custom_dir or os.path.abspath(d) != os.path.abspath(custom_dir)]
    theme = {p for p in theme_paths(own) if p.startswith(THEME_SCRIPTS) and p.lower().endswith(SCRIPT_SUFFIXES)}
    return frozenset({*theme, *SCRIPTS, OFFLINE_SHIM, *((PREVIEW_SCRIPT,) if serving else ())})


def _url_problem(value: str, page_url: str, allowed: frozenset[str], site_path: str | None = None) -> str | None:
    """Why loading ``value`` from the page at ``page_url`` (site-relative) is refused, or None.

    ``site_path``: for the 404 page, whose URLs are absolute paths under the site's path (``/``,
    ``/portal/``): such a path is resolved from the site's root; any other absolute path is refused.
    """
    url = "".join(ch for ch in value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15"
                                              "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ") if ch not in "\t\n\r")  # as a browser reads it
    head = url.split("/", 1)[0]
    if ":" in head:
        return "is an absolute URL; the portal's pages load code only from the portal's own files"
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return "is a protocol-relative URL (another host); the portal's pages load code only from the portal's own files"
    if site_path and url.startswith(site_path) and url[len(site_path) - 1:].startswith("/"):
        url, page_url = url[len(site_path.rstrip("/")) + 1:], ""
    elif url.startswith(("/", "\\")):
        return ("is an absolute path: on the intranet origin the portal shares it can be another application's script, "
                "which the policy's 'self' would run; use a path relative to the page")
    if not url or not set(url) <= _PLAIN_URL:
        return "is not a plain relative path to a file (no query, fragment, escape or backslash)"
    parts = [p for p in page_url.split("/")[:-1] if p]
    for part in url.split("/"):
        if part == "..":
            if not parts:
                return "leaves the site's base (a '..' past the site's root): it points at another application's files"
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    target = "/".join(parts)
    if target not in allowed:
        return f"resolves to /{target} in the site, which is not a script the theme or the portal ships"
    return None


def page_load_problems(html: str, *, file: str, page_url: str, template: str, allowed: frozenset[str],
                       reported: Iterable[Diagnostic] = (), site_path: str | None = None) -> list[Diagnostic]:
    """PF033 for each thing on a built page that loads code from elsewhere than the theme's and the portal's scripts.

    ``file``: the page's source (the diagnostic's location); ``page_url``: its site-relative URL
    (``program/policies/``); ``template``: the template it was rendered with. A value already
    named in ``reported`` (earlier pages of the build) is not reported again. ``site_path``: the
    404 page's (see :func:`_url_problem`).
    """
    before = [d for d in reported if d.code == THEME_REFUSED and d.message.startswith("the built page ")]
    if len(before) >= MAX_LOAD_FINDINGS or not html.strip():
        return []
    key = hashlib.blake2b(repr((page_url, template, sorted(allowed), site_path)).encode("utf-8", "surrogatepass")
                          + b"\x00" + html.encode("utf-8", "surrogatepass"), digest_size=20).digest()
    if key in _CLEAN:  # the same page found clean before (a rebuild, or a warm build: see load_clean_pages)
        _CLEAN.move_to_end(key)
        _USED.add(key)
        return []
    out = _page_load_problems(html, file=file, page_url=page_url, template=template, allowed=allowed, before=before, site_path=site_path)
    if not out and not before:  # clean on its own (not only because what it loads was reported for another page)
        _CLEAN[key] = None
        _USED.add(key)
        if len(_CLEAN) > _CLEAN_PAGES:
            _CLEAN.popitem(last=False)
    return out


_CLEAN: OrderedDict[bytes, None] = OrderedDict()
"""Hashes of the built pages (with the arguments they were checked with) that load nothing refused."""
_CLEAN_PAGES = 10_000
_USED: set[bytes] = set()  # the clean pages of the current build
_READ: set[str] = set()
CLEAN_FILE = "theme-pages"
"""The hashes of the clean pages of the last build, sealed, in the download cache's folder."""
_KEY_SIZE = 20


def _clean_context() -> str:
    return f"{CLEAN_FILE} {_fingerprint()}"


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """This module's code and the HTML parser's versions: what decides that a page is clean."""
    from lxml import etree

    from program_portal import integrity

    return integrity.fingerprint([Path(__file__)], f"{etree.LXML_VERSION} {etree.LIBXML_VERSION}")


def load_clean_pages(folder: Path | None, root: Path | None) -> None:
    """A build starts: the pages the last build found clean (sealed: :mod:`program_portal.integrity`)."""
    from program_portal import integrity

    _USED.clear()
    if folder is None or str(folder) in _READ:
        return
    _READ.add(str(folder))
    data = integrity.read_sealed(folder / CLEAN_FILE, integrity.cache_key(root), _clean_context(), _CLEAN_PAGES * _KEY_SIZE)
    for start in range(0, len(data or b"") - _KEY_SIZE + 1, _KEY_SIZE):
        _CLEAN.setdefault(data[start : start + _KEY_SIZE], None)  # type: ignore[index]


def save_clean_pages(folder: Path | None, root: Path | None) -> None:
    """After a build: the hashes of its clean pages, for the next build."""
    from program_portal import integrity

    if folder is not None:
        integrity.write_sealed(folder / CLEAN_FILE, integrity.cache_key(root), _clean_context(), b"".join(sorted(_USED)))


def _page_load_problems(html: str, *, file: str, page_url: str, template: str, allowed: frozenset[str],
                        before: list[Diagnostic], site_path: str | None) -> list[Diagnostic]:
    import lxml.html
    from lxml import etree

    seen = [d.message for d in before]  # at most MAX_LOAD_FINDINGS: looking through them is bounded work
    try:
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(recover=True, no_network=True, huge_tree=True))
    except (etree.ParserError, ValueError):
        return [error(THEME_REFUSED, f"the built page {page_url or '/'} (template {template}) cannot be parsed as HTML", Location(file))]
    out: list[Diagnostic] = []
    for element in root.iter(*_LOADS):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "link":
            rel = set((element.get("rel") or "").lower().split())
            if not ("modulepreload" in rel or ("preload" in rel and (element.get("as") or "").strip().lower() == "script")):
                continue
        for name in _LOADS.get(tag, ()):
            value = element.get(name)
            if value is None:
                continue
            if tag == "base":
                why = "changes what every relative URL of the page points at; the portal's pages have none"
            elif name == "srcdoc":
                why = "is a document written into the page, whose scripts would run under its policy; the portal's pages have none"
            elif tag == "applet":
                why = "loads a Java applet; the portal's pages have none"
            else:
                why = _url_problem(value, page_url, allowed, site_path)
            if why is None:
                continue
            opening, rest = f"loads <{tag} {name}=", f", which {why}; {_REMEDY}"
            tail = f"<{tag} {name}={value[:200]!r}>{rest}"
            same_target = why.startswith("resolves to")  # the same file from pages at other depths: said once
            if any(m.endswith(rest) and opening in m if same_target else m.endswith(tail) for m in seen):
                continue
            seen.append(tail)
            out.append(error(THEME_REFUSED, f"the built page {page_url or '/'} (template {template}) loads {tail}", Location(file)))
            if len(before) + len(out) >= MAX_LOAD_FINDINGS:
                return out
    return out


def template_file(template: str, custom_dir: str | None, root: Path) -> str:
    """The project file a theme template comes from (``overrides/404.html``), else its name in the theme."""
    if custom_dir and os.path.isfile(os.path.join(custom_dir, template)):
        path = Path(os.path.abspath(os.path.join(custom_dir, template)))
        return path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else template
    return template
