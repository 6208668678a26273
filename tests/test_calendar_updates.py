"""A session moved in program.yml reaches the people who imported or subscribed to the calendar.

Two real builds of the ``full`` fixture, the second one later (a larger SOURCE_DATE_EPOCH, as a
later commit gives) and with the session moved. The new file is imported over the old one by
a calendar store written here from RFC 5546 (section 2.1.5: an event with the same UID replaces
the stored one when its SEQUENCE is higher, or equal with a later DTSTAMP), reading both files
with the icalendar parser and checking them with libical, never with the portal's writer.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

import libical
from program_portal.calendar.ics import MAX_SEQUENCE, sequence
from program_portal.render.outputs import MAX_EPOCH

OLD_EPOCH, NEW_EPOCH = "1790000000", "1790086400"  # one day apart
FEED = "site/calendar/fixture-mentoring-2027.ics"
SERIES = "site/calendar/leadership-circle.ics"

EXTRA_SESSION = """
  - id: kick-off
    title: Kick-off
    host: president
    start: 2027-01-13T10:00
    minutes: 60
    timezone: Europe/London
"""


def events(ical: bytes) -> dict[str, dict]:
    """UID -> what a calendar keeps of a VEVENT, as an independent parser reads it."""
    found = {}
    for vevent in Calendar.from_ical(ical).walk("VEVENT"):
        found[str(vevent["UID"])] = {
            "sequence": int(vevent["SEQUENCE"]),
            "dtstamp": vevent.decoded("DTSTAMP"),
            "dtstart": vevent.decoded("DTSTART"),
            "rrule": vevent.get("RRULE").to_ical().decode() if vevent.get("RRULE") else None,
        }
    return found


def import_over(store: dict[str, dict], ical: bytes) -> list[str]:
    """Import ``ical`` into ``store`` the RFC 5546 way; returns the UIDs that were updated."""
    updated = []
    for uid, event in events(ical).items():
        old = store.get(uid)
        newer = old is None or event["sequence"] > old["sequence"] or (
            event["sequence"] == old["sequence"] and event["dtstamp"] > old["dtstamp"])
        if newer:
            store[uid] = event
            updated.append(uid)
    return updated


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from conftest import Project, copy_fixture

    project = Project(copy_fixture("full", tmp_path_factory.mktemp("updates")))
    if not project.path("mkdocs.yml").exists():
        project.configure()
    project.write("program.yml", project.read().replace("\nprivacy:", EXTRA_SESSION + "\nprivacy:", 1))
    out: dict[str, bytes] = {}
    result = project.build(SOURCE_DATE_EPOCH=OLD_EPOCH)
    assert result.ok, result.output
    out["old-feed"], out["old-series"] = project.path(FEED).read_bytes(), project.path(SERIES).read_bytes()
    result = project.build(SOURCE_DATE_EPOCH=OLD_EPOCH)  # the same sources and date: the same bytes
    assert result.ok, result.output
    out["again-feed"] = project.path(FEED).read_bytes()
    project.edit("program.yml", "start: 2027-01-28T16:00", "start: 2027-01-28T17:15")  # the circle moves
    result = project.build(SOURCE_DATE_EPOCH=NEW_EPOCH)
    assert result.ok, result.output
    out["new-feed"], out["new-series"] = project.path(FEED).read_bytes(), project.path(SERIES).read_bytes()
    return out


def test_a_moved_session_replaces_the_old_one_on_reimport(builds: dict[str, bytes]) -> None:
    store: dict[str, dict] = {}
    assert len(import_over(store, builds["old-feed"])) == 2
    uid = "leadership-circle.fixture-mentoring-2027@program-portal"
    assert store[uid]["dtstart"].hour == 16
    updated = import_over(store, builds["new-feed"])
    assert uid in updated
    assert (store[uid]["dtstart"].hour, store[uid]["dtstart"].minute) == (17, 15)
    assert set(store) == set(events(builds["old-feed"])), "UIDs are stable from build to build"
    old, new = events(builds["old-feed"])[uid], events(builds["new-feed"])[uid]
    assert new["sequence"] > old["sequence"] and new["dtstamp"] > old["dtstamp"]
    assert new["dtstamp"] == datetime.fromtimestamp(int(NEW_EPOCH), UTC)


def test_the_series_file_updates_an_event_imported_from_the_feed(builds: dict[str, bytes]) -> None:
    store: dict[str, dict] = {}
    import_over(store, builds["old-feed"])
    assert import_over(store, builds["new-series"]) == ["leadership-circle.fixture-mentoring-2027@program-portal"]
    # the old file imported again (a stale download) does not undo the move
    assert import_over(store, builds["old-series"]) == []
    assert store["leadership-circle.fixture-mentoring-2027@program-portal"]["dtstart"].minute == 15


def test_same_date_same_bytes(builds: dict[str, bytes]) -> None:
    assert builds["again-feed"] == builds["old-feed"]


def test_libical_accepts_both_versions(builds: dict[str, bytes]) -> None:
    lib = libical.load()
    if lib is None:
        pytest.skip("libical3 is not installed")
    for name in ("old-feed", "new-feed", "old-series", "new-series"):
        assert libical.errors(lib, builds[name]) == [], name


def test_sequence_grows_with_the_build_date_and_stays_in_range() -> None:
    day = 86400
    stamps = [datetime.fromtimestamp(t, UTC) for t in (0, 946684800, 946684800 + 59, 946684800 + 60, 1790000000, 1790000000 + day, MAX_EPOCH)]
    values = [sequence(s) for s in stamps]
    assert values[:4] == [0, 0, 0, 1]
    assert values == sorted(values) and values[5] - values[4] == 24 * 60
    assert values[-1] <= MAX_SEQUENCE
