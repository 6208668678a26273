"""The .ics files: re-parsed with icalendar, expanded with recurring_ical_events, checked by libical."""

from __future__ import annotations

import bisect
import ctypes
import os
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr as du_rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component

import libical
from program_portal.calendar.ics import PRODID, CalendarEvent, build_calendar
from program_portal.calendar.occurrences import Occurrence, expand, start_is_in_gap

DTSTAMP = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)
ENDS = date(2027, 12, 17)


def session(uid: str, start: datetime, timezone: str, repeat: str | None, **fields: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": f"{uid}.executive-mentoring-2027@program-portal",
        "summary": f"Session {uid}",
        "start": start,
        "timezone": timezone,
        "minutes": 90,
        "repeat": repeat,
        "except_dates": (),
        "program_ends": ENDS,
        "location": None,
        "description": "",
        "url": None,
    }
    values.update(fields)
    return CalendarEvent(**values)  # type: ignore[arg-type]


EVENTS = [
    session(
        "leadership-circle",
        datetime(2027, 1, 28, 16),
        "Europe/London",
        "FREQ=MONTHLY;BYDAY=4TH;COUNT=10",
        except_dates=(date(2027, 8, 26),),
        summary="Leadership circle with the President",
        location="Board room, level 5; east wing",
        description="Host: Company President\nFor: Mentee, Mentor\nAgenda: https://intranet.example/templates/group-circle/",
        url="https://intranet.example/calendar/",
        sequence=2,
    ),
    session("open-london", datetime(2027, 1, 28, 16), "Europe/London", "FREQ=MONTHLY;BYDAY=4TH", except_dates=(date(2027, 8, 26), date(2027, 8, 27))),
    session("new-york", datetime(2027, 3, 4, 11), "America/New_York", "FREQ=WEEKLY", except_dates=(date(2027, 3, 18),)),
    session("until", datetime(2027, 3, 4, 11), "America/New_York", "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270520T150000Z"),
    session("tokyo", datetime(2027, 6, 10, 9), "Asia/Tokyo", None, summary="Kick-off in Tōkyō: 東京での開始 " * 4),
    session("sydney", datetime(2027, 2, 5, 8, 30), "Australia/Sydney", "FREQ=MONTHLY;BYDAY=1FR", minutes=60),
    session("utc", datetime(2027, 2, 1, 12), "UTC", "FREQ=MONTHLY;COUNT=6", except_dates=(date(2027, 4, 1),)),
    session("twice-a-day", datetime(2027, 5, 3, 9), "Europe/Berlin", "FREQ=DAILY;BYHOUR=9,14;COUNT=6", except_dates=(date(2027, 5, 4),), minutes=30),
    session("night-owls", datetime(2027, 10, 30, 0, 30), "Europe/London", "FREQ=DAILY;COUNT=3"),  # 2nd ends in the repeated hour
    session("fall-back-start", datetime(2027, 10, 31, 0, 30), "Europe/London", None),  # ends at the second 01:00
    session("early-birds", datetime(2027, 3, 26, 1, 30), "Europe/London", "FREQ=DAILY;COUNT=4"),  # 3rd is in the gap
    session("mexico", datetime(2022, 9, 1, 10), "America/Mexico_City", "FREQ=MONTHLY;COUNT=6"),  # DST abolished after 2022
]


def build(events: Sequence[CalendarEvent] = EVENTS, *, feed: bool = True, dtstamp: datetime = DTSTAMP) -> bytes:
    return build_calendar(events, name="Executive Mentoring Programme 2027", description="Group sessions", dtstamp=dtstamp, feed=feed)


def calendars() -> list[bytes]:
    """Every calendar the tests check: the feed, and one file per series."""
    return [build(), build(EVENTS, feed=False)] + [build([event], feed=False) for event in EVENTS]


def unfolded_lines(ical: bytes) -> list[str]:
    return re.sub(r"\r\n[ \t]", "", ical.decode()).split("\r\n")


@pytest.fixture(scope="module")
def lib() -> ctypes.CDLL:
    loaded = libical.load()
    if loaded is None:
        if os.environ.get("CI"):
            pytest.fail(f"{libical.LIBRARY} is required on CI (Debian package libical3)")
        pytest.skip(f"{libical.LIBRARY} is not installed (Debian package libical3); set CI to make this a failure")
    return loaded


def expanded(event: CalendarEvent) -> list[Occurrence]:
    return expand(event.start, event.timezone, event.minutes, event.repeat, event.except_dates, event.program_ends)


# Sessions around midnight on a daylight-saving day, whose end recurring_ical_events computes
# by adding DTEND - DTSTART to the wall-clock start (Python's aware-datetime arithmetic),
# where RFC 5545 and expand() add exact real time.
AT_A_TRANSITION = {"night-owls", "fall-back-start", "early-birds"}


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.uid.split(".")[0])
def test_recurring_ical_events_sees_the_same_occurrences(event: CalendarEvent) -> None:
    expected = expanded(event)
    calendar = Calendar.from_ical(build())
    found = [
        component
        for component in recurring_ical_events.of(calendar).between(datetime(2020, 1, 1), datetime(2030, 1, 1))
        if component["UID"] == event.uid
    ]
    starts = sorted(component["DTSTART"].dt.astimezone(UTC) for component in found)
    assert starts == [o.start.astimezone(UTC) for o in expected]
    if event.uid.split(".")[0] not in AT_A_TRANSITION:
        ends = sorted(component["DTEND"].dt.astimezone(UTC) for component in found)
        assert ends == [o.end.astimezone(UTC) for o in expected]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.uid.split(".")[0])
def test_the_file_gives_the_exact_duration(event: CalendarEvent) -> None:
    [vevent] = [v for v in Calendar.from_ical(build()).walk("VEVENT") if v["UID"] == event.uid]
    exact = vevent["DTEND"].dt.astimezone(UTC) - vevent["DTSTART"].dt.astimezone(UTC)
    assert exact == timedelta(minutes=event.minutes)
    assert all(o.end.astimezone(UTC) - o.start.astimezone(UTC) == exact for o in expanded(event))


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)).map(lambda d: d.replace(second=0, microsecond=0)),
    timezone=st.sampled_from(["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/Santiago", "Europe/Dublin"]),
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    interval=st.integers(1, 3),
    count=st.none() | st.integers(1, 30),
    program_days=st.integers(0, 500),
    skipped=st.lists(st.integers(0, 40), max_size=4),
)
def test_random_series_round_trip(
    start: datetime, timezone: str, freq: str, interval: int, count: int | None, program_days: int, skipped: list[int]
) -> None:
    if start_is_in_gap(start, timezone):
        return
    repeat = f"FREQ={freq};INTERVAL={interval}" + (f";COUNT={count}" if count else "")
    ends = start.date() + timedelta(days=program_days)
    series = expand(start, timezone, 50, repeat, (), ends)
    excepted = tuple(series[i].start.date() for i in skipped if i < len(series))
    event = session("random", start, timezone, repeat, except_dates=excepted, program_ends=ends, minutes=50)
    ical = build([event], feed=False)
    found = recurring_ical_events.of(Calendar.from_ical(ical)).between(start - timedelta(days=2), datetime(2040, 1, 1))
    assert sorted(c["DTSTART"].dt.astimezone(UTC) for c in found) == [o.start.astimezone(UTC) for o in expanded(event)]
    assert build([event], feed=False) == ical


def test_a_client_using_only_the_vtimezones_sees_the_same_occurrences() -> None:
    """Rename every zone, as if the reader knew no IANA names, so only the VTIMEZONEs count."""
    ical = build()
    for tzid in {event.timezone for event in EVENTS} - {"UTC"}:
        ical = ical.replace(tzid.encode(), f"Custom {tzid.replace('/', ' ')}".encode())
    calendar = Calendar.from_ical(ical)
    occurrences = recurring_ical_events.of(calendar).between(datetime(2020, 1, 1), datetime(2030, 1, 1))
    assert {str(o["DTSTART"].dt.tzinfo) for o in occurrences if o["UID"].startswith("sydney")} == {"<tzicalvtz 'Custom Australia Sydney'>"}
    # dateutil's VTIMEZONE reader reads a time in a gap with the offset after it, not before
    # it as RFC 5545 says; that one occurrence is compared in the other tests.
    found = sorted((str(o["UID"]), o["DTSTART"].dt.astimezone(UTC)) for o in occurrences if o["DTSTART"].dt.replace(tzinfo=None) != datetime(2027, 3, 28, 1, 30))
    expected = sorted((e.uid, o.start.astimezone(UTC)) for e in EVENTS for o in expanded(e) if o.start != datetime(2027, 3, 28, 2, 30, tzinfo=ZoneInfo("Europe/London")))
    assert len(found) == len(expected) == sum(len(expanded(e)) for e in EVENTS) - 1
    assert found == expected


def test_one_vtimezone_per_tzid() -> None:
    calendar = Calendar.from_ical(build())
    used = {
        prop.params["TZID"]
        for event in calendar.walk("VEVENT")
        for name in ("DTSTART", "DTEND", "EXDATE")
        for prop in (event.get(name) if isinstance(event.get(name), list) else [event.get(name)])
        if prop is not None and "TZID" in prop.params
    }
    tzids = [str(vtimezone["TZID"]) for vtimezone in calendar.walk("VTIMEZONE")]
    assert sorted(tzids) == sorted(used) == tzids
    assert "UTC" not in used  # UTC times are written as ...Z
    assert used == {event.timezone for event in EVENTS} - {"UTC"}


def vtimezone(ical: bytes, tzid: str) -> list[str]:
    """The lines of the VTIMEZONE of ``tzid`` between its TZID and its END."""
    lines = unfolded_lines(ical)
    start = lines.index(f"TZID:{tzid}") + 1
    return lines[start : lines.index("END:VTIMEZONE", start)]


def observance(kind: str, dtstart: str, rrule: str | None, offset_from: str, offset_to: str, name: str) -> list[str]:
    """The lines of one STANDARD or DAYLIGHT sub-component, in the order icalendar writes them."""
    rule = [f"RRULE:{rrule}"] if rrule else []
    return [f"BEGIN:{kind}", f"DTSTART:{dtstart}", *rule, f"TZNAME:{name}", f"TZOFFSETFROM:{offset_from}", f"TZOFFSETTO:{offset_to}", f"END:{kind}"]


def test_vtimezone_shapes() -> None:
    ical = build()
    assert vtimezone(ical, "Europe/London") == [
        *observance("DAYLIGHT", "19700329T010000", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "+0000", "+0100", "BST"),
        *observance("STANDARD", "19701025T020000", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "+0100", "+0000", "GMT"),
    ]
    assert vtimezone(ical, "America/New_York") == [
        *observance("DAYLIGHT", "19700308T020000", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3", "-0500", "-0400", "EDT"),
        *observance("STANDARD", "19701101T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "-0400", "-0500", "EST"),
    ]
    assert vtimezone(ical, "Australia/Sydney") == [
        *observance("STANDARD", "19700405T030000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "+1100", "+1000", "AEST"),
        *observance("DAYLIGHT", "19701004T020000", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "+1000", "+1100", "AEDT"),
    ]
    assert vtimezone(ical, "Asia/Tokyo") == observance("STANDARD", "19700101T000000", None, "+0900", "+0900", "JST")
    # Mexico dropped daylight saving after October 2022: no yearly rule fits 2022 and 2023,
    # so the offset in force, then each transition (never RDATE lists or COMMENTs).
    assert vtimezone(ical, "America/Mexico_City") == [
        *observance("STANDARD", "19700101T000000", None, "-0600", "-0600", "CST"),
        *observance("DAYLIGHT", "20220403T020000", None, "-0600", "-0500", "CDT"),
        *observance("STANDARD", "20221030T020000", None, "-0500", "-0600", "CST"),
    ]


def rfc_5545_offsets(vtimezone: Component, until: datetime) -> list[tuple[datetime, timedelta]]:
    """Each onset of the VTIMEZONE as a UTC instant (DTSTART read with TZOFFSETFROM), with TZOFFSETTO."""
    onsets = []
    for sub in vtimezone.subcomponents:
        first, offset_from = sub["DTSTART"].dt, sub["TZOFFSETFROM"].td
        rule = sub.get("RRULE")
        local = du_rrulestr(rule.to_ical().decode(), dtstart=first).between(first, until, inc=True) if rule else [first]
        onsets += [((moment - offset_from).replace(tzinfo=UTC), sub["TZOFFSETTO"].td) for moment in local]
    return sorted(onsets)


def assert_offsets(vtimezone: Component, real: ZoneInfo, moment: datetime, stop: datetime) -> None:
    """The VTIMEZONE gives zoneinfo's UTC offset every 30 minutes from ``moment`` to ``stop``."""
    onsets = rfc_5545_offsets(vtimezone, stop.replace(tzinfo=None))
    instants = [instant for instant, _ in onsets]
    while moment < stop:
        assert onsets[bisect.bisect_right(instants, moment) - 1][1] == moment.astimezone(real).utcoffset(), moment
        moment += timedelta(minutes=30)


def test_feed_vtimezones_agree_with_zoneinfo() -> None:
    """Read as RFC 5545 says, every 30 minutes of the years used, and with dateutil's VTIMEZONE
    reader (an implementation independent of ours) at every start and end."""
    for vtimezone in Calendar.from_ical(build()).walk("VTIMEZONE"):
        real = ZoneInfo(str(vtimezone["TZID"]))
        occurrences = [o for e in EVENTS if e.timezone == vtimezone["TZID"] for o in expanded(e)]
        years = {o.start.year for o in occurrences}
        assert_offsets(vtimezone, real, datetime(min(years), 1, 1, tzinfo=UTC), datetime(max(years) + 1, 1, 1, tzinfo=UTC))
        from_file = vtimezone.to_tz(lookup_tzid=False)
        for moment in (m.astimezone(UTC) for o in occurrences for m in (o.start, o.end)):
            assert moment.astimezone(from_file).utcoffset() == moment.astimezone(real).utcoffset(), moment


@pytest.mark.parametrize(
    ("timezone", "year"),
    [
        ("Africa/Casablanca", 2026),  # daylight saving suspended for Ramadan: four changes a year
        ("Pacific/Norfolk", 2015),  # a change of standard offset by 30 minutes
        ("Pacific/Apia", 2011),  # skipped 2011-12-30 to move across the date line
        ("Asia/Jerusalem", 2026),  # the Friday before the last Sunday of March
        ("America/Santiago", 2026),  # changes at midnight, southern hemisphere
        ("Australia/Lord_Howe", 2026),  # daylight saving of 30 minutes
        ("Europe/Dublin", 2026),  # negative daylight saving in tzdata
        ("America/Mexico_City", 2022),  # daylight saving abolished in October 2022
    ],
)
def test_vtimezones_read_as_rfc_5545_says_agree_with_zoneinfo(timezone: str, year: int) -> None:
    event = session("zone", datetime(year, 1, 10, 12), timezone, "FREQ=MONTHLY", program_ends=date(year + 2, 12, 31))
    [vtimezone] = Calendar.from_ical(build([event])).walk("VTIMEZONE")
    assert_offsets(vtimezone, ZoneInfo(timezone), datetime(year, 1, 1, 12, tzinfo=UTC), datetime(year + 2, 12, 31, tzinfo=UTC))


def test_rrules() -> None:
    rrules = {str(event["UID"]).split(".")[0]: event["RRULE"].to_ical().decode() for event in Calendar.from_ical(build()).walk("VEVENT") if "RRULE" in event}
    assert rrules == {
        "leadership-circle": "FREQ=MONTHLY;COUNT=10;BYDAY=4TH",
        "open-london": "FREQ=MONTHLY;UNTIL=20271125T160000Z;BYDAY=4TH",
        "new-york": "FREQ=WEEKLY;UNTIL=20271216T160000Z",
        "until": "FREQ=WEEKLY;UNTIL=20270520T150000Z;INTERVAL=2",
        "sydney": "FREQ=MONTHLY;UNTIL=20271202T213000Z;BYDAY=1FR",
        "utc": "FREQ=MONTHLY;COUNT=6",
        "twice-a-day": "FREQ=DAILY;COUNT=6;BYHOUR=9,14",
        "night-owls": "FREQ=DAILY;COUNT=3",
        "early-birds": "FREQ=DAILY;COUNT=4",
        "mexico": "FREQ=MONTHLY;COUNT=6",
    }
    for line in unfolded_lines(build()):
        if line.startswith("RRULE:") and "UNTIL=" in line:
            assert re.search(r"UNTIL=\d{8}T\d{6}Z(;|$)", line), line


def test_exdates_carry_the_zone_and_the_start_time() -> None:
    lines = unfolded_lines(build())
    exdates = [line for line in lines if line.startswith("EXDATE")]
    assert exdates == [
        "EXDATE;TZID=Europe/London:20270826T160000",
        "EXDATE;TZID=Europe/London:20270826T160000",
        "EXDATE;TZID=Europe/London:20270827T160000",  # no occurrence that day: excludes nothing
        "EXDATE;TZID=America/New_York:20270318T110000",
        "EXDATE:20270401T120000Z",
        "EXDATE;TZID=Europe/Berlin:20270504T090000",  # both occurrences of that day
        "EXDATE;TZID=Europe/Berlin:20270504T140000",
    ]


def test_end_in_the_repeated_hour_is_written_in_utc() -> None:
    lines = unfolded_lines(build([EVENTS[9]]))
    assert "DTSTART;TZID=Europe/London:20271031T003000" in lines
    assert "DTEND:20271031T010000Z" in lines  # 01:00 GMT, not the first 01:00 (BST)


def test_calendar_properties() -> None:
    lines = unfolded_lines(build())
    head = lines[: lines.index("BEGIN:VTIMEZONE")]
    assert head == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "DESCRIPTION:Group sessions",
        "X-WR-CALDESC:Group sessions",
        "NAME:Executive Mentoring Programme 2027",
        "X-WR-CALNAME:Executive Mentoring Programme 2027",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    single = unfolded_lines(build_calendar(EVENTS[:1], name="Leadership circle", description=None, dtstamp=DTSTAMP, feed=False))
    assert "X-WR-CALNAME:Leadership circle" in single
    assert not [line for line in single if line.startswith(("REFRESH-INTERVAL", "X-PUBLISHED-TTL", "DESCRIPTION:Group"))]


def test_no_people_and_no_method() -> None:
    for ical in calendars():
        names = {line.split(":")[0].split(";")[0] for line in unfolded_lines(ical)}
        assert not names & {"ATTENDEE", "ORGANIZER", "METHOD", "RDATE"}


def test_event_properties() -> None:
    calendar = Calendar.from_ical(build())
    vevents = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in vevents] == [event.uid for event in EVENTS]
    assert all(e["DTSTAMP"].dt == DTSTAMP for e in vevents)
    assert {line for line in unfolded_lines(build()) if line.startswith("DTSTAMP")} == {"DTSTAMP:20270104T093000Z"}
    first, source = vevents[0], EVENTS[0]
    assert str(first["SUMMARY"]) == source.summary
    assert str(first["LOCATION"]) == source.location
    assert str(first["DESCRIPTION"]) == source.description
    assert str(first["URL"]) == source.url
    assert first["SEQUENCE"] == 2
    assert first["DTSTART"].dt == datetime(2027, 1, 28, 16, tzinfo=ZoneInfo("Europe/London"))
    assert str(vevents[4]["SUMMARY"]) == EVENTS[4].summary
    assert "LOCATION" not in vevents[1] and "DESCRIPTION" not in vevents[1] and "URL" not in vevents[1]


def test_crlf_and_folding() -> None:
    for ical in calendars():
        assert ical.endswith(b"\r\n")
        assert ical.count(b"\n") == ical.count(b"\r\n") == ical.count(b"\r")
        for line in ical.split(b"\r\n"):
            assert len(line) <= 75, line
            line.decode("utf-8")  # a fold never splits a character


def test_same_input_same_bytes() -> None:
    assert build() == build()
    assert build([EVENTS[2]], feed=False) == build([EVENTS[2]], feed=False)
    later = build(dtstamp=datetime(2027, 2, 1, 10, tzinfo=ZoneInfo("Europe/Paris")))
    changed = {line for line in set(unfolded_lines(later)) ^ set(unfolded_lines(build()))}
    assert changed == {"DTSTAMP:20270104T093000Z", "DTSTAMP:20270201T090000Z"}


def test_caller_mistakes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        build(dtstamp=datetime(2027, 1, 4))
    with pytest.raises(ValueError, match="UID"):
        build([EVENTS[0], EVENTS[0]])


def test_libical_finds_no_error(lib: ctypes.CDLL) -> None:
    for ical in calendars():
        assert libical.errors(lib, ical) == []


def test_libical_finds_no_error_under_itip_publish(lib: ctypes.CDLL) -> None:
    """iTIP PUBLISH is stricter (DTSTAMP, SUMMARY, ...); it needs an ORGANIZER, added only for this check."""
    for ical in calendars():
        published = ical.replace(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:PUBLISH\r\n").replace(
            b"BEGIN:VEVENT\r\n", b"BEGIN:VEVENT\r\nORGANIZER:mailto:mentoring@example.org\r\n"
        )
        assert libical.errors(lib, published) == []


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ((b"PRODID:-//Program Portal//program-portal//EN\r\n", b""), "PRODID"),
        ((b"BEGIN:VEVENT\r\n", b"BEGIN:VEVENT\r\nDTSTART:20270101T100000Z\r\n"), "DTSTART"),
        ((b"FREQ=MONTHLY;COUNT=10;BYDAY=4TH", b"FREQ=MONTHLY;COUNT=10;UNTIL=20271201T000000Z"), "RRULE"),
        ((b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:PUBLISH\r\n"), "ORGANIZER"),
    ],
)
def test_libical_reports_a_broken_calendar(lib: ctypes.CDLL, change: tuple[bytes, bytes], error: str) -> None:
    broken = build([EVENTS[0]], feed=False).replace(*change)
    reported = libical.errors(lib, broken)
    assert reported and error in reported[0]
