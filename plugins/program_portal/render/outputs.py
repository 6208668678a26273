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


MAX_EPOCH = 2**32 - 1  # 2106-02-07T06:28:15Z: the last second the sitemap's gzip header (32 bits) can hold


def epoch_problem(source_date_epoch: str | None) -> str | None:
    """Why ``SOURCE_DATE_EPOCH`` cannot date the outputs, or None (also when it is not set)."""
    if source_date_epoch is None or source_date_epoch == "":
        return None
    value = source_date_epoch.strip()
    if not value.isascii() or not value.isdigit():
        return f"SOURCE_DATE_EPOCH={source_date_epoch[:40]!r} is not a whole number of seconds since 1970-01-01"
    if int(value) > MAX_EPOCH:
        return f"SOURCE_DATE_EPOCH={value[:40]} is after 2106-02-07, the last date a gzip file can hold; give the seconds since 1970-01-01, e.g. $(git log -1 --format=%ct)"
    return None


def dtstamp_from_epoch(source_date_epoch: str | None) -> datetime:
    """DTSTAMP and file dates: SOURCE_DATE_EPOCH when set (reproducible builds), else now.

    A value :func:`epoch_problem` rejects (the configuration stage reports it first) also means now.
    """
    if source_date_epoch and epoch_problem(source_date_epoch) is None:
        return datetime.fromtimestamp(int(source_date_epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def _description(portal: Portal, session: Any, site_url: str | None) -> str:
    label = portal.language.text
    lines = []
    if session.summary:
        lines.append(session.summary)
    lines.append(label("ics.host", host=portal.roles[session.host].title))
    if session.audience:
        lines.append(label("ics.for", audience=portal.language.list([portal.roles[r].title for r in session.audience])))
    if session.agenda:
        title = portal.templates[session.agenda].title
        url = absolute_url(site_url, template_src(session.agenda))
        lines.append(label("ics.agenda", agenda=title) + (f" {url}" if url else ""))
    lines.append(portal.info.title)
    return "\n".join(lines)


def calendar_files(portal: Portal, *, dtstamp: datetime, site_url: str | None = None) -> dict[str, bytes]:
    """``calendar/<program-id>.ics`` (the feed) and ``calendar/<session-id>.ics`` (one series each)."""
    from program_portal.calendar import ics

    info = portal.info
    events = []
    sequence = ics.sequence(dtstamp)  # later build, higher SEQUENCE (calendar/ics.py)
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
                sequence=sequence,
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


def calendars(portal: Portal, *, dtstamp: datetime, site_url: str | None, cache: Any = None) -> dict[str, bytes]:
    """The .ics files, kept in the download cache: they depend only on program.yml, the site URL,
    DTSTAMP and the calendar code and libraries (so a warm build does not even import icalendar)."""
    import json

    from program_portal.render.downloads.cache import calendar_versions, default_cache

    cache = cache if cache is not None else default_cache()
    key = cache.key("ics", calendar_versions(), portal.loaded.source, site_url or "", dtstamp.isoformat())
    data = cache.lookup(key, count=False)
    if data is not None:
        return {name: text.encode("latin-1") for name, text in json.loads(data).items()}
    files = calendar_files(portal, dtstamp=dtstamp, site_url=site_url)
    cache.store(key, json.dumps({name: blob.decode("latin-1") for name, blob in files.items()}).encode("ascii"))
    return files


def downloads(portal: Portal, *, paper: str, epoch: str | None, cache: Any = None, jobs: int = 0, prune: bool = False) -> dict[str, bytes]:
    """Word, PDF and Markdown of every template, and the zip pack (``cache``, ``jobs``, ``prune``: see build_downloads)."""
    return start_downloads(portal, paper=paper, epoch=epoch, cache=cache, jobs=jobs, prune=prune).wait()


def start_downloads(portal: Portal, *, paper: str, epoch: str | None, cache: Any = None, jobs: int = 0, prune: bool = False) -> Any:
    """:func:`downloads` started in helper processes: a :class:`~program_portal.render.downloads.PendingDownloads`."""
    from program_portal.render.downloads import process_stamp
    from program_portal.render.downloads import start_downloads as start

    # Without SOURCE_DATE_EPOCH the documents carry the date the process first made them, so that
    # `mkdocs serve` rebuilds produce the same bytes and reuse the cache.
    reproducible = bool(epoch and epoch_problem(epoch) is None)
    dtstamp = dtstamp_from_epoch(epoch) if reproducible else process_stamp()
    return start(portal, paper=paper, dtstamp=dtstamp, cache=cache, jobs=jobs, prune=prune)
