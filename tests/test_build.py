"""Real ``mkdocs build`` runs in ``tmp_path``: the generated pages, failing builds, escaping, the example site."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, Project, tree_digest

GENERATED = [
    "program/index.html",
    "program/policies/index.html",
    "guides/executive/index.html",
    "guides/circles/index.html",
    "templates/index.html",
    "templates/agreement/index.html",
    "templates/first-session/index.html",
    "templates/circle/index.html",
    "templates/mentor-quality/index.html",
    "calendar/index.html",
]


@pytest.fixture(scope="module")
def full(built) -> Project:
    project, result = built("full")
    assert result.ok, result
    return project


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


# -- a passing build ---------------------------------------------------------------------------


def test_strict_build_passes_without_warnings(built) -> None:
    project, result = built("full")
    assert result.ok, result
    assert "WARNING" not in result.output and "Traceback" not in result.output, result


@pytest.mark.parametrize("page", GENERATED + ["index.html", "about/faq/index.html"])
def test_page_is_built(full: Project, page: str) -> None:
    assert (full.root / "site" / page).is_file()


def test_bodies_are_used_inside_their_page_not_published_on_their_own(full: Project) -> None:
    guide = full.site("guides/executive/index.html")
    assert "Executive mentoring pairs a senior executive with a new executive." in guide
    template = full.site("templates/agreement/index.html")
    assert "Fill in the Mentoring agreement together." in template
    assert 'name="aim"' in template  # {{ blank('aim') }} became an input
    # body sources (guides/executive.md, templates/agreement.md) produce no page of their own beside the generated one
    assert not (full.root / "site/guides/executive.md").exists()
    assert sorted(p.relative_to(full.root / "site/guides").as_posix() for p in (full.root / "site/guides").rglob("*.html")) == [
        "circles/index.html",
        "executive/index.html",
    ]


def test_policies_page_has_one_anchor_per_policy(full: Project) -> None:
    html = full.site("program/policies/index.html")
    for policy_id in ("confidentiality", "firewall", "job-safe", "no-fault"):
        assert html.count(f'id="{policy_id}"') == 1, policy_id


def test_overview_has_anchors_for_roles_domains_phases(full: Project) -> None:
    html = full.site("program/index.html")
    for anchor in ("role-mentee", "role-mentor", "role-sponsor", "role-program-office", "role-president",
                   "domain-leadership", "domain-strategy", "phase-launch", "phase-closing"):
        assert f'id="{anchor}"' in html, anchor


def test_names_link_to_each_other(full: Project) -> None:
    guide = full.site("guides/executive/index.html")
    for href in ("../../program/#role-mentor", "../../program/#role-mentee", "../../program/#domain-strategy",
                 "../../templates/agreement/", "../../templates/first-session/"):
        assert f'href="{href}"' in guide, href
    agreement = full.site("templates/agreement/index.html")
    for href in ("../../program/policies/#confidentiality", "../../program/#role-sponsor"):
        assert f'href="{href}"' in agreement, href
    policies = full.site("program/policies/index.html")
    assert 'href="../../templates/agreement/"' in policies


def test_placeholders_are_rendered_in_every_page(full: Project) -> None:
    index = full.site("index.html")
    assert "This is the home of the Fixture Mentoring Programme, run by Fixture Group." in index
    faq = full.site("about/faq/index.html")
    assert "Write to mentoring@fixture.example with any question about Fixture Mentoring Programme." in faq
    assert "<title>Questions - Fixture portal</title>" in faq  # front matter kept out of Jinja, still read by MkDocs
    assert '<h2 id="contact">Contact' in faq  # attr_list's {#contact} is not a Jinja comment
    for page in _html_files(full.root / "site"):
        assert "{{" not in page.read_text(encoding="utf-8"), page


def test_navigation_lists_generated_pages_in_order(full: Project) -> None:
    text = " ".join(_parse(full.site("index.html")).text)
    titles = ["Home", "Program", "Overview", "Policies", "Guides", "Executive mentoring", "Leadership circles",
              "Templates", "All templates", "Calendar", "About"]
    positions = [text.find(t) for t in titles]
    assert all(p >= 0 for p in positions), dict(zip(titles, positions))
    assert positions == sorted(positions), dict(zip(titles, positions))


def test_calendar_marks_up_occurrences(full: Project) -> None:
    html = full.site("calendar/index.html")
    # 28 Jan 2027 and 25 Mar 2027 (25 Feb is an exception), 16:00 London time
    assert '<time datetime="2027-01-28T16:00:00+00:00"' in html
    assert '<time datetime="2027-03-25T16:00:00+00:00"' in html
    assert "2027-02-25T16:00" not in html


def test_no_external_font_or_generator_link(full: Project) -> None:
    for page in _html_files(full.root / "site"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page


# -- failing builds leave site/ untouched ------------------------------------------------------


@pytest.fixture
def with_site(full: Project, tmp_path: Path) -> Project:
    """A copy of the built full fixture, with a marker file in its site/."""
    project = full.copy(tmp_path / "copy")
    project.write("site/marker.txt", "written before the failing build\n")
    return project


def _assert_failed_cleanly(project: Project, result, expected: list[str], before: dict[str, str]) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.output, result
    assert result.diagnostics() == expected, result
    assert tree_digest(project.path("site")) == before


def test_error_leaves_site_untouched(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    result = with_site.build("--strict")
    _assert_failed_cleanly(with_site, result, [f"{with_site.at('mentr')}: error PF008: unknown role 'mentr' (did you mean 'mentor'?)"], before)
    result = with_site.build()  # not only with --strict
    _assert_failed_cleanly(with_site, result, [f"{with_site.at('mentr')}: error PF008: unknown role 'mentr' (did you mean 'mentor'?)"], before)


def test_yaml_error_leaves_site_untouched(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.edit("program.yml", "  title: Fixture Mentoring Programme", "\ttitle: Fixture Mentoring Programme")
    result = with_site.build()
    [line] = result.diagnostics()
    assert line.startswith("program.yml:5:1: error PF001: YAML syntax error")
    _assert_failed_cleanly(with_site, result, [line], before)


def test_page_placeholder_error_leaves_site_untouched(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.edit("content/about/faq.md", "{{ program.contact }}", "{{ ''.__class__ }}")
    result = with_site.build()
    [line] = result.diagnostics()
    assert line.startswith("content/about/faq.md:6:10: error PF015: not allowed in a placeholder")
    _assert_failed_cleanly(with_site, result, [line], before)


def test_placeholder_error_in_a_dot_markdown_page_leaves_site_untouched(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.write("content/extra.markdown", "# Extra\n\n{{ nope }}\n")
    result = with_site.build()
    expected = ["content/extra.markdown:3:4: error PF015: 'nope' is undefined; available here: program, blank()"]
    _assert_failed_cleanly(with_site, result, expected, before)


def test_strict_warning_leaves_site_untouched(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    expected = [f"{with_site.at('first-session', 2)}: warning PD007: agenda 'first-session' has no preparation (what to do before the meeting)"]
    _assert_failed_cleanly(with_site, with_site.build("--strict"), expected, before)


def test_quiet_strict_still_fails_on_warnings(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    result = with_site.build("-q", "--strict")
    assert result.returncode == 1, result
    assert "PD007" in result.output and "Traceback" not in result.output
    assert tree_digest(with_site.path("site")) == before


def test_unknown_disable_check_fails_the_build(with_site: Project) -> None:
    before = tree_digest(with_site.path("site"))
    with_site.configure(disable_checks=["PD042"])
    expected = ["mkdocs.yml:1:1: error PF019: disable_checks: unknown check 'PD042' (known: PD001 to PD010)"]
    _assert_failed_cleanly(with_site, with_site.build(), expected, before)


# -- strings from program.yml are text, never HTML ---------------------------------------------

NASTY = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


ESCAPE_EDITS = [
    ("  title: Fixture Mentoring Programme", f"  title: Fixture {NASTY}"),
    ("  summary: A small programme used by the **test suite**.", f"  summary: 'A summary {BOLD} {NASTY}'"),
    ("    title: Mentor\n", f"    title: 'Mentor {BOLD}'\n"),
    ("    summary: A leader preparing for a bigger role.", f"    summary: 'Role {NASTY}'"),
    ("    title: Executive mentoring", f"    title: 'Executive {BOLD}'"),
    ("    title: Strategic awareness", f"    title: 'Strategy {NASTY}'"),
    ("    title: Launch and matching", f"    title: 'Launch {BOLD}'"),
    ("      - What is discussed stays between mentor and mentee.", f"      - 'Rule {NASTY}'"),
    ("    title: Confidentiality", f"    title: 'Confidentiality {BOLD}'"),
    ("    title: Mentoring agreement", f"    title: 'Agreement {NASTY}'"),
    ("{title: Purpose, text: \"We agree", f"{{title: 'Purpose {BOLD}', text: \"{NASTY} We agree"),
    ("topic: Introductions, lead: both, notes: Keep it personal.}", f"topic: 'Intro {NASTY}', lead: both, notes: '{BOLD}'}}"),
    ("      - Listens more than talks", f"      - 'Listens {NASTY}'"),
    ("group: Experience,", f"group: 'Experience {BOLD}',"),
    ("    title: Leadership circle with the President", f"    title: 'Circle {NASTY}'"),
    ("    location: Board room, level 5", f"    location: 'Room {BOLD}'"),
    ("objectives: [Grow ready-now leaders,", f"objectives: ['Grow {NASTY}',"),
    ("    summary: What is said stays in the relationship.", "    summary: '[click me](javascript:alert(2)) and [data](data:text/html,x)'"),
]


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The full fixture with HTML in many strings of program.yml, built with --strict: its HTML pages."""
    from conftest import copy_fixture

    project = Project(copy_fixture("full", tmp_path_factory.mktemp("nasty")))
    project.configure()
    for old, new in ESCAPE_EDITS:
        project.edit("program.yml", old, new)
    result = project.build("--strict")
    assert result.ok, result
    site = project.root / "site"
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in _html_files(site)}


def _article(html: str) -> str:
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match
    return match.group(1)


def test_html_in_program_yml_is_escaped_in_page_content(nasty: dict[str, str]) -> None:
    for name, html in nasty.items():
        article = _article(html)
        assert NASTY not in article and BOLD not in article, name
        tags = _parse(article).tags
        assert "b" not in tags and "script" not in tags, name
    seen = " ".join(" ".join(_parse(_article(html)).text) for html in nasty.values())
    for text in ("Fixture <script>alert(1)</script>", "Mentor <b>x</b>", "Rule <script>alert(1)</script>",
                 "Agreement <script>alert(1)</script>", "Circle <script>alert(1)</script>", "Room <b>x</b>",
                 "Listens <script>alert(1)</script>", "Purpose <b>x</b>", "Intro <script>alert(1)</script>",
                 "A summary <b>x</b>", "Strategy <script>alert(1)</script>", "Launch <b>x</b>", "Grow <script>alert(1)</script>"):
        assert text in seen, text  # shown as text


def test_html_in_program_yml_is_escaped_in_navigation_and_titles(nasty: dict[str, str]) -> None:
    for name, html in nasty.items():
        assert NASTY not in html and BOLD not in html, name
        tags = _parse(html).tags
        assert "b" not in tags, name
        assert tags.count("script") == html.count("<script"), name


def test_inline_markdown_links_cannot_run_script(nasty: dict[str, str]) -> None:
    assert "click me" in " ".join(nasty.values())
    for name, html in nasty.items():
        assert 'href="javascript:' not in html and 'href="data:' not in html, name


# -- the shipped example ------------------------------------------------------------------------


@pytest.mark.slow
def test_example_site_builds_strict(tmp_path: Path) -> None:
    """The example program in the repository builds with --strict and shows every generated page."""
    for name in ("mkdocs.yml", "program.yml"):
        shutil.copy(REPO / name, tmp_path / name)
    for name in ("content", "overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, tmp_path / name)
    project = Project(tmp_path)
    result = project.build("--strict")
    assert result.ok, result
    assert "WARNING" not in result.output, result
    from program_portal.source.loader import load_program

    loaded = load_program(tmp_path / "program.yml", root=tmp_path, docs_dir=tmp_path / "content")
    pages = ["program/index.html", "program/policies/index.html", "templates/index.html", "calendar/index.html"]
    pages += [f"guides/{t.id}/index.html" for t in loaded.program.tracks]
    pages += [f"templates/{t.id}/index.html" for t in loaded.program.templates]
    for page in pages:
        assert (tmp_path / "site" / page).is_file(), page
    policies = project.site("program/policies/index.html")
    for policy in loaded.program.policies:
        assert f'id="{policy.id}"' in policies
    assert {"group", "one-to-one", "reverse"} <= {t.format for t in loaded.program.tracks}
    assert not re.search(r"\{\{|\{%", " ".join(p.read_text(encoding="utf-8") for p in _html_files(tmp_path / "site")))
