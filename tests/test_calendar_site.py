"""The group-session calendar of the built example site, against an independent computation.

The expected occurrences are computed here from program.yml read with plain YAML (not the
portal's model) and expanded with dateutil.rrule + zoneinfo; the built pages' ``<time>``
elements and the built ``.ics`` files (re-parsed with icalendar, expanded with
recurring-ical-events, and checked by libical) must agree with it.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import yaml
from dateutil.rrule import rrulestr

import libical
from browser_support import REPO, build_site

EPOCH = "1790000000"
PROGRAM = yaml.safe_load((REPO / "program.yml").read_text())
INFO = PROGRAM["program"]
ENDS = INFO["ends"] if isinstance(INFO["ends"], date) else date.fromisoformat(INFO["ends"])


def expected(session: dict) -> list[datetime]:
    """Occurrence starts of one session, computed independently of the portal."""
    tz = ZoneInfo(session.get("timezone", INFO["timezone"]))
    start = session["start"]
    start = start if isinstance(start, datetime) else datetime.fromisoformat(str(start))
    start = start.replace(tzinfo=tz)
    excluded = {d if isinstance(d, date) else date.fromisoformat(d) for d in session.get("except", [])}
    if not session.get("repeat"):
        starts = [start]
    else:
        rule = rrulestr(session["repeat"], dtstart=start)
        open_series = "COUNT=" not in session["repeat"] and "UNTIL=" not in session["repeat"]
        starts = []
        for occ in rule:
            if open_series and occ.date() > ENDS:
                break
            starts.append(occ)
    # zoneinfo attaches the zone to the wall-clock time; normalise through UTC (RFC 5545 gap rule)
    return [s.astimezone(timezone.utc).astimezone(tz) for s in starts if s.date() not in excluded]


SESSIONS = {s["id"]: expected(s) for s in PROGRAM["sessions"]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("site"), epoch=EPOCH)


def times(html: str) -> list[str]:
    """The occurrences' date-times (the footer's build date is a date, not an occurrence)."""
    return re.findall(r'<time datetime="([^"]+T[^"]+)"', html)


def test_calendar_page_lists_every_occurrence_with_its_offset(site: Path) -> None:
    html = (site / "calendar" / "index.html").read_text()
    want = sorted((o.isoformat(timespec="seconds") for occs in SESSIONS.values() for o in occs), key=datetime.fromisoformat)
    assert times(html) == want
    assert len(want) == sum(map(len, SESSIONS.values())) > 10


def test_clock_change_keeps_the_wall_clock_time(site: Path) -> None:
    html = (site / "calendar" / "index.html").read_text()
    # London: the March circle is before the clocks go forward (GMT), the April one after (BST)
    assert '<time datetime="2027-03-25T16:00:00+00:00"' in html
    assert '<time datetime="2027-04-22T16:00:00+01:00"' in html
    assert '<time datetime="2027-10-28T16:00:00+01:00"' in html  # still BST: the clocks go back on 31 October
    assert '<time datetime="2027-11-25T16:00:00+00:00"' in html  # GMT again
    # August is an exception date of the London series
    assert "2027-08-26T" not in html
    # New York's own offsets, on both sides of its (earlier) clock change
    assert '<time datetime="2027-02-10T12:00:00-05:00"' in html
    assert '<time datetime="2027-05-12T12:00:00-04:00"' in html


def test_open_series_ends_at_program_end(site: Path) -> None:
    london = SESSIONS["leadership-circle"]
    assert london[-1].date() <= ENDS < london[-1].date() + timedelta(days=35)
    html = (site / "calendar" / "index.html").read_text()
    assert "2027-12-23T" not in html  # the fourth Thursday of December is after program.ends


def test_group_guide_lists_its_sessions(site: Path) -> None:
    for track in PROGRAM["tracks"]:
        html = (site / "guides" / track["id"] / "index.html").read_text()
        own = [s["id"] for s in PROGRAM["sessions"] if s.get("track") == track["id"]]
        want = sorted((o.isoformat(timespec="seconds") for sid in own for o in SESSIONS[sid]), key=datetime.fromisoformat)
        assert times(html) == want, track["id"]
        if track["format"] != "group":
            assert "data-pp-planner" in html and f'data-pp-every-weeks="{track["cadence"]["every_weeks"]}"' in html


def ics_files(site: Path) -> list[Path]:
    files = sorted((site / "calendar").glob("*.ics"))
    assert {f.stem for f in files} == set(SESSIONS) | {INFO["id"]}
    return files


def test_ics_files_expand_to_the_same_instants(site: Path) -> None:
    for path in ics_files(site):
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        got = sorted(
            e["DTSTART"].dt.astimezone(timezone.utc)
            for e in recurring_ical_events.of(cal).between(datetime(2026, 1, 1), datetime(2029, 1, 1))
        )
        ids = list(SESSIONS) if path.stem == INFO["id"] else [path.stem]
        want = sorted(o.astimezone(timezone.utc) for sid in ids for o in SESSIONS[sid])
        assert got == want, path.name


def test_ics_rules(site: Path) -> None:
    for path in ics_files(site):
        data = path.read_bytes()
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
        assert b"ATTENDEE" not in data
        cal = icalendar.Calendar.from_ical(data)
        tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        for event in cal.walk("VEVENT"):
            assert event["DTSTART"].params["TZID"] in tzids
            assert event["DTSTAMP"].dt == datetime.fromtimestamp(int(EPOCH), tz=timezone.utc)
            for rule in event.get("RRULE", {}).get("UNTIL", []):
                assert rule.tzinfo is not None and rule.utcoffset() == timedelta(0)
        if path.stem == INFO["id"]:
            assert cal["X-WR-CALNAME"] == INFO["title"]
            assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H" in data


def test_ics_pass_libical_restriction_check(site: Path) -> None:
    lib = libical.load()
    if lib is None:
        if os.environ.get("CI"):
            pytest.fail("libical.so.3 is missing (install Debian's libical3)")
        pytest.skip("libical.so.3 is not installed")
    for path in ics_files(site):
        assert libical.errors(lib, path.read_bytes()) == [], path.name


def test_uids_are_stable_between_builds(site: Path, tmp_path: Path) -> None:
    other = build_site(REPO, tmp_path / "again", epoch=str(int(EPOCH) + 86400))

    def uids(root: Path) -> dict[str, list[str]]:
        return {
            p.name: sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT"))
            for p in sorted((root / "calendar").glob("*.ics"))
        }

    assert uids(site) == uids(other)
    feed = uids(site)[f"{INFO['id']}.ics"]
    assert feed == sorted(f"{sid}.{INFO['id']}@program-portal" for sid in SESSIONS)
