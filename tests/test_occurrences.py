"""Session occurrences against literal expectations and an independent dateutil + zoneinfo computation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule as du
from hypothesis import given, settings
from hypothesis import strategies as st

from program_portal.calendar.occurrences import Occurrence, expand, rrule_error, start_is_in_gap, until_for_open_series

LONDON = "Europe/London"
NEW_YORK = "America/New_York"
ENDS = date(2027, 12, 17)


def isos(occurrences: list[Occurrence]) -> list[str]:
    return [o.start.isoformat() for o in occurrences]


def independent(freq: int, start: datetime, timezone: str, **rule: object) -> list[datetime]:
    """The series computed on naive wall-clock times, then placed in the zone (fold=0, as RFC 5545)."""
    tz = ZoneInfo(timezone)
    return [d.replace(tzinfo=tz) for d in du.rrule(freq, dtstart=start, **rule)]  # type: ignore[arg-type]


def test_single_session() -> None:
    [only] = expand(datetime(2027, 1, 28, 16), LONDON, 90, None, [], ENDS)
    assert only.start.isoformat() == "2027-01-28T16:00:00+00:00"
    assert only.end.isoformat() == "2027-01-28T17:30:00+00:00"
    assert only.start.tzinfo == ZoneInfo(LONDON)


def test_except_dates_apply_to_a_series_only() -> None:
    assert len(expand(datetime(2027, 1, 28, 16), LONDON, 90, None, [date(2027, 1, 28)], ENDS)) == 1


def test_monthly_across_london_dst_changes() -> None:
    got = expand(datetime(2027, 1, 28, 16), LONDON, 90, "FREQ=MONTHLY;BYDAY=4TH", [], ENDS)
    # Clocks go forward on 2027-03-28 and back on 2027-10-31; the series stays at 16:00 local.
    assert isos(got) == [
        "2027-01-28T16:00:00+00:00",
        "2027-02-25T16:00:00+00:00",
        "2027-03-25T16:00:00+00:00",
        "2027-04-22T16:00:00+01:00",
        "2027-05-27T16:00:00+01:00",
        "2027-06-24T16:00:00+01:00",
        "2027-07-22T16:00:00+01:00",
        "2027-08-26T16:00:00+01:00",
        "2027-09-23T16:00:00+01:00",
        "2027-10-28T16:00:00+01:00",
        "2027-11-25T16:00:00+00:00",
    ]  # 2027-12-23 is after the program ends on 2027-12-17
    assert [o.start.astimezone(UTC).hour for o in got] == [16, 16, 16, 15, 15, 15, 15, 15, 15, 15, 16]
    expected = independent(du.MONTHLY, datetime(2027, 1, 28, 16), LONDON, byweekday=du.TH(4), until=datetime(2027, 12, 17, 23, 59))
    assert [o.start for o in got] == expected
    assert all(o.end - o.start == timedelta(minutes=90) for o in got)


def test_spec_example_count_and_except() -> None:
    got = expand(datetime(2027, 1, 28, 16), LONDON, 90, "FREQ=MONTHLY;BYDAY=4TH;COUNT=10", [date(2027, 8, 26)], ENDS)
    expected = independent(du.MONTHLY, datetime(2027, 1, 28, 16), LONDON, byweekday=du.TH(4), count=10)
    assert [o.start for o in got] == [d for d in expected if d.date() != date(2027, 8, 26)]
    assert len(got) == 9


def test_except_date_is_a_local_date() -> None:
    # 23:30 in New York is already the next day in UTC; the except date is the local one.
    start = datetime(2027, 1, 4, 23, 30)
    got = expand(start, NEW_YORK, 30, "FREQ=DAILY;COUNT=3", [date(2027, 1, 5)], ENDS)
    assert isos(got) == ["2027-01-04T23:30:00-05:00", "2027-01-06T23:30:00-05:00"]


def test_new_york_changes_before_london() -> None:
    ny = expand(datetime(2027, 3, 4, 11), NEW_YORK, 60, "FREQ=WEEKLY;COUNT=5", [], ENDS)
    assert isos(ny) == [
        "2027-03-04T11:00:00-05:00",
        "2027-03-11T11:00:00-05:00",
        "2027-03-18T11:00:00-04:00",  # New York changed on 2027-03-14,
        "2027-03-25T11:00:00-04:00",
        "2027-04-01T11:00:00-04:00",  # London only on 2027-03-28
    ]
    in_london = [o.start.astimezone(ZoneInfo(LONDON)).strftime("%H:%M") for o in ny]
    assert in_london == ["16:00", "16:00", "15:00", "15:00", "16:00"]
    assert [o.start for o in ny] == independent(du.WEEKLY, datetime(2027, 3, 4, 11), NEW_YORK, count=5)


def test_new_york_changes_back_after_london() -> None:
    ny = expand(datetime(2027, 10, 28, 11), NEW_YORK, 60, "FREQ=WEEKLY;COUNT=3", [], ENDS)
    in_london = [o.start.astimezone(ZoneInfo(LONDON)).strftime("%H:%M") for o in ny]
    # London changes back on 2027-10-31, New York only on 2027-11-07.
    assert in_london == ["16:00", "15:00", "16:00"]


@pytest.mark.parametrize(
    ("ends", "last"),
    [(date(2027, 6, 3), "2027-06-03"), (date(2027, 6, 9), "2027-06-03"), (date(2027, 6, 10), "2027-06-10")],
)
def test_open_series_ends_with_the_program(ends: date, last: str) -> None:
    got = expand(datetime(2027, 5, 6, 9), LONDON, 60, "FREQ=WEEKLY", [], ends)
    assert got[-1].start.date().isoformat() == last
    assert [o.start for o in got] == independent(du.WEEKLY, datetime(2027, 5, 6, 9), LONDON, until=datetime.combine(ends, datetime.max.time()))


def test_open_series_starting_after_the_program_keeps_its_start() -> None:
    got = expand(datetime(2028, 1, 6, 9), LONDON, 60, "FREQ=WEEKLY", [], ENDS)
    assert isos(got) == ["2028-01-06T09:00:00+00:00"]


def test_count_is_not_cut_by_the_program_end() -> None:
    got = expand(datetime(2027, 11, 4, 9), LONDON, 60, "FREQ=MONTHLY;COUNT=4", [], ENDS)
    assert isos(got)[-1] == "2028-02-04T09:00:00+00:00"


def test_until_in_utc_is_inclusive() -> None:
    start = datetime(2027, 2, 4, 16)
    assert isos(expand(start, LONDON, 60, "FREQ=WEEKLY;UNTIL=20270304T160000Z", [], ENDS))[-1] == "2027-03-04T16:00:00+00:00"
    assert isos(expand(start, LONDON, 60, "FREQ=WEEKLY;UNTIL=20270304T155959Z", [], ENDS))[-1] == "2027-02-25T16:00:00+00:00"


def test_until_compares_instants_across_dst() -> None:
    # 11:00 in New York on 2027-03-18 is 15:00 UTC (EDT), not 16:00.
    start = datetime(2027, 3, 4, 11)
    assert isos(expand(start, NEW_YORK, 60, "FREQ=WEEKLY;UNTIL=20270318T150000Z", [], ENDS))[-1] == "2027-03-18T11:00:00-04:00"
    assert isos(expand(start, NEW_YORK, 60, "FREQ=WEEKLY;UNTIL=20270318T145959Z", [], ENDS))[-1] == "2027-03-11T11:00:00-05:00"


def test_until_for_open_series() -> None:
    got = expand(datetime(2027, 1, 28, 16), LONDON, 90, "FREQ=MONTHLY;BYDAY=4TH", [], ENDS)
    assert until_for_open_series(got) == datetime(2027, 11, 25, 16, tzinfo=UTC)
    summer = expand(datetime(2027, 1, 28, 16), LONDON, 90, "FREQ=MONTHLY;BYDAY=4TH", [], date(2027, 7, 1))
    assert until_for_open_series(summer) == datetime(2027, 6, 24, 15, tzinfo=UTC)
    with pytest.raises(ValueError):
        until_for_open_series([])


@pytest.mark.parametrize(
    ("start", "timezone", "in_gap"),
    [
        (datetime(2027, 3, 28, 1, 30), LONDON, True),
        (datetime(2027, 3, 28, 1, 0), LONDON, True),
        (datetime(2027, 3, 28, 0, 59), LONDON, False),
        (datetime(2027, 3, 28, 2, 0), LONDON, False),
        (datetime(2027, 10, 31, 1, 30), LONDON, False),  # ambiguous, but it exists
        (datetime(2027, 3, 14, 2, 30), NEW_YORK, True),
        (datetime(2027, 3, 28, 1, 30), NEW_YORK, False),
        (datetime(2027, 3, 28, 1, 30), "Asia/Tokyo", False),
    ],
)
def test_start_is_in_gap(start: datetime, timezone: str, in_gap: bool) -> None:
    assert start_is_in_gap(start, timezone) is in_gap


def test_occurrence_in_a_gap_follows_rfc_5545() -> None:
    got = expand(datetime(2027, 3, 26, 1, 30), LONDON, 60, "FREQ=DAILY;COUNT=4", [], ENDS)
    # 01:30 does not exist on 2027-03-28: read with the offset before the gap, it is 02:30 BST.
    assert isos(got) == [
        "2027-03-26T01:30:00+00:00",
        "2027-03-27T01:30:00+00:00",
        "2027-03-28T02:30:00+01:00",
        "2027-03-29T01:30:00+01:00",
    ]


def test_ambiguous_occurrence_is_the_first() -> None:
    got = expand(datetime(2027, 10, 30, 1, 30), LONDON, 60, "FREQ=DAILY;COUNT=3", [], ENDS)
    assert isos(got) == ["2027-10-30T01:30:00+01:00", "2027-10-31T01:30:00+01:00", "2027-11-01T01:30:00+00:00"]


def test_an_instant_generated_twice_counts_once() -> None:
    # Hourly wall-clock times 01:30 (in the gap) and 02:30 BST are the same instant.
    got = expand(datetime(2027, 3, 28, 0, 30), LONDON, 30, "FREQ=HOURLY;COUNT=4", [], ENDS)
    assert isos(got) == ["2027-03-28T00:30:00+00:00", "2027-03-28T02:30:00+01:00", "2027-03-28T03:30:00+01:00"]


@pytest.mark.parametrize(
    ("start", "minutes", "end"),
    [
        (datetime(2027, 3, 28, 0, 30), 90, "2027-03-28T03:00:00+01:00"),  # an hour is skipped
        (datetime(2027, 10, 31, 0, 30), 90, "2027-10-31T01:00:00+00:00"),  # the second 01:00
        (datetime(2027, 3, 14, 1, 0), 120, "2027-03-14T04:00:00-04:00"),
    ],
)
def test_duration_is_real_minutes_across_dst(start: datetime, minutes: int, end: str) -> None:
    timezone = NEW_YORK if start.month == 3 and start.day == 14 else LONDON
    [only] = expand(start, timezone, minutes, None, [], ENDS)
    assert only.end.isoformat() == end
    assert only.end.astimezone(UTC) - only.start.astimezone(UTC) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "repeat",
    [
        "FREQ=MONTHLY;BYDAY=4TH;COUNT=10",
        "FREQ=MONTHLY;BYDAY=4TH",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "FREQ=MONTHLY;BYDAY=-1TH;UNTIL=20271231T000000Z",
        "FREQ=MONTHLY;BYMONTHDAY=28,-4",
        "FREQ=YEARLY;BYMONTH=1;BYDAY=4TH",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH;BYSETPOS=-1",
        "FREQ=DAILY;BYHOUR=16;BYMINUTE=0;WKST=SU",
        "freq=weekly;count=3",
    ],
)
def test_rrule_error_accepts_valid_rules(repeat: str) -> None:
    # 2027-01-28 is the fourth (and last) Thursday of January, its 28th (and -4th) day, and its last Monday to Thursday.
    assert rrule_error(repeat, datetime(2027, 1, 28, 16), LONDON) is None


@pytest.mark.parametrize(
    ("repeat", "message"),
    [
        ("FREQQ=MONTHLY", "unknown RRULE part 'FREQQ' (did you mean 'FREQ'?)"),
        ("FREQ=MONTHLY;UNTIL=20271217T170000", "UNTIL must be in UTC (end it with Z) because the start has a time zone"),
        ("FREQ=MONTHLY;UNTIL=20271217", "UNTIL must be a UTC date-time like 20271217T235959Z, not a date, because the start has a time"),
        ("FREQ=MONTHLY;UNTIL=20271317T170000Z", "UNTIL '20271317T170000Z' is not a UTC date-time like 20271217T170000Z"),
        ("FREQ=MONTHLY;COUNT=3;UNTIL=20271217T170000Z", "COUNT and UNTIL cannot both be given"),
        ("FREQ=MONTHLY;UNTIL=20261217T170000Z", "UNTIL 20261217T170000Z is before the start 2027-01-28T16:00 (Europe/London)"),
        ("FREQ=FORTNIGHTLY", "FREQ must be one of SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY, not 'FORTNIGHTLY'"),
        ("COUNT=3", "FREQ is required, for example FREQ=WEEKLY"),
        ("FREQ=MONTHLY;COUNT=0", "COUNT must be a positive whole number, not '0'"),
        ("FREQ=MONTHLY;INTERVAL=-1", "INTERVAL must be a positive whole number, not '-1'"),
        ("FREQ=MONTHLY;FREQ=WEEKLY", "'FREQ' is given twice"),
        ("FREQ=MONTHLY;;COUNT=3", "empty rule part (two ';' in a row, or a ';' at the start or end)"),
        ("FREQ=MONTHLY;COUNT=3;", "empty rule part (two ';' in a row, or a ';' at the start or end)"),
        ("FREQ=MONTHLY;COUNT", "'COUNT' has no value (write COUNT=...)"),
        ("FREQ=MONTHLY; COUNT=3", "the rule must not contain spaces"),
        ("RRULE:FREQ=MONTHLY", "write the rule without the 'RRULE:' prefix"),
        ("", "the rule is empty; write for example FREQ=WEEKLY;COUNT=6"),
        ("FREQ=WEEKLY;BYDAY=4TH", "BYDAY with a number ('4TH') needs FREQ=MONTHLY or FREQ=YEARLY"),
        ("FREQ=YEARLY;BYWEEKNO=4;BYDAY=1TH", "BYDAY with a number ('1TH') cannot be combined with BYWEEKNO"),
        ("FREQ=MONTHLY;BYDAY=THU", "BYDAY value 'THU' is not a weekday like MO, 4TH or -1FR (did you mean 'TH'?)"),
        ("FREQ=MONTHLY;BYDAY=0TH", "BYDAY value '0TH' is not a weekday like MO, 4TH or -1FR"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY value '32' is not a whole number from 1 to 31, or -31 to -1"),
        ("FREQ=MONTHLY;BYMONTH=-1", "BYMONTH value '-1' is not a whole number from 1 to 12"),
        ("FREQ=WEEKLY;BYMONTHDAY=28", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
        ("FREQ=MONTHLY;BYYEARDAY=28", "BYYEARDAY cannot be used with FREQ=MONTHLY"),
        ("FREQ=MONTHLY;BYWEEKNO=4", "BYWEEKNO can only be used with FREQ=YEARLY"),
        ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs another BY... part, for example BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
        ("FREQ=MONTHLY;WKST=XX", "WKST must be a weekday (MO, TU, WE, TH, FR, SA, SU), not 'XX'"),
    ],
)
def test_rrule_error_explains_invalid_rules(repeat: str, message: str) -> None:
    assert rrule_error(repeat, datetime(2027, 1, 28, 16), LONDON) == message


@pytest.mark.parametrize(
    "repeat",
    [
        "FREQ=MONTHLY;BYDAY=4FR",  # 2027-01-28 is a Thursday
        "FREQ=MONTHLY;BYDAY=3TH",
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never happens; answered without a long search
        "FREQ=YEARLY;BYYEARDAY=1",
    ],
)
def test_rrule_error_wants_the_start_to_be_the_first_occurrence(repeat: str) -> None:
    message = rrule_error(repeat, datetime(2027, 1, 28, 16), LONDON)
    assert message == "the start 2027-01-28T16:00 is not an occurrence of the rule; start the session on its first occurrence"


def test_rrule_error_reports_an_unknown_zone() -> None:
    assert rrule_error("FREQ=DAILY", datetime(2027, 1, 28, 16), "Europe/Lundon") == "unknown time zone 'Europe/Lundon'"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="FREQ=;DAILYWEKMONTHCUSBDZ0123456789,-+T:", max_size=60))
def test_rrule_error_never_raises(repeat: str) -> None:
    message = rrule_error(repeat, datetime(2027, 1, 28, 16), LONDON)
    assert message is None or (message and "\n" not in message)
    if message is None:  # a rule it accepts, expand() can expand
        assert expand(datetime(2027, 1, 28, 16), LONDON, 60, repeat, [], date(2028, 1, 28))


ZONES = [LONDON, NEW_YORK, "Australia/Sydney", "Asia/Tokyo", "America/Sao_Paulo", "Pacific/Chatham", "UTC"]
FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)).map(lambda d: d.replace(second=0, microsecond=0)),
    timezone=st.sampled_from(ZONES),
    freq=st.sampled_from(sorted(FREQS)),
    interval=st.integers(1, 4),
    count=st.integers(1, 40),
)
def test_series_keep_their_wall_clock_time(start: datetime, timezone: str, freq: str, interval: int, count: int) -> None:
    if start_is_in_gap(start, timezone):
        return
    got = expand(start, timezone, 45, f"FREQ={freq};INTERVAL={interval};COUNT={count}", [], ENDS)
    tz = ZoneInfo(timezone)
    instants = [o.start.astimezone(UTC) for o in got]
    assert all(a < b for a, b in zip(instants, instants[1:], strict=False))
    assert len(got) == count
    for occurrence, nominal in zip(got, du.rrule(FREQS[freq], dtstart=start, interval=interval, count=count), strict=True):
        assert occurrence.start.date() == nominal.date()
        if start_is_in_gap(nominal, timezone):  # RFC 5545: read with the offset before the gap
            assert occurrence.start == nominal.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
            assert occurrence.start.time() > start.time()
        else:
            assert occurrence.start.time() == start.time()
            assert occurrence.start.utcoffset() == nominal.replace(tzinfo=tz).utcoffset()
        assert occurrence.end.astimezone(UTC) - occurrence.start.astimezone(UTC) == timedelta(minutes=45)
