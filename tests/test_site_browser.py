"""The example portal, end to end in headless Chromium: local only, no errors, nothing kept.

The example site (``program.yml`` + ``content/`` at the repository root) is built once for the
module with a fixed ``SOURCE_DATE_EPOCH`` and served on 127.0.0.1. Every generated page type is
loaded with every request recorded, and checked for: no request leaving the site's origin, no
console error, no Content-Security-Policy violation, no broken local link. Search, the fill-in
fields, the checklist tally, the calendar's local times and the cadence planner are exercised;
afterwards no request has been made and the browser holds nothing the reader typed.

Everything runs twice: as served, and in a context where every request to a host other than
127.0.0.1 is blocked, as on a closed intranet; the pages must look (screenshots) and work the
same. The numbers (pages checked, requests seen, violations found) are printed at the end of
the module (``pytest -s``) and appear in assertion messages.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml

from browser_support import REPO, STILL_ARGS, Browser, Server, launch_chromium, open_browser, page_types, search, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROGRAM = yaml.safe_load((REPO / "program.yml").read_text(encoding="utf-8"))
PAGES = page_types(REPO)
NOTHING_STORED = {"local": 0, "session": 0, "cookie": ""}
MODES = {"served": False, "outside blocked": True}


@dataclass
class Tally:
    """What the module saw, printed at its end."""

    pages: int = 0
    requests: int = 0
    blocked: int = 0
    violations: list[str] = field(default_factory=list)

    def add(self, browser: Browser) -> None:
        self.requests += len(browser.requests)
        self.blocked += len(browser.blocked)

    def __str__(self) -> str:
        return (
            f"pages checked: {self.pages}, requests seen: {self.requests}, "
            f"outside requests blocked: {self.blocked}, violations found: {len(self.violations)}"
        )


TALLY = Tally()


@pytest.fixture(scope="module")
def chromium(site: Server):
    """This module's Chromium: with Chromium's deterministic-rendering switches (STILL_ARGS), since its
    screenshots are compared pixel for pixel (without them, a rounded corner's anti-aliasing varied
    between two loads of the same page now and then: a 1 to 4 px box)."""
    with launch_chromium(STILL_ARGS) as launched:
        yield launched


@pytest.fixture(scope="module", autouse=True)
def report() -> Tally:
    yield TALLY
    print(f"\n[test_site_browser] {TALLY}")
    for violation in TALLY.violations:
        print(f"  violation: {violation}")




def problems(browser: Browser) -> list[str]:
    """Everything that breaks the portal's promises on the current page."""
    page = browser.page
    found = [f"request to another host: {url}" for url in browser.external_requests()]
    found += [f"blocked outside request: {url}" for url in browser.blocked]
    found += [f"CSP violation: {v}" for v in browser.csp_violations()]
    found += [f"console error: {m}" for m in browser.console_errors if "Content Security Policy" not in m]
    found += [f"page error: {e}" for e in browser.page_errors]
    return [f"{page.url}: {p}" for p in found]  # type: ignore[attr-defined]


def check(browser: Browser, what: str) -> None:
    """Count the page and its requests; fail with the numbers when a promise is broken."""
    TALLY.pages += 1
    found = problems(browser)
    TALLY.violations += found
    assert found == [], f"{what}: {len(found)} violation(s) ({TALLY}):\n" + "\n".join(found)


def local_targets(page: object, origin: str) -> list[str]:
    """Every same-origin link, image, script and stylesheet URL on the page (no fragment)."""
    urls = page.evaluate(  # type: ignore[attr-defined]
        """() => [
            ...Array.from(document.querySelectorAll('a[href]'), a => a.href),
            ...Array.from(document.querySelectorAll('link[href]'), l => l.href),
            ...Array.from(document.querySelectorAll('script[src]'), s => s.src),
            ...Array.from(document.querySelectorAll('img[src]'), i => i.src),
        ]"""
    )
    return sorted({u.split("#")[0] for u in urls if u.startswith(origin + "/")})


def missing_targets(site: Server, urls: list[str]) -> list[str]:
    missing = []
    for url in urls:
        path = unquote(urlsplit(url).path).lstrip("/")
        target = site.root / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            missing.append(url)
    return missing


def screenshot(page: object) -> bytes:
    """A full-page screenshot of the page made still (:func:`browser_support.settle`): the same page gives
    the same pixels, on an idle machine or a loaded one, with no retry."""
    settle(page)
    # The search field's placeholder changes when the search index has loaded (in a worker, whenever
    # that is): masked, it is timing, not looks.
    mask = [page.locator(".md-search__form")]  # type: ignore[attr-defined]
    return page.screenshot(full_page=True, animations="disabled", caret="hide", mask=mask)  # type: ignore[attr-defined]


def difference(a: bytes, b: bytes) -> str:
    """Where two screenshots differ, for the assertion message."""
    from PIL import Image, ImageChops

    first, second = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
    if first.size != second.size:
        return f"sizes {first.size} and {second.size}"
    return f"pixels differ in the box {ImageChops.difference(first, second).getbbox()}"


def same_pixels(a: bytes, b: bytes) -> bool:
    from PIL import Image, ImageChops

    first, second = Image.open(io.BytesIO(a)).convert("RGB"), Image.open(io.BytesIO(b)).convert("RGB")
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


# -- every page type ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAGES), ids=list(PAGES))
def test_every_page_type_stays_local_and_looks_the_same_with_outside_blocked(site: Server, chromium: object, kind: str) -> None:
    shots = {}
    for mode, blocked in MODES.items():
        with open_browser(chromium, block_outside=blocked, record_csp=True, still=True) as browser:
            failed: list[str] = []
            browser.page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            browser.page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
            page = browser.open(site.url(PAGES[kind]))
            assert page.locator("article h1").count() == 1, f"{kind} ({mode}): no page title"
            assert page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor") not in ("", "rgba(0, 0, 0, 0)"), "theme CSS missing"
            assert page.locator("link[href*='program-portal/a11y.css']").count() == 1
            assert failed == [], f"{kind} ({mode}): {failed}"
            assert missing_targets(site, local_targets(page, site.origin)) == [], f"{kind}: broken local links"
            shots[mode] = screenshot(page)
            TALLY.add(browser)
            check(browser, f"{kind} ({mode})")
    assert same_pixels(shots["served"], shots["outside blocked"]), (
        f"{kind} looks different with outside requests blocked: {difference(shots['served'], shots['outside blocked'])}"
    )


def test_every_generated_guide_is_checked(site: Server) -> None:
    guides = sorted(p.parent.name for p in (site.root / "guides").glob("*/index.html"))
    assert guides == sorted(t["id"] for t in PROGRAM["tracks"])
    assert all(f"guide {g}" in PAGES for g in guides)


# -- search -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(MODES))
def test_search_returns_results_from_the_site_itself(site: Server, chromium: object, mode: str) -> None:
    with open_browser(chromium, block_outside=MODES[mode], record_csp=True) as browser:
        page = browser.open(site.url(""))
        items = search(page, "agreement")
        assert items.count() > 0
        hrefs = [items.nth(n).locator("a").first.get_attribute("href") for n in range(items.count())]
        assert all(h and h.startswith(site.origin + "/") for h in hrefs), hrefs
        assert any("mentoring-agreement" in h for h in hrefs), hrefs
        search(page, "confidentiality")
        page.wait_for_selector(".md-search-result__item a[href*='policies']", state="attached")
        TALLY.add(browser)
        check(browser, f"search ({mode})")


# -- fill-in, checklist tally, nothing kept -----------------------------------------------


def assert_nothing_kept(browser: Browser, mark: int, url: str) -> None:
    page = browser.page
    assert page.url == url, "something navigated away"  # type: ignore[attr-defined]
    after = [r.url for r in browser.requests_since(mark)]
    assert after == [], f"requests after typing and ticking: {after}"
    assert browser.storage() == NOTHING_STORED
    assert page.evaluate("async () => indexedDB.databases ? (await indexedDB.databases()).length : 0") == 0  # type: ignore[attr-defined]
    assert browser.context.cookies() == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", list(MODES))
def test_fill_in_and_tally_work_and_nothing_is_sent_or_kept(site: Server, chromium: object, mode: str) -> None:
    with open_browser(chromium, block_outside=MODES[mode], record_csp=True) as browser:
        url = site.url(PAGES["contract"])
        page = browser.open(url)
        mark = browser.mark()
        blanks = page.locator(".pp-blank")
        assert blanks.count() > 3
        typed = []
        for n in range(blanks.count()):
            text = f"Typed text {n} (private)"
            blanks.nth(n).click()
            page.keyboard.type(text)
            assert blanks.nth(n).input_value() == text
            typed.append(text)
        assert_nothing_kept(browser, mark, url)
        stored = page.evaluate("() => JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie")
        assert not any(t in stored for t in typed)
        check(browser, f"contract fill-in ({mode})")

        url = site.url(PAGES["checklist"])
        page = browser.open(url)
        mark = browser.mark()
        boxes = page.locator("input.pp-check")
        tally = page.locator("[data-pp-tally]")
        total = boxes.count()
        assert total > 0 and tally.inner_text().startswith(f"0 of {total} checked")
        for n in range(total):
            boxes.nth(n).check()
            assert tally.inner_text().startswith(f"{n + 1} of {total} checked")
        assert "all required met" in tally.inner_text() or "required" not in tally.inner_text()
        boxes.nth(0).uncheck()
        assert tally.inner_text().startswith(f"{total - 1} of {total} checked")
        assert_nothing_kept(browser, mark, url)
        TALLY.add(browser)
        check(browser, f"checklist tally ({mode})")


# -- calendar: the reader's own time ------------------------------------------------------


def expected_local_times(page: object, reader: str) -> tuple[int, int]:
    """(occurrences, how many should show the reader's time): those whose UTC offset on that
    date differs between the session's time zone and the reader's."""
    stamps = page.locator(".pp-occurrence time[datetime]").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")  # type: ignore[attr-defined]
    differ = 0
    for stamp in stamps:
        moment = dt.datetime.fromisoformat(stamp)
        if moment.astimezone(ZoneInfo(reader)).utcoffset() != moment.utcoffset():
            differ += 1
    return len(stamps), differ


@pytest.mark.parametrize("reader", ["America/New_York", "Europe/London", "Asia/Tokyo"])
@pytest.mark.parametrize("mode", list(MODES))
def test_calendar_shows_the_readers_own_time_only_when_it_differs(site: Server, chromium: object, reader: str, mode: str) -> None:
    with open_browser(chromium, block_outside=MODES[mode], record_csp=True, timezone_id=reader, locale="en-GB") as browser:
        page = browser.open(site.url(PAGES["calendar"]))
        assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == reader
        occurrences, differ = expected_local_times(page, reader)
        local = page.locator(".pp-localtime")
        assert occurrences > 0
        assert local.count() == differ, f"{reader}: {local.count()} local times shown, {differ} expected of {occurrences}"
        london = PROGRAM["program"]["timezone"] == "Europe/London"
        if reader == "America/New_York":
            assert differ > 0
            first = page.locator(".pp-occurrence time[datetime]").first
            moment = dt.datetime.fromisoformat(first.get_attribute("datetime"))
            shown = first.locator("xpath=..").locator(".pp-localtime").inner_text()
            hours = int(moment.astimezone(ZoneInfo(reader)).utcoffset().total_seconds() // 3600)
            zone = f"GMT\u2212{-hours}"  # the page's one style for zone names (CLDR short GMT offsets)
            assert zone in shown and moment.astimezone(ZoneInfo(reader)).strftime("%H:%M") in shown, shown
        if reader == "Europe/London" and london:
            # the London sessions show no second time; only sessions held in other zones do
            for n in range(page.locator(".pp-occurrence time[datetime]").count()):
                stamp = page.locator(".pp-occurrence time[datetime]").nth(n)
                moment = dt.datetime.fromisoformat(stamp.get_attribute("datetime"))
                if moment.astimezone(ZoneInfo(reader)).utcoffset() == moment.utcoffset():
                    assert stamp.locator("xpath=..").locator(".pp-localtime").count() == 0
        TALLY.add(browser)
        check(browser, f"calendar in {reader} ({mode})")


# -- the cadence planner ------------------------------------------------------------------


def planned_dates(first: dt.datetime, every_weeks: int, months: int) -> list[dt.datetime]:
    from dateutil.relativedelta import relativedelta

    end = first + relativedelta(months=months)
    out, day = [], first
    while day < end:
        out.append(day)
        day += dt.timedelta(weeks=every_weeks)
    return out


@pytest.mark.parametrize("mode", list(MODES))
def test_cadence_planner_lists_dates_and_downloads_them_as_ics(site: Server, chromium: object, mode: str) -> None:
    from icalendar import Calendar

    track = next(t for t in PROGRAM["tracks"] if t["id"] == "executive")
    every, minutes, months = track["cadence"]["every_weeks"], track["cadence"]["minutes"], track["duration_months"]
    with open_browser(chromium, block_outside=MODES[mode], record_csp=True, timezone_id="Europe/London", locale="en-GB") as browser:
        url = site.url("guides/executive/")
        page = browser.open(url)
        mark = browser.mark()
        planner = page.locator("[data-pp-planner]")
        button = planner.get_by_role("button", name="Download these dates (.ics)")
        assert button.is_disabled()
        planner.locator("input[type=date]").fill("2027-02-01")
        planner.locator("input[type=time]").fill("09:30")
        first = dt.datetime(2027, 2, 1, 9, 30)
        expected = planned_dates(first, every, months)
        listed = planner.locator(".pp-planner-dates time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
        assert [dt.datetime.fromisoformat(d) for d in listed] == expected
        assert button.is_enabled()

        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename.endswith(".ics")
        calendar = Calendar.from_ical(Path(download.path()).read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1
        event = events[0]
        rule = event["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [every] and rule["COUNT"] == [len(expected)]
        assert event.decoded("DTSTART") == first
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=minutes)
        assert "ATTENDEE" not in event

        # the file is made in the page (a blob: URL): no request reaches any server
        network = [r.url for r in browser.requests_since(mark) if not r.url.startswith(("blob:", "data:"))]
        assert network == [], network
        assert browser.storage() == NOTHING_STORED
        TALLY.add(browser)
        check(browser, f"cadence planner ({mode})")

