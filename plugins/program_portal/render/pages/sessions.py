"""Group sessions on pages: ``/calendar/``, the session lists of guides, and the cadence planner.

Every occurrence is marked up as ``<time datetime="2027-01-28T16:00:00+00:00">`` (the
session's own wall-clock time and that date's UTC offset); the portal's script adds the
reader's own time where it differs and fades past occurrences.
"""

from __future__ import annotations

import json
from html import escape
from itertools import groupby

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.calendar.occurrences import Occurrence
from program_portal.paths import CALENDAR, ics_name, template_src
from program_portal.render.pages import visual
from program_portal.render.pages.portal import Portal

def session_occurrences(portal: Portal, session: m.Session) -> list[Occurrence]:
    return portal.occurrences(session)


def browser_labels(portal: Portal) -> str:
    """The labels the portal's scripts use, as JSON in a data attribute (no script: the CSP stays as it is)."""
    data = json.dumps(portal.language.browser(), ensure_ascii=False, sort_keys=True)
    return f'<div id="pp-labels" hidden data-pp-labels="{escape(data, quote=True)}"></div>\n'


def _when(portal: Portal, occ: Occurrence) -> str:
    start, end = occ.start, occ.end
    iso = start.isoformat(timespec="seconds")
    label = portal.language.occurrence(start, end)
    return f'<time datetime="{iso}" data-pp-end="{end.isoformat(timespec="seconds")}">{escape(label)}</time>'


def occurrence_list(portal: Portal, src: str, sessions: list[m.Session]) -> str:
    """Every occurrence of ``sessions``, in time order, grouped by month (in each session's own zone)."""
    entries = sorted(
        ((occ, s) for s in sessions for occ in session_occurrences(portal, s)),
        key=lambda e: (e[0].start.timestamp(), e[1].id),
    )
    lang = portal.language
    if not entries:
        return lang.md("sessions.none") + "\n"
    out = []
    described: dict[str, str] = {}  # the same for every occurrence of a series: written once per series
    for month, group in groupby(entries, key=lambda e: (e[0].start.year, e[0].start.month)):
        items = list(group)
        out.append(f"### {mdtext.text(lang.month(items[0][0].start))}\n")
        lines = []
        for occ, s in items:
            if s.id not in described:  # the same for every occurrence of a series: written once
                details = [portal.duration(s.minutes), lang.md("sessions.host", host=portal.role(src, s.host))]
                if s.location:
                    details.append(mdtext.text(s.location))
                if s.audience:
                    details.append(lang.md("sessions.for", audience=portal.joined([portal.role(src, r) for r in s.audience])))
                if s.agenda:
                    details.append(mdtext.link(src, template_src(s.agenda), lang.md("sessions.agenda")))
                details.append(mdtext.link(src, ics_name(s.id), lang.md("sessions.add")))
                described[s.id] = f"**{mdtext.text(s.title)}**<br>\n  {' · '.join(details)}"
            lines.append(f'- <span class="pp-occurrence" id="{visual.occurrence_id(s, occ)}">{_when(portal, occ)}</span> · {described[s.id]}')
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def calendar_page(portal: Portal) -> str:
    info = portal.info
    lang = portal.language
    feed = mdtext.link(CALENDAR, ics_name(info.id), f"{info.id}.ics")
    out = [
        f"# {lang.md('calendar.title')}\n",
        lang.md("calendar.intro", program=mdtext.text(info.title)) + "\n",
        '<div class="pp-subscribe" markdown="1">\n',
        f"## {lang.md('calendar.subscribe')}\n",
        lang.md("calendar.subscribe-text", feed=feed) + "\n",
        f'<p class="pp-feed" hidden><input type="text" class="pp-feed-url" readonly aria-label="{lang.attr("calendar.feed-address")}" '
        f'data-pp-feed="{escape(ics_name(info.id).removeprefix("calendar/"))}" value="">'
        f' <button type="button" class="md-button pp-copy" data-pp-copy>{lang.attr("calendar.copy")}</button>'
        f' <a class="md-button pp-webcal" data-pp-webcal href="">{lang.attr("calendar.open")}</a></p>\n',
        lang.md("calendar.clients") + "\n",
        "</div>\n",
    ]
    if portal.offline:  # look: a file share serves no feed to subscribe to: import the files instead
        out[2:] = ['<div class="pp-subscribe" markdown="1">\n', f"## {lang.md('calendar.offline-title')}\n",
                   lang.md("calendar.offline-text", feed=feed) + "\n", "</div>\n"]
    sessions = portal.program.sessions
    if sessions:
        out.append(f"## {lang.md('calendar.series-title')}\n")
        rows = []
        for s in sessions:
            rows.append([
                mdtext.text(s.title),
                portal.role(CALENDAR, s.host),
                lang.md("calendar.series-when", rhythm=mdtext.text(visual.capitalised(visual.series_rhythm(portal, s))),
                        duration=portal.duration(s.minutes), timezone=mdtext.text(visual.series_zones(portal, s))),
                mdtext.link(CALENDAR, ics_name(s.id), f"{s.id}.ics"),
            ])
        header = [lang.md("calendar.series"), lang.md("calendar.host"), lang.md("calendar.dates-column"), lang.md("calendar.download")]
        out.append('<div class="pp-series-table" markdown="1">\n\n' + mdtext.table(header, rows) + "\n</div>\n")
        grids = visual.month_grids(portal, sessions)
        if grids:
            out.append(f"## {lang.md('grid.title')}\n")
            out.append(grids)
        out.append(f"## {lang.md('calendar.dates')}\n")
        out.append(occurrence_list(portal, CALENDAR, sessions))
    else:
        out.append(lang.md("calendar.none") + "\n")
    out.append(browser_labels(portal))
    return "\n".join(out)


def cadence_planner(portal: Portal, track: m.Track) -> str:
    """A planner that turns a first meeting date into suggested dates (built in the browser; nothing is sent)."""
    assert track.cadence is not None
    lang = portal.language
    months = track.duration_months or 12
    intro = lang.md("planner.intro", rhythm=portal.cadence_text_short(track), duration=portal.months(months))
    return (
        f"## {lang.md('planner.title')}\n\n"
        f"{intro}\n\n"
        f'<div class="pp-planner" data-pp-planner data-pp-every-weeks="{track.cadence.every_weeks}" '
        f'data-pp-minutes="{track.cadence.minutes}" data-pp-months="{months}" data-pp-title="{escape(track.title)}">\n'
        f'<p><label for="pp-planner-start">{lang.attr("planner.first")}</label> '
        '<input type="date" id="pp-planner-start" class="pp-planner-start"> '
        f'<label for="pp-planner-time">{lang.attr("planner.at")}</label> <input type="time" id="pp-planner-time" class="pp-planner-time" value="10:00"></p>\n'
        '<ol class="pp-planner-dates" aria-live="polite"></ol>\n'
        f'<p><button type="button" class="md-button pp-planner-download" disabled>{lang.attr("planner.download")}</button></p>\n'
        "</div>\n"
    )
