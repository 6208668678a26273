"""Filling in templates in a real browser (headless Debian Chromium): nothing typed leaves the page.

The example site is built once for the module and served on 127.0.0.1. The tests type,
tick and print as a reader would, then check that no request was made after the page
loaded, that no request ever left 127.0.0.1, that the console stayed clean and that the
page stored nothing (localStorage, sessionStorage, cookies).
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from browser_support import Browser, Server, open_browser

pytestmark = pytest.mark.browser

PRIVACY = "Anything you type on this page stays in your browser"
NOTHING_STORED = {"local": 0, "session": 0, "cookie": ""}
GOALS = "\n".join(f"Goal line {n}: grow as a leader in area {n}" for n in range(1, 10))




def assert_private(browser: Browser, mark: int, url: str) -> None:
    page = browser.page
    assert page.url == url, "something navigated away"
    assert browser.requests_since(mark) == [], [r.url for r in browser.requests_since(mark)]
    assert browser.external_requests() == []
    assert browser.console_errors == [] and browser.page_errors == []
    assert browser.storage() == NOTHING_STORED


def test_checklist_ticks_update_the_tally_and_send_nothing(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url("templates/mentor-selection/")
        page = browser.open(url)
        mark = browser.mark()
        tally = page.locator("[data-pp-tally]")
        boxes = page.locator("input.pp-check")
        required = page.locator('input.pp-check[data-pp-required="true"]')
        assert boxes.count() == 16 and required.count() == 14
        assert tally.inner_text() == "0 of 16 checked, 14 required items still open"

        for n in range(required.count()):
            required.nth(n).check()
        assert tally.inner_text() == "14 of 16 checked, all required met"
        page.get_by_text("Has completed the mentor self-assessment").click()  # ticking through the label
        assert tally.inner_text() == "15 of 16 checked, all required met"
        required.nth(0).uncheck()
        assert tally.inner_text() == "14 of 16 checked, 1 required item still open"
        required.nth(1).uncheck()
        assert tally.inner_text() == "13 of 16 checked, 2 required items still open"

        assert page.get_by_text(PRIVACY).count() == 1
        assert page.locator("form .pp-blank, form .pp-check").count() == 0  # only the site search is a form
        assert_private(browser, mark, url)


def test_a_checklist_without_required_items_counts_only(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url("templates/relationship-review/")
        page = browser.open(url)
        mark = browser.mark()
        tally = page.locator("[data-pp-tally]")
        assert tally.inner_text() == "0 of 8 checked"
        page.locator("input.pp-check").nth(2).check()
        assert tally.inner_text() == "1 of 8 checked"
        assert_private(browser, mark, url)


def test_contract_blanks_take_text_and_print_in_full_on_a4(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url("templates/mentoring-agreement/")
        page = browser.open(url)
        mark = browser.mark()

        domain = page.locator("#pp-agreed-mentoring-domain")
        domain.fill("Strategy and influence across the Americas business")
        domain.press("Enter")  # nothing to submit
        goals = page.locator("#pp-two-or-three-goals-of-the-mentee")
        goals.fill(GOALS)
        page.get_by_label("Programme sponsor: name").fill("Sponsor Example")
        assert goals.input_value() == GOALS

        mirror = page.locator("#pp-two-or-three-goals-of-the-mentee + .pp-print-mirror")
        assert mirror.text_content() == GOALS
        assert page.locator("#pp-agreed-mentoring-domain + .pp-print-mirror").text_content().startswith("Strategy")

        button = page.locator("[data-pp-print]")
        assert button.is_visible() and button.inner_text() == "Print or save as PDF"
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        button.click()
        assert page.evaluate("() => window.__printed") == 1

        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pp-toolbar", ".pp-privacy-note", "[data-pp-print]"):
            locator = page.locator(hidden)
            assert all(not locator.nth(n).is_visible() for n in range(locator.count())), hidden
        assert mirror.is_visible() and not goals.is_visible()

        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=False)))
        width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
        assert abs(width - 595.28) < 2 and abs(height - 841.89) < 2  # A4
        # NFKC: Chromium prints with the machine's fonts, whose fi/fl ligature glyphs extract as U+FB01/U+FB02
        text = unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text() or "" for p in pdf.pages).split()))
        for line in GOALS.splitlines():  # the whole text, not only the textarea's visible rows
            assert line in text
        assert "Strategy and influence across the Americas business" in text
        assert "Sponsor Example" in text
        assert "Print or save as PDF" not in text and PRIVACY not in text
        assert not re.search(r"Download every template|Word\s*PDF\s*Markdown", text)
        page.emulate_media(media="screen")

        assert_private(browser, mark, url)


def test_agenda_page_has_its_clock_and_downloads(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url("templates/first-meeting/")
        page = browser.open(url)
        mark = browser.mark()
        cells = page.locator("table").first.locator("tbody tr td:first-child")
        assert cells.all_inner_texts() == ["0:00", "0:15", "0:35", "0:45"]
        links = page.locator(".pp-toolbar a")
        hrefs = [links.nth(n).get_attribute("href") for n in range(links.count())]
        assert hrefs == ["../../downloads/first-meeting.docx", "../../downloads/first-meeting.pdf", "../../downloads/first-meeting.md"]
        assert_private(browser, mark, url)
