"""The program's look: logo, favicon, brand colours, light and dark mode, the footer; the words
around it (en-GB's "Programme", the ``date`` placeholder filter, the offline pack's calendar).

Real builds of the shipped example and of fixture projects; the palette toggle, the schemes and
axe-core in headless Chromium.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser_support import REPO, build_site, open_browser, require_chromium, serve
from conftest import Project

EPOCH = "1790000000"  # 2026-09-21 (UTC)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example built once (``--strict``, fixed SOURCE_DATE_EPOCH)."""
    cache = tmp_path_factory.getbasetemp() / "download-cache"
    cache.mkdir(exist_ok=True)
    return build_site(REPO, tmp_path_factory.mktemp("look-example"), epoch=EPOCH, cache_dir=cache)


def footer_of(html: str) -> str:
    match = re.search(r'<p class="pp-footer"[^>]*>.*?</p>', html, re.S)
    assert match, "no footer line"
    return match.group(0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


# -- the example's look -------------------------------------------------------------------------


def test_logo_favicon_and_brand_stylesheet_are_published_and_referenced(example: Path) -> None:
    for name in ("logo.svg", "favicon.svg", "brand.css"):
        published = example / "assets" / name
        assert published.is_file() and published.read_bytes() == (REPO / "content" / "assets" / name).read_bytes()
    for page in ("index.html", "program/index.html", "calendar/index.html"):
        html = (example / page).read_text(encoding="utf-8")
        prefix = "" if page == "index.html" else "../"
        assert f'<link rel="icon" href="{prefix}assets/favicon.svg">' in html, page
        assert html.count(f'<img src="{prefix}assets/logo.svg"') == 2, page  # header and drawer
        assert f'href="{prefix}assets/brand.css"' in html, page
    home = (example / "index.html").read_text(encoding="utf-8")
    # both schemes, with a toggle each: light first (the system's preference decides, then the reader)
    schemes = re.findall(r'<input class="md-option" data-md-color-media="([^"]*)" data-md-color-scheme="([^"]*)" data-md-color-primary="custom"', home)
    assert schemes == [("(prefers-color-scheme: light)", "default"), ("(prefers-color-scheme: dark)", "slate")]
    assert 'title="Switch to dark mode"' in home and 'title="Switch to light mode"' in home


def test_footer_names_the_programme_office_and_the_build_date_in_british_english(example: Path) -> None:
    footer = footer_of((example / "index.html").read_text(encoding="utf-8"))
    assert text_of(footer) == "Programme office: mentoring@meridian.example · Built on 21 September 2026"
    assert '<a href="mailto:mentoring@meridian.example">mentoring@meridian.example</a>' in footer
    assert '<time datetime="2026-09-21">21 September 2026</time>' in footer
    assert 'lang="en-GB"' in footer
    for page in ("program/index.html", "templates/mentoring-agreement/index.html", "404.html"):
        assert text_of(footer_of((example / page).read_text(encoding="utf-8"))) == text_of(footer), page


def test_en_gb_programs_say_programme_in_generated_labels(example: Path) -> None:
    program = (example / "program" / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', program)
    assert "Programme" in nav and "Program" not in nav
    assert "Programme office" in program  # the role kind's label
    policies = (example / "program" / "policies" / "index.html").read_text(encoding="utf-8")
    assert "Every agreement in the programme" in policies and "in the program " not in policies
    calendar = text_of((example / "calendar" / "index.html").read_text(encoding="utf-8"))
    assert "Subscribe to the whole programme in your calendar program" in calendar  # software stays "program"


def test_home_page_dates_use_the_date_filter(example: Path) -> None:
    home = text_of((example / "index.html").read_text(encoding="utf-8"))
    assert "The programme runs from 11 January 2027 to 17 December 2027." in home


def test_the_build_date_follows_source_date_epoch(make_project) -> None:
    project: Project = make_project("full")
    assert project.build("--strict", SOURCE_DATE_EPOCH="1800000000").ok  # 2027-01-15
    footer = footer_of(project.site("index.html"))
    assert text_of(footer) == "Program office: mentoring@fixture.example · Built on January 15, 2027"  # en: US English
    assert '<time datetime="2027-01-15">' in footer


def test_footer_in_german(make_project) -> None:
    project: Project = make_project("full")
    project.edit("program.yml", "language: en", "language: de")
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH)
    assert result.ok, result.output
    footer = footer_of(project.site("program/index.html"))
    assert text_of(footer) == "Programmbüro: mentoring@fixture.example · Erstellt am 21. September 2026"
    assert 'lang="de"' in footer


# -- the date filter ----------------------------------------------------------------------------


def _render(source: str, language: str) -> str:
    from program_portal.i18n.language import Language
    from program_portal.render.placeholders import Blanks, render

    context = {"program": {"starts": date(2027, 1, 11), "title": "T", "weeks": 49}}
    return render(source, file="content/x.md", context=context, blanks=Blanks("html"), language=Language(language))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-GB", "11 January 2027|11/01/2027|11 Jan 2027|11 January 2027|3 February 2027"),
        ("en", "January 11, 2027|1/11/27|Jan 11, 2027|January 11, 2027|February 3, 2027"),
        ("de", "11. Januar 2027|11.01.27|11.01.2027|11. Januar 2027|3. Februar 2027"),
        ("fr", "11 janvier 2027|11/01/2027|11 janv. 2027|11 janvier 2027|3 février 2027"),
    ],
)
def test_date_filter_formats_in_the_program_language(language: str, expected: str) -> None:
    source = ("{{ program.starts | date }}|{{ program.starts | date('short') }}|{{ program.starts | date(style='medium') }}"
              "|{{ program.starts | date('long') }}|{{ '2027-02-03' | date }}")
    assert _render(source, language) == expected
    assert _render("{{ program.starts }}", language) == "2027-01-11"  # without the filter: ISO, as the spec says


def test_a_constant_date_is_formatted_when_rendered_not_when_compiled() -> None:
    # Jinja folds filters of constants at compile time; the compiled template is shared by languages
    assert _render("{{ '2027-02-03' | date }}", "en-GB") == "3 February 2027"
    assert _render("{{ '2027-02-03' | date }}", "de") == "3. Februar 2027"


HOSTILE_DATES = [
    ("{{ program.title | date }}", "the date filter takes a date like program.starts or '2027-01-11', not str 'T'"),
    ("{{ program.weeks | date }}", "not int 49"),
    ("{{ none | date }}", "not NoneType None"),
    ("{{ [program.starts] | date }}", "not list [datetime.date(2027, 1, 11)]"),
    ("{{ {'a': 1} | date }}", "not dict"),
    ("{{ '2027-02-30' | date }}", "'2027-02-30' is not a day of the calendar"),
    ("{{ 'tomorrow' | date }}", "not str 'tomorrow'"),
    ("{{ program.starts | date('full') }}", "the date filter's style must be one of 'short', 'medium', 'long', not str 'full'"),
    ("{{ program.starts | date('EEEE d MMMM y') }}", "style must be one of"),
    ("{{ program.starts | date('x' * 90000) }}", "not str 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."),
    ("{{ program.starts | date('%s' % ('y' * 99999)) }}", "would be longer than 100000"),  # the sandbox's limit first
    ("{{ program.starts | date(5) }}", "not int 5"),
    ("{{ program.starts | date(program.starts) }}", "not date datetime.date(2027, 1, 11)"),
    ("{{ program.starts | date('long', 'short') }}", "the date filter takes one style at most"),
    ("{{ program.starts | date(format='long') }}", "the date filter takes one style at most"),
    ("{{ program.starts | date | date }}", "not str '11 January 2027'"),
    ("{{ program.nothing | date }}", "'program' has no field 'nothing'"),
    ("{{ date }}", "'date' is undefined"),
]


@pytest.mark.parametrize(("placeholder", "message"), HOSTILE_DATES, ids=[p for p, _ in HOSTILE_DATES])
def test_date_filter_hostile_inputs_are_located_errors(placeholder: str, message: str) -> None:
    from program_portal.diagnostics import ProgramError

    with pytest.raises(ProgramError) as caught:
        _render("A line of text.\n\nThe programme starts " + placeholder + ".\n", "en-GB")
    [found] = caught.value.diagnostics
    assert found.code == "PF015" and found.location.file == "content/x.md" and found.location.line == 3, found
    assert message in found.message, found.message
    assert len(found.message) < 400 and "Traceback" not in found.message


def test_date_filter_error_in_a_page_is_reported_at_its_line_by_check_and_build(make_project) -> None:
    project: Project = make_project("full")
    project.write("content/about/dates.md", "# Dates\n\nStarts {{ program.starts | date('full') }}.\n")
    for result in (project.check(), project.build("--strict")):
        assert not result.ok
        lines = [d for d in result.diagnostics() if "PF015" in d]
        assert lines and lines[0].startswith("content/about/dates.md:3:8: error PF015: the date filter's style"), result.output
        assert "Traceback" not in result.output


def test_date_filter_in_a_body_and_a_clause(make_project) -> None:
    project: Project = make_project("full")
    project.edit("program.yml", "language: en", "language: de")
    body = next(p for p in sorted(project.path("content/guides").glob("*.md")))
    project.write(body.relative_to(project.root).as_posix(), body.read_text(encoding="utf-8") + "\nEnde: {{ program.ends | date('medium') }}.\n")
    assert project.build("--strict", SOURCE_DATE_EPOCH=EPOCH).ok
    published = "".join(p.read_text(encoding="utf-8") for p in (project.root / "site" / "guides").rglob("index.html"))
    assert "Ende: 17.12.2027." in published


# -- the look's settings, attacked ---------------------------------------------------------------


def _with_theme(project: Project, theme: str, extra: str = "") -> None:
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("  font: false\n", "  font: false\n" + theme) + extra)


def test_logo_that_is_not_a_file_under_docs_dir_is_located_error(make_project) -> None:
    project: Project = make_project("full")
    _with_theme(project, "  logo: assets/missing.svg\n")
    result = project.check()
    assert not result.ok
    assert result.diagnostics() == [f"{project.at('logo:', rel='mkdocs.yml')}: error PF020: theme.logo 'assets/missing.svg' is not a file under "
                                    "docs_dir; add it (like content/assets/missing.svg) or correct the path"]
    for bad in ('"x.svg\\" onerror=\\"alert(1)"', "../program.yml", "assets/logo.html", "/etc/passwd.png"):
        project.write("mkdocs.yml", re.sub(r"  logo: .*\n", f"  logo: {bad}\n", project.read("mkdocs.yml")))
        result = project.check()
        assert not result.ok and any("PF020: theme.logo" in d for d in result.diagnostics()), (bad, result.output)
    project.write("content/assets/logo.svg", (REPO / "content" / "assets" / "logo.svg").read_bytes())
    project.write("mkdocs.yml", re.sub(r"  logo: .*\n", "  logo: assets/logo.svg\n", project.read("mkdocs.yml")))
    assert project.check().ok


def test_favicon_from_another_host_is_pv003(make_project) -> None:
    project: Project = make_project("full")
    _with_theme(project, "  favicon: https://cdn.example/favicon.png\n")
    result = project.check("--strict")
    assert any("warning PV003: theme.favicon loads from another host" in d for d in result.diagnostics()), result.output


def test_stylesheet_under_content_that_loads_from_another_host_is_refused(make_project) -> None:
    """One check for every published stylesheet (checks/filetypes.py, PF034), the brand's included."""
    project: Project = make_project("full")
    project.write("content/assets/brand.css", ":root { --md-primary-fg-color: #0b4f6c; }\n\n@import url('https://fonts.example/x.css');\n")
    project.write("mkdocs.yml", project.read("mkdocs.yml") + "extra_css:\n  - assets/brand.css\n")
    result = project.check()
    assert result.diagnostics() == ["content/assets/brand.css:3:1: error PF034: this stylesheet is not published because it imports a "
                                    "stylesheet from another host (@import); ship the stylesheet in content/ and list it in extra_css"]
    project.write("content/assets/brand.css", "body { background: url( //evil.example/x.png ) }\n")
    assert any("PF034" in d for d in project.check().diagnostics())
    project.write("content/assets/brand.css", (REPO / "content" / "assets" / "brand.css").read_bytes())
    assert project.check("--strict").ok


def test_palette_settings_and_the_footer_key_print_as_text(make_project) -> None:
    project: Project = make_project("full")
    hostile = '"><a href="https://evil.example/">x</a><b x="'
    _with_theme(project, (
        "  palette:\n"
        f"    - scheme: default\n      media: '{hostile}'\n      primary: '{hostile}'\n"
        f"      toggle: {{icon: ../../../../etc/passwd, name: '{hostile}'}}\n"
        f"    - scheme: slate\n      toggle: {{icon: material/weather-sunny, name: '<img src=x>'}}\n"
    ), extra="extra_css: []\n")
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("extra:\n  generator: false\n",
                  "extra:\n  generator: false\n  program_portal_footer: '<a href=\"https://evil.example/\">phish</a>'\n"))
    result = project.build("--strict")
    assert result.ok, result.output
    home = project.site("index.html")
    links = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            links.extend(value for name, value in attrs if name in ("href", "src") and value and "evil" in value)

    Links().feed(home)
    assert links == []  # every hostile value stayed inside its attribute
    assert 'aria-label="&#34;&gt;&lt;a href=' in home or 'aria-label="&quot;&gt;&lt;a href=' in home
    assert '<img src=x>' not in home and "&lt;img src=x&gt;" in home
    # the icon path ../../../../etc/passwd became Material's brightness-4 (the build would fail on the include otherwise)
    assert home.count('<label class="md-header__button md-icon" title=') == 2
    assert "phish" not in home and "Program office: " in text_of(footer_of(home))


# -- the offline pack's calendar ------------------------------------------------------------------


def test_offline_pack_calendar_does_not_offer_a_subscription(make_project) -> None:
    project: Project = make_project("full")
    offline = project.read("mkdocs.yml").replace("plugins:\n  - search\n", "use_directory_urls: false\nplugins:\n  - search\n  - offline\n")
    # as mkdocs.offline.yml: `make offline` copies the shim into the built site (a script under content/ is PF034)
    project.write("mkdocs.yml", offline.replace("extra:\n", "extra:\n  polyfills: [assets/vendor/iframe-worker/shim.js]\n"))
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH)
    assert result.ok, result.output
    calendar = project.site("calendar/index.html")
    text = text_of(calendar)
    assert "Add the sessions to your calendar" in text
    assert "which calendar programs cannot subscribe to. Download fixture-mentoring-2027.ics (every session)" in text
    assert "Subscribe" not in text and "subscribe to this feed" not in text and "pp-feed" not in calendar
    assert 'href="fixture-mentoring-2027.ics"' in calendar  # the files are still there to download
    served = make_project("full")  # the served portal keeps its subscription block
    assert served.build("--strict").ok
    assert "Subscribe to the whole program" in text_of(served.site("calendar/index.html"))


# -- in the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(example: Path):
    require_chromium()
    with serve(example) as server:
        yield server


@pytest.mark.browser
def test_palette_toggle_switches_scheme_under_the_csp_with_no_outside_request(served) -> None:
    with open_browser(record_csp=True, block_outside=True) as browser:
        page = browser.open(served.url(""))
        body = page.locator("body")
        assert body.get_attribute("data-md-color-scheme") == "default"
        header = page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor")
        assert header == "rgb(11, 79, 108)"  # brand.css's primary colour, not Material's indigo
        page.get_by_title("Switch to dark mode").click()
        assert body.get_attribute("data-md-color-scheme") == "slate"
        assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        page.reload()  # the reader's choice is kept (in the browser only)
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        kept = page.evaluate("() => Object.fromEntries(Object.keys(localStorage).map(k => [k, JSON.parse(localStorage.getItem(k))]))")
        assert list(kept) == ["/.__palette"] and set(kept["/.__palette"]) == {"index", "color"}, kept  # the scheme, nothing else
        assert set(kept["/.__palette"]["color"]) <= {"media", "scheme", "primary", "accent"}, kept
        assert browser.storage() == {"local": 0, "session": 0, "cookie": ""}
        page.get_by_title("Switch to light mode").click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
        logo = page.locator(".md-header .md-logo img")
        assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
        assert browser.csp_violations() == []
        assert browser.console_errors == [] and browser.page_errors == []
        assert browser.external_requests() == [] and browser.blocked == []
    assert "/assets/favicon.svg" in served.served and "/assets/brand.css" in served.served


@pytest.mark.browser
def test_system_dark_preference_opens_the_dark_scheme(served) -> None:
    with open_browser() as browser:
        browser.page.emulate_media(color_scheme="dark")  # type: ignore[attr-defined]
        page = browser.open(served.url(""))
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "program/", "calendar/", "templates/mentoring-agreement/"], ids=["home", "program", "calendar", "contract"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_are_axe_clean_in_both_schemes(served, scheme: str, path: str) -> None:
    from test_accessibility import audit, describe, require_axe

    axe_source = require_axe()
    with open_browser() as browser:
        browser.page.emulate_media(color_scheme=scheme)  # type: ignore[attr-defined]
        browser.open(served.url(path))
        expected = "slate" if scheme == "dark" else "default"
        assert browser.page.locator("body").get_attribute("data-md-color-scheme") == expected  # type: ignore[attr-defined]
        bad = audit(browser, f"{path or 'home'} ({scheme})", axe_source)
        assert bad == [], describe(bad)
