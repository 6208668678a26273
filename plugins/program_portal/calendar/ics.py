"""Group sessions as iCalendar (RFC 5545) files that Outlook, Google, Apple and libical accept.

One VEVENT per series (RRULE, EXDATE), a VTIMEZONE per TZID in the yearly-RRULE shape that
Outlook reads, derived from :mod:`zoneinfo`, and nothing random or time-dependent, so the
same input always gives the same bytes.

Updates reach subscribers and re-imports: each series keeps its UID from build to build
(``<session-id>.<program-id>@program-portal``), and every VEVENT carries DTSTAMP and SEQUENCE
from the build's date (``SOURCE_DATE_EPOCH``, else now). SEQUENCE is the whole minutes from
2000-01-01T00:00Z to that date (:func:`sequence`): a later build, which is where a moved
session comes from, always has a higher SEQUENCE, so calendar programs (RFC 5546: a higher
SEQUENCE replaces, an equal one with a later DTSTAMP too) take the new dates over the old ones.
No history is needed and the same SOURCE_DATE_EPOCH gives the same bytes. An unchanged series
gets a higher SEQUENCE too, which readers take as a harmless update.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import re
from urllib.parse import quote

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur, vText, vUri

from program_portal.calendar.occurrences import RULE_PARTS, WEEKDAYS, Occurrence, expand, format_rrule, parse_rrule, until_for_open_series, zone

PRODID = "-//Program Portal//program-portal//EN"
REFRESH = timedelta(hours=12)
# A time zone's transitions are looked up for these years at most (datetime's range, with room).
_YEARS = range(2, 9999)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def text(value: str, *, lines: bool = False) -> vText:
    """A TEXT value as iCalendar needs it, whatever the input holds.

    CR, LF and every other control character would end the content line (a bare CR is a line
    break to many readers: `S\\rATTENDEE;...` would add a property). With ``lines`` (DESCRIPTION)
    each line break becomes the escaped ``\\n``; otherwise the value is one line. Other control
    characters become spaces. :class:`icalendar.vText` then escapes ``\\``, ``;`` and ``,``;
    passing it explicitly makes NAME and X-* properties escaped as well.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not lines:
        value = value.replace("\n", " ")
    return vText(_CONTROL.sub(" ", value))


def uri(value: str) -> vUri:
    """A URI value: control characters, spaces and anything outside URI syntax percent-encoded."""
    return vUri(quote(value, safe=":/?#[]@!$&'()*+,;=%~"))


@dataclass(frozen=True)
class CalendarEvent:
    """One session series, as the caller describes it."""

    uid: str  # stable across builds, e.g. "leadership-circle.leadership-mentoring-2027@program-portal"
    summary: str
    start: datetime  # naive wall-clock time in ``timezone``
    timezone: str  # IANA name
    minutes: int
    repeat: str | None  # RRULE value as the designer wrote it, already checked with rrule_error
    except_dates: tuple[date, ...]
    program_ends: date  # an open series (no COUNT or UNTIL) gets UNTIL = its last start up to here
    location: str | None
    description: str  # plain text
    url: str | None
    sequence: int = 0


SEQUENCE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
MAX_SEQUENCE = 2**31 - 1  # readers store SEQUENCE as a signed 32-bit integer


def sequence(dtstamp: datetime) -> int:
    """SEQUENCE for a build dated ``dtstamp``: whole minutes since 2000-01-01T00:00Z (0 before, capped)."""
    minutes = int((dtstamp - SEQUENCE_EPOCH).total_seconds()) // 60
    return max(0, min(MAX_SEQUENCE, minutes))


def build_calendar(
    events: Sequence[CalendarEvent],
    *,
    name: str,
    description: str | None,
    dtstamp: datetime,
    feed: bool,
) -> bytes:
    """The ``.ics`` bytes for ``events`` (in the given order).

    ``dtstamp`` is an aware datetime (SOURCE_DATE_EPOCH) written as every DTSTAMP. A ``feed``
    is a subscribable calendar and also says how often to refresh it. No METHOD is written
    (METHOD:PUBLISH would need an ORGANIZER under iTIP).
    """
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be an aware datetime")
    uids = [event.uid for event in events]
    if len(set(uids)) != len(uids):
        raise ValueError("every event needs its own UID")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", text(name))
    calendar.add("x-wr-calname", text(name))
    if description:
        calendar.add("description", text(description, lines=True))
        calendar.add("x-wr-caldesc", text(description, lines=True))
    if feed:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = dtstamp.astimezone(UTC).replace(microsecond=0)
    vevents = []
    years: dict[str, set[int]] = {}
    for event in events:
        vevent, written = _vevent(event, stamp)
        vevents.append(vevent)
        tzid = vevent["DTSTART"].params.get("TZID")
        if tzid is not None:  # icalendar writes UTC times as ...Z, which need no VTIMEZONE
            years.setdefault(tzid, set()).update(moment.year for moment in written)
    for tzid in sorted(years):
        calendar.add_component(_vtimezone(tzid, min(years[tzid]), max(years[tzid])))
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar.to_ical()


def _vevent(event: CalendarEvent, dtstamp: datetime) -> tuple[Event, list[datetime]]:
    """The VEVENT for one series, and every local time it stands for (each occurrence, each EXDATE)."""
    tz = zone(event.timezone)
    series = expand(event.start, event.timezone, event.minutes, event.repeat, (), event.program_ends)
    start = event.start.replace(tzinfo=tz, fold=0)
    # An end in the repeated hour of a fall-back (fold=1) cannot be told apart by its wall-clock
    # time, which readers take as the first of the two: write that instant in UTC instead.
    end = series[0].end.astimezone(UTC) if series[0].end.fold else series[0].end
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", dtstamp)
    vevent.add("sequence", event.sequence)
    vevent.add("summary", text(event.summary))
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    written = [moment for occurrence in series for moment in (occurrence.start, occurrence.end)]
    if event.repeat is not None:
        vevent.add("rrule", vRecur.from_ical(_rrule_value(event.repeat, series)))
        for excluded in _excluded_starts(event, series, tz):
            vevent.add("exdate", excluded)
            written.append(excluded)
    if event.location is not None:
        vevent.add("location", text(event.location))
    if event.description:
        vevent.add("description", text(event.description, lines=True))
    if event.url is not None:
        vevent.add("url", uri(event.url))
    return vevent, written


def _rrule_value(repeat: str, series: Sequence[Occurrence]) -> str:
    """The designer's rule, with UNTIL (UTC) at the last occurrence if it has no COUNT or UNTIL."""
    parts = parse_rrule(repeat)
    if "COUNT" not in parts and "UNTIL" not in parts:
        parts["UNTIL"] = until_for_open_series(series).strftime("%Y%m%dT%H%M%SZ")
    return format_rrule({name: parts[name] for name in RULE_PARTS if name in parts})


def _excluded_starts(event: CalendarEvent, series: Sequence[Occurrence], tz: ZoneInfo) -> list[datetime]:
    """EXDATE values: the starts of the series on each except date.

    That is the wall-clock time of DTSTART unless the rule sets other times (BYHOUR); an
    except date without an occurrence still gets DTSTART's time, which excludes nothing.
    """
    excluded: list[datetime] = []
    for day in sorted(set(event.except_dates)):
        on_day = [occurrence.start for occurrence in series if occurrence.start.date() == day]
        excluded.extend(on_day or [datetime.combine(day, event.start.time(), tz)])
    return excluded


@dataclass(frozen=True)
class _Transition:
    """A change of UTC offset, at ``onset``: the local time on the clock before the change."""

    onset: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool  # whether the new offset is daylight-saving time (a VTIMEZONE DAYLIGHT)


def _transitions(tz: ZoneInfo, years: range) -> list[_Transition]:
    """Every change of UTC offset in ``tz`` whose onset falls in ``years`` (each year worked out once)."""
    return [transition for year in years for transition in _year_transitions(tz.key, year)]


@lru_cache(maxsize=4096)
def _year_transitions(tzid: str, year: int) -> tuple[_Transition, ...]:
    return tuple(_scan(zone(tzid), range(year, year + 1)))


def _scan(tz: ZoneInfo, years: range) -> list[_Transition]:
    """Every change of UTC offset in ``tz`` whose onset falls in ``years``, found day by day."""
    moment = datetime(years.start, 1, 1, tzinfo=UTC) - timedelta(days=1)
    stop = datetime(years.stop, 1, 1, tzinfo=UTC) + timedelta(days=1)
    found = []
    offset = moment.astimezone(tz).utcoffset()
    while moment < stop:
        following = moment + timedelta(days=1)
        following_offset = following.astimezone(tz).utcoffset()
        if following_offset != offset:
            found.append(_locate(tz, moment, following))
        moment, offset = following, following_offset
    return [transition for transition in found if transition.onset.year in years]


def _locate(tz: ZoneInfo, before: datetime, after: datetime) -> _Transition:
    """The transition between the UTC instants ``before`` and ``after``, to the second."""
    offset_from = before.astimezone(tz).utcoffset()
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if (before + timedelta(seconds=middle)).astimezone(tz).utcoffset() == offset_from:
            low = middle
        else:
            high = middle
    instant = before + timedelta(seconds=high)
    assert offset_from is not None
    return _Transition((instant + offset_from).replace(tzinfo=None), offset_from, *_observed(instant.astimezone(tz)))


def _observed(local: datetime) -> tuple[timedelta, str, bool]:
    """The UTC offset, its abbreviation and whether it is daylight-saving time at ``local``.

    Daylight-saving time is a positive ``dst()``: Europe/Dublin's winter time, which tzdata
    calls a negative daylight saving, is standard time here as it is for every client.
    """
    offset, dst = local.utcoffset(), local.dst()
    assert offset is not None and dst is not None
    return offset, local.tzname() or "", dst > timedelta(0)


def _byday(onsets: Sequence[datetime]) -> str | None:
    """The BYDAY value (``-1SU``, ``2SU``) that every onset matches in its month, if any."""
    weekday = WEEKDAYS[onsets[0].weekday()]
    if all(onset.day + 7 > monthrange(onset.year, onset.month)[1] for onset in onsets):
        return f"-1{weekday}"
    weeks = {(onset.day - 1) // 7 + 1 for onset in onsets}
    return f"{weeks.pop()}{weekday}" if len(weeks) == 1 else None


def _in_1970(month: int, byday: str, at: time) -> datetime:
    """The first onset of a yearly rule (BYMONTH=month, BYDAY=byday) in 1970, the usual DTSTART."""
    weekday = WEEKDAYS.index(byday[-2:])
    week = int(byday[:-2])
    if week < 0:
        last = date(1970, month, monthrange(1970, month)[1])
        day = last - timedelta(days=(last.weekday() - weekday) % 7)
    else:
        first = date(1970, month, 1)
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return datetime.combine(day, at)


def _yearly_rules(transitions: Sequence[_Transition], years: range) -> list[tuple[_Transition, str]] | None:
    """A DAYLIGHT and a STANDARD yearly rule that give every transition, if the zone has them.

    Returns each rule's first onset in 1970 with its RRULE value, or ``None`` when the zone
    changed its rules in these years or a rule is not an nth or last weekday of a month. The
    change to the larger offset is the DAYLIGHT one (so Europe/Dublin's summer, too).
    """
    groups: dict[tuple[object, ...], list[_Transition]] = {}
    for t in transitions:
        key = (t.offset_to > t.offset_from, t.offset_from, t.offset_to, t.name, t.onset.month, t.onset.weekday(), t.onset.time())
        groups.setdefault(key, []).append(t)
    if sorted(key[0] for key in groups) != [False, True]:
        return None
    rules = []
    for (forward, *_), group in groups.items():
        byday = _byday([t.onset for t in group])
        if [t.onset.year for t in group] != list(years) or byday is None:
            return None
        first = group[0]
        onset = _in_1970(first.onset.month, byday, first.onset.time())
        rule = f"FREQ=YEARLY;BYDAY={byday};BYMONTH={onset.month}"
        rules.append((replace(first, onset=onset, daylight=bool(forward)), rule))
    return sorted(rules, key=lambda pair: pair[0].onset)


def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``tzid`` that is right for every local time in the given years.

    Yearly RRULE observances from 1970 (as Google and Outlook write them) when the zone follows
    one daylight-saving rule in those years; otherwise the offset in force at the start of the
    first year, then each transition as its own observance. A zone without transitions gets a
    single STANDARD. Never RDATE lists or COMMENTs (libical rejects those of
    ``Timezone.from_tzid``).
    """
    tz = zone(tzid)
    years = range(max(first_year, _YEARS.start), min(last_year, _YEARS.stop - 1) + 1)
    transitions = _transitions(tz, years)
    vtimezone = Timezone()
    vtimezone.add("tzid", tzid)
    rules = _yearly_rules(transitions, years)
    if rules is not None:
        for transition, rule in rules:
            vtimezone.add_component(_observance(transition, rule))
        return vtimezone
    offset, name, daylight = _observed(datetime(years.start, 1, 1, tzinfo=tz))
    vtimezone.add_component(_observance(_Transition(datetime(1970, 1, 1), offset, offset, name, daylight), None))
    for transition in transitions:
        vtimezone.add_component(_observance(transition, None))
    return vtimezone


def _observance(transition: _Transition, rule: str | None) -> TimezoneStandard | TimezoneDaylight:
    """A STANDARD or DAYLIGHT sub-component starting at ``transition``, repeating by ``rule``."""
    observance = TimezoneDaylight() if transition.daylight else TimezoneStandard()
    observance.add("dtstart", transition.onset)
    if rule is not None:
        observance.add("rrule", vRecur.from_ical(rule))
    observance.add("tzoffsetfrom", transition.offset_from)
    observance.add("tzoffsetto", transition.offset_to)
    observance.add("tzname", transition.name)
    return observance
