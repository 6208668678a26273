"""Live preview in a real Chromium: ``mkdocs serve`` reloads the open page after an edit, under the portal's own policy.

MkDocs' server injects an inline live-reload script that the portal's Content-Security-Policy
blocks; in serve mode the portal ships a reload script file instead (preview.py). Each test
starts ``mkdocs serve`` on a free port, opens a page in headless Chromium, edits a file and
waits (generously) for the page to reload by itself and show the change. The time from the
server's answer "rebuilt" to the reloaded page is recorded (printed with ``-s``), never asserted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from browser_support import launch_chromium, open_browser
from conftest import Project, mkdocs_build
from test_serve import Server, _touch_later

pytestmark = pytest.mark.browser

WAIT_MS = 60_000  # a generous wait for a rebuild on a shared machine: not a timed assertion
OVERRIDE = '{% extends "base.html" %}\n{% block announce %}Preview banner one{% endblock %}\n'
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def preview_project(make_project) -> Project:
    """The small fixture with a theme override (``overrides/main.html``)."""
    project = make_project("small")
    project.edit("mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    project.write("overrides/main.html", OVERRIDE)
    return project


@pytest.fixture
def server(preview_project: Project) -> Iterator[Server]:
    running = Server(preview_project)
    try:
        running.wait_for_page("/program/", "Small Programme", timeout=90)
        yield running
    finally:
        running.stop()


class Reloads:
    """When the server answered a live-reload poll, and when each new document finished loading."""

    def __init__(self, page: object):
        self.answers: list[float] = []
        self.loads: list[float] = []
        page.on("response", lambda r: self.answers.append(time.monotonic()) if "/livereload/" in r.url else None)  # type: ignore[attr-defined]
        page.on("load", lambda _: self.loads.append(time.monotonic()))  # type: ignore[attr-defined]

    def last_delay(self) -> float:
        """Seconds from the server's "rebuilt" answer to the reloaded page's load event."""
        load = self.loads[-1]
        answer = max(a for a in self.answers if a <= load)
        return load - answer


def _edit_and_see(page: object, reloads: Reloads, edit, expected: str) -> float:
    """Make ``edit()``, wait for the page to reload by itself and show ``expected``; the reload delay."""
    page.evaluate("() => { window.__ppBeforeEdit = true; }")  # type: ignore[attr-defined]
    with page.expect_event("load", timeout=WAIT_MS):  # type: ignore[attr-defined]
        edit()
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=expected, timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert page.evaluate("() => window.__ppBeforeEdit === undefined")  # type: ignore[attr-defined]  # a new document
    return reloads.last_delay()


def test_the_open_page_reloads_after_each_kind_of_edit(server: Server, chromium: object) -> None:
    project = server.project
    delays: dict[str, float] = {}
    with open_browser(chromium, record_csp=True) as browser:
        reloads = Reloads(browser.page)
        page = browser.open(f"http://127.0.0.1:{server.port}/", wait_until="load")
        page.wait_for_function("() => document.body.innerText.includes('Small Programme')", timeout=WAIT_MS)

        def program_yml() -> None:
            project.edit("program.yml", "title: Small Programme", "title: Renamed Programme")
            _touch_later(project.path("program.yml"))

        delays["program.yml"] = _edit_and_see(page, reloads, program_yml, "Renamed Programme")
        delays["content page"] = _edit_and_see(
            page, reloads, lambda: project.write("content/index.md", project.read("content/index.md") + "\nA sentence added in the editor.\n"),
            "A sentence added in the editor.")
        delays["mkdocs.yml"] = _edit_and_see(
            page, reloads, lambda: project.edit("mkdocs.yml", "site_name: Small portal", "site_name: Renamed portal"), "Renamed portal")
        delays["override"] = _edit_and_see(
            page, reloads, lambda: project.edit("overrides/main.html", "Preview banner one", "Preview banner two"), "Preview banner two")
        assert browser.page_errors == []
        # the only policy violation is MkDocs' own inline script, which the reload script stands in for
        assert all("script-src" in v for v in browser.csp_violations()), browser.csp_violations()
    print("\nlive preview, rebuilt -> page reloaded (s): " + ", ".join(f"{k} {v:.3f}" for k, v in delays.items()))


def test_the_error_page_is_styled_and_reloads_when_fixed(server: Server, chromium: object) -> None:
    project = server.project
    with open_browser(chromium, record_csp=True) as browser:
        reloads = Reloads(browser.page)
        page = browser.open(f"http://127.0.0.1:{server.port}/program/", wait_until="load")
        page.wait_for_function("() => document.body.innerText.includes('Small Programme')", timeout=WAIT_MS)

        def break_it() -> None:
            project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
            _touch_later(project.path("program.yml"))

        broken = _edit_and_see(page, reloads, break_it, "error PF008: unknown role 'mentr'")
        assert page.title() == "The portal cannot be built"
        messages = page.locator(".pp-preview-messages li")
        assert messages.count() == 1
        assert messages.first.inner_text().startswith(project.at("mentr") + ": error PF008")
        # styled by its stylesheet file (an inline style would be blocked): Material's indigo header, a readable width
        header = page.locator(".pp-preview-header")
        assert header.inner_text() == "Small portal"
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(64, 81, 181)"
        assert page.locator(".pp-preview-messages").evaluate("e => e.getBoundingClientRect().width") <= 61 * 20  # 61rem: a line one can read
        assert messages.first.evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(176, 0, 32)"
        page.screenshot(path=str(project.root.parent / "error-page.png"))

        def fix_it() -> None:
            project.edit("program.yml", "    mentor: mentr\n", "    mentor: mentor\n")
            project.edit("program.yml", "title: Small Programme", "title: Mended Programme")
            _touch_later(project.path("program.yml"))

        fixed = _edit_and_see(page, reloads, fix_it, "Mended Programme")
        assert page.locator(".pp-preview-messages").count() == 0
        assert browser.page_errors == []
        assert all("script-src" in v for v in browser.csp_violations()), browser.csp_violations()
    print(f"\nerror page, rebuilt -> reloaded (s): broken {broken:.3f}, fixed {fixed:.3f}")


def test_serve_and_build_publish_the_same_policy_and_build_has_no_preview_files(server: Server) -> None:
    served = server.get("/program/") or ""
    assert "preview-reload.js" in served
    build = mkdocs_build(server.project.root, "--strict", "-d", str(server.project.root.parent / "built"))
    assert build.ok, build.output
    site = server.project.root.parent / "built"
    assert not list(site.rglob("preview*"))
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "preview-reload" not in text and "preview.css" not in text, page
    built = (site / "program" / "index.html").read_text(encoding="utf-8")
    assert CSP.findall(served) == CSP.findall(built)  # the policy: one, and the same as published
    assert len(CSP.findall(built)) == 1
