"""Accessibility of the example portal: axe-core in headless Chromium, and keyboard-only use.

axe-core is the npm package pinned in package.json (``npm ci``; ``make test`` runs it). The
tests skip when it is not installed, except in CI (``CI`` set), where that is a failure.

Injecting axe: the portal's Content-Security-Policy allows inline scripts only by hash, so
``page.add_script_tag(path=...)`` (which inlines the file) is blocked. ``page.evaluate(source)``
runs through the DevTools protocol, which the page's CSP does not govern: axe runs in the page
exactly as served, with the policy in force (no ``bypass_csp``).

Every generated page type is audited, plus the states a reader reaches: the calendar in
another time zone with some sessions already past, search with results open, and the narrow
(mobile) layout with its navigation toggles. No serious or critical violation is allowed; the
moderate and minor ones are printed (``pytest -s``).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from browser_support import REPO, Browser, Server, open_browser, page_types, search, still

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = page_types(REPO)
BLOCKING = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 240)),
  }));
}"""
RESULTS: dict[str, list[dict]] = {}


def require_axe() -> str:
    if not AXE.is_file():
        message = f"axe-core is not installed ({AXE.relative_to(REPO)}): run `npm ci` (or `make test`)"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: not skipping)")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    if RESULTS:
        total = sum(len(v) for v in RESULTS.values())
        print(f"\n[test_accessibility] {len(RESULTS)} page states audited, {total} violation(s) of any impact")
        for where, violations in RESULTS.items():
            summary = ", ".join(f"{v['impact']} {v['id']} x{len(v['nodes'])}" for v in violations) or "none"
            print(f"  {where}: {summary}")




def audit(browser: Browser, where: str, axe_source: str) -> list[dict]:
    page = browser.page
    still(page)  # fonts loaded, no transition running: axe measures colours as drawn
    page.evaluate(axe_source)  # type: ignore[attr-defined]
    violations = page.evaluate(RUN_AXE)  # type: ignore[attr-defined]
    RESULTS[where] = violations
    assert browser.console_errors == [] and browser.page_errors == [], (browser.console_errors, browser.page_errors)
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("kind", list(PAGES), ids=list(PAGES))
def test_no_serious_or_critical_violations(site: Server, chromium: object, kind: str) -> None:
    axe_source = require_axe()
    with open_browser(chromium) as browser:
        browser.open(site.url(PAGES[kind]))
        bad = audit(browser, kind, axe_source)
        assert bad == [], f"{kind}:\n{describe(bad)}"


@pytest.mark.parametrize("kind", ["calendar", "guide leadership-circles"])
def test_calendar_in_another_time_zone_with_past_sessions(site: Server, chromium: object, kind: str) -> None:
    """The reader's local times and the muted past sessions are shown, and still readable."""
    if kind not in PAGES:
        pytest.skip(f"the example has no {kind}")
    axe_source = require_axe()
    with open_browser(chromium, timezone_id="America/New_York") as browser:
        browser.page.clock.set_fixed_time(dt.datetime(2027, 7, 1, 12, tzinfo=dt.timezone.utc))  # type: ignore[attr-defined]
        page = browser.open(site.url(PAGES[kind]))
        assert page.locator(".pp-localtime").count() > 0 and page.locator(".pp-occurrence--past").count() > 0
        bad = audit(browser, f"{kind} (New York reader, mid-2027)", axe_source)
        assert bad == [], describe(bad)


def test_search_with_results_open(site: Server, chromium: object) -> None:
    axe_source = require_axe()
    with open_browser(chromium) as browser:
        page = browser.open(site.url(""))
        search(page, "agreement")
        bad = audit(browser, "search results", axe_source)
        assert bad == [], describe(bad)


@pytest.mark.parametrize("kind", ["home", "checklist", "calendar", "at a glance"])
def test_narrow_layout(site: Server, chromium: object, kind: str) -> None:
    axe_source = require_axe()
    with open_browser(chromium, viewport=(390, 844)) as browser:
        browser.open(site.url(PAGES[kind]))
        bad = audit(browser, f"{kind} (390 px wide)", axe_source)
        assert bad == [], describe(bad)


# -- keyboard only ------------------------------------------------------------------------

FIELDS = ".pp-blank, input.pp-check"
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  return {
    id: e.id, field: e.matches(".pp-blank, input.pp-check"),
    visible: e.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
}"""


def tab_through(page: object, limit: int = 600) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the document or comes round again."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = page.evaluate(FOCUSED)  # type: ignore[attr-defined]
        if focused is None or (seen and focused["id"] and focused["id"] == seen[0]["id"]):
            break
        seen.append(focused)
    return seen


@pytest.mark.parametrize("kind", ["contract", "checklist"])
def test_keyboard_reaches_every_field_in_order_with_visible_focus(site: Server, chromium: object, kind: str) -> None:
    if kind not in PAGES:
        pytest.skip(f"the example has no {kind}")
    with open_browser(chromium) as browser:
        page = browser.open(site.url(PAGES[kind]))
        in_order = page.locator(FIELDS).evaluate_all("els => els.map(e => e.id)")
        assert in_order and all(in_order), f"every field has an id: {in_order}"
        reached = [f for f in tab_through(page) if f["field"]]
        assert [f["id"] for f in reached] == in_order, "Tab must reach each blank and checkbox once, in page order"
        invisible = [f["id"] for f in reached if not f["visible"]]
        assert invisible == [], f"no visible focus indicator on {invisible}"
        assert browser.console_errors == [] and browser.page_errors == []


def test_keyboard_only_checklist_space_ticks_and_the_tally_follows(site: Server, chromium: object) -> None:
    if "checklist" not in PAGES:
        pytest.skip("the example has no checklist")
    with open_browser(chromium) as browser:
        page = browser.open(site.url(PAGES["checklist"]))
        mark = browser.mark()
        boxes = page.locator("input.pp-check")
        tally = page.locator("[data-pp-tally]")
        total = boxes.count()
        first_id, second_id = boxes.nth(0).get_attribute("id"), boxes.nth(1).get_attribute("id")
        for _ in range(600):  # Tab, never the mouse, to the first checkbox
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == first_id:
                break
        else:
            pytest.fail("Tab never reached the first checkbox")
        page.keyboard.press("Space")
        assert boxes.nth(0).is_checked()
        assert tally.inner_text().startswith(f"1 of {total} checked")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.id") == second_id
        page.keyboard.press("Space")
        assert tally.inner_text().startswith(f"2 of {total} checked")
        page.keyboard.press("Space")
        assert not boxes.nth(1).is_checked() and tally.inner_text().startswith(f"1 of {total} checked")
        assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
        assert browser.requests_since(mark) == [] and browser.storage() == {"local": 0, "session": 0, "cookie": ""}


def test_keyboard_only_contract_typing_into_blanks(site: Server, chromium: object) -> None:
    if "contract" not in PAGES:
        pytest.skip("the example has no contract")
    with open_browser(chromium) as browser:
        page = browser.open(site.url(PAGES["contract"]))
        first = page.locator(".pp-blank").first
        first_id = first.get_attribute("id")
        for _ in range(600):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == first_id:
                break
        else:
            pytest.fail("Tab never reached the first blank")
        page.keyboard.type("Typed with the keyboard only")
        assert first.input_value() == "Typed with the keyboard only"
        second_id = page.locator(".pp-blank").nth(1).get_attribute("id")
        for _ in range(20):  # on to the next blank, past any link in between
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == second_id:
                break
        else:
            pytest.fail("Tab did not go on to the next blank")
        page.keyboard.type("Second")
        assert page.locator(".pp-blank").nth(1).input_value() == "Second"
        assert first.input_value() == "Typed with the keyboard only"


# -- the fixes ship with the plugin, and a project's overrides still win -------------------


def test_theme_fixes_ship_with_the_plugin_and_project_overrides_win(make_project) -> None:
    project = make_project("small")
    config = project.read("mkdocs.yml")
    built = project.build("--strict")
    assert built.ok, built.output
    home = project.site("index.html")
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">' in home
    assert "assets/program-portal/a11y.css" in home

    # a project's own overrides/ comes before the plugin's partials
    if "custom_dir" not in config:
        project.write("mkdocs.yml", config.replace("name: material", "name: material\n  custom_dir: overrides", 1))
    custom = project.read("mkdocs.yml").split("custom_dir:", 1)[1].split()[0]
    project.write(f"{custom}/partials/search.html", '<div class="md-search" data-project-override></div>\n')
    built = project.build("--strict")
    assert built.ok, built.output
    home = project.site("index.html")
    assert "data-project-override" in home and 'aria-label="Search">' not in home.split('class="md-search"', 1)[1][:200]
