"""The build pipeline, the same for ``program-portal check``, the MkDocs plugin and ``program-portal export``:

    configuration -> load and validate -> check -> generate -> publish

1. configuration (:mod:`.options`): the adapters read mkdocs.yml through MkDocs' own loader
   and convert it into a :class:`~program_portal.options.ProjectConfig`;
2. load (:mod:`.source`): program.yml validated into a program, the read model
   (:class:`~program_portal.render.pages.portal.Portal`) built once, the designer's pages read once;
3. check (:mod:`.checks`): privacy, site settings, pages that would be replaced, program design;
4. generate (:mod:`.render`): the generated pages, the content pages, the assets, the calendars and
   the downloads, each once, in memory;
5. publish (:mod:`.publish`, by the adapter): written to a staging directory that replaces the
   output only when everything succeeded. ``check`` runs every step but this one.

:func:`run` never raises for bad input: every problem is a located diagnostic in the :class:`Report`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from program_portal.checks import design as checks
from program_portal.checks import files as file_checks
from program_portal.checks import active, filetypes, intranet, look, privacy, published, theme
from program_portal.codes import ACTIVE_FILE, OUTPUT_FAILED, PAGE_CONFLICT, REFUSED_FILE, THEME_REFUSED
from program_portal.i18n import check as language_check
from program_portal.diagnostics import Diagnostic, Location, ProgramError, error, sort_key
from program_portal.options import ProjectConfig, parse_options
from program_portal.paths import generated_file_paths, generated_page_sources, url_of
from program_portal.render import outputs
from program_portal.render.downloads.cache import cache_directory, default_cache
from program_portal.render.content import ContentPage, content_files, is_markdown, is_published, read_page, render_content_page
from program_portal.render.pages.portal import Portal
from program_portal.render.site import GeneratedPages, generate_pages
from program_portal.render.placeholder_limits import build_budget
from program_portal.render import kept, placeholders, sanitize
from program_portal.render.placeholders import split_front_matter
from program_portal.source import textlimits
from program_portal.source.loader import LoadedProgram, relative_name
from program_portal.stages import stage
from program_portal import incremental

T = TypeVar("T")

__all__ = ["ContentPage", "Output", "Report", "abandon", "check_project", "collect", "run"]


@dataclass
class Output:
    """Everything a build publishes, in memory: generated pages (and their navigation), content pages, files."""

    pages: GeneratedPages
    content: dict[str, ContentPage] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # site path -> bytes: assets, calendars, downloads
    pending: Pending | None = None  # run(overlap=True): the downloads still rendering; collect() adds them to files

    @property
    def pending_paths(self) -> list[str]:
        """The site paths of the downloads still rendering (their bytes come with :func:`collect`)."""
        return list(self.pending.downloads.paths) if self.pending is not None else []


@dataclass
class Pending:
    """Downloads rendering in helper processes, and where a failure of theirs is reported."""

    downloads: Any  # render.downloads.PendingDownloads
    what: str
    where: Location


@dataclass
class Report:
    """What the pipeline found and made; ``output`` is set when there is no error."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    loaded: LoadedProgram | None = None
    portal: Portal | None = None
    output: Output | None = None
    review: intranet.Review = field(default_factory=intranet.Review)
    downloads: Pending | None = None  # the downloads rendering since the program loaded (kept if an error drops the output)

    @property
    def pages(self) -> GeneratedPages | None:
        return self.output.pages if self.output else None

    @property
    def content(self) -> dict[str, ContentPage]:
        return self.output.content if self.output else {}

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add problems, keeping the order by location; an error drops the output."""
        self.diagnostics += diagnostics
        self.diagnostics.sort(key=sort_key)
        if self.errors:
            self.output = None

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


def run(config: ProjectConfig, *, files: bool = True, documents: bool = True, overlap: bool = False) -> Report:
    """Every step but publishing. ``files=False`` leaves out assets, calendars and downloads (page previews, tests);
    ``documents=False`` leaves out the downloads alone (``check``: nothing rendered). ``overlap=True``: the
    documents the cache lacks render in helper processes while the caller goes on (MkDocs builds the
    pages); :func:`collect` adds them to the output before it is published, :func:`abandon` stops them."""
    report = Report()
    try:
        with build_budget():  # the placeholders of every page share one bound on their work
            _run(config, report, files=files, documents=documents, overlap=overlap)
    finally:  # an error, or a bug: no helper keeps rendering for an output nobody publishes
        if report.output is None or not overlap:
            abandon(report)
        if report.loaded is not None:  # what the scans found is kept for the next build, failed or not
            remember(config)  # (not when the project's files were refused before anything was read)
    return report


def collect(report: Report) -> bool:
    """The downloads of an ``overlap`` run, waited for and added to the output's files; False (and a located
    PF021 in the report, the output dropped) if a writer failed."""
    output = report.output
    if output is None or output.pending is None:
        return output is not None
    pending, output.pending = output.pending, None
    with stage("downloads"):
        made, found = _attempt(pending.downloads.result, pending.what, pending.where)
    pending.downloads.cancel()
    if made is not None:
        output.files.update(made)
    report.add(found)
    return not found


def abandon(report: Report | None) -> None:
    """Stop the helper processes of a run whose output will not be published (safe to call more than once)."""
    if report is None:
        return
    for pending in (report.downloads, report.output.pending if report.output is not None else None):
        if pending is not None:
            pending.downloads.cancel()


def _run(config: ProjectConfig, report: Report, *, files: bool, documents: bool, overlap: bool) -> Report:
    report.add(config.problems)  # 1. configuration (converted by the adapter)
    if not config.usable:
        return report
    if unsafe := file_checks.unsafe_files(config.root, config.program, config.docs_dir):  # before anything is read
        report.add(unsafe)
        return report
    folder = cache_folder(config)
    privacy.load_memo(folder, config.root)  # what an earlier build's privacy scan found, if sealed here
    placeholders.use_code_cache(folder, config.root)  # and the placeholders it compiled
    theme.load_clean_pages(folder, config.root)  # and the built pages that load nothing refused
    sanitize.load_kept(folder, config.root)  # and the pages it cleaned
    try:  # 2. load and validate (a live-preview rebuild reuses an unchanged program)
        with stage("load"):
            loaded = incremental.load(config.program, root=config.root, docs_dir=config.docs_dir)
    except ProgramError as exc:
        report.add(exc.diagnostics)
        return report
    report.loaded = loaded
    # the read model, built once per run; what it derives is kept in the download cache between builds
    # (check and previews: read, but written in memory only, as only a build prunes the cache)
    cache = default_cache(folder, root=config.root)
    report.portal = Portal(loaded, offline=config.offline, cache=cache if files and documents else kept.ReadOnly(cache))
    download_problems: list[Diagnostic] = []  # a download that cannot start: reported where it used to be, after the checks
    if files and documents:  # the documents the cache lacks render in helpers while the checks and pages run
        report.downloads, download_problems = _start_downloads(config, report.portal)
    pages, problems = _read_pages(config, loaded)
    with stage("checks"):
        replaced, found = _check(config, loaded, pages, report)  # 3. check
    problems += found
    with stage("pages"):
        generated, content, found = _generate_pages(config, report.portal, pages, replaced)  # 4. generate
    report.add(problems + found)
    if generated is None:
        return report
    calendars = _calendars(config, report.portal, report)
    # privacy on what is published (what the sources showed is not repeated)
    report.add(_published_privacy(config, report, Output(generated, content), calendars or {}))
    if report.errors:
        return report
    report.add(download_problems)
    output = Output(generated, content)
    if files:
        output.files, output.pending = {**outputs.assets(config.options.paper), **(calendars or {})}, report.downloads
    if not report.errors:
        report.output = output
        if not overlap:
            collect(report)
    return report


def cache_folder(config: ProjectConfig) -> Path | None:
    """The project's disk cache (downloads, calendars, the privacy memo), or None when it is off."""
    return cache_directory(config.root, enabled=config.options.cache, cache_dir=config.options.cache_dir)


def remember(config: ProjectConfig, *, prune: bool = False) -> None:
    """After a build (the MkDocs adapter: once the built pages are scanned too): the privacy memo kept
    in the disk cache for the next build, the compiled placeholders it did not use removed; ``prune``: once
    the pages are built, the pages cleaned kept too and the compiled theme templates not used removed."""
    from program_portal.render import compiled

    folder = cache_folder(config)
    privacy.save_memo(folder, config.root)
    theme.save_clean_pages(folder, config.root)
    compiled.prune(folder, compiled.PLACEHOLDERS)  # every placeholder this build needs is compiled by now
    if prune:
        sanitize.save_kept(folder, config.root)
        compiled.prune(folder, compiled.THEME)


def _published_privacy(config: ProjectConfig, report: Report, pages: Output, calendars: dict[str, bytes]) -> list[Diagnostic]:
    """Rendered pages, downloads, calendars, file names and text files scanned as published."""
    assert report.portal is not None
    p = report.portal.program
    generated = generated_file_paths(p.program.id, (s.id for s in p.sessions), (t.id for t in p.templates))
    shipped = [src for src in content_files(config.docs_dir) if is_published(src) and src not in generated]
    report.output = pages  # the scan reads the pages from the report
    try:
        return published.scan_published(report, report.portal, config.docs_dir, relative_name(config.docs_dir, config.root),
                                        shipped, calendars)
    finally:
        report.output = None


def _check(config: ProjectConfig, loaded: LoadedProgram, pages: dict[str, tuple[str, str]], report: Report) -> tuple[set[str], list[Diagnostic]]:
    """Site settings, privacy, pages that generated ones would replace, program design."""
    problems: list[Diagnostic] = []
    if config.settings is not None:
        report.review = intranet.review(config_file=config.config_file, **vars(config.settings))
        problems += report.review.diagnostics
        problems += published.scan_settings(report, config.shown_settings, config.config_path)
        problems += published.scan_theme_dir(report, config.custom_dir, config.root)
        problems += theme.custom_dir_problems(config.custom_dir, config.root)
        problems += look.review(config_file=config.config_file, config_path=config.config_path, root=config.root, docs_dir=config.docs_dir,
                                custom_dir=config.custom_dir, theme=config.settings.theme)
    if report.portal is not None:  # the program's language: labels a catalog lacks, Material's language
        problems += language_check.incomplete(report.portal.language, loaded.at("program", "language"))
    problems += language_check.theme_language(loaded.program.program.language, config.theme_language, config.config_file)
    problems += _privacy(loaded, pages)
    replaced, found = _conflicts(config, loaded, pages)
    problems += found
    problems += incremental.reuse(loaded, ("checks", config.options.disable_checks), lambda: checks.run_checks(loaded, config.options.disable_checks))
    return replaced, problems


def _generate_pages(
    config: ProjectConfig, portal: Portal, pages: dict[str, tuple[str, str]], replaced: set[str]
) -> tuple[GeneratedPages | None, dict[str, ContentPage], list[Diagnostic]]:
    """The generated pages and the designer's own pages, placeholders rendered (each page once)."""
    generated, problems = _attempt(lambda: generate_pages(portal, site_url=config.site_url, cache=portal.cache))  # kept: render/kept.py
    content: dict[str, ContentPage] = {}
    for src, (file, text) in pages.items():
        if src in replaced:
            continue
        rendered, found = _attempt(lambda: render_content_page(portal.context(), text, file, portal.language))
        problems += found
        if rendered is not None:
            content[src] = ContentPage(src, rendered)
    return generated, content, problems


def _attempt(make: Callable[[], T], what: str = "", where: Location | None = None) -> tuple[T | None, list[Diagnostic]]:
    """``make()``, or the located problems that stopped it. A writer failing on input that passed validation
    (a bug, or a limit no check knows yet) is reported at ``where`` as PF021, never as a traceback."""
    try:
        return make(), []
    except ProgramError as exc:
        return None, exc.diagnostics
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one located message
        if where is None:
            raise
        return None, [error(OUTPUT_FAILED, f"cannot generate {what}: {type(exc).__name__}: {exc}", where)]


def _read_pages(config: ProjectConfig, loaded: LoadedProgram) -> tuple[dict[str, tuple[str, str]], list[Diagnostic]]:
    """The designer's published Markdown pages (not bodies): src -> (file name for messages, text)."""
    pages: dict[str, tuple[str, str]] = {}
    problems: list[Diagnostic] = []
    for src in content_files(config.docs_dir):
        if not is_markdown(src) or src in loaded.bodies or not is_published(src):
            continue
        file = relative_name(config.docs_dir / src, config.root)
        text, found = _attempt(lambda: read_page(config.docs_dir / src, file))
        problems += found
        if text is None:
            continue
        head, body, offset = split_front_matter(text)
        if limits := textlimits.front_matter_problems(head, file) + textlimits.markdown_problems(body, file, line_offset=offset):
            problems += limits  # past a limit the writers cannot take: the page goes no further
            continue
        pages[src] = (file, text)
    return pages, problems


def _privacy(loaded: LoadedProgram, pages: dict[str, tuple[str, str]]) -> list[Diagnostic]:
    allowed, regions = loaded.program.privacy.allowed_emails, published.regions_of(loaded)
    found = privacy.scan(loaded.source, loaded.file, allowed, regions=regions)
    for body, text in loaded.bodies.items():
        found += privacy.scan(text, loaded.body_location(body).file, allowed, regions=regions)
    for file, text in pages.values():
        found += privacy.scan(text, file, allowed, regions=regions)
    return found


def _conflicts(config: ProjectConfig, loaded: LoadedProgram, pages: dict[str, tuple[str, str]]) -> tuple[set[str], list[Diagnostic]]:
    """The designer's files that a generated page or file would replace, and a PF017 for each."""
    p = loaded.program
    reserved = generated_file_paths(p.program.id, (s.id for s in p.sessions), (t.id for t in p.templates))
    generated_urls = {url_of(src) for src in generated_page_sources((t.id for t in p.tracks), (t.id for t in p.templates), (r.id for r in p.roles), matching=p.matching is not None)}
    problems = []
    theme_paths = theme.theme_paths(config.theme_dirs, config.static_templates)
    for src in content_files(config.docs_dir):
        if is_published(src) and (shadow := theme.shadow_problem(src, theme_paths)):  # a theme file, or the portal's assets
            problems.append(error(THEME_REFUSED, shadow, Location(relative_name(config.docs_dir / src, config.root))))
        elif src in reserved and is_published(src):
            problems.append(error(PAGE_CONFLICT, f"the portal generates /{src}, which would replace this file; rename or move it", Location(relative_name(config.docs_dir / src, config.root))))
        elif is_published(src) and (why := active.problem(config.docs_dir, src)):  # a file a browser would run
            problems.append(error(ACTIVE_FILE, why, Location(relative_name(config.docs_dir / src, config.root))))
        elif is_published(src) and not is_markdown(src) and (why := filetypes.type_refusal(config.docs_dir, src)):  # by type
            problems.append(error(REFUSED_FILE, why, Location(relative_name(config.docs_dir / src, config.root))))
    for src, (file, _) in pages.items():
        if src not in reserved and url_of(src) in generated_urls:
            problems.append(error(PAGE_CONFLICT, f"this page would replace the generated page /{url_of(src)}; rename or move it", Location(file)))
    return {src for src in pages if src in reserved or url_of(src) in generated_urls}, problems


def _start_downloads(config: ProjectConfig, portal: Portal) -> tuple[Pending | None, list[Diagnostic]]:
    """The downloads started: each looked up in the cache, the missing ones rendering in helper processes
    (:func:`collect` waits for them); or the located problems that stopped them (a writer's failure: PF021)."""
    what, where = "the template downloads", _where(portal.loaded, "templates")
    with stage("downloads"):
        started, found = _attempt(lambda: outputs.start_downloads(portal, paper=config.options.paper, epoch=config.source_date_epoch,
                                                                  cache=portal.cache, jobs=config.options.jobs, prune=True), what, where)
    return (Pending(started, what, where) if started is not None else None), found


def _calendars(config: ProjectConfig, portal: Portal, report: Report) -> dict[str, bytes] | None:
    """The .ics files, made once for the privacy scan and the output, through the read model's cache (which
    ``check`` writes in memory only); a writer's failure is a located PF021."""
    dtstamp = outputs.dtstamp_from_epoch(config.source_date_epoch)
    with stage("ics"):
        made, found = _attempt(lambda: outputs.calendars(portal, dtstamp=dtstamp, site_url=config.site_url, cache=portal.cache),
                               "the calendar files", _where(portal.loaded, "sessions"))
    report.add(found)
    return made


def _where(loaded: LoadedProgram, key: str) -> Location:
    try:
        return loaded.at(key)
    except (KeyError, IndexError):
        return Location(loaded.file)


def check_project(
    root: Path,
    program_path: Path,
    docs_dir: Path,
    disable_checks: Iterable[str] = (),
    *,
    site_url: str | None = None,
    files: bool = True,
) -> Report:
    """The pipeline for a project without a site configuration (tests, and ``check`` without mkdocs.yml)."""
    options, problems = parse_options({"disable_checks": list(disable_checks)}, "mkdocs.yml")
    config = ProjectConfig(root, docs_dir, options, site_url=site_url, problems=problems, program_path=program_path)
    return run(config, files=files)

