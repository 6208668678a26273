"""``program-portal export OUTDIR``: a complete project that Zensical, ProperDocs and MkDocs build without the plugin.

OUTDIR gets ``mkdocs.yml`` (the source's site settings with the intranet rules applied, the
navigation, the Markdown extensions, the portal's CSS and JavaScript), ``docs/`` (generated
pages, the designer's pages with placeholders rendered, downloads, calendars, assets),
``overrides/`` (the theme override with the Content-Security-Policy, and the Markdown
downloads) and ``hooks/markdown_downloads.py`` (MkDocs and ProperDocs only). No MkDocs here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from program_portal import build
from program_portal.options import ProjectConfig
from program_portal.render.content import content_files, is_published
from program_portal.diagnostics import Diagnostic, sort_key
from program_portal.export.config import DOCS_DIR, THEME_DIR, dump, read_source, site_config
from program_portal.export.links import download_links_as_html
from program_portal.export.theme import theme_files
from program_portal.export.writer import ExportError, Writer
from program_portal.render import outputs
from program_portal.paths import MARKDOWN_SUFFIXES, SCRIPTS, STYLESHEETS
from program_portal.render.site import navigation

# Files of a custom_dir that a theme renders as Jinja templates (MkDocs, Zensical and ProperDocs alike)
TEMPLATE_SUFFIXES = (".html", ".htm", ".xml", ".txt", ".j2", ".jinja", ".jinja2")

__all__ = ["ExportError", "ExportResult", "Source", "export_project"]


@dataclass(frozen=True)
class Source:
    """The project as the pipeline sees it (configuration read by the adapter) and its mkdocs.yml, if any."""

    project: ProjectConfig
    config_file: Path | None
    trusted: bool = False  # --trusted-config: the repository's theme templates are exported too

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def program(self) -> Path:
        return self.project.program

    @property
    def docs_dir(self) -> Path:
        return self.project.docs_dir


@dataclass
class ExportResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    files: int = 0
    written: int = 0
    removed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except OSError:
        return False


def export_project(source: Source, outdir: Path) -> ExportResult:
    """Check the project and, when it has no error, write the export to ``outdir``.

    Raises :class:`ExportError` for a problem with OUTDIR or mkdocs.yml (one line). Errors in
    the program or pages are returned as diagnostics, and then nothing is written.
    """
    if _inside(outdir, source.docs_dir) or _inside(source.root, outdir):
        raise ExportError(f"{outdir}: the output directory must not be inside docs_dir, nor hold the project itself")
    try:
        source_config = read_source(source.config_file)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    site_url = source_config.get("site_url") if isinstance(source_config.get("site_url"), str) else None
    source.project.site_url = site_url
    report = build.run(source.project)  # the same pipeline as check and the plugin
    result = ExportResult()
    config_name = source.config_file.name if source.config_file else "mkdocs.yml"
    own_srcs = sorted(report.content)
    nav = navigation(report.pages, own_srcs) if report.pages else []
    try:
        site = site_config(
            source_config,
            config_file=config_name,
            nav=nav,
            markdown_extensions=outputs.MARKDOWN_EXTENSIONS,
            stylesheets=STYLESHEETS,
            scripts=SCRIPTS,
        )
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    # the pipeline reviewed the same settings: each finding once
    result.diagnostics = sorted(dict.fromkeys([*report.diagnostics, *site.diagnostics]), key=sort_key)
    if result.failed or report.output is None or report.portal is None:
        return result

    files = report.output.files
    markdown_downloads = {path for path in files if path.endswith(MARKDOWN_SUFFIXES)}
    pages = dict(report.pages.pages)
    pages.update({src: page.text for src, page in report.content.items()})

    writer = Writer(outdir)
    for src, text in pages.items():
        writer.add(f"{DOCS_DIR}/{src}", download_links_as_html(text, src, markdown_downloads))
    for path, data in files.items():
        # The Markdown downloads go to the theme directory: copied as files, never turned into pages.
        writer.add(f"{THEME_DIR if path in markdown_downloads else DOCS_DIR}/{path}", data)
    reserved = set(files)  # every generated file: a designer's file there is replaced
    for rel in content_files(source.docs_dir):
        if rel.endswith(MARKDOWN_SUFFIXES) or not is_published(rel) or rel in reserved or (source.docs_dir / rel).is_symlink():
            continue
        writer.add(f"{DOCS_DIR}/{rel}", (source.docs_dir / rel).read_bytes())
    ours = theme_files()
    custom = source.root / site.custom_dir if site.custom_dir else None
    if custom is not None and not _inside(custom, source.root):
        result.notes.append(f"{config_name}: theme.custom_dir {site.custom_dir} is outside the project; its files are not exported")
        custom = None
    if custom is not None:
        for rel in content_files(custom) if custom.is_dir() else []:
            if (custom / rel).is_symlink() or rel.split("/")[0].startswith("."):
                continue
            if f"{THEME_DIR}/{rel}" in ours:
                result.notes.append(f"{site.custom_dir}/{rel} is not exported: the export's own {THEME_DIR}/{rel} carries the Content-Security-Policy")
                continue
            if rel.lower().endswith(TEMPLATE_SUFFIXES) and not source.trusted:
                result.notes.append(f"{site.custom_dir}/{rel} is not exported: the exported project is built without the portal's theme "
                                    "sandbox, so a template of the repository's is exported only with --trusted-config, once a maintainer has read it")
                continue
            writer.add(f"{THEME_DIR}/{rel}", (custom / rel).read_bytes())
    for rel, data in ours.items():
        writer.add(rel, data)
    writer.add("mkdocs.yml", _HEADER + dump(site.data))
    result.notes += [f"{config_name}: '{key}' is not exported" for key in site.dropped]
    result.pages, result.files = len(pages), len(files)
    try:
        result.written, result.removed = writer.commit()
    except OSError as exc:
        raise ExportError(f"cannot write the export: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")) from None
    return result


_HEADER = (
    "# Written by `program-portal export`: do not edit, export again instead.\n"
    "# Build with `zensical build`, `properdocs build --strict` or `mkdocs build --strict` (no plugin needed).\n"
)


def watch_paths(source: Source) -> list[Path]:
    """What a re-export depends on: program.yml, docs_dir and mkdocs.yml."""
    return [p for p in (source.program, source.docs_dir, source.config_file) if p is not None]


def export_and_watch(
    source: Source, outdir: Path, *, report: Callable[[ExportResult | ExportError], None],
    stop: Callable[[], bool] = lambda: False, poll: float = 0.3,
) -> None:
    """Export, then export again after every change under :func:`watch_paths`, until ``stop()``."""
    from program_portal.export.watch import watch

    def once() -> None:
        try:
            report(export_project(source, outdir))
        except ExportError as exc:
            report(exc)

    watch(watch_paths(source), once, stop=stop, poll=poll, ignore=[outdir])

