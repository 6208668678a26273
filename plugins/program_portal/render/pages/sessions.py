"""Group sessions on pages: ``/calendar/``, the session lists of guides, and the cadence planner.

Every occurrence is marked up as ``<time datetime="2027-01-28T16:00:00+00:00">`` (the
session's own wall-clock time and that date's UTC offset); the portal's script adds the
reader's own time where it differs and fades past occurrences.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.calendar.occurrences import Occurrence
from program_portal.paths import CALENDAR, ics_name, template_src
from program_portal.render.pages.portal import Portal, format_minutes

CLIENT_NOTE = (
    "Desktop calendar programs (Outlook on Windows or Mac, Apple Calendar, Thunderbird) can subscribe to this "
    "feed from inside the network and pick up changes by themselves. Web calendars (Outlook on the web, Google "
    "Calendar) fetch feeds from their own servers outside the network, so they cannot reach it: download the "
    "series files below and import them instead."
)


def session_occurrences(portal: Portal, session: m.Session) -> list[Occurrence]:
    return portal.occurrences(session)


def _when(occ: Occurrence) -> str:
    start, end = occ.start, occ.end
    iso = start.isoformat(timespec="seconds")
    label = f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"
    return f'<time datetime="{iso}" data-pp-end="{end.isoformat(timespec="seconds")}">{escape(label)}</time>'


def occurrence_list(portal: Portal, src: str, sessions: list[m.Session]) -> str:
    """Every occurrence of ``sessions``, in time order, grouped by month (in each session's own zone)."""
    entries = sorted(
        ((occ, s) for s in sessions for occ in session_occurrences(portal, s)),
        key=lambda e: (e[0].start.timestamp(), e[1].id),
    )
    if not entries:
        return "No dates are planned.\n"
    out = []
    described: dict[str, str] = {}  # the same for every occurrence of a series: written once per series
    for month, group in groupby(entries, key=lambda e: (e[0].start.year, e[0].start.month)):
        items = list(group)
        out.append(f"### {items[0][0].start:%B %Y}\n")
        lines = []
        for occ, s in items:
            if s.id not in described:
                described[s.id] = _described(portal, src, s)
            lines.append(f'- <span class="pp-occurrence">{_when(occ)}</span> · {described[s.id]}')
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _described(portal: Portal, src: str, s: m.Session) -> str:
    """A session's title and details, as each of its occurrences shows them."""
    details = [format_minutes(s.minutes), f"Host: {portal.role(src, s.host)}"]
    if s.location:
        details.append(mdtext.text(s.location))
    if s.audience:
        details.append("For: " + ", ".join(portal.role(src, r) for r in s.audience))
    if s.agenda:
        details.append(mdtext.link(src, template_src(s.agenda), "Agenda"))
    details.append(mdtext.link(src, ics_name(s.id), "Add the series to your calendar (.ics)"))
    return f"**{mdtext.text(s.title)}**<br>\n  {' · '.join(details)}"


def calendar_page(portal: Portal) -> str:
    info = portal.info
    feed = mdtext.link(CALENDAR, ics_name(info.id), f"{info.id}.ics")
    out = [
        "# Calendar\n",
        f"Every group session of {mdtext.text(info.title)}. Times are shown in each session's own time zone; "
        "where your computer's time zone differs, your local time is shown too.\n",
        '<div class="pp-subscribe" markdown="1">\n',
        "## Subscribe\n",
        f"Subscribe to the whole program in your calendar program: {feed}\n",
        f'<p class="pp-feed" hidden><input type="text" class="pp-feed-url" readonly aria-label="Feed address" '
        f'data-pp-feed="{escape(ics_name(info.id).removeprefix("calendar/"))}" value="">'
        ' <button type="button" class="md-button pp-copy" data-pp-copy>Copy address</button>'
        ' <a class="md-button pp-webcal" data-pp-webcal href="">Open in calendar app</a></p>\n',
        f"{CLIENT_NOTE}\n",
        "</div>\n",
    ]
    sessions = portal.program.sessions
    if sessions:
        out.append("## Series\n")
        rows = []
        for s in sessions:
            tz = portal.program.session_timezone(s)
            occ = session_occurrences(portal, s)
            rows.append([
                mdtext.text(s.title),
                portal.role(CALENDAR, s.host),
                f"{len(occ)} × {format_minutes(s.minutes)} ({mdtext.text(tz)})",
                mdtext.link(CALENDAR, ics_name(s.id), f"{s.id}.ics"),
            ])
        out.append(mdtext.table(["Series", "Host", "Dates", "Download"], rows))
        out.append("## Dates\n")
        out.append(occurrence_list(portal, CALENDAR, sessions))
    else:
        out.append("No group sessions are planned yet.\n")
    return "\n".join(out)


def cadence_planner(portal: Portal, track: m.Track) -> str:
    """A planner that turns a first meeting date into suggested dates (built in the browser; nothing is sent)."""
    assert track.cadence is not None
    months = track.duration_months or 12
    return (
        "## Plan your meetings\n\n"
        f"Pick the date of your first meeting to see suggested dates for a {cadence_text_short(track)} rhythm over "
        f"{months} months, and download them for your calendar. The dates are worked out in your browser; nothing is sent or saved.\n\n"
        f'<div class="pp-planner" data-pp-planner data-pp-every-weeks="{track.cadence.every_weeks}" '
        f'data-pp-minutes="{track.cadence.minutes}" data-pp-months="{months}" data-pp-title="{escape(track.title)}">\n'
        '<p><label for="pp-planner-start">First meeting</label> '
        '<input type="date" id="pp-planner-start" class="pp-planner-start"> '
        '<label for="pp-planner-time">at</label> <input type="time" id="pp-planner-time" class="pp-planner-time" value="10:00"></p>\n'
        '<ol class="pp-planner-dates" aria-live="polite"></ol>\n'
        '<p><button type="button" class="md-button pp-planner-download" disabled>Download these dates (.ics)</button></p>\n'
        "</div>\n"
    )


def cadence_text_short(track: m.Track) -> str:
    assert track.cadence is not None
    weeks = track.cadence.every_weeks
    return f"{format_minutes(track.cadence.minutes)}, {'weekly' if weeks == 1 else f'every {weeks} weeks'}"
