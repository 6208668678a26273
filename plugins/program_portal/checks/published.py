"""Privacy on what is published, not only on the sources.

The source scan (``program.yml``, bodies, pages as written) misses what only appears after a
stage of the build: ``{{ 'jane.doe' ~ '\\x40' ~ 'example.com' }}`` is harmless text in the source
and an address on the page. :func:`scan_published` therefore scans, with the same detector
(:mod:`.privacy`, decoded forms included):

* every page under docs_dir after its placeholders are rendered, and every track or template
  body and contract clause after its placeholders are rendered;
* every generated page, every template download (the Markdown download, and the page the Word
  and PDF files are made from) and every calendar file (unfolded, unescaped iCalendar text);
* every published file name under docs_dir, and every published text file that is not Markdown
  (``.txt``, ``.html``, ``.csv``, ``.json``, ``.svg``, ``.xml``...: any file that is UTF-8
  without NUL bytes).

:func:`scan_settings` scans the site settings that end up on pages (``site_name``,
``site_description``, ``site_author``, ``copyright``, ``repo_name``, ``extra`` and ``nav``).

A finding is located where it can be traced: a page's or body's rendered line is matched back to
its source line (an unchanged line to itself, a changed one to the placeholder that made it),
a clause to its value in program.yml, a setting to where its text stands in mkdocs.yml.
Otherwise the message names the published file or the setting. A value already reported
is not reported again for another place it is published.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from program_portal.checks import phones, privacy
from program_portal.codes import EMAIL, PHONE, REFUSED_FILE, UNSAFE_FILE
from program_portal.diagnostics import Diagnostic, Location, ProgramError, error
from program_portal.paths import MARKDOWN_SUFFIXES, download_path, url_of

RENDERED = ", on the page as published (placeholders rendered)"
_PLACEHOLDER = re.compile(r"\{\{|\{%")
_NEARBY = 50  # placeholders looked at around the last matched line
SETTINGS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_name", "repo_url", "edit_uri", "extra", "nav")
MAX_TEXT_FILE = 10_000_000  # larger files under docs_dir are not read as text (a build copies them as they are)


def regions_of(loaded: Any) -> tuple[str, ...]:
    """The countries whose national telephone formats are checked: those of the program's time zones."""
    if loaded is None:
        return ()
    program = loaded.program
    return phones.regions([program.program.timezone, *(s.timezone for s in program.sessions)])


def allowed_of(loaded: Any) -> frozenset[str]:
    return privacy.allowed_set(loaded.program.privacy.allowed_emails) if loaded is not None else frozenset()


class _Seen:
    """Values already reported (case-insensitively): in each file, and anywhere.

    A place that can be named (a page's line, a file, a setting) is reported unless the same
    value was reported in the same file; a place that cannot (a generated page, a download) only
    when the value was reported nowhere.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()):
        self.anywhere: set[str] = set()
        self.by_file: dict[str, set[str]] = {}
        for d in diagnostics:
            if d.code in (EMAIL, PHONE) and (m := re.search(r"'(.*?)' (?:is not in|looks like)", d.message)):
                self._add(d.location.file, m.group(1))

    def _add(self, file: str, value: str) -> None:
        self.anywhere.add(value.casefold())
        self.by_file.setdefault(file, set()).add(value.casefold())

    def new(self, findings: Iterable[privacy.Finding], file: str, *, named: bool = True) -> list[privacy.Finding]:
        out = []
        for f in findings:
            key = f.value.casefold()
            if f.value and key in (self.by_file.get(file, set()) if named else self.anywhere):
                continue
            self._add(file, f.value)
            out.append(f)
        return out


# --- tracing a rendered text back to its source -------------------------------------------------


def trace(source: str, rendered: str) -> list[tuple[int, int]]:
    """For each line of ``rendered``, the 1-based ``(line, column)`` in ``source`` it comes from.

    A line found unchanged (in order) maps to itself. Any other line maps to a placeholder
    (``{{`` or ``{%``) near the last matched line: the first one whose line starts with the same
    text as the rendered line (``Contact: {{ ... }}``), else the first one after that line. The
    search looks at a bounded number of placeholders, so the work stays linear.
    """
    lines = source.split("\n")
    where: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        where.setdefault(line, []).append(i)
    placeholders: list[int] = []
    prefixes: list[str] = []
    columns: list[int] = []
    for i, line in enumerate(lines):
        if m := _PLACEHOLDER.search(line):
            placeholders.append(i)
            prefixes.append(line[: m.start()])
            columns.append(m.start() + 1)
    out: list[tuple[int, int]] = []
    pointer = 0
    for line in rendered.split("\n"):
        same = where.get(line, [])
        k = bisect.bisect_left(same, pointer)
        if k < len(same):
            pointer = same[k] + 1
            out.append((same[k] + 1, 1))
            continue
        if not placeholders:
            out.append((1, 1))
            continue
        k = bisect.bisect_left(placeholders, pointer)
        nearby = [*range(k, min(k + _NEARBY, len(placeholders))), *range(max(0, k - _NEARBY), k)]
        j = next((j for j in nearby if prefixes[j] and line.startswith(prefixes[j])), min(k, len(placeholders) - 1))
        out.append((placeholders[j] + 1, columns[j]))
    return out


def _traced(rendered: str, source: str, file: str, found: list[privacy.Finding], where: str) -> list[Diagnostic]:
    if not found:
        return []
    positions = trace(source, rendered)
    diagnostics = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", rendered)]
    for f in found:
        line, column = positions[bisect.bisect_right(line_starts, f.start) - 1]
        diagnostics.append(error(f.code, f.message(where), Location(file, line, column)))
    return diagnostics


def _named(file: str, found: list[privacy.Finding], where: str) -> list[Diagnostic]:
    return [error(f.code, f.message(where), Location(file)) for f in found]


# --- what a build publishes -------------------------------------------------------------------


def _published_name(src: str) -> str:
    """``program/index.md`` -> ``program/index.html``: the file a page is published as."""
    return f"{url_of(src)}index.html"


def _rendered(portal: Any) -> dict[str, list[list[Any]]]:
    """Every track and template body, rendered as its page renders it (``[body, text]``), and every contract
    clause rendered (``[template index, clause index, text]``); kept between builds (render/kept.py)."""
    from program_portal.render import kept

    def decode(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
        bodies = [kept.strings(item, 2) for item in data["bodies"]]
        clauses = [list(item) for item in data["clauses"]]
        if not all(len(c) == 3 and type(c[0]) is int and type(c[1]) is int and isinstance(c[2], str) for c in clauses):
            raise ValueError("not the kept shape")
        return {"bodies": bodies, "clauses": clauses}

    failed: list[ProgramError] = []
    return kept.kept(portal.cache, "published texts", portal.loaded, (), lambda: _render(portal, failed), lambda made: made, decode,
                     keep=lambda made: not failed)  # a text that could not be rendered: not the whole answer


def _render(portal: Any, failed: list[ProgramError]) -> dict[str, list[list[Any]]]:
    """The texts; a body or clause that cannot be rendered (reported by the page generators) is left out, and
    its error added to ``failed``."""
    from program_portal.render.placeholders import Blanks, values
    from program_portal.source import model as m

    bodies: list[list[Any]] = []
    for owner, key in ((portal.program.tracks, "track"), (portal.program.templates, "template")):
        for item in owner:
            if item.body:
                try:
                    bodies.append([item.body, portal.body(item.body, Blanks("html"), **{key: values(item)})])
                except ProgramError as exc:
                    failed.append(exc)
    clauses: list[list[Any]] = []
    for index, t in enumerate(portal.program.templates):
        for n, clause in enumerate(getattr(t, "clauses", None) or []):
            if isinstance(clause, m.TextClause):
                try:
                    clauses.append([index, n, portal.inline_text(clause.text, Blanks("html"), "templates", index, "clauses", n, "text")])
                except ProgramError as exc:
                    failed.append(exc)
    return {"bodies": bodies, "clauses": clauses}


def _ics_text(data: bytes) -> str:
    """iCalendar text as a calendar program shows it: lines unfolded, ``\\,`` ``\\;`` ``\\n`` unescaped."""
    text = data.decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "")
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _text_file(path: Path) -> str | None:
    """The text of a file (in whatever encoding it is written), or None when it is binary or too large to be text."""
    try:
        if path.stat().st_size > MAX_TEXT_FILE:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    from program_portal.checks import filetypes

    return filetypes.decode_text(data, filetypes.suffix(path.name))  # any encoding (None: binary)


def scan_published(
    report: Any, portal: Any, docs_dir: Path, docs_name: str, published: Iterable[str], calendars: Mapping[str, bytes]
) -> list[Diagnostic]:
    """Findings in what the build publishes that the source scan did not report (see the module);
    ``calendars``: the .ics files by site path, as published."""
    from program_portal.render.downloads import sources

    loaded = report.loaded
    allowed, regions = allowed_of(loaded), regions_of(loaded)
    seen = _Seen(report.diagnostics)

    def found(text: str, file: str, named: bool = True) -> list[privacy.Finding]:
        return seen.new(privacy.findings(text, allowed, regions), file, named=named)

    out: list[Diagnostic] = []
    # 1. Pages under docs_dir, bodies and clauses after their placeholders: traced to the source line.
    for src, page in report.content.items():
        file = f"{docs_name}/{src}"
        source = _text_file(docs_dir / src) or ""
        out += _traced(page.text, source, file, found(page.text, file), RENDERED)
    rendered = _rendered(portal)
    for body, text in rendered["bodies"]:
        source, file = loaded.bodies.get(body, ""), loaded.body_location(body).file
        out += _traced(text, source, file, found(text, file), RENDERED)
    for index, n, text in rendered["clauses"]:
        location = loaded.at("templates", index, "clauses", n, "text")
        out += [error(f.code, f.message(RENDERED), location) for f in found(text, location.file)]
    # 2. Generated pages, downloads and calendars: named by the file they are published as.
    if report.pages is not None:
        for src, markdown in report.pages.pages.items():
            name = _published_name(src)
            out += _named(name, found(markdown, name, named=False), f", published in {name}")
    try:
        downloads = sources(portal) if report.pages is not None else []
    except ProgramError:  # a broken body or clause: the page generators report it
        downloads = []
    for source in downloads:
        for ext, text in (("md", source.markdown), ("docx", source.standalone)):
            name = download_path(source.template_id, ext) + (" and .pdf" if ext == "docx" else "")
            out += _named(download_path(source.template_id, ext), found(text, name, named=False), f", published in {name}")
    for path, data in calendars.items():
        out += _named(path, found(_ics_text(data), path, named=False), f", published in {path}")
    # 3. File names and text files under docs_dir that are not Markdown pages.
    for src in published:
        file = f"{docs_name}/{src}"
        # A name as words: people/jane.doe@example.com.md -> "people jane.doe@example.com md"
        name = re.sub(r"\.(?=[^./ ]+$)", " ", src.replace("/", " "))
        out += _named(file, found(name, file + " (name)"), ", in a published file name")
        if not src.endswith(MARKDOWN_SUFFIXES) and src not in loaded.bodies:
            out += _scan_file(docs_dir, src, file, found)
    return out


def _scan_file(docs_dir: Path, src: str, file: str, found: Any) -> list[Diagnostic]:
    """A published file that is not a page, by its type (:mod:`.filetypes`): its texts scanned, or PF034.
    A binary file refused by its type (PF034) was reported by the checks and is not opened; HTML, SVG,
    XML and scripts are scanned as text, refused (PF028, PF034) or not, so the message names what is inside."""
    from program_portal.checks import filetypes

    if filetypes.suffix(src) not in filetypes.DOCUMENT_SUFFIXES and filetypes.type_refusal(docs_dir, src):
        return []
    contents = filetypes.inspect(docs_dir / src, src)
    if contents.refusal:
        location = Location(file)
        if contents.offset is not None and contents.text_of_file is not None:
            location = privacy.locate(contents.text_of_file, file, [privacy.Finding(contents.offset, contents.offset, REFUSED_FILE, "", "")])[0].location
        return [error(REFUSED_FILE, contents.refusal, location)]
    out: list[Diagnostic] = []
    for part in contents.texts:
        where = f", in {part.part} of the published file {file}" if part.part else ", in a published file"
        hits = found(part.text, file)
        if not hits:
            continue
        if part.locatable and part.starts is not None and part.original is not None:  # decoded CSS: back to the file
            hits = [privacy.Finding(part.starts[h.start], part.starts[h.end - 1] + 1 if h.end > h.start else part.starts[h.start],
                                    h.code, h.value, part.original[part.starts[h.start] : part.starts[h.end - 1] + 1]) for h in hits]
            out += privacy.locate(part.original, file, hits, where=where)
        elif part.locatable:
            out += privacy.locate(part.text, file, hits, where=where)
        else:
            out += _named(file, hits, where)
    return out


# --- site settings ----------------------------------------------------------------------------


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every text in a setting's value (keys included), with the setting's dotted name."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from _strings(k, path)
            yield from _strings(v, f"{path}.{k}" if isinstance(k, str) else path)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def scan_settings(report: Any, settings: Mapping[str, Any], config_path: str | Path | None) -> list[Diagnostic]:
    """Findings in the site settings that end up on pages, located in the configuration file if found there."""
    config_file = Path(config_path or "mkdocs.yml").name
    try:
        config_text = Path(config_path).read_text(encoding="utf-8-sig") if config_path else ""
    except (OSError, UnicodeDecodeError):
        config_text = ""
    allowed, regions = allowed_of(report.loaded), regions_of(report.loaded)
    seen = _Seen(report.diagnostics)
    out: list[Diagnostic] = []
    for key in SETTINGS:
        for name, text in _strings(settings.get(key), key):
            for f in seen.new(privacy.findings(text, allowed, regions), config_file):
                where = f", in the site setting '{name}' shown on pages"
                index = config_text.find(f.written) if f.written else -1
                if index < 0:
                    out.append(error(f.code, f.message(where), Location(config_file)))
                    continue
                line = config_text.count("\n", 0, index) + 1
                column = index - (config_text.rfind("\n", 0, index) + 1) + 1
                out.append(error(f.code, f.message(where), Location(config_file, line, column)))
    return out


def scan_theme_dir(report: Any, custom_dir: str | Path | None, root: Path) -> list[Diagnostic]:
    """The theme's ``custom_dir`` (its templates are on every page, its other files are published):
    unsafe files refused (``PV005``), then every text file scanned like a text file under docs_dir."""
    from program_portal.checks.files import unsafe_tree

    if not custom_dir:
        return []
    folder = (root / custom_dir).resolve() if not Path(custom_dir).is_absolute() else Path(custom_dir)
    if not folder.is_dir():
        return []
    if not folder.resolve().is_relative_to(root.resolve()):
        message = f"theme.custom_dir '{custom_dir}' leads out of the project; its files would be published"
        return [error(UNSAFE_FILE, message, Location("mkdocs.yml"))]
    name = os.path.relpath(folder, root.resolve()).replace(os.sep, "/")
    if unsafe := unsafe_tree(root, folder):
        return unsafe
    allowed, regions = allowed_of(report.loaded), regions_of(report.loaded)
    seen = _Seen(report.diagnostics)
    out: list[Diagnostic] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        file = f"{name}/{path.relative_to(folder).as_posix()}"
        if text := _text_file(path):
            out += privacy.locate(text, file, seen.new(privacy.findings(text, allowed, regions), file), where=", in the theme's custom_dir")
    return out


# --- the built HTML (MkDocs adapter, after each page is rendered) --------------------------------


_SCRIPT_OR_STYLE = re.compile(r"<(script|style)(?=[\t\n\f\r />])(?:.*?(</\1(?=[\t\n\f\r />])[^>]*(?:>|\Z))|.*\Z)", re.S | re.I | re.A)
"""A ``<script>`` or ``<style>`` element, to its end tag (``</script >`` too; an end tag left open ends the page, as
in a browser) or, unclosed, to the end of the page,
as a browser reads it: the name ends at a space, ``/`` or ``>`` (``<scripts>`` is an unknown element whose text
shows), and only ASCII letters match (``re.A``: ``<ſcript>`` is not a script either)."""


def visible_text(html: str) -> str:
    """The text of an HTML page without its ``<script>`` and ``<style>`` elements (tags stay, for :mod:`.decoded`):
    each element becomes a space, an unclosed one takes the rest of the page. One linear pass of one expression."""
    return _SCRIPT_OR_STYLE.sub(lambda m: " " if m.group(2) else "", html)


def scan_html(report: Any, html: str, file: str, published_as: str, seen: _Seen | None = None) -> list[Diagnostic]:
    """Findings in the text of a built page that nothing before reported (theme overrides, Markdown
    extensions such as snippets): a backstop run by the MkDocs adapter; named by the page's source.
    Pass the same ``seen`` (:func:`html_seen`) for every page of a build to report each value once."""
    allowed, regions = allowed_of(report.loaded), regions_of(report.loaded)
    found = (seen or _Seen(report.diagnostics)).new(privacy.findings(visible_text(html), allowed, regions), file, named=False)
    return _named(file, found, f", in the built page {published_as}")


def html_seen(report: Any) -> _Seen:
    return _Seen(report.diagnostics)
