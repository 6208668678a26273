"""Privacy checks (spec section 4): e-mail addresses and telephone numbers, in both directions."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from program_portal.diagnostics import Diagnostic, Location
from program_portal.checks.privacy import EMAIL, PHONE, scan

QUOTED = re.compile(r"'(.*)' (?:is not in|looks like)")
# libphonenumber runs for these regions in every test here: national formats of four countries,
# and the false-positive tests (dates, times, RRULE values, versions, amounts) must stay green.
REGIONS = ("DE", "FR", "GB", "US")


def found(text: str, allowed: tuple[str, ...] = ()) -> list[tuple[str, str, int, int]]:
    """``(code, quoted value, line, column)`` of every finding."""
    result = []
    for d in scan(text, "content/page.md", allowed, regions=REGIONS):
        match = QUOTED.search(d.message)
        assert match is not None, d.message
        result.append((d.code, match.group(1), d.location.line, d.location.column))
    return result


def phones(text: str) -> list[str]:
    return [value for code, value, _, _ in found(text) if code == PHONE]


# --- telephone numbers that must be caught -----------------------------------------------------

CAUGHT = [
    # (text, number, line, column)
    ("+44 20 7946 0958", "+44 20 7946 0958", 1, 1),
    ("Call (020) 7946 0958 today", "(020) 7946 0958", 1, 6),
    ("020-7946-0958", "020-7946-0958", 1, 1),
    ("Office: 020 7946 0958.", "020 7946 0958", 1, 9),
    ("mobile 07700 900123", "07700 900123", 1, 8),
    ("US desk: +1 (555) 010-9999", "+1 (555) 010-9999", 1, 10),
    ("555.010.9999", "555.010.9999", 1, 1),
    ("Paris +33 1 23 45 67 89", "+33 1 23 45 67 89", 1, 7),
    ("Berlin: +49-30-1234567", "+49-30-1234567", 1, 9),
    ("Freephone 0800 123 4567", "0800 123 4567", 1, 11),
    ("ring 07700900123 now", "07700900123", 1, 6),
    ("07700900123", "07700900123", 1, 1),
    ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958", 1, 1),
    ("0044 20 7946 0958", "0044 20 7946 0958", 1, 1),
    ("00 44 20 7946 0958", "00 44 20 7946 0958", 1, 1),
    ("1-800-555-0199", "1-800-555-0199", 1, 1),
    ("555 010 9999", "555 010 9999", 1, 1),
    ("01 23 45 67 89", "01 23 45 67 89", 1, 1),
    ("01.23.45.67.89", "01.23.45.67.89", 1, 1),
    ("(02) 9876 5432", "(02) 9876 5432", 1, 1),
    ("+44\u00a020\u00a07946\u00a00958", "+44\u00a020\u00a07946\u00a00958", 1, 1),  # no-break spaces
    ("[call us](tel:+442079460958)", "+442079460958", 1, 15),
    ("Phone:0800 123 4567", "0800 123 4567", 1, 7),
    ("contact: '020 7946 0958'", "020 7946 0958", 1, 11),
    ('notes: "07700 900123"', "07700 900123", 1, 9),
    ("**0800 123 4567**", "0800 123 4567", 1, 3),
    ("| Jane | 020 7946 0958 |", "020 7946 0958", 1, 10),
    ("(0800 123 4567)", "0800 123 4567", 1, 2),
    ("# call 020 7946 0958 after 16:00", "020 7946 0958", 1, 8),
    ("call 020 7946 0958 2 times", "020 7946 0958", 1, 6),
    ("On 2027-01-28 call 020 7946 0958", "020 7946 0958", 1, 20),
    ("location: Board room  # host: 07700 900123", "07700 900123", 1, 31),
    ("line one\nline two\nCall: +44 20 7946 0958", "+44 20 7946 0958", 3, 7),
    ("a\r\nb\r\nCall: +44 20 7946 0958\r\n", "+44 20 7946 0958", 3, 7),
    ("\n\n\n    - 020-7946-0958", "020-7946-0958", 4, 7),
]


@pytest.mark.parametrize(("text", "number", "line", "column"), CAUGHT)
def test_telephone_number_is_caught_where_it_starts(text: str, number: str, line: int, column: int) -> None:
    assert found(text) == [(PHONE, number, line, column)]


def test_diagnostic_is_a_located_error() -> None:
    [diagnostic] = scan("title: x\nsummary: y\nnotes: +44 20 7946 0958\n", "program.yml")
    assert diagnostic == Diagnostic(
        "error",
        "PV002",
        "'+44 20 7946 0958' looks like a telephone number; the portal publishes no personal data",
        Location("program.yml", 3, 8),
    )
    assert str(diagnostic) == (
        "program.yml:3:8: error PV002: '+44 20 7946 0958' looks like a telephone number; "
        "the portal publishes no personal data"
    )
    assert diagnostic.is_error
    assert (EMAIL, PHONE) == ("PV001", "PV002")


def test_several_findings_in_order() -> None:
    text = "Jane: jane@example.org, 020 7946 0958\nJohn: 07700 900123 or john@example.org\n"
    assert found(text) == [
        (EMAIL, "jane@example.org", 1, 7),
        (PHONE, "020 7946 0958", 1, 25),
        (PHONE, "07700 900123", 2, 7),
        (EMAIL, "john@example.org", 2, 23),
    ]


def test_numbers_joined_by_spaces_are_found_one_by_one() -> None:
    assert phones("020 7946 0958 07700 900123") == ["020 7946 0958", "07700 900123"]


# --- numbers that are not telephone numbers ----------------------------------------------------

NOT_PHONES = [
    # dates and date ranges
    "2027-01-28",
    "28.01.2027",
    "28/01/2027",
    "01/28/2027",
    "08-01-2027",
    "08.01.2027",
    "2027-01-11 to 2027-12-17",
    "2027-01-11 - 2027-12-17",
    "2027-01-11/2027-12-17",
    "28.01.2027-30.01.2027",
    "28.01.–30.01.2027",
    "28-30.01.2027",
    "08-10.01.2027",
    "except: [2027-08-26, 2027-12-23]",
    "starts: 2027-01-11\nends: 2027-12-17",
    "20271217",
    "20080830 172159",
    # times and ISO date-times
    "2027-01-28T16:00",
    "start: 2027-01-28T16:00:00+00:00",
    "2027-01-28T16:00:00.123Z",
    "2027-01-28 16:00:00",
    "16:00-17:30",
    "16:00 - 17:30",
    "08.00-12.30",
    "0800-0930",
    "28.01.2027 16.00",
    '<time datetime="2027-01-28T16:00:00+00:00">',
    # RRULE values and durations
    "repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=10;UNTIL=20271217T000000Z",
    "DTSTART;TZID=Europe/London:20270128T160000",
    "PT12H",
    "P1Y2M10DT2H30M",
    # version and section numbers
    "1.6.1",
    "mkdocs-material 9.8.1",
    "v2.10.3",
    "3.2.1.4",
    "10.0.19045.2965",
    "2024.10.12345",
    "Python 3.11.7",
    # amounts
    "1,000,000",
    "£1,250.00",
    "12 500 EUR",
    "1.5 million",
    "1 250 000",
    "EUR 1 250 000",
    "1.250.000,00 €",
    "1 234 567,89",
    "$ 12 345 678.90",
    "1\u00a0234\u00a0567",
    "CHF 1'250'000",
    "3.14159265",
    "0.0001234",
    "0,0123456789",
    # years, year ranges, week ranges
    "2026-2027",
    "2027–2028",
    "2026 - 2027",
    "2025 2026 2027",
    "Cohort 3 2026-2027",
    "weeks 1-3",
    "weeks: [1, 3]",
    "time_commitment: 2-3 hours a month",
    # IP addresses, identifiers, hashes, URLs, colours
    "192.168.1.1",
    "192.168.100.200",
    "10.0.0.1:8080",
    "commit 9354337abc",
    "9354337",
    "sha 5d41402abc4b2a76b9719d911017c592",
    "550e8400-e29b-41d4-a716-446655440000",
    "id: leadership-mentoring-2027",
    "leadership-mentoring-07700900123",
    "https://host/x/123456789",
    "https://host/x/07700900123",
    "https://host/x?id=07700900123",
    "#123456",
    "color: #1a2b3c",
    "issue #1234567",
    "ISBN 978-3-16-148410-0",
    "ISO 9001-2015",
    "Boston, MA 02111-1307",
    "1700000000",
    "SOURCE_DATE_EPOCH=1700000000",
    # lists of small numbers
    "10 20 30 40",
    "1 2 3 4 5 6 7 8",
    "minutes: 15 30 45 60 90",
    "00 00 00 00 00",
    "0000 0001",
    "01 02 03 04",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_not_a_telephone_number(text: str) -> None:
    assert phones(text) == []


SPEC_EXAMPLE = """\
version: 1                                  # required; the format version
program:                                    # required
  id: executive-mentoring-2027              # required
  title: Executive Mentoring Programme 2027 # required
  timezone: Europe/London                   # required; IANA name; the default for sessions
  starts: 2027-01-11                        # required
  ends: 2027-12-17                          # required
  contact: mentoring@example.org            # a functional mailbox (see privacy)
roles:
  - id: mentee
    time_commitment: 2-3 hours a month      # free text
phases:
  - id: launch
    weeks: [1, 3]                           # first and last week, counted from program.starts
tracks:
  - id: executive
    cadence: {every_weeks: 4, minutes: 60}  # the regular meeting rhythm
    duration_months: 9
templates:
  - id: first-session
    items:
      - {minutes: 15, topic: Introductions and career stories, lead: both, notes: Keep it personal.}
sessions:
  - id: leadership-circle
    start: 2027-01-28T16:00
    minutes: 90
    repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=10 # optional RFC 5545 RRULE (UNTIL, if given, in UTC: ...Z)
    except: [2027-08-26]                    # optional dates on which it does not take place
    location: Board room, level 5           # free text; no personal data
privacy:
  allowed_emails: [mentoring@example.org]   # the only addresses that may appear anywhere
"""


def test_spec_example_has_no_finding() -> None:
    assert scan(SPEC_EXAMPLE, "program.yml", ["mentoring@example.org"]) == []


def test_spec_example_without_allowed_list_reports_the_mailbox_twice() -> None:
    assert found(SPEC_EXAMPLE) == [(EMAIL, "mentoring@example.org", 8, 12), (EMAIL, "mentoring@example.org", 31, 20)]


# --- e-mail addresses --------------------------------------------------------------------------

EMAILS_CAUGHT = [
    ("jane.doe@example.org", "jane.doe@example.org", 1, 1),
    ("Write to jane.doe@example.org.", "jane.doe@example.org", 1, 10),
    ("[Jane](mailto:jane@example.org)", "jane@example.org", 1, 15),
    ("<jane+mentoring@mail.example.co.uk>", "jane+mentoring@mail.example.co.uk", 1, 2),
    ("contact: 'jane_doe@example.org'", "jane_doe@example.org", 1, 11),
    ("_jane@example.org_", "jane@example.org", 1, 2),
    ("o'brien@example.org", "o'brien@example.org", 1, 1),
    ("jürgen@beispiel.de", "jürgen@beispiel.de", 1, 1),
    ("https://example.org/?to=jane@example.org", "jane@example.org", 1, 25),
    ("Follow @jane@mastodon.social", "jane@mastodon.social", 1, 9),
    ("# mentor: jane@example.org", "jane@example.org", 1, 11),
    ("a\nb\nfrom: jane@example.org", "jane@example.org", 3, 7),
    # issue 16: spelled and ideographic forms are read as their reader reads them
    ("jane at example dot org", "jane@example.org", 1, 1),
    ("Write to jane at corp dot example.", "jane@corp.example", 1, 10),
    ("jane [at] corp [dot] example", "jane@corp.example", 1, 1),
    ("jane@corp\u3002example", "jane@corp.example", 1, 1),
    ("jane@corp\uff61example", "jane@corp.example", 1, 1),
    ("jane@corp\uff0eexample", "jane@corp.example", 1, 1),
]


@pytest.mark.parametrize(("text", "address", "line", "column"), EMAILS_CAUGHT)
def test_email_address_is_caught_where_it_starts(text: str, address: str, line: int, column: int) -> None:
    assert found(text, ("mentoring@example.org",)) == [(EMAIL, address, line, column)]


def test_email_message() -> None:
    [diagnostic] = scan("jane.doe@example.org", "content/guides/executive.md")
    assert str(diagnostic) == (
        "content/guides/executive.md:1:1: error PV001: e-mail address 'jane.doe@example.org' is not in "
        "privacy.allowed_emails; the portal publishes no personal data (use a functional mailbox and list it there)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "mentoring@example.org",
        "MENTORING@Example.ORG",
        "mailto:Mentoring@example.org",
        "contact: mentoring@example.org  # the programme office",
    ],
)
def test_allowed_email_is_not_reported_whatever_its_case(text: str) -> None:
    assert scan(text, "program.yml", ["Mentoring@EXAMPLE.org"]) == []
    assert scan(text, "program.yml", [" mentoring@example.org "]) == []


def test_only_the_allowed_addresses_pass() -> None:
    text = "mentoring@example.org or mentoring@example.com"
    assert found(text, ("mentoring@example.org",)) == [(EMAIL, "mentoring@example.com", 1, 26)]


@pytest.mark.parametrize(
    "text",
    [
        "https://jane@host.example.org/",
        "ftp://user:secret@files.example.org/x",
        "<https://jane@host.example.org>",
        "git@github.com:example/portal.git",
        "@jane",
        "ping @jane.doe on chat",
        "jane@team",
        "jane@localhost",
        "![logo](img/logo@2x.png)",
        "icon@1.5x.svg",
        "pip install pkg@1.2.3",
        "a@b.c",
        "meet at the office dot",
        "reach us at docs.example.org",
        "Look at the polka dot dress",
    ],
)
def test_not_an_email_address(text: str) -> None:
    assert [f for f in found(text) if f[0] == EMAIL] == []


# --- properties --------------------------------------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%y", "%Y%m%d"]
CONTEXTS = ["{}", "on {}", "({})", "[{}]", "**{}**", "starts: {}", "- {}\n", "| {} |", "'{}'", '"{}"', "{}.", "{},", "# {}"]

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
formatted_dates = st.builds(lambda d, f: d.strftime(f), dates, st.sampled_from(DATE_FORMATS))


@st.composite
def date_ranges(draw: st.DrawFn) -> str:
    fmt = draw(st.sampled_from(DATE_FORMATS))
    a, b = draw(dates), draw(dates)
    joiner = draw(st.sampled_from([" to ", " – ", " - ", "–", " until ", ", "] + (["/"] if fmt == "%Y-%m-%d" else [])))
    return a.strftime(fmt) + joiner + b.strftime(fmt)


@st.composite
def iso_datetimes(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2099, 12, 31)))
    offset = draw(st.sampled_from([None, timezone.utc, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5, minutes=-30))]))
    if offset is not None:
        moment = moment.replace(tzinfo=offset)
    text = moment.isoformat(sep=draw(st.sampled_from(["T", " "])), timespec=draw(st.sampled_from(["minutes", "seconds", "milliseconds"])))
    style = draw(st.sampled_from(["iso", "zulu", "compact"]))
    if style == "zulu" and offset is not None:
        text = moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    elif style == "compact":
        text = moment.strftime("%Y%m%dT%H%M%S") + draw(st.sampled_from(["", "Z"]))
    return text


@st.composite
def times(draw: st.DrawFn) -> str:
    def one() -> str:
        h, m = draw(st.integers(0, 23)), draw(st.integers(0, 59))
        return draw(st.sampled_from([f"{h:02d}:{m:02d}", f"{h}:{m:02d}", f"{h:02d}.{m:02d}", f"{h:02d}:{m:02d}:00"]))

    first = one()
    if draw(st.booleans()):
        second = one()
        if ("." in first) != ("." in second):
            second = second.replace(".", ":") if ":" in first else second.replace(":", ".", 1)
        return first + draw(st.sampled_from(["-", " - ", "–", " – "])) + second
    return first


@st.composite
def rrules(draw: st.DrawFn) -> str:
    until = draw(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
    count = draw(st.integers(1, 999))
    return f"FREQ=MONTHLY;BYDAY=4TH;COUNT={count};UNTIL={until:%Y%m%dT%H%M%S}Z"


@st.composite
def versions(draw: st.DrawFn) -> str:
    parts = [draw(st.integers(0, 2100)), draw(st.integers(0, 99)), draw(st.integers(0, 99999))]
    if draw(st.booleans()):
        parts.append(draw(st.integers(0, 99999)))
    prefix = draw(st.sampled_from(["", "v", "version ", "Python ", "release-", "§ "]))
    suffix = draw(st.sampled_from(["", "-rc.1", "+build.7", "b2"]))
    return prefix + ".".join(map(str, parts[: draw(st.integers(2, len(parts)))])) + suffix


@st.composite
def amounts(draw: st.DrawFn) -> str:
    value = draw(st.integers(0, 10**12))
    grouping = draw(st.sampled_from([",", " ", "\u00a0", "\u202f", ".", "'", ""]))
    digits = str(value)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    text = grouping.join(groups)
    if draw(st.booleans()):
        text += ("," if grouping in ".'" else ".") + f"{draw(st.integers(0, 99)):02d}"
    if draw(st.booleans()):
        text = f"{value / 10**6:.1f} million" if draw(st.booleans()) else f"{value / 10**9:.2f}bn"
    currency = draw(st.sampled_from(["{}", "£{}", "${}", "€{}", "{} €", "EUR {}", "{} EUR", "USD {}", "CHF {}", "£ {}"]))
    return currency.format(text)


not_phone_values = st.one_of(formatted_dates, date_ranges(), iso_datetimes(), times(), rrules(), versions(), amounts())


@settings(max_examples=600)
@given(value=not_phone_values, context=st.sampled_from(CONTEXTS))
def test_dates_times_versions_and_amounts_are_never_telephone_numbers(value: str, context: str) -> None:
    assert phones(context.format(value)) == []


@settings(max_examples=300)
@given(values=st.lists(not_phone_values, min_size=2, max_size=6), joiner=st.sampled_from([", ", "; ", " and ", "\n", " | "]))
def test_lists_of_dates_times_versions_and_amounts_are_never_telephone_numbers(values: list[str], joiner: str) -> None:
    assert phones(joiner.join(values)) == []


@settings(max_examples=300)
@given(date_value=formatted_dates, time_value=times())
def test_a_date_followed_by_a_time_is_no_telephone_number(date_value: str, time_value: str) -> None:
    assert phones(f"{date_value} {time_value}") == []


def check_located(text: str, diagnostics: list[Diagnostic]) -> None:
    lines = text.split("\n")
    for d in diagnostics:
        assert d.severity == "error" and d.code in {EMAIL, PHONE}
        assert d.location.file == "content/page.md"
        line = lines[d.location.line - 1]
        match = QUOTED.search(d.message)
        assert match is not None
        written = re.search(r"\(written '(.*?)'\)", d.message)
        assert line[d.location.column - 1 :].startswith(written.group(1) if written else match.group(1))


@settings(max_examples=500)
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    check_located(text, scan(text, "content/page.md", ["a@b.org"], regions=REGIONS))


@settings(max_examples=500)
@given(st.text(alphabet="0123456789 +-.()@:/#,\nabcT_'\u00a0", max_size=200))
def test_random_number_soup_never_raises_and_findings_are_located(text: str) -> None:
    check_located(text, scan(text, "content/page.md", regions=REGIONS))


@settings(max_examples=200)
@given(
    prefix=st.text(alphabet="abc ,.;:\n", max_size=20),
    number=st.sampled_from([number for _, number, _, _ in CAUGHT if "\n" not in number]),
    suffix=st.sampled_from(["", " ", ".", ",", ")", "\n", " today", "; "]),
)
def test_telephone_numbers_are_caught_in_any_sentence(prefix: str, number: str, suffix: str) -> None:
    text = f"{prefix} {number}{suffix}"
    start = len(prefix) + 1
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    assert (PHONE, number, line, column) in found(text)


def test_long_inputs_stay_fast() -> None:
    for text in ["1 " * 20000, "12 " * 5000, "a@" * 20000, "a.b" * 20000 + "@", "0" * 50000, "x@y." * 10000]:
        assert scan(text, "content/page.md") == []
