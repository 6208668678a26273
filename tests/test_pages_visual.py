"""The phase timeline, the calendar's month grids and the series rhythm, in the built example portal.

The shipped example (English, ``en-GB``) and the same program in German are built with
``mkdocs build --strict``; the HTML is checked against what program.yml says, worked out here
independently (dateutil's RRULE expansion, not the portal's), and Chromium shows the pages
with JavaScript off and at 390 px.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from dateutil.rrule import rrulestr

from browser_support import DEFAULT_EPOCH, REPO, Server, build_site, open_browser, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRAM = yaml.safe_load((REPO / "program.yml").read_text(encoding="utf-8"))
INFO = PROGRAM["program"]
STARTS = INFO["starts"] if isinstance(INFO["starts"], date) else date.fromisoformat(INFO["starts"])
ENDS = INFO["ends"] if isinstance(INFO["ends"], date) else date.fromisoformat(INFO["ends"])


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory, site: Server):
    """The example with ``language: de`` (nothing else changed), built and served."""
    root = tmp_path_factory.mktemp("example-de")
    for name in ("mkdocs.yml", "program.yml"):
        shutil.copy2(REPO / name, root / name)
    for folder in ("content", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    program = root / "program.yml"
    program.write_text(program.read_text(encoding="utf-8").replace("  language: en-GB ", "  language: de ", 1), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: en\n", "  language: de\n", 1), encoding="utf-8")
    out = build_site(root, root / "site", cache_dir=tmp_path_factory.getbasetemp() / "download-cache")
    with serve(out) as server:
        yield server


@pytest.fixture(params=["en", "de"])
def built(request: pytest.FixtureRequest, site: Server) -> tuple[str, Server]:
    return request.param, (site if request.param == "en" else request.getfixturevalue("german"))


def html(server: Server, page: str) -> str:
    return (server.root / page / "index.html").read_text(encoding="utf-8")


def timeline(page_html: str) -> str:
    match = re.search(r'<div class="pp-timeline">.*?</ol>\s*</div>', page_html, re.S)
    assert match, "no timeline on the page"
    return match.group(0)


def phase_ids(block: str) -> list[str]:
    return re.findall(r'href="[^"]*#phase-([a-z0-9-]+)"', block)


def template_ids(block: str) -> set[str]:
    return set(re.findall(r'href="[^"]*templates/([a-z0-9-]+)/"', block))


# -- the timeline -------------------------------------------------------------------------------

def test_program_timeline_lists_every_phase_in_order_with_its_dates(built: tuple[str, Server]) -> None:
    lang, server = built
    block = timeline(html(server, "program"))
    assert phase_ids(block) == [p["id"] for p in PROGRAM["phases"]]
    assert '<li aria-hidden="true" class="pp-phase pp-scale">' in block  # the scale is decoration
    weeks = "Wochen" if lang == "de" else "Weeks"
    for p in PROGRAM["phases"]:
        first, last = p["weeks"]
        assert f"{weeks} {first}–{last}" in block
    every_template = {t for p in PROGRAM["phases"] for t in p.get("templates", [])}
    assert template_ids(block) == every_template


@pytest.mark.parametrize("track_id", [t["id"] for t in PROGRAM["tracks"]])
def test_a_guide_shows_only_its_track_s_phases_sessions_and_templates(site: Server, track_id: str) -> None:
    track = next(t for t in PROGRAM["tracks"] if t["id"] == track_id)
    block = timeline(html(site, f"guides/{track_id}"))
    assert template_ids(block) <= set(track.get("templates", [])), "another track's template on this guide"
    own_sessions = [s for s in PROGRAM["sessions"] if s.get("track") == track_id]
    # a phase is shown when it lists one of the track's templates or holds one of its sessions
    concerned = []
    for p in PROGRAM["phases"]:
        first = STARTS + timedelta(weeks=p["weeks"][0] - 1)
        last = STARTS + timedelta(weeks=p["weeks"][1] - 1, days=6)
        held = any(first <= d.date() <= last for s in own_sessions for d in starts_of(s))
        if set(p.get("templates", [])) & set(track.get("templates", [])) or held:
            concerned.append(p)
    shown = phase_ids(block)
    assert shown == [p["id"] for p in concerned][: len(shown)] and shown, (shown, [p["id"] for p in concerned])
    if track.get("duration_months"):
        first_day = STARTS + timedelta(weeks=concerned[0]["weeks"][0] - 1)
        # nothing that starts after the track's months is shown
        for p in concerned:
            if STARTS + timedelta(weeks=p["weeks"][0] - 1) >= add_months(first_day, track["duration_months"]):
                assert p["id"] not in shown
        assert "6 months" in block if track["duration_months"] == 6 else f'{track["duration_months"]} months' in block
    if not own_sessions:
        assert "pp-phase-sessions" not in block


def test_reverse_guide_is_six_months_not_the_whole_program(site: Server) -> None:
    block = timeline(html(site, "guides/reverse"))
    assert "This track: 22 Feb – 21 Aug 2027, 6 months" in block.replace("\u2009", " ")
    assert phase_ids(block) == ["contracting", "regular-meetings", "mid-point-review", "second-half"]
    assert ">Sep<" not in block and ">Dec<" not in block  # the scale stops with the track
    assert "mentoring-agreement" not in template_ids(block)  # the executive tracks' agreement


# -- the month grids ----------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1) + timedelta(days=day.day - 1)


def starts_of(session: dict) -> list[datetime]:
    """Every start of a session, by dateutil (the portal uses its own expansion)."""
    start = session["start"] if isinstance(session["start"], datetime) else datetime.fromisoformat(str(session["start"]))
    if not session.get("repeat"):
        return [start]
    rule = session["repeat"]
    if "COUNT" not in rule and "UNTIL" not in rule:
        rule += ";UNTIL=" + datetime.combine(ENDS, datetime.max.time()).strftime("%Y%m%dT%H%M%S")
    excluded = {date.fromisoformat(str(d)) for d in session.get("except", [])}
    return [d for d in rrulestr(rule, dtstart=start) if d.date() not in excluded]


def grid_cells(page_html: str) -> dict[date, str]:
    cells = {}
    for month, body in re.findall(r'<table class="pp-month" data-pp-month="(\d{4}-\d{2})">(.*?)</table>', page_html, re.S):
        year, number = map(int, month.split("-"))
        for day, content in re.findall(r'<td class="pp-day(?: pp-day--busy)?"><span class="pp-day-number">(\d+)</span>(.*?)</td>', body, re.S):
            cells[date(year, number, int(day))] = content
    return cells


def test_grid_has_every_session_on_its_day_and_nothing_else(built: tuple[str, Server]) -> None:
    lang, server = built
    page = html(server, "calendar")
    cells = grid_cells(page)
    expected: dict[date, set[str]] = {}
    for s in PROGRAM["sessions"]:
        for start in starts_of(s):
            expected.setdefault(start.date(), set()).add(f"#pp-occ-{s['id']}-{start:%Y%m%d%H%M}")
    assert min(cells) == date(min(expected).year, min(expected).month, 1)
    assert max(cells).month == max(expected).month
    for day, content in cells.items():
        links = set(re.findall(r'href="(#pp-occ-[^"]+)"', content))
        assert links == expected.get(day, set()), day
        for link in links:  # each one goes to its entry in the list below
            assert f'id="{link[1:]}"' in page
    assert sum(len(v) for v in expected.values()) == 17
    # told apart by more than colour: a symbol per series, and a key naming each
    legend = re.search(r'<ul class="pp-grid-legend">(.*?)</ul>', page, re.S).group(1)
    symbols = re.findall(r'aria-hidden="true">(.)</span> ([^<]+)</li>', legend)
    assert [t for _, t in symbols] == [s["title"] for s in PROGRAM["sessions"]]
    assert len({sym for sym, _ in symbols}) == len(symbols)
    assert "Legende" in page if lang == "de" else "Key" in page


def test_series_table_tells_the_rhythm_and_dates(built: tuple[str, Server]) -> None:
    lang, server = built
    text = re.sub(r"[\u00a0\u2009\u202f]", " ", html(server, "calendar"))
    expected = {
        "en": ["The fourth Thursday of every month, 28 Jan – 25 Nov 2027, 10 sessions; 1 hour 30 minutes, GMT / GMT+1",
               "The second Wednesday of every 3 months, 10 Feb – 10 Nov 2027, 4 sessions; 1 hour 30 minutes, GMT−5 / GMT−4",
               "Once, Wed, 13 Jan 2027; 1 hour 30 minutes, GMT"],
        "de": ["Am vierten Donnerstag jedes Monats, 28. Jan. – 25. Nov. 2027, 10 Sitzungen; 1 Stunde 30 Minuten, GMT / GMT+1",
               "Am zweiten Mittwoch alle 3 Monate, 10. Feb. – 10. Nov. 2027, 4 Sitzungen",
               "Einmalig, Mi., 13. Jan. 2027; 1 Stunde 30 Minuten, GMT"],
    }[lang]
    for line in expected:
        assert line in text
    assert " × " not in text
    assert "Europe/London" not in text.split("<article", 1)[-1].split("</article>")[0]  # one style of zone name


# -- in the browser -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["program/", "guides/reverse/", "calendar/"])
def test_without_javascript_timeline_and_grid_are_drawn(site: Server, chromium: object, page: str) -> None:
    with open_browser(chromium, java_script=False) as browser:
        tab = browser.open(site.url(page))
        if page == "calendar/":
            months = tab.locator("table.pp-month")  # type: ignore[attr-defined]
            assert months.count() == 12
            assert all(months.nth(i).is_visible() for i in range(12))
            box = tab.locator("td.pp-day--busy").first.bounding_box()  # type: ignore[attr-defined]
            assert box and box["width"] > 20 and box["height"] > 20
        else:
            bars = tab.locator(".pp-bar")  # type: ignore[attr-defined]
            assert bars.count() >= 4
            lane = tab.locator(".pp-phases > li:not(.pp-scale) .pp-lane").first.bounding_box()  # type: ignore[attr-defined]
            first = bars.nth(0).bounding_box()
            second = bars.nth(1).bounding_box()
            assert lane and first and second
            assert first["width"] > 10 and second["x"] > first["x"]  # placed by the pp-at-/pp-len- classes
            assert second["x"] == pytest.approx(first["x"] + first["width"], abs=lane["width"] * 0.02)


@pytest.mark.parametrize("java_script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("page", ["program/", "guides/reverse/", "guides/leadership-circles/", "calendar/"])
def test_no_horizontal_overflow_at_390_px(site: Server, chromium: object, page: str, java_script: bool) -> None:
    """Without script too: Material's header keeps the page title (its second topic) shifted to the right
    until script shows it, which widened the program page to 403 px."""
    with open_browser(chromium, viewport=(390, 844), java_script=java_script) as browser:
        tab = browser.open(site.url(page))
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # type: ignore[attr-defined]
        if page == "calendar/":  # the .ics links of the series table are on screen
            for link in tab.locator(".pp-series-table a[href$='.ics']").all():  # type: ignore[attr-defined]
                box = link.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_script_puts_today_s_month_first(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        browser.page.clock.set_fixed_time(datetime(2027, 6, 15, 12, 0))  # type: ignore[attr-defined]
        tab = browser.open(site.url("calendar/"))
        order = tab.evaluate("() => [...document.querySelectorAll('table.pp-month')].map(t => t.dataset.ppMonth)")  # type: ignore[attr-defined]
        assert order[0] == "2027-06" and order[-5:] == ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"]
        assert tab.locator("table.pp-month--current").count() == 1  # type: ignore[attr-defined]
        assert tab.locator("table.pp-month--past").count() == 5  # type: ignore[attr-defined]
        assert browser.console_errors == [] and browser.page_errors == []


def test_timeline_prints_on_one_page(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        tab = browser.open(site.url("program/"))
        tab.emulate_media(media="print")  # type: ignore[attr-defined]
        height = tab.evaluate("document.querySelector('.pp-timeline').getBoundingClientRect().height")  # type: ignore[attr-defined]
        width = tab.evaluate("document.querySelector('.pp-timeline').getBoundingClientRect().width")  # type: ignore[attr-defined]
        # A4 without the print margins is 180 x 263 mm: the timeline fits in its proportions
        assert height / width <= 263 / 180, (height, width)
        assert tab.evaluate("getComputedStyle(document.querySelector('.pp-timeline')).breakInside") == "avoid"  # type: ignore[attr-defined]
