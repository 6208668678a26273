"""The portal's pictures, made at build time as plain HTML and the portal's own CSS (``visual.css``).

- :func:`phase_timeline`: the phases as a timeline, each phase a bar on a scale of weeks with its
  dates, length, sessions and templates beside it (an ordered list: the text is the text
  alternative, the bars are decoration, hidden from screen readers);
- :func:`month_grids`: the calendar as one table per month, each session on its day, every series
  with its own symbol and colour and its title, linked to the occurrence in the list below;
- :func:`series_rhythm`: a series in words (``every other Thursday, 28 Jan – 2 Dec 2027, 10 sessions``).

No script is needed to see any of it, no ``style`` attribute is written (the page's CSP allows
none): bars are placed by classes ``pp-at-N`` / ``pp-len-N`` (percent, 0-100) from visual.css.
Nothing here is SVG, because the page sanitizer (render/sanitize.py) lets no SVG through from any
page, and a picture the sanitizer would have to trust is one more thing to get wrong.

How a phase relates to a track (the guide shows only the track's own timeline), from the model:

- a phase *concerns* a track when it lists one of the track's templates, or one of the track's
  sessions takes place during it;
- the track's span starts with the first phase that concerns it; with ``duration_months`` it ends
  that many months later (a six-month track shows six months), else (group sessions) it runs
  from the earlier of that phase and the track's first session to the later of the last phase
  that concerns it and its last session; phases that concern the track are shown clipped to
  that span, phases that start after it are left out;
- each phase lists only the track's templates and the track's sessions.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

from babel.dates import format_interval, format_skeleton, get_day_names

from program_portal.calendar.occurrences import Occurrence, zone
from program_portal.paths import CALENDAR, PROGRAM
from program_portal.render import markdown as mdtext
from program_portal.render.pages.portal import Portal
from program_portal.source import model as m

# One mark per series, told apart by shape, not only by colour: eight shapes, then letters (the
# title is beside each mark in the key and read out in the grid).
SYMBOLS = ("●", "■", "▲", "◆", "★", "✚", "⬟", "✱", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
SERIES_COLOURS = 8  # .pp-series-0 ... .pp-series-7 in visual.css
MAX_GRID_MONTHS = 36  # longer than that, the grids show only the months with sessions


@dataclass(frozen=True)
class Span:
    """A phase as a timeline draws it: its first and last day (clipped to the timeline's span)."""

    phase: m.Phase
    first: date
    last: date

    @property
    def weeks(self) -> int:
        return (self.last - self.first).days // 7 + 1


def phase_dates(portal: Portal, phase: m.Phase) -> tuple[date, date]:
    first, last = phase.weeks
    return portal.week_start(first), portal.week_start(last) + timedelta(days=6)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def track_sessions(portal: Portal, track: m.Track | None) -> list[m.Session]:
    return [s for s in portal.program.sessions if track is None or s.track == track.id]


def _occurrences_in(portal: Portal, sessions: list[m.Session], first: date, last: date) -> list[tuple[m.Session, list[Occurrence]]]:
    found = []
    for s in sessions:
        occ = [o for o in portal.occurrences(s) if first <= o.start.date() <= last]
        if occ:
            found.append((s, occ))
    return found


def phase_concerns(portal: Portal, phase: m.Phase, track: m.Track) -> bool:
    """Whether a phase lists one of the track's templates or holds one of its sessions."""
    if set(phase.templates) & set(track.templates):
        return True
    first, last = phase_dates(portal, phase)
    return bool(_occurrences_in(portal, track_sessions(portal, track), first, last))


def track_spans(portal: Portal, track: m.Track | None) -> tuple[date, date, list[Span]]:
    """The timeline's first and last day and its phases (the whole program when ``track`` is None)."""
    phases = portal.program.phases
    if track is None:
        spans = [Span(p, *phase_dates(portal, p)) for p in phases]
        starts = min([portal.info.starts, *(s.first for s in spans)])
        ends = max([portal.info.ends, *(s.last for s in spans)])
        return starts, ends, spans
    concerned = [p for p in phases if phase_concerns(portal, p, track)]
    if not concerned:
        return portal.info.starts, portal.info.ends, []
    starts = phase_dates(portal, concerned[0])[0]
    if track.duration_months:
        ends = add_months(starts, track.duration_months) - timedelta(days=1)
    else:  # a track without a length (group sessions) runs until its last phase or its last session
        held = [o.start.date() for s in track_sessions(portal, track) for o in portal.occurrences(s)]
        starts = min([starts, *held])
        ends = max([phase_dates(portal, concerned[-1])[1], *held])
    spans = []
    for p in concerned:
        first, last = phase_dates(portal, p)
        if first > ends:
            continue
        spans.append(Span(p, max(first, starts), min(last, ends)))
    return starts, ends, spans


def _percent(day: date, starts: date, total_days: int) -> int:
    return max(0, min(100, round((day - starts).days * 100 / total_days)))


def _short_range(portal: Portal, first: date, last: date) -> str:
    """``28 Jan – 2 Dec 2027`` (the year once when both days share it)."""
    locale = portal.language.locale
    if first == last:
        return format_skeleton("yMMMd", first, locale=locale)
    return format_interval(first, last, skeleton="yMMMd", locale=locale)


def phase_timeline(portal: Portal, src: str, track: m.Track | None = None) -> str:
    """The timeline as HTML with Markdown links inside (md_in_html), or '' without phases."""
    lang = portal.language
    starts, ends, spans = track_spans(portal, track)
    if not spans:
        return ""
    total = (ends - starts).days + 1
    sessions = track_sessions(portal, track)
    allowed = None if track is None else set(track.templates)
    total_weeks = (total + 6) // 7
    if track is None:
        caption = lang.md("timeline.program-span", dates=mdtext.text(_short_range(portal, starts, ends)), weeks=mdtext.text(lang.weeks(total_weeks)))
    else:
        caption = lang.md("timeline.track-span", dates=mdtext.text(_short_range(portal, starts, ends)),
                          length=mdtext.text(lang.months(track.duration_months) if track.duration_months else lang.weeks(total_weeks)))
    out = [f'<div class="pp-timeline" markdown="1">\n', f'<p class="pp-timeline-span">{caption}</p>\n',
           f'<ol class="pp-phases" markdown="1">\n']
    # the scale: a tick at the start of each month (decoration: the dates are in the text)
    ticks, day = [], date(starts.year, starts.month, 1)
    if starts.day != 1 and (add_months(day, 1) - starts).days * 100 / total > 8:  # room for the first month's name
        day = starts
    step = max(1, -(-((ends.year - starts.year) * 12 + ends.month - starts.month + 1) // 13))  # 13 ticks at most
    while day <= ends:
        if day >= starts:
            label = escape(format_skeleton("MMM" if step == 1 else "yMMM", day, locale=lang.locale))
            ticks.append(f'<span class="pp-tick pp-at-{_percent(day, starts, total)}">{label}</span>')
        day = add_months(date(day.year, day.month, 1), step)
    out.append(f'<li class="pp-phase pp-scale" aria-hidden="true"><span class="pp-lane">{"".join(ticks)}</span></li>\n')
    for n, span in enumerate(spans):
        p = span.phase
        at = _percent(span.first, starts, total)
        length = max(1, _percent(span.last + timedelta(days=1), starts, total) - at)
        title = portal.phase(src, p) if src != PROGRAM else f"[{mdtext.text(p.title)}](#phase-{p.id})"
        first_week = (span.first - portal.info.starts).days // 7 + 1
        last_week = (span.last - portal.info.starts).days // 7 + 1
        weeks = lang.md("time.week", week=lang.number(first_week)) if first_week == last_week else \
            lang.md("time.weeks", first=lang.number(first_week), last=lang.number(last_week))
        when = f"{weeks} · {mdtext.text(_short_range(portal, span.first, span.last))} · {mdtext.text(lang.weeks(span.weeks))}"
        details = []
        held = _occurrences_in(portal, sessions, span.first, span.last)
        if held:
            names = [f"{mdtext.link(src, CALENDAR, mdtext.text(s.title))} ({lang.number(len(occ))}×)" if len(occ) > 1
                     else mdtext.link(src, CALENDAR, mdtext.text(s.title)) for s, occ in held]
            details.append(f'<span class="pp-phase-sessions">{lang.md("timeline.sessions", sessions=portal.joined(names))}</span>')
        templates = [t for t in p.templates if allowed is None or t in allowed]
        if templates:
            links = portal.joined([portal.template(src, t) for t in templates])
            details.append(f'<span class="pp-phase-templates">{lang.md("timeline.templates", templates=links)}</span>')
        colour = n % SERIES_COLOURS
        out.append(
            f'<li class="pp-phase" markdown="1"><span class="pp-lane" aria-hidden="true">'
            f'<span class="pp-bar pp-phase-{colour} pp-at-{at} pp-len-{length}"></span></span>'
            f'<span class="pp-phase-text"><strong>{title}</strong> '
            f'<span class="pp-phase-when">{when}</span>{" ".join(details)}</span></li>\n'
        )
    out.append("</ol>\n</div>\n")
    return "".join(out)


# -- calendar ---------------------------------------------------------------------------------

def occurrence_id(session: m.Session, occ: Occurrence) -> str:
    return f"pp-occ-{session.id}-{occ.start.strftime('%Y%m%d%H%M')}"


def series_symbols(sessions: list[m.Session]) -> dict[str, tuple[str, int]]:
    return {s.id: (SYMBOLS[n % len(SYMBOLS)], n % SERIES_COLOURS) for n, s in enumerate(sessions)}


def month_grids(portal: Portal, sessions: list[m.Session]) -> str:
    """One table per month from the first to the last occurrence; each day lists its sessions."""
    lang = portal.language
    symbols = series_symbols(sessions)
    by_day: dict[date, list[tuple[Occurrence, m.Session]]] = {}
    for s in sessions:
        for occ in portal.occurrences(s):
            by_day.setdefault(occ.start.date(), []).append((occ, s))
    if not by_day:
        return ""
    for entries in by_day.values():
        entries.sort(key=lambda e: (e[0].start.timestamp(), e[1].id))
    first_weekday = lang.locale.first_week_day  # 0 = Monday
    wide = get_day_names("wide", locale=lang.locale)
    short = get_day_names("abbreviated", locale=lang.locale)
    order = [(first_weekday + i) % 7 for i in range(7)]
    legend = "".join(
        f'<li><span class="pp-mark pp-series-{colour}" aria-hidden="true">{symbol}</span> {escape(s.title)}</li>'
        for s in sessions for symbol, colour in [symbols[s.id]]
    )
    out = ['<div class="pp-grid" data-pp-grid>\n',
           f'<p class="pp-grid-legend-title">{lang.attr("grid.legend")}</p>\n<ul class="pp-grid-legend">{legend}</ul>\n',
           '<div class="pp-months">\n']
    months, month, last = [], date(min(by_day).year, min(by_day).month, 1), max(by_day)
    while month <= last and len(months) <= MAX_GRID_MONTHS:
        months.append(month)
        month = add_months(month, 1)
    if len(months) > MAX_GRID_MONTHS:  # a long program: only the months that have sessions (bounded by them)
        months = sorted({date(d.year, d.month, 1) for d in by_day})
    for month in months:
        name = escape(lang.month(month))
        head = "".join(f'<th scope="col"><abbr title="{escape(wide[d])}">{escape(short[d])}</abbr></th>' for d in order)
        rows = []
        weeks = pycalendar.Calendar(first_weekday).monthdatescalendar(month.year, month.month)
        for week in weeks:
            cells = []
            for day in week:
                if day.month != month.month:
                    cells.append('<td class="pp-day pp-day--other"></td>')
                    continue
                marks = []
                for occ, s in by_day.get(day, []):
                    symbol, colour = symbols[s.id]
                    clock = escape(format_skeleton(lang._clock, occ.start, locale=lang.locale))
                    marks.append(
                        f'<a class="pp-grid-item pp-series-{colour}" href="#{occurrence_id(s, occ)}">'
                        f'<span class="pp-mark" aria-hidden="true">{symbol}</span> '
                        f'<span class="pp-grid-time">{clock}</span> <span class="pp-grid-title">{escape(s.title)}</span></a>'
                    )
                busy = " pp-day--busy" if marks else ""
                cells.append(f'<td class="pp-day{busy}"><span class="pp-day-number">{lang.number(day.day)}</span>{"".join(marks)}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        out.append(
            f'<table class="pp-month" data-pp-month="{month.strftime("%Y-%m")}"><caption>{name}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>\n'
        )
    out.append("</div>\n</div>\n")
    return "".join(out)


_ORDINALS = (1, 2, 3, 4, 5, -1)  # rhythm.nth.N
_WORDED = {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"}  # the rule parts the words can tell
_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def _rule(repeat: str) -> dict[str, str]:
    parts = {}
    for part in repeat.split(";"):
        key, _, value = part.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def rhythm(portal: Portal, session: m.Session, occurrences: list[Occurrence]) -> str | None:
    """``every other Thursday``, ``the fourth Thursday of every month``; None when no simple words fit."""
    if not session.repeat or not occurrences:
        return None
    lang = portal.language
    rule = _rule(session.repeat)
    if not set(rule) <= _WORDED:  # BYHOUR, BYMONTH, BYMONTHDAY lists...: the dates say it
        return None
    freq = rule.get("FREQ")
    try:
        interval = int(rule.get("INTERVAL", "1"))
    except ValueError:
        return None
    weekday_of_start = occurrences[0].start.weekday()
    day_names = get_day_names("wide", context="format", locale=lang.locale)
    if any(o.start.weekday() != weekday_of_start for o in occurrences) and freq != "MONTHLY":
        return None
    if freq == "WEEKLY" and rule.get("BYDAY", "") in ("", next(k for k, v in _WEEKDAYS.items() if v == weekday_of_start)):
        weekday = day_names[weekday_of_start]
        if interval == 1:
            return lang.text("rhythm.weekly", weekday=weekday)
        if interval == 2:
            return lang.text("rhythm.fortnightly", weekday=weekday)
        return lang.text("rhythm.every-weeks", weekday=weekday, count=lang.number(interval))
    if freq == "MONTHLY" and "BYDAY" in rule and "," not in rule["BYDAY"]:
        byday = rule["BYDAY"]
        code, number = byday[-2:], byday[:-2] or rule.get("BYSETPOS", "")
        try:
            nth = int(number)
        except ValueError:
            return None
        if code not in _WEEKDAYS or nth not in _ORDINALS:
            return None
        day = lang.text(f"rhythm.nth.{nth}", weekday=day_names[_WEEKDAYS[code]])
        if interval == 1:
            return lang.text("rhythm.monthly-day", day=day)
        return lang.text("rhythm.months-day", day=day, count=lang.number(interval))
    if freq == "MONTHLY" and "BYDAY" not in rule and interval == 1 and all(o.start.day == occurrences[0].start.day for o in occurrences):
        return lang.text("rhythm.monthly-date", day=lang.number(occurrences[0].start.day))
    return None


def series_rhythm(portal: Portal, session: m.Session) -> str:
    """The series table's words: rhythm, first and last day, number of sessions (plain text)."""
    lang = portal.language
    occ = portal.occurrences(session)
    if not occ:
        return lang.text("sessions.none")
    if len(occ) == 1:
        return lang.text("rhythm.once", day=format_skeleton("yMMMEd", occ[0].start, locale=lang.locale))
    dates = _short_range(portal, occ[0].start.date(), occ[-1].start.date())
    count = lang.text("rhythm.count", len(occ), count=lang.number(len(occ)))
    words = rhythm(portal, session, occ)
    return lang.text("rhythm.line", rhythm=words, dates=dates, count=count) if words else lang.text("rhythm.line-dates", dates=dates, count=count)


def series_zones(portal: Portal, session: m.Session) -> str:
    """The UTC offsets a series' dates have, in the page's one style (``GMT / GMT+1``)."""
    lang = portal.language
    offsets = dict.fromkeys(o.start.utcoffset() for o in portal.occurrences(session))
    if not offsets:
        return lang.zone(datetime.combine(session.start.date(), session.start.time(), zone(portal.program.session_timezone(session))))
    return " / ".join(lang.offset_name(o) for o in offsets)


def capitalised(text: str) -> str:
    """The text with its first letter upper case (a table cell starts a sentence)."""
    return text[:1].upper() + text[1:]
