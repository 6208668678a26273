"""A German build has no English generated word: pages, .docx, .pdf, .md, .ics and the browser's text.

The ``full`` fixture (every template kind, a session series, a cadence planner) is built once
with ``program.language: de`` and nothing else changed: no ``theme.language`` in mkdocs.yml, so
Material follows the program. The designer's own text stays English (it is used as written), so
an English label is looked for only where it cannot come from the designer: every literal part
of every label whose German text differs, except those that also occur in the designer's sources.
"""

from __future__ import annotations

import io
import re
import string
import zipfile
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from browser_support import build_site, launch_chromium, open_browser, require_chromium, serve
from conftest import FIXTURES, copy_fixture, mkdocs_yml
from program_portal.i18n.labels import LABELS
from program_portal.i18n.language import Language

GERMAN = Language("de")


def english_fragments(designer: str) -> list[str]:
    """The literal parts of English labels that German does not use and the designer never wrote."""
    found: set[str] = set()
    for id, label in LABELS.items():
        german = {GERMAN.template(id, 1), GERMAN.template(id, 2)}
        for text in filter(None, (label.text, label.plural)):
            for literal, _, _, _ in string.Formatter().parse(text):
                fragment = literal.strip(" :;,.()–×")
                if re.search(r"[A-Za-z]{3,}", fragment) and not any(fragment in g for g in german):
                    found.add(fragment)
    return sorted(f for f in found if f not in designer)


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture("full", tmp_path_factory.mktemp("german") / "project")
    program = root / "program.yml"
    program.write_text(re.sub(r"(?m)^  language: .*$", "  language: de", program.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml(site_name="Fixture portal"), encoding="utf-8")
    assert "language" not in (root / "mkdocs.yml").read_text(encoding="utf-8")
    return build_site(root, root / "site")


@pytest.fixture(scope="module")
def fragments() -> list[str]:
    root = FIXTURES / "full"
    designer = "\n".join(p.read_text(encoding="utf-8") for p in [root / "program.yml", *sorted(root.rglob("*.md"))])
    found = english_fragments(designer)
    assert len(found) > 100, found  # the check is not vacuous: most labels are checked
    return found


def assert_no_english(text: str, fragments: list[str], where: str) -> None:
    text = re.sub(r"\s+", " ", text)
    left = [f for f in fragments if re.search(rf"(?<![A-Za-z]){re.escape(f)}(?![A-Za-z])", text)]
    assert left == [], f"English generated words in {where}: {left}"


def _html_text(path: Path) -> str:
    root = lxml.html.parse(str(path)).getroot()
    for script in root.iter("script"):
        script.getparent().remove(script)
    attributes = [v for el in root.iter() if isinstance(el.tag, str)
                  for k, v in el.attrib.items() if k in ("aria-label", "title", "placeholder", "alt", "data-pp-label")]
    return root.text_content() + "\n" + "\n".join(attributes)


GENERATED = ("program", "guides", "templates", "calendar")


def test_generated_pages_are_german(german_site: Path, fragments: list[str]) -> None:
    pages = [p for d in GENERATED for p in sorted((german_site / d).rglob("index.html"))]
    assert len(pages) >= 9
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="de"' in html, page
        assert_no_english(_html_text(page), fragments, str(page.relative_to(german_site)))
    contract = _html_text(german_site / "templates" / "agreement" / "index.html")
    assert "Diese Vereinbarung wird geschlossen zwischen:" in contract and "Unterschriften" in contract
    calendar = (german_site / "calendar" / "index.html").read_text(encoding="utf-8")
    assert "Do., 28. Jan. 2027, 16:00–17:30 Uhr GMT" in calendar


def test_downloads_and_calendars_are_german(german_site: Path, fragments: list[str]) -> None:
    downloads = sorted((german_site / "downloads").iterdir())
    assert {p.suffix for p in downloads} == {".docx", ".pdf", ".md", ".zip"}
    for path in downloads:
        if path.suffix == ".md":
            assert_no_english(path.read_text(encoding="utf-8"), fragments, path.name)
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                parts = [n for n in docx.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
                xml = "\n".join(docx.read(n).decode("utf-8") for n in parts)
                styles = docx.read("word/styles.xml").decode("utf-8")
                core = docx.read("docProps/core.xml").decode("utf-8")
            words = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml) + re.findall(r'<w:alias w:val="([^"]*)"', xml)
            assert_no_english("\n".join(words), fragments, path.name)
            assert re.search(r'<w:lang [^>]*w:val="de-DE"', styles), "styles: spell-checking language"
            assert "<dc:language>de</dc:language>" in core
            footer = "".join(words)
            assert "Seite" in footer and " von " in footer
        elif path.suffix == ".pdf":
            reader = PdfReader(io.BytesIO(path.read_bytes()))
            text = "\n".join(page.extract_text() for page in reader.pages)
            tips = [str(f.get("/TU", "")) for f in (reader.get_fields() or {}).values()]
            assert_no_english(text + "\n" + "\n".join(tips), fragments, path.name)
            assert f"Seite 1 von {len(reader.pages)}" in text
            assert reader.trailer["/Root"].get("/Lang") == "de"
    for path in sorted((german_site / "calendar").glob("*.ics")):
        text = path.read_text(encoding="utf-8").replace("\r\n ", "").replace("\\n", "\n").replace("\\,", ",")
        assert_no_english(text, fragments, path.name)
        assert "Leitung: " in text


@pytest.mark.browser
def test_the_browser_text_is_german(german_site: Path, fragments: list[str]) -> None:
    require_chromium()
    with serve(german_site) as server, launch_chromium() as chromium:
        with open_browser(chromium, timezone_id="America/New_York", locale="en-US", record_csp=True) as browser:
            page = browser.open(server.url("calendar/"))
            local = page.locator(".pp-localtime").first.inner_text()
            assert re.match(r" ?\(Ihre Zeit, GMT\u2212[45]: ", local), local  # the zone as the page writes zones (GMT+1)
            assert_no_english(page.locator("body").inner_text(), fragments, "calendar page in Chromium")

            page = browser.open(server.url("templates/mentor-quality/"))
            tally = page.locator("[data-pp-tally]")
            assert re.fullmatch(r"0 von \d+ abgehakt, \d+ Pflichtpunkte? noch offen", tally.inner_text()), tally.inner_text()
            required = page.locator('input.pp-check[data-pp-required="true"]')
            for n in range(required.count()):
                required.nth(n).check()
            assert tally.inner_text().endswith(", alle Pflichtpunkte erfüllt")
            assert_no_english(page.locator("body").inner_text(), fragments, "checklist page in Chromium")

            page = browser.open(server.url("guides/executive/"))
            page.locator(".pp-planner-start").fill("2027-02-01")
            first = page.locator(".pp-planner-dates li").first.inner_text()
            assert first == "Mo., 1. Feb. 2027, 10:00", first  # the calendar's date style (CLDR yMMMEd, 24-hour clock)
            assert_no_english(page.locator("body").inner_text(), fragments, "planner in Chromium")
            assert browser.console_errors == [] and browser.page_errors == []
            assert browser.csp_violations() == []
