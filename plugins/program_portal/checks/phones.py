"""Telephone numbers (``PV002``): a heuristic for any country, united with Google's libphonenumber.

:func:`find` returns the spans of the telephone numbers in a text: those of :func:`heuristic`
and those that ``phonenumbers`` (the Python port of libphonenumber, ``phonenumberslite``) finds
as valid numbers of the program's regions, grouped as people there group them
(``Leniency.STRICT_GROUPING``: ``VALID`` takes ``0.20.1000`` and the ZIP+4 code ``02111-1307`` for
German numbers; see :func:`regions`). The
library knows how people in each country write numbers (``030/12345678``, ``0171/1234567``,
``+49 30 1234-567``, ``01 23 45 67 89``, ``(212) 555-0142``); the heuristic catches
fictitious numbers (UK ``07700 900xxx``, US ``555-01xx``) that the library rejects as invalid.

The heuristic works in two steps. First every date, time, ISO or compact date-time,
date, time or year range and IPv4 address is blanked out (replaced by letters, so that digits
glued to it count as part of a word). Then every run of digit groups (joined by one space, dot or
hyphen, or by parentheses) is checked against the grouping of real telephone numbers; when the
whole run does not fit, shorter runs between spaces are tried (``call 020 7946 0958 2 times``):

* 7 to 15 digits, one kind of separator (not counting the one after a ``+`` country code or next
  to parentheses), no one-digit group except the first, the one after a country code and
  ``(0)``, and no two-group decimal (``3.14159265``);
* with ``+``, a trunk ``0`` (``020 7946 0958``, ``0044 20 ...``) or an area code in parentheses
  that is enough, except that ``0`` and ``00`` must be followed by a non-zero digit and numbers
  in two-digit groups must have ten digits (``01 23 45 67 89``, not ``01 02 03 04``);
* any other number must also have the shape of a telephone number: ``555.010.9999`` or
  ``1.555.010.9999`` with dots; with spaces or hyphens groups of at most five digits and a last
  group of at least four (``555 010 9999``, ``1-800-555-0199``, ``6123-4567``), or
  ``1300 123 456``. This leaves out amounts (``1 250 000``, ``1.250.000,00``), versions and
  section numbers (``10.0.19045.2965``), years and year ranges (``2026-2027``,
  ``ISO 9001-2015``), ZIP+4 codes (``02111-1307``) and lists of small numbers;
* a number without separators is a telephone number only as ``+`` and 8 to 15 digits, ``0``
  and 10 to 12 digits (``07700900123``) or ``00`` and 11 to 15 digits;
* a number glued to a word, or following ``/ = # - . @ _ & ? % $ £ € ¥ +`` or a ``:`` that does
  not end a word (``tel:`` does), is never a telephone number: URLs, identifiers
  (``leadership-mentoring-2027``), hashes, colours, RRULE values, ``PT12H``.

Every step is linear in the input: the patterns have no nested unbounded repetition, a run is
tried for at most 15 digits from each start, and the library sees only short candidates. And
only where a number can be: :func:`find` masks and parses only the :func:`windows` around runs
of digits and separators that hold seven digits or more; Arabic-Indic, Extended Arabic-Indic,
Devanagari and full-width digits are read as digits (:func:`ascii_digits`, one for one).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

# --- things that look like numbers but are not telephone numbers -------------------------------

_D = "[0-9]"
_HOUR = "(?:[01]?[0-9]|2[0-3])"
_MINUTE = "[0-5][0-9]"
_ISO_TIME = (
    rf"T{_D}{{2}}(?::?{_D}{{2}}(?::?{_D}{{2}}(?:[.,]{_D}+)?)?)?"  # T16:00, T16:00:00.5, T1600
    rf"(?:Z|[+\-−]{_D}{{2}}(?::?{_D}{{2}})?)?"  # Z, +01:00, -0500
)
# 2027-01-28, 2027.01.28, 2027/01/28, optionally with an ISO time: 2027-01-28T16:00:00+00:00
_DATE_YMD = re.compile(
    rf"(?<![\w.])({_D}{{4}})([\-./])({_D}{{1,2}})\2({_D}{{1,2}})(?:{_ISO_TIME})?(?!\w)(?!\2{_D})"
)
# 28.01.2027, 28/01/2027, 01-28-2027, 28.01.27 (day and month in either order)
_DATE_DMY = re.compile(rf"(?<![\w.])({_D}{{1,2}})([\-./])({_D}{{1,2}})\2({_D}{{4}}|{_D}{{2}})(?!\w)(?!\2{_D})")
# 20271217, 20080830 172159, 20010101-000000 (compact dates and time stamps)
_DATE_COMPACT = re.compile(
    rf"(?<![\w.+\-])(?:19|20){_D}{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]{_D}|3[01])"
    rf"(?:[T\- ]?(?:[01]{_D}|2[0-3]){_MINUTE}(?:{_MINUTE})?(?![0-9]))?(?![0-9])"
)
# 16:00, 9.30, 16:00:00, 16:00-17:30, 08.00 – 12.30
_TIME = re.compile(
    rf"(?<![\w.:])({_HOUR}([:.]){_MINUTE}(?::{_MINUTE})?)"
    rf"(?:\s?[\-–—]\s?{_HOUR}\2{_MINUTE}(?::{_MINUTE})?)?(?!\w)(?![.:]{_D})"
)
# 0800-0930 (military-style time range)
_HHMM_RANGE = re.compile(rf"(?<![\w.+\-])(?:[01][0-9]|2[0-3]){_MINUTE}\s?[\-–—]\s?(?:[01][0-9]|2[0-3]){_MINUTE}(?!\w|[.\-]{_D})")
# 2026-2027, 2026/2027, 1999 - 2027
_YEAR = rf"(?:19|20){_D}{{2}}"
_YEAR_RANGE = re.compile(rf"(?<![\w.+\-]){_YEAR}\s?[\-/–—]\s?{_YEAR}(?!\w|[.\-]{_D})")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.{_D})")


def _valid_day_month(a: str, b: str) -> bool:
    x, y = int(a), int(b)
    return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)


def _preceded_by_same_separator(text: str, start: int, separator: str) -> bool:
    """``+49-30-12-11-27`` is no date: the would-be date continues a run with its separator."""
    return start >= 2 and text[start - 1] == separator and text[start - 2].isdigit()


def _mask(text: str) -> str:
    """``text`` with every date, time, date-time, year range and IP address replaced by ``x``."""
    chars = list(text)

    def blank(m: re.Match[str]) -> None:
        chars[m.start() : m.end()] = "x" * (m.end() - m.start())

    for m in _DATE_YMD.finditer(text):
        if 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            if not _preceded_by_same_separator(text, m.start(), m.group(2)):
                blank(m)
    for m in _DATE_DMY.finditer(text):
        if _valid_day_month(m.group(1), m.group(3)):
            if not _preceded_by_same_separator(text, m.start(), m.group(2)):
                blank(m)
    for pattern in (_DATE_COMPACT, _TIME, _HHMM_RANGE, _YEAR_RANGE, _IPV4):
        for m in pattern.finditer(text):
            blank(m)
    return "".join(chars)


# --- telephone numbers ------------------------------------------------------------------------

_SPACES = " \u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space
_GROUP = r"(?:\([0-9]{1,6}\)|[0-9]+)"
_SEP = rf"[{_SPACES}.\-]"
# A run may start with a trunk-0 area code and a slash, as in Germany and Austria: 030/4711 0815.
_AREA_SLASH = r"(?:0[1-9][0-9]{1,4}/(?=[0-9]))"
_RUN = re.compile(rf"\+?(?:{_AREA_SLASH}[0-9]+|{_GROUP})(?:(?:{_SEP}|(?<=\))|(?=\()){_GROUP})*")
_TOKEN = re.compile(rf"([{_SPACES}.\-/]?)(\(?)([0-9]+)\)?")
_YEAR_GROUP = re.compile(_YEAR)
_NOT_BEFORE = set("-_/\\#=@&?%$£€¥+.")
_NOT_AFTER = set("@/%_$£€¥°")
_MAX_DIGITS = 15


def _starts_cleanly(original: str, masked: str, i: int) -> bool:
    if i == 0:
        return True
    c = masked[i - 1]
    if c.isalnum() or c in _NOT_BEFORE:
        return False
    if c == ",":  # 3,0123456789 (decimal comma)
        return not (i >= 2 and masked[i - 2].isdigit())
    if c == ":":  # tel:+44..., Phone:0800 ... but not 16:00 or host:8080
        return i >= 2 and original[i - 2].isalpha()
    return True


def _ends_cleanly(masked: str, j: int) -> bool:
    if j >= len(masked):
        return True
    c = masked[j]
    if c.isalnum() or c in _NOT_AFTER:
        return False
    if c in ".,:-" and j + 1 < len(masked) and (masked[j + 1].isalnum() or masked[j + 1] == "_"):
        return False
    return True


def _is_phone(groups: list[tuple[str, bool]], seps: list[str], plus: bool) -> bool:
    """Whether digit groups (``(digits, in_parentheses)``) joined by ``seps`` form a telephone number.

    ``seps[k]`` is the separator before ``groups[k + 1]`` (``""`` next to parentheses).
    """
    digits = "".join(g for g, _ in groups)
    if not 7 <= len(digits) <= _MAX_DIGITS:
        return False
    first, first_paren = groups[0]
    if len(groups) == 1:
        if first_paren:
            return False
        if plus:
            return len(digits) >= 8
        if first.startswith("00"):
            return first[2] != "0" and len(digits) >= 11  # 00442079460958
        return first.startswith("0") and 10 <= len(digits) <= 12  # 07700900123
    for k, (g, paren) in enumerate(groups):
        if paren:
            if len(g) < 2 and g != "0":  # (1) is a list marker, (0) a trunk prefix
                return False
        elif len(g) == 1 and not (k == 0 or (k == 1 and plus)):
            return False  # 1.6.1, 3.2.1.4, 192.168.1.1, weeks 1 2 3 ...
    has_dot = "." in seps
    if has_dot and len(groups) == 2:
        return False  # a decimal number: 3.14159265, 0800.1234567
    # One kind of separator between the digit groups (not counting the one after a country code
    # or next to parentheses): 3 001 000.00 is an amount, +1 (555) 010-9999 a telephone number.
    slash = seps[0] == "/"  # 030/4711 0815: the slash ends a trunk-0 area code (see _RUN)
    if "/" in seps[1:] or (slash and (plus or not first.startswith("0") or not 3 <= len(first) <= 6)):
        return False
    kinds = {
        " " if sep in _SPACES else sep
        for k, sep in enumerate(seps, start=1)
        if sep and not (k == 1 and (plus or slash)) and not groups[k - 1][1] and not groups[k][1]
    }
    if len(kinds) > 1:
        return False
    if plus:
        return not first_paren and len(first) <= 4
    if len(groups) == 2 and _YEAR_GROUP.fullmatch(groups[1][0]):
        return False  # ISO 9001-2015, 0208-1990
    if [len(g) for g, _ in groups] == [5, 4] and seps == ["-"]:
        return False  # ZIP+4 code: 02111-1307
    if first_paren:
        return True
    if first.startswith("0"):
        # A trunk 0 or an international 00 is followed by a non-zero digit: 0.0001234, 0 12 34,
        # 0000 0001 and 00 00 00 00 are no telephone numbers; 00 44 20 7946 0958 is.
        if len(first) < 2 or digits[2 if digits.startswith("00") else 1] == "0":
            return False
        # Groups of two digits are the French style, always ten digits: 01 23 45 67 89.
        return len(digits) == 10 or any(len(g) != 2 for g, _ in groups)
    if any(paren for _, paren in groups):
        return True  # 1 (555) 010-9999
    # No +, no trunk 0, no area code in parentheses: require the shape of a telephone number.
    sizes = [len(g) for g, _ in groups]
    if max(sizes) > 5:
        return False  # 123456789 1234: identifiers, not telephone numbers
    if has_dot:
        return all(s == "." for s in seps) and sizes in ([3, 3, 4], [1, 3, 3, 4])
    if all(_YEAR_GROUP.fullmatch(g) for g, _ in groups):
        return False  # 2025 2026 2027
    return sizes[-1] >= 4 or sizes == [4, 3, 3]


def heuristic(text: str, masked: str | None = None) -> list[tuple[int, int]]:
    """The (start, end) of every telephone number the heuristic finds in ``text`` (``masked``: its :func:`_mask`)."""
    masked = _mask(text) if masked is None else masked
    found: list[tuple[int, int]] = []
    for run in _RUN.finditer(masked):
        plus = run.group().startswith("+")
        # (start, end, digits, in_parentheses, separator before) of each group
        tokens = []
        for t in _TOKEN.finditer(run.group(), 1 if plus else 0):
            tokens.append((run.start() + t.start(2), run.start() + t.end(), t.group(3), t.group(2) == "(", t.group(1)))
        n = len(tokens)
        s = 0
        while s < n:
            if s == 0:
                start = run.start()
                if not _starts_cleanly(text, masked, start):
                    s += 1
                    continue
            elif tokens[s][4] and tokens[s][4] in _SPACES and not (
                len(tokens[s][2]) == 3 and len(tokens[s - 1][2]) <= 3 and not tokens[s][3]
            ):  # a number may start after a space, but not in the middle of 3 001 000 000
                start = tokens[s][0]
            else:
                s += 1
                continue
            # Extend up to 15 digits, stopping before a one-digit group that no number may contain.
            total, last = 0, s
            while last < n and total + len(tokens[last][2]) <= _MAX_DIGITS:
                k = last - s
                if k and len(tokens[last][2]) == 1 and not tokens[last][3] and not (k == 1 and plus and s == 0):
                    break
                total += len(tokens[last][2])
                last += 1
            # Without +, trunk 0 or parentheses a number must end in a group of four or more
            # digits, or be 4-3-3 (see _is_phone): a cheap test that keeps long runs linear.
            bare = not (plus and s == 0) and not tokens[s][2].startswith("0") and not any(t[3] for t in tokens[s:last])
            if bare and len(tokens[s][2]) != 4 and all(len(t[2]) < 4 for t in tokens[s + 1 : last]):
                s += 1
                continue
            for e in range(last, s, -1):  # the longest run that is a telephone number
                if e < n and not (tokens[e][4] and tokens[e][4] in _SPACES):
                    continue
                if bare and len(tokens[e - 1][2]) < 4 and not (e - s == 3 and [len(t[2]) for t in tokens[s:e]] == [4, 3, 3]):
                    continue
                end = tokens[e - 1][1]
                if e == n and not _ends_cleanly(masked, end):
                    continue
                groups = [(t[2], t[3]) for t in tokens[s:e]]
                seps = [t[4] for t in tokens[s + 1 : e]]
                if _is_phone(groups, seps, plus and s == 0):
                    number = text[start:end]
                    found.append((start, start + len(number)))
                    s = e
                    break
            else:
                s += 1
    return found


# --- libphonenumber ---------------------------------------------------------------------------

# A stretch that could hold a telephone number: digit groups (the ones after the first of two
# digits or more) joined by up to three separators. Every repetition is bounded, so each start
# costs a bounded number of steps; the library parses only these stretches.
_CANDIDATE = re.compile(
    r"(?<![0-9])\+?\(?[0-9]{1,6}\)?(?:[ \u00a0\u2009\u202f./\-\u2010-\u2015]{1,3}\(?[0-9]{2,12}\)?){0,6}"
)
_CONTEXT = 4  # characters the library sees on each side (it refuses a number glued to letters)
MAX_CANDIDATES = 2000
"""Stretches the library parses in one text, counted once per region (about a millisecond each);
after that it stops, and says so (see :func:`library`)."""


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone name -> ISO 3166 country code, from the pinned tzdata package's zone.tab."""
    out: dict[str, str] = {}
    try:
        text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):  # pragma: no cover - tzdata is a dependency
        return out
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3:
                out[fields[2]] = fields[0]
    return out


def region_of(timezone: str | None) -> str | None:
    """The country of an IANA time zone (``Europe/Berlin`` -> ``DE``), or None (``UTC``)."""
    return _zone_countries().get(timezone or "")


def regions(timezones: Iterable[str | None], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The regions whose national formats are checked: the countries of ``timezones`` plus ``extra``."""
    found = {r for r in (region_of(tz) for tz in timezones) if r}
    found.update(r.upper() for r in extra if isinstance(r, str) and r.strip())
    return tuple(sorted(found))


def library(
    text: str,
    regions: Iterable[str],
    masked: str | None = None,
    skip: list[tuple[int, int]] | None = None,
    budget: Budget | None = None,
) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) of every valid telephone number of ``regions`` (or in + form) in ``text``.

    The library looks at the masked text (dates, times, versions and IP addresses blanked out),
    and a number must start and end cleanly as for the heuristic (not inside a URL or identifier).
    Stretches inside the spans ``skip`` (the heuristic's findings) are not parsed again. Returns
    the spans and, when the text holds more than :data:`MAX_CANDIDATES` stretches to parse, the
    offset where the library stopped (the caller reports it: the work stays bounded, and the
    stop is never silent). A shared ``budget`` (:class:`Budget`) counts the parses over several
    calls (the windows and segments of one text); once it has run out, the library is not asked again.
    """
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    budget = Budget() if budget is None else budget
    if budget.stopped:
        return [], None
    masked = _mask(text) if masked is None else masked
    wanted = [r for r in regions if r in phonenumbers.SUPPORTED_REGIONS] or ["ZZ"]
    found: set[tuple[int, int]] = set()
    skip_starts = [a for a, _ in skip or []]
    for candidate in _CANDIDATE.finditer(masked):
        digits = sum(c.isdigit() for c in candidate.group())
        if not 7 <= digits <= 17:
            continue
        i = bisect.bisect_right(skip_starts, candidate.start())
        if i and skip and skip[i - 1][0] <= candidate.start() and candidate.end() <= skip[i - 1][1]:
            continue
        budget.used += len(wanted)
        if budget.used > MAX_CANDIDATES:
            budget.stopped = True
            return sorted(found), candidate.start()
        lo = max(0, candidate.start() - _CONTEXT)
        snippet = masked[lo : candidate.end() + _CONTEXT]
        for region in wanted:
            for match in PhoneNumberMatcher(snippet, region, leniency=Leniency.STRICT_GROUPING, max_tries=8):
                start, end = lo + match.start, lo + match.end
                if _groups_ok(match.raw_string) and _starts_cleanly(text, masked, start) and _ends_cleanly(masked, end):
                    found.add((start, end))
    return sorted(found), None


def _groups_ok(raw: str) -> bool:
    """No lone ``0`` in front and no one-digit group inside (``0.22.20.1000`` is a version), as for the heuristic."""
    groups = re.findall(r"[0-9]+", raw)
    if groups[0] == "0":
        return False
    allowed = 2 if raw.startswith("+") else 1  # +44 (0)20 ..., +1 212 ...
    return all(len(g) > 1 or (k < allowed) for k, g in enumerate(groups))


class Budget:
    """Parses by the library so far in one text (its windows and segments): at most :data:`MAX_CANDIDATES`."""

    __slots__ = ("used", "stopped")

    def __init__(self, used: int = 0) -> None:
        self.used = used
        self.stopped = False

    def left(self) -> int:
        return 0 if self.stopped else MAX_CANDIDATES - self.used


# --- the fast path: only where a telephone number can be ----------------------------------------

# Digits of other scripts, read as ASCII digits (one character for one, so offsets stay valid):
# Arabic-Indic, Extended Arabic-Indic (Persian, Urdu), Devanagari and full-width digits.
_DIGIT_BLOCKS = (0x0660, 0x06F0, 0x0966, 0xFF10)
_DIGIT_TABLE = {block + d: ord("0") + d for block in _DIGIT_BLOCKS for d in range(10)}


OTHER_DIGITS = "\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19"
_OTHER_DIGIT = re.compile(f"[{OTHER_DIGITS}]")


def ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic, Extended Arabic-Indic, Devanagari and full-width digits as ASCII digits (same length)."""
    if text.isascii() or not _OTHER_DIGIT.search(text):
        return text
    return text.translate(_DIGIT_TABLE)


# Every character a telephone number, a candidate stretch or a masked date, time, range or IP
# address can contain (digits, separators, parentheses, +, whitespace, T and Z of ISO times). A
# number and everything _mask blanks lie inside one maximal run of these ("cluster").
_CLUSTER_CHARS = r"0-9\s+().,/:\-\u2010-\u2015\u2212TZ"
_CLUSTER = re.compile(rf"[0-9][{_CLUSTER_CHARS}]*")
_IN_CLUSTER = re.compile(rf"[{_CLUSTER_CHARS}]")
_MIN_DIGITS = 7  # no telephone number, for the heuristic or the library, has fewer
_MARGIN = 16  # characters around a cluster that the checks look at (lookarounds, the library's context)


def _digit_count(text: str) -> int:
    return sum(map(text.count, "0123456789"))


def windows(text: str) -> list[tuple[int, int]]:
    """Disjoint ``(start, end)`` windows of ``text`` (ASCII digits) outside which no telephone number can be.

    Each holds a cluster of at least seven digits and a margin, widened so that it never cuts a
    cluster: the checks see in a window exactly what they see in the whole text.
    """
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _CLUSTER.finditer(text):
        start, end = m.span()
        if end - start < _MIN_DIGITS or _digit_count(m.group()) < _MIN_DIGITS:
            continue
        while start > 0 and _IN_CLUSTER.match(text, start - 1):  # the run began before its first digit (+, ()
            start -= 1
        lo, hi = max(0, start - _MARGIN), min(n, end + _MARGIN)
        while lo > 0 and _IN_CLUSTER.match(text, lo):
            lo -= 1
        while hi < n and _IN_CLUSTER.match(text, hi - 1):
            hi += 1
        if out and lo <= out[-1][1]:
            lo = out[-1][0]
            out.pop()
        out.append((lo, hi))
    return out


def _find_whole(text: str, regions: tuple[str, ...], budget: Budget) -> tuple[list[tuple[int, int]], int | None]:
    """:func:`find` on one text without windows: the reference the fast path is tested against."""
    masked = _mask(text)
    spans = heuristic(text, masked)
    starts = [s for s, _ in spans]
    extra = []
    lib, stopped = library(text, regions, masked, spans, budget)
    for start, end in lib:
        i = bisect.bisect_right(starts, start)
        before = spans[i - 1] if i else None
        after = spans[i] if i < len(spans) else None
        if (before and before[1] > start) or (after and after[0] < end):
            continue
        if extra and extra[-1][1] > start:
            continue
        extra.append((start, end))
    return sorted(spans + extra), stopped


_WINDOWS: dict[tuple[str, tuple[str, ...]], tuple[list[tuple[int, int]], int]] = {}
_WINDOWS_MAX = 4096  # entries: then the memo starts again
_WINDOW_KEPT = 256  # characters: a longer window (a page-long list of numbers) is parsed, never kept


def _window(text: str, regions: tuple[str, ...], budget: Budget) -> tuple[list[tuple[int, int]], int | None]:
    """:func:`_find_whole` on one window, remembered for this process: the same digits come back in the text as
    written and as decoded, and on every page that shows them. A remembered window costs the budget the parses it
    took; one that ran out of budget is never remembered, nor reused where the budget could not have paid for it.
    Only short windows are kept, so the memo holds at most ``_WINDOWS_MAX * _WINDOW_KEPT`` characters."""
    key = (text, regions)
    entry = _WINDOWS.get(key)
    if entry is not None and entry[1] <= budget.left():
        budget.used += entry[1]
        return list(entry[0]), None
    before = budget.used
    found, stopped = _find_whole(text, regions, budget)
    if stopped is None and not budget.stopped and len(text) <= _WINDOW_KEPT:
        if len(_WINDOWS) >= _WINDOWS_MAX:
            _WINDOWS.clear()
        _WINDOWS[key] = (found, budget.used - before)
    return found, stopped


def find(
    text: str, regions: Iterable[str] = (), *, budget: Budget | None = None
) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) of every telephone number in ``text``: the heuristic's, and the library's that do not overlap them.

    Digits of other scripts count as digits (:func:`ascii_digits`). Only the :func:`windows` are
    masked and parsed, so prose without digit clusters costs one regular-expression pass. The
    second value is where the library stopped, if it did (see :func:`library`; ``budget`` shares
    its parses between calls for one text).
    """
    text = ascii_digits(text)
    regions = tuple(regions)
    budget = Budget() if budget is None else budget
    spans: list[tuple[int, int]] = []
    stopped: int | None = None
    for lo, hi in windows(text):
        found, stop = _window(text[lo:hi], regions, budget)
        spans += [(lo + s, lo + e) for s, e in found]
        if stop is not None and stopped is None:
            stopped = lo + stop
    return spans, stopped
