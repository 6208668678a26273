"""When a session takes place: RFC 5545 recurrence rules expanded in the session's time zone.

A session's ``start`` is a naive local wall-clock time in an IANA time zone. A series
keeps that wall-clock time across daylight-saving changes; an occurrence whose local time
does not exist (a spring-forward gap) is read with the UTC offset before the gap, and an
ambiguous (fall-back) time is the first of the two, as RFC 5545 section 3.3.5 says.
Pure Python: :mod:`zoneinfo` for the zones, :mod:`dateutil.rrule` for the rules.

This module is the one place that expands a series (:func:`expand`, :func:`session_occurrences`),
and the work is bounded by the input: at most :data:`MAX_OCCURRENCES` occurrences, and
dateutil's search for them (which can step through every second of years for a rule like
``FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=16``) at most :data:`MAX_STEPS` function
calls per program, counted, so the limit is the same on every machine.
"""

from __future__ import annotations

import re
import sys
from calendar import monthrange
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from program_portal.diagnostics import did_you_mean
from program_portal.source import model as m

MAX_OCCURRENCES = 1000  # a session series on the calendar: daily for almost three years
MAX_PROGRAM_OCCURRENCES = 5000  # every series of a program together (one calendar page lists them all)
MAX_STEPS = 500_000  # function calls dateutil may make to find them (about 10 per occurrence; a few seconds)

FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Numeric list parts: (smallest, largest, whether a sign is allowed). BYSECOND stops at 59:
# RFC 5545 allows 60 for a leap second, which no session needs and Python cannot represent.
_NUMBER_LISTS: dict[str, tuple[int, int, bool]] = {
    "BYSECOND": (0, 59, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYMONTH": (1, 12, False),
    "BYSETPOS": (1, 366, True),
}
# Every rule part, in the order of the RFC 5545 grammar (the order written back out).
RULE_PARTS = (
    "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
    "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
)  # fmt: skip
_BY_PARTS = tuple(part for part in RULE_PARTS if part.startswith("BY"))

_NUMBER = re.compile(r"([+-]?)(\d{1,3})")
_WEEKDAY = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"(\d{8})(T\d{6}Z?)?")


_WEEKDAY_WORD = re.compile(r"([+-]?\d{0,2})([A-Z]{2,9})")
_WEEKDAY_NAMES = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _weekday_hint(item: str) -> str | None:
    """``TUE``, ``2TUES`` or ``friday``: the two-letter code it abbreviates (``TU``, ``2TU``, ``FR``)."""
    match = _WEEKDAY_WORD.fullmatch(item.upper())
    if match is None or match[2] in WEEKDAYS:
        return None
    for name in _WEEKDAY_NAMES:
        if len(match[2]) >= 3 and name.startswith(match[2]):
            return match[1] + name[:2]
    return None


class SeriesError(ValueError):
    """A series that cannot be published: too many occurrences, or too much work to find them."""


class Work:
    """A budget of dateutil steps (function calls) and occurrences, shared by the series it is passed to."""

    def __init__(self, limit: int = MAX_STEPS, occurrences: int = MAX_PROGRAM_OCCURRENCES) -> None:
        self.limit = limit
        self.steps = 0
        self.max_occurrences = occurrences
        self.occurrences = 0

    def occurrence(self) -> None:
        self.occurrences += 1
        if self.occurrences > self.max_occurrences:
            raise SeriesError(
                f"the program's sessions have more than {self.max_occurrences} occurrences in all; "
                "use fewer sessions, a smaller COUNT or an earlier UNTIL"
            )

    def iterate(self, rule: Iterator[datetime]) -> Iterator[datetime]:
        """``rule``'s items, counting every function call made to produce each; SeriesError past the limit.

        The count is taken with :func:`sys.setprofile` for this thread only, and only while
        the rule computes its next item, so it costs nothing elsewhere.
        """

        if self.steps > self.limit:
            raise SeriesError(f"not worked out: the rules above used up the program's budget of {self.limit} steps")

        def count(frame: object, event: str, arg: object) -> None:
            if event in ("call", "c_call"):
                self.steps += 1
                if self.steps > self.limit:
                    raise SeriesError(
                        f"working out the dates of this rule takes too long (more than {self.limit} steps); "
                        "use a rule a calendar can expand quickly, such as FREQ=WEEKLY with COUNT or UNTIL"
                    )

        while True:
            previous = sys.getprofile()
            sys.setprofile(count)
            try:
                item = next(rule)
            except StopIteration:
                return
            finally:
                sys.setprofile(previous)
            yield item


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a session, as aware datetimes in the session's time zone."""

    start: datetime
    end: datetime


def zone(timezone: str) -> ZoneInfo:
    """The IANA time zone ``timezone``; ``ValueError`` if there is no such zone."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{timezone}'") from None


def _real(local: datetime) -> datetime:
    """The same instant with its real wall-clock time (a time in a gap moves forward)."""
    return local.astimezone(UTC).astimezone(local.tzinfo)


def start_is_in_gap(start: datetime, timezone: str) -> bool:
    """Whether the naive wall-clock ``start`` does not exist in ``timezone`` (clocks go forward)."""
    local = start.replace(tzinfo=zone(timezone), fold=0)
    return _real(local).replace(tzinfo=None) != start.replace(fold=0)


def parse_rrule(repeat: str) -> dict[str, str]:
    """Check an RRULE value (the text after ``RRULE:``) against RFC 5545 section 3.3.10.

    Returns the rule parts, upper-cased, in grammar order. Raises ``ValueError`` with a
    one-line message for a designer. A session always has a time zone, so ``UNTIL`` must
    be a UTC date-time.
    """
    text = repeat.upper()
    if not text:
        raise ValueError("the rule is empty; write for example FREQ=WEEKLY;COUNT=6")
    if text.startswith("RRULE:"):
        raise ValueError("write the rule without the 'RRULE:' prefix")
    if any(ch.isspace() for ch in text):
        raise ValueError("the rule must not contain spaces")
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        name, equals, value = piece.partition("=")
        if not piece:
            raise ValueError("empty rule part (two ';' in a row, or a ';' at the start or end)")
        if name not in RULE_PARTS:
            raise ValueError(f"unknown RRULE part '{name}'{did_you_mean(name, RULE_PARTS)}")
        if name in parts:
            raise ValueError(f"'{name}' is given twice")
        if not equals or not value:
            raise ValueError(f"'{name}' has no value (write {name}=...)")
        _check_value(name, value)
        parts[name] = value
    _check_combination(parts)
    return {name: parts[name] for name in RULE_PARTS if name in parts}


def _check_value(name: str, value: str) -> None:
    """Raise ``ValueError`` if ``value`` is not a valid value of rule part ``name``."""
    if name == "FREQ":
        if value not in FREQUENCIES:
            raise ValueError(f"FREQ must be one of {', '.join(FREQUENCIES)}, not '{value}'{did_you_mean(value, FREQUENCIES)}")
    elif name in ("COUNT", "INTERVAL"):
        if not value.isascii() or not value.isdigit() or int(value) == 0:
            raise ValueError(f"{name} must be a positive whole number, not '{value}'")
    elif name == "UNTIL":
        match = _UNTIL.fullmatch(value)
        if match is not None and match[2] is None:
            raise ValueError("UNTIL must be a UTC date-time like 20271217T235959Z, not a date, because the start has a time")
        if match is not None and not value.endswith("Z"):
            raise ValueError("UNTIL must be in UTC (end it with Z) because the start has a time zone")
        if _until_datetime(value) is None:
            raise ValueError(f"UNTIL '{value}' is not a UTC date-time like 20271217T170000Z")
    elif name == "WKST":
        if value not in WEEKDAYS:
            raise ValueError(f"WKST must be a weekday ({', '.join(WEEKDAYS)}), not '{value}'")
    elif name == "BYDAY":
        for item in value.split(","):
            match = _WEEKDAY.fullmatch(item)
            if match is None or (match[2] is not None and not 1 <= int(match[2]) <= 53) or (match[1] and match[2] is None):
                hint = _weekday_hint(item)
                raise ValueError(f"BYDAY value '{item}' is not a weekday like MO, 4TH or -1FR" + (f" (did you mean '{hint}'?)" if hint else ""))
    else:
        low, high, signed = _NUMBER_LISTS[name]
        for item in value.split(","):
            match = _NUMBER.fullmatch(item)
            if match is None or (match[1] and not signed) or not low <= int(match[2]) <= high:
                allowed = f"{low} to {high}" + (f", or -{high} to -{low}" if signed else "")
                raise ValueError(f"{name} value '{item}' is not a whole number from {allowed}")


def _check_combination(parts: dict[str, str]) -> None:
    """Raise ``ValueError`` for rule parts that RFC 5545 forbids together."""
    freq = parts.get("FREQ")
    if freq is None:
        raise ValueError("FREQ is required, for example FREQ=WEEKLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("COUNT and UNTIL cannot both be given")
    numbered = [item for item in parts.get("BYDAY", "").split(",") if item[:-2]]
    if numbered and freq not in ("MONTHLY", "YEARLY"):
        raise ValueError(f"BYDAY with a number ('{numbered[0]}') needs FREQ=MONTHLY or FREQ=YEARLY")
    if numbered and "BYWEEKNO" in parts:
        raise ValueError(f"BYDAY with a number ('{numbered[0]}') cannot be combined with BYWEEKNO")
    if "BYMONTHDAY" in parts and freq == "WEEKLY":
        raise ValueError("BYMONTHDAY cannot be used with FREQ=WEEKLY")
    if "BYYEARDAY" in parts and freq in ("DAILY", "WEEKLY", "MONTHLY"):
        raise ValueError(f"BYYEARDAY cannot be used with FREQ={freq}")
    if "BYWEEKNO" in parts and freq != "YEARLY":
        raise ValueError("BYWEEKNO can only be used with FREQ=YEARLY")
    if "BYSETPOS" in parts and not any(p in parts for p in _BY_PARTS if p != "BYSETPOS"):
        raise ValueError("BYSETPOS needs another BY... part, for example BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")


def _until_datetime(value: str) -> datetime | None:
    """The instant of a UTC ``UNTIL`` value (``None`` if it is not a real date-time)."""
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def format_rrule(parts: dict[str, str]) -> str:
    """The RRULE value for ``parts`` (as returned by :func:`parse_rrule`)."""
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _rule(parts: dict[str, str], first: datetime) -> rrule:
    """The dateutil rule for ``parts`` starting at the aware datetime ``first``."""
    return rrulestr(format_rrule(parts), dtstart=first)


def _cannot_match(parts: dict[str, str], start: datetime) -> bool:
    """Whether ``start`` fails a BY... part that every occurrence satisfies.

    A quick test before asking dateutil, which searches up to the year 9999 for a rule that
    never matches (seconds for FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30).
    """

    def numbers(name: str) -> set[int] | None:
        return {int(v) for v in parts[name].split(",")} if name in parts else None

    month_length = monthrange(start.year, start.month)[1]
    checks = [
        ("BYMONTH", {start.month}),
        ("BYMONTHDAY", {start.day, start.day - month_length - 1}),
        ("BYHOUR", {start.hour}),
        ("BYMINUTE", {start.minute}),
        ("BYSECOND", {start.second}),
    ]
    if any((wanted := numbers(name)) is not None and not wanted & actual for name, actual in checks):
        return True
    weekdays = {item[-2:] for item in parts.get("BYDAY", "").split(",") if item}
    return bool(weekdays) and WEEKDAYS[start.weekday()] not in weekdays


def rrule_error(repeat: str, start: datetime, timezone: str, *, work: Work | None = None) -> str | None:
    """``None`` if ``repeat`` is a valid RRULE value for a series from ``start``, else why not.

    Besides RFC 5545 syntax, the series must begin with its start (RFC 5545 leaves a
    start that is not an occurrence of its rule undefined) and UNTIL must not be before
    the start. Never raises.
    """
    try:
        parts = parse_rrule(repeat)
        first = start.replace(tzinfo=zone(timezone), fold=0)
    except ValueError as exc:
        return str(exc)
    until = _until_datetime(parts.get("UNTIL", ""))
    if until is not None and until < first:
        return f"UNTIL {parts['UNTIL']} is before the start {start:%Y-%m-%dT%H:%M} ({timezone})"
    not_an_occurrence = f"the start {start:%Y-%m-%dT%H:%M} is not an occurrence of the rule; start the session on its first occurrence"
    if _cannot_match(parts, start):
        return not_an_occurrence
    try:
        generated = next((work or Work()).iterate(iter(_rule(parts, first))), None)
    except SeriesError as exc:
        return str(exc)
    except (ValueError, OverflowError) as exc:
        return f"the rule cannot be expanded: {exc}"
    if generated is None or generated.replace(tzinfo=None) != start.replace(microsecond=0):
        return not_an_occurrence
    return None


def _starts(first: datetime, repeat: str | None, program_ends: date, work: Work) -> Iterator[datetime]:
    """Real start instants (in the session's zone) of the series from ``first``, strictly increasing.

    A series without COUNT or UNTIL stops after the last start on or before ``program_ends``
    but always keeps its first occurrence. RFC 5545 counts an instant generated twice (an
    hourly rule across a gap) once. More than :data:`MAX_OCCURRENCES` is a :class:`SeriesError`.
    """
    if repeat is None:
        yield _real(first)
        return
    parts = parse_rrule(repeat)
    bounded = "COUNT" in parts or "UNTIL" in parts
    previous: datetime | None = None
    count = 0
    for nominal in work.iterate(iter(_rule(parts, first))):
        real = _real(nominal)
        if not bounded and previous is not None and real.date() > program_ends:
            return
        if previous is None or real.astimezone(UTC) > previous.astimezone(UTC):
            count += 1
            if count > MAX_OCCURRENCES:
                raise SeriesError(f"the series has more than {MAX_OCCURRENCES} occurrences; use a smaller COUNT or an earlier UNTIL")
            work.occurrence()
            yield real
            previous = real


def expand(
    start: datetime,
    timezone: str,
    minutes: int,
    repeat: str | None,
    except_dates: Sequence[date],
    program_ends: date,
    *,
    work: Work | None = None,
) -> list[Occurrence]:
    """Every occurrence of a session, in order.

    ``start`` is a naive wall-clock time in ``timezone``; ``repeat`` an RRULE value already
    accepted by :func:`rrule_error` (one :func:`parse_rrule` rejects raises ``ValueError``). ``except_dates`` remove the
    occurrences of a series on those local dates (they do not apply to a single session,
    which has no RRULE for an EXDATE to belong to). An open series (no COUNT or UNTIL) ends
    with its last occurrence on or before ``program_ends``; a bounded one is not cut. Each
    occurrence lasts ``minutes`` real minutes, also across a daylight-saving change.

    Raises :class:`SeriesError` for more than :data:`MAX_OCCURRENCES` occurrences or more
    than ``work``'s steps (default: a budget of its own). Results are cached, so the pages,
    the calendar files and the checks expand each series once.
    """
    key = (start, timezone, minutes, repeat, tuple(except_dates), program_ends)
    if (cached := _CACHE.get(key)) is not None:
        return list(cached)
    first = start.replace(tzinfo=zone(timezone), fold=0)
    skip = set(except_dates) if repeat is not None else set()
    length = timedelta(minutes=minutes)
    result = [
        Occurrence(real, (real.astimezone(UTC) + length).astimezone(real.tzinfo))
        for real in _starts(first, repeat, program_ends, work if work is not None else Work())
        if real.date() not in skip
    ]
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = tuple(result)
    return result


_CACHE: dict[tuple[object, ...], tuple[Occurrence, ...]] = {}
_CACHE_SIZE = 512


def session_occurrences(program: m.Program, session: m.Session, *, work: Work | None = None) -> list[Occurrence]:
    """Every occurrence of ``session`` (its except dates left out), an open series cut at the program's end."""
    return expand(
        session.start,
        program.session_timezone(session),
        session.minutes,
        session.repeat,
        session.except_,
        program.program.ends,
        work=work,
    )


def until_for_open_series(occurrences: Sequence[Occurrence]) -> datetime:
    """The UTC instant of the last occurrence's start: the UNTIL that ends an open series there."""
    if not occurrences:
        raise ValueError("a series has at least one occurrence")
    return occurrences[-1].start.astimezone(UTC)
