"""Everything the portal generates from a program: Markdown pages, files and the navigation.

This is the generator-neutral output: the MkDocs plugin hands it to MkDocs, and
``program-portal export`` writes it to a folder for any other static-site generator.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import PurePosixPath
from typing import Any


from program_portal.render.pages import guides, program, sessions, templates
from program_portal.render.pages.portal import CALENDAR, POLICIES, PROGRAM, TEMPLATE_KIND_LABELS, TEMPLATES, Portal, guide_src, template_src

NavItem = str | dict[str, Any]


@dataclass
class GeneratedPages:
    """Generated Markdown pages by docs-relative source path, in navigation order."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)


def generate_pages(portal: Portal, *, site_url: str | None = None, downloads: bool = True) -> GeneratedPages:
    """Every page of spec section 6. Raises ProgramError for a bad placeholder in a body or clause."""
    out = GeneratedPages()
    links = download_links(portal) if downloads else {}
    pages = [
        (PROGRAM, portal.info.title, program.overview(portal)),
        (POLICIES, "Policies", program.policies(portal)),
        *((guide_src(t.id), t.title, guides.guide(portal, t)) for t in portal.program.tracks),
        (TEMPLATES, "Templates", templates.index(portal, links if downloads else None)),
        *((template_src(t.id), t.title, templates.page(portal, t, "html", links.get(t.id))) for t in portal.program.templates),
        (CALENDAR, "Calendar", sessions.calendar_page(portal)),
    ]
    for src, title, markdown in pages:
        out.pages[src] = with_title(title, markdown)

    out.nav = [
        {"Program": [{"Overview": PROGRAM}, {"Policies": POLICIES}]},
    ]
    if portal.program.tracks:
        out.nav.append({"Guides": [{nav_title(t.title): guide_src(t.id)} for t in portal.program.tracks]})
    template_nav: list[NavItem] = [{"All templates": TEMPLATES}]
    for kind, label in TEMPLATE_KIND_LABELS.items():
        group = [{nav_title(t.title): template_src(t.id)} for t in portal.program.templates if t.kind == kind]
        if group:
            template_nav.append({label: group})
    out.nav.append({"Templates": template_nav})
    out.nav.append({"Calendar": CALENDAR})
    return out


DOWNLOAD_FORMATS = (("docx", "Word"), ("pdf", "PDF"), ("md", "Markdown"))
PACK = "downloads/templates.zip"


def download_path(template_id: str, extension: str) -> str:
    return f"downloads/{template_id}.{extension}"


def nav_title(title: str) -> str:
    """Themes print navigation and page titles as HTML: a title from program.yml must arrive escaped."""
    return html.escape(title, quote=False)


def with_title(title: str, markdown: str) -> str:
    """The page with its (escaped) title in YAML front matter, as MkDocs and other generators read it."""
    return f"---\ntitle: {json.dumps(nav_title(title), ensure_ascii=False)}\n---\n\n{markdown}"


def download_links(portal: Portal) -> dict[str, list[tuple[str, str]]]:
    """Per template, the (label, link relative to ``templates/``) of each download; ``*``: the whole pack."""
    links = {
        t.id: [(label, f"../{download_path(t.id, ext)}") for ext, label in DOWNLOAD_FORMATS] for t in portal.program.templates
    }
    if portal.program.templates:
        links["*"] = [("Download every template (.zip)", f"../{PACK}")]
    return links


def navigation(generated: GeneratedPages, content_srcs: list[str]) -> list[NavItem]:
    """The site navigation: home, the generated sections, then the designer's own pages by folder."""
    nav: list[NavItem] = []
    rest = [s for s in content_srcs if s not in ("index.md", "README.md")]
    if len(rest) != len(content_srcs):
        nav.append({"Home": "index.md" if "index.md" in content_srcs else "README.md"})
    nav += generated.nav
    folders: dict[str, list[NavItem]] = {}
    for src in rest:
        path = PurePosixPath(src)
        if len(path.parts) == 1:
            nav.append(src)
        else:
            folders.setdefault(path.parts[0], []).append(src)
    for folder, srcs in folders.items():
        nav.append({nav_title(folder.replace("-", " ").replace("_", " ").capitalize()): srcs})
    return nav


def generated_file_paths(portal: Portal) -> set[str]:
    """The site paths of every generated non-page file (a designer's file there would be replaced)."""
    paths = {sessions.ics_name(portal.info.id)} | {sessions.ics_name(s.id) for s in portal.program.sessions}
    paths |= {download_path(t.id, ext) for t in portal.program.templates for ext, _ in DOWNLOAD_FORMATS}
    if portal.program.templates:
        paths.add(PACK)
    return paths


def dtstamp_from_epoch(source_date_epoch: str | None) -> datetime:
    """DTSTAMP and file dates: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    if source_date_epoch and source_date_epoch.strip().isdigit():
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def _description(portal: Portal, session: Any, site_url: str | None) -> str:
    lines = []
    if session.summary:
        lines.append(session.summary)
    lines.append(f"Host: {portal.roles[session.host].title}")
    if session.audience:
        lines.append("For: " + ", ".join(portal.roles[r].title for r in session.audience))
    if session.agenda:
        title = portal.templates[session.agenda].title
        lines.append(f"Agenda: {title}" + (f" {site_url.rstrip('/')}/templates/{session.agenda}/" if site_url else ""))
    lines.append(portal.info.title)
    return "\n".join(lines)


def calendar_files(portal: Portal, *, dtstamp: datetime, site_url: str | None = None) -> dict[str, bytes]:
    """``calendar/<program-id>.ics`` (the feed) and ``calendar/<session-id>.ics`` (one series each)."""
    from program_portal.calendar import ics

    info = portal.info
    events = []
    for s in portal.program.sessions:
        events.append(
            ics.CalendarEvent(
                uid=f"{s.id}.{info.id}@program-portal",
                summary=s.title,
                start=s.start,
                timezone=portal.program.session_timezone(s),
                minutes=s.minutes,
                repeat=s.repeat,
                except_dates=tuple(s.except_),
                program_ends=info.ends,
                location=s.location,
                description=_description(portal, s, site_url),
                url=f"{site_url.rstrip('/')}/calendar/" if site_url else None,
            )
        )
    files = {
        sessions.ics_name(info.id): ics.build_calendar(
            events, name=info.title, description=info.summary, dtstamp=dtstamp, feed=True
        )
    }
    for session, event in zip(portal.program.sessions, events):
        files[sessions.ics_name(session.id)] = ics.build_calendar(
            [event], name=f"{session.title} ({info.title})", description=session.summary, dtstamp=dtstamp, feed=False
        )
    return files
