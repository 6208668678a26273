"""Forms in a real browser (headless Debian Chromium): typed answers, a filled copy saved on the
reader's machine, and nothing sent or stored.

The example site is built once per run and served on 127.0.0.1. A test fills in the
development plan as a mentee would, saves the filled copy as Markdown and as Word, and opens
the downloaded files with independent readers (the text itself, python-docx): the answers are
in them, no request was made after the page loaded (a ``blob:`` URL is the browser's own
memory, not a request to any host) and the page stored nothing (localStorage,
sessionStorage, IndexedDB, cookies).
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from browser_support import Browser, Server, open_browser

pytestmark = pytest.mark.browser

URL = "templates/development-plan/"
GOAL = "Lead the regional merger *without* losing two key people\nand keep <b>trust</b>"
STEP = "Ask the CFO to observe the March budget review"


def storage(browser: Browser) -> dict[str, object]:
    out = dict(browser.storage())
    out["indexeddb"] = browser.page.evaluate(  # type: ignore[attr-defined]
        "async () => indexedDB.databases ? (await indexedDB.databases()).length : 0"
    )
    return out


def requests_after(browser: Browser, mark: int) -> list[str]:
    return [r.url for r in browser.requests_since(mark) if not r.url.startswith("blob:")]


def fill(page: object) -> None:
    page.get_by_label("First goal").fill(GOAL)  # type: ignore[attr-defined]
    page.get_by_label("The first step, and when you will take it").fill(STEP)  # type: ignore[attr-defined]
    page.get_by_label("When will you look at this plan again?").fill("2027-03-15")  # type: ignore[attr-defined]
    page.get_by_role("group", name="Which area matters most for these goals?").get_by_label("Strategic awareness").check()  # type: ignore[attr-defined]
    page.get_by_role("group", name="How confident are you that these goals can be reached in the programme?").get_by_label("4").check()  # type: ignore[attr-defined]
    page.get_by_role("group", name="Does your line manager know your development goals?").get_by_label("No").check()  # type: ignore[attr-defined]


def test_a_filled_form_saves_as_markdown_and_word_on_the_readers_machine(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url(URL)
        page = browser.open(url)
        mark = browser.mark()
        assert page.locator('input[type="date"]').count() == 1
        assert page.locator("fieldset.pp-question legend").count() == 3
        fill(page)

        with page.expect_download() as info:
            page.get_by_role("button", name="Save my filled copy (Markdown)").click()
        download = info.value
        assert download.suggested_filename == "development-plan-filled.md"
        text = open(download.path(), encoding="utf-8").read()
        assert text.startswith("# Development plan\n")
        assert "## Goals" in text and "**First goal**" in text
        assert "Lead the regional merger \\*without\\* losing two key people  \nand keep \\<b\\>trust\\</b\\>" in text
        assert STEP in text and "2027-03-15" in text
        assert "**Which area matters most for these goals?**\n\nStrategic awareness" in text
        assert "\n\n4\n" in text and "\n\nNo\n" in text
        assert "*(no answer)*" in text  # the second goal was left empty

        with page.expect_download() as info:
            page.get_by_role("button", name="Save my filled copy (Word)").click()
        download = info.value
        assert download.suggested_filename == "development-plan-filled.docx"
        data = open(download.path(), "rb").read()
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
        document = docx.Document(io.BytesIO(data))
        paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
        assert paragraphs[0] == ("Title", "Development plan")
        assert ("heading 1", "Goals") in paragraphs or ("Heading 1", "Goals") in paragraphs
        texts = [t for _, t in paragraphs]
        assert "Lead the regional merger *without* losing two key people\nand keep <b>trust</b>" in texts
        assert texts[texts.index("Which area matters most for these goals?") + 1] == "Strategic awareness"
        assert texts[texts.index("When will you look at this plan again?") + 1] == "2027-03-15"
        assert STEP in texts

        assert page.url == url
        assert requests_after(browser, mark) == [], requests_after(browser, mark)
        assert browser.external_requests() == []
        assert browser.console_errors == [] and browser.page_errors == []
        assert storage(browser) == {"local": 0, "session": 0, "cookie": "", "indexeddb": 0}


def test_leaving_a_page_with_typed_answers_asks_first(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        page = browser.open(site.url(URL))
        field = page.get_by_label("The first step, and when you will take it")
        field.fill(STEP)  # typed (a real user gesture, after which Chromium may ask)...
        field.fill("")  # ...and taken back: nothing to lose, so nothing is asked
        asked: list[str] = []
        page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
        with page.expect_event("close"):
            page.close(run_before_unload=True)
        assert asked == []

        page = browser.open(site.url(URL), page=browser.context.new_page())  # type: ignore[attr-defined]
        page.get_by_label("The first step, and when you will take it").fill(STEP)
        with page.expect_event("dialog") as info:
            page.close(run_before_unload=True)
        dialog = info.value
        assert dialog.type == "beforeunload"
        dialog.dismiss()  # stay on the page: the answer is still there
        assert not page.is_closed()
        assert page.get_by_label("The first step, and when you will take it").input_value() == STEP


def test_a_page_without_fields_has_no_privacy_note_and_checklists_no_bullets(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        page = browser.open(site.url("program/"))
        assert page.locator(".pp-privacy-note").count() == 0
        page = browser.open(site.url("templates/regular-meeting/"))  # an agenda: its notes fields
        assert page.locator(".pp-privacy-note:not(.pp-save-note)").count() == 1
        page = browser.open(site.url("templates/session-preparation/"))
        assert page.locator(".pp-privacy-note").count() == 1
        item = page.locator("ul.pp-checklist > li").first
        assert item.evaluate("li => getComputedStyle(li).listStyleType") == "none"
        assert item.evaluate("li => getComputedStyle(li, '::before').content") in ("none", "normal")


def test_inline_fields_show_their_whole_label(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        page = browser.open(site.url("templates/mentoring-agreement/"))
        cut = page.evaluate("""() => {
            const context = document.createElement("canvas").getContext("2d");
            return [...document.querySelectorAll("article input.pp-blank[placeholder]")].flatMap((field) => {
                const style = getComputedStyle(field);
                context.font = style.font;
                const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return context.measureText(field.placeholder).width > room + 0.5 ? [field.placeholder] : [];
            });
        }""")
        assert page.locator("article input.pp-blank[placeholder]").count() >= 10
        assert cut == []


def test_typed_agenda_notes_are_in_the_saved_copy(site: Server, chromium: object) -> None:
    with open_browser(chromium) as browser:
        url = site.url("templates/first-meeting/")
        page = browser.open(url)
        mark = browser.mark()
        assert page.locator("textarea").count() == 6
        page.get_by_label("Notes for the preparation").fill("Two turning points: Lyon, the 2019 restructuring")
        page.get_by_label("Notes for Logistics and the agreement").fill("Every 4 weeks, <i>90</i> minutes")
        page.get_by_label("Notes for the follow-up").fill("Goal-setting meeting booked")
        with page.expect_download() as info:
            page.get_by_role("button", name="Save my filled copy (Markdown)").click()
        download = info.value
        assert download.suggested_filename == "first-meeting-filled.md"
        text = open(download.path(), encoding="utf-8").read()
        assert text.startswith("# First meeting")
        assert "**Notes for the preparation**\n\nTwo turning points: Lyon, the 2019 restructuring\n" in text
        assert "**Notes for Logistics and the agreement**\n\nEvery 4 weeks, \\<i\\>90\\</i\\> minutes\n" in text
        assert "**Notes for the follow-up**\n\nGoal-setting meeting booked\n" in text
        assert "**Notes for Introductions and career stories**\n\n*(no answer)*" in text
        assert requests_after(browser, mark) == [] and browser.external_requests() == []
        assert storage(browser) == {"local": 0, "session": 0, "cookie": "", "indexeddb": 0}
        assert browser.console_errors == [] and browser.page_errors == []
