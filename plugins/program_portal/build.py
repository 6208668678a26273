"""The whole project: program.yml plus every Markdown page under docs_dir, validated in memory.

Both the MkDocs plugin and the ``program-portal check`` command run this, so they
report the same problems. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from program_portal.checks import design as checks
from program_portal.checks import active, privacy
from program_portal.diagnostics import Diagnostic, Location, ProgramError, error, sort_key
from program_portal.codes import ACTIVE_FILE, PAGE_CONFLICT, UNKNOWN_CHECK, YAML_SYNTAX
from program_portal.render.markdown import MARKDOWN_SUFFIXES, url_of
from program_portal.source.loader import LoadedProgram, load_program, relative_name
from program_portal.render.pages.portal import Portal
from program_portal.render.placeholders import Blanks, render, split_front_matter
from program_portal.render.site import GeneratedPages, generate_pages, generated_file_paths



@dataclass
class ContentPage:
    """An ordinary page under docs_dir (not a body): its source and its rendered Markdown."""

    src: str
    text: str


@dataclass
class Report:
    """What checking a project found; ``pages`` is set when there is no error."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    loaded: LoadedProgram | None = None
    pages: GeneratedPages | None = None
    content: dict[str, ContentPage] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add problems found elsewhere (e.g. in the site configuration), keeping the order by location."""
        self.diagnostics += diagnostics
        self.diagnostics.sort(key=sort_key)
        if self.errors:
            self.pages = None

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


def is_published(src: str) -> bool:
    """Whether MkDocs publishes ``src`` by default (it skips dot-files and ``templates/``)."""
    parts = src.split("/")
    return not any(p.startswith(".") for p in parts) and parts[0] != "templates"


def content_files(docs_dir: Path) -> list[str]:
    """Every file under docs_dir, docs-relative."""
    if not docs_dir.is_dir():
        return []
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file())


def content_sources(docs_dir: Path) -> list[str]:
    """The Markdown pages under docs_dir (every suffix MkDocs reads as Markdown)."""
    return [src for src in content_files(docs_dir) if src.endswith(MARKDOWN_SUFFIXES)]


def render_content_page(portal_context: Mapping[str, Any], text: str, file: str) -> str:
    """An ordinary page's Markdown with placeholders rendered (front matter kept out of Jinja)."""
    head, body, offset = split_front_matter(text)
    return head + render(body, file=file, context=portal_context, blanks=Blanks("html"), line_offset=offset)


def check_project(
    root: Path,
    program_path: Path,
    docs_dir: Path,
    disable_checks: Iterable[str] = (),
    *,
    site_url: str | None = None,
) -> Report:
    """Load, validate and check everything; generate the pages in memory. Never raises for bad input."""
    report = Report()
    disabled = list(disable_checks)
    for code in disabled:
        if code not in checks.CHECKS:
            report.diagnostics.append(error(UNKNOWN_CHECK, f"disable_checks: unknown check '{code}' (known: PD001 to PD009)", Location("mkdocs.yml")))
    try:
        loaded = load_program(program_path, root=root, docs_dir=docs_dir)
    except ProgramError as exc:
        report.diagnostics += exc.diagnostics
        return _sorted(report)
    report.loaded = loaded
    portal = Portal(loaded)

    problems: list[Diagnostic] = []
    try:
        report.pages = generate_pages(portal, site_url=site_url)
    except ProgramError as exc:
        problems += exc.diagnostics

    allowed = loaded.program.privacy.allowed_emails
    problems += privacy.scan(loaded.source, loaded.file, allowed)
    for body, text in loaded.bodies.items():
        problems += privacy.scan(text, loaded.body_location(body).file, allowed)

    bodies = set(loaded.bodies)
    generated_urls = {url_of(src): src for src in (report.pages.pages if report.pages else {})}
    reserved = generated_file_paths(portal)
    for src in content_files(docs_dir):
        if src in reserved and is_published(src):
            problems.append(error(PAGE_CONFLICT, f"the portal generates /{src}, which would replace this file; rename or move it", Location(relative_name(docs_dir / src, root))))
        elif is_published(src) and (why := active.problem(docs_dir, src)):
            problems.append(error(ACTIVE_FILE, why, Location(relative_name(docs_dir / src, root))))
    for src in content_sources(docs_dir):
        if src in bodies or not is_published(src) or src in reserved:
            continue
        file = relative_name(docs_dir / src, root)
        if url_of(src) in generated_urls:
            problems.append(error(PAGE_CONFLICT, f"this page would replace the generated page /{url_of(src)}; rename or move it", Location(file)))
            continue
        try:
            text = (docs_dir / src).read_text(encoding="utf-8-sig")
            problems += privacy.scan(text, file, allowed)
            report.content[src] = ContentPage(src, render_content_page(portal.context(), text, file))
        except ProgramError as exc:
            problems += exc.diagnostics
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(YAML_SYNTAX, f"cannot read this page: {exc}", Location(file)))
    report.diagnostics += problems
    report.diagnostics += checks.run_checks(loaded, disabled)
    if report.errors:
        report.pages = None
    return _sorted(report)


def _sorted(report: Report) -> Report:
    report.diagnostics.sort(key=sort_key)
    return report
