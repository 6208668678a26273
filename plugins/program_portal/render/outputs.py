"""The files a build adds beside the pages: the portal's CSS and JavaScript, the calendars and the downloads."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources
from typing import Any

from program_portal.paths import ASSET_FILES, CALENDAR, asset_path, ics_name, template_src, absolute_url
from program_portal.render.pages.portal import Portal

# The Markdown extensions the generated pages use (the MkDocs plugin adds them; the export writes them).
MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "tables", "admonition", "toc")


def assets(paper: str = "a4") -> dict[str, bytes]:
    """The portal's stylesheets and scripts, shipped inside the package (print.css on ``paper``)."""
    package = resources.files("program_portal") / "assets"
    out = {asset_path(name): (package / name).read_bytes() for name in ASSET_FILES}
    if paper == "letter":
        out[asset_path("print.css")] = out[asset_path("print.css")].replace(b"size: A4;", b"size: letter;")
    return out


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
        url = absolute_url(site_url, template_src(session.agenda))
        lines.append(f"Agenda: {title}" + (f" {url}" if url else ""))
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
                url=absolute_url(site_url, CALENDAR),
            )
        )
    files = {
        ics_name(info.id): ics.build_calendar(
            events, name=info.title, description=info.summary, dtstamp=dtstamp, feed=True
        )
    }
    for session, event in zip(portal.program.sessions, events):
        files[ics_name(session.id)] = ics.build_calendar(
            [event], name=f"{session.title} ({info.title})", description=session.summary, dtstamp=dtstamp, feed=False
        )
    return files


def downloads(portal: Portal, *, paper: str, epoch: str | None) -> dict[str, bytes]:
    """Word, PDF and Markdown of every template, and the zip pack."""
    from program_portal.render.downloads import build_downloads, process_stamp

    # Without SOURCE_DATE_EPOCH the documents carry the date the process first made them, so that
    # `mkdocs serve` rebuilds produce the same bytes and reuse the cache.
    reproducible = bool(epoch and epoch.strip().isdigit())
    return build_downloads(portal, paper=paper, dtstamp=dtstamp_from_epoch(epoch) if reproducible else process_stamp())
