"""The matching guide (``matching:``, an extension) and the notes fields of agendas.

``matching:`` is added to a copy of the ``full`` fixture: its errors are located at
FILE:LINE:COLUMN, its page is checked in English and German, and the templates it names link to
it. The agenda ``first-session`` of the fixture gets a notes field per item and for the
preparation and follow-up on the page, in Word (plain-text content controls read with
python-docx) and in the Markdown download.
"""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from conftest import FIXTURES, Project
from program_portal.build import check_project
from program_portal.render.downloads import DownloadCache, build_downloads
from program_portal.render.downloads.document import to_html
from program_portal.render.pages import matching as matching_page
from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal
from program_portal.render.site import generate_pages

STAMP = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MATCHING = """\
matching:
  summary: Pairs are proposed against *published* criteria.
  decides: program-office
  criteria:
    - title: Outside the reporting line
      summary: Never a mentor in the mentee's reporting line.
    - title: Domains
  steps:
    - title: Profiles filled in
      owner: mentee
      phase: launch
      weeks: [1, 2]
    - title: Pairs proposed
      owner: program-office
  templates: [mentor-quality]
"""


def add_matching(root: Path, text: str = MATCHING) -> None:
    path = root / "program.yml"
    program = path.read_text(encoding="utf-8")
    path.write_text(program.replace("\nprivacy:\n", "\n" + text + "\nprivacy:\n", 1), encoding="utf-8")


def load(root: Path) -> Portal:
    report = check_project(root, root / "program.yml", root / "content")
    assert not report.errors, [str(d) for d in report.errors]
    return Portal(report.loaded)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("matching")
    shutil.copytree(FIXTURES / "full", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))
    add_matching(root)
    return root


@pytest.fixture(scope="module")
def portal(root: Path) -> Portal:
    return load(root)


def test_guide_page_in_english(portal: Portal) -> None:
    page = matching_page.guide(portal)
    assert page.startswith("# Matching guide\n")
    assert "Pairs are proposed against *published* criteria." in page
    assert "this portal holds no one's profile" in page
    assert "- **Who decides:** [Programme office](index.md#role-program-office)\n" in page
    assert "## Criteria" in page and "**Outside the reporting line**: Never a mentor" in page and "- **Domains**\n" in page
    assert "### 1. Profiles filled in { #step-1 }" in page and "### 2. Pairs proposed { #step-2 }" in page
    step = page.split("{ #step-1 }\n\n")[1].split("\n")[0]
    assert step.startswith("*By: [Mentee](index.md#role-mentee)* · Weeks 1") and "2027" in step
    assert step.endswith(") · during [Launch and matching](index.md#phase-launch)")
    assert "*By: [Programme office](index.md#role-program-office)*\n" in page
    assert "## Forms and checklists\n\n[Mentor quality checklist](../templates/mentor-quality.md)\n" in page


def test_guide_is_a_page_in_the_navigation(portal: Portal) -> None:
    generated = generate_pages(portal)
    assert "program/matching.md" in generated.pages
    assert {"Matching guide": "program/matching.md"} in generated.nav[0]["Program"]


def test_guide_page_in_german(root: Path, tmp_path: Path) -> None:
    shutil.copytree(root, tmp_path, dirs_exist_ok=True)
    program = tmp_path / "program.yml"
    program.write_text(program.read_text(encoding="utf-8").replace("  language: en", "  language: de", 1), encoding="utf-8")
    portal = load(tmp_path)
    assert portal.info.language == "de"
    page = matching_page.guide(portal)
    assert page.startswith("# Leitfaden zur Zuordnung\n")
    assert "**Wer entscheidet:**" in page and "## Kriterien" in page and "## Ablauf" in page
    assert "*Durch: [" in page and "während [" in page
    assert "Siehe auch: [Leitfaden zur Zuordnung](../program/matching.md)." in templates.page(portal, portal.templates["mentor-quality"])


def test_named_templates_link_to_the_guide(portal: Portal) -> None:
    assert "See also: [Matching guide](../program/matching.md)." in templates.page(portal, portal.templates["mentor-quality"])
    assert "Matching guide" not in templates.page(portal, portal.templates["agreement"])
    assert "Matching guide" not in templates.page(portal, portal.templates["mentor-quality"], "markdown")


def test_no_matching_no_page(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "full", tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))
    generated = generate_pages(load(tmp_path))
    assert "program/matching.md" not in generated.pages


BAD = [
    ("unknown-decider", "decides: program-office", "decides: programme-office", "PF008", "programme-office",
     "unknown role 'programme-office' (did you mean 'program-office'?)"),
    ("unknown-owner", "owner: mentee", "owner: matcher", "PF008", "matcher", "unknown role 'matcher'"),
    ("unknown-phase", "phase: launch", "phase: lunch", "PF008", "lunch", "unknown phase 'lunch'"),
    ("unknown-template", "templates: [mentor-quality]", "templates: [intake]", "PF008", "intake]", "unknown template 'intake'"),
    ("weeks-backwards", "weeks: [1, 2]", "weeks: [3, 2]", "PF005", "[3, 2]", "the last week (2) comes before the first (3)"),
    ("unknown-key", "    - title: Domains\n", "    - title: Domains\n      mentor: someone\n", "PF003", "mentor: someone",
     "unknown key 'mentor' in criterion 2 of 'criteria'"),
    ("missing-decides", "  decides: program-office\n", "", "PF004", "summary: Pairs", "missing required key 'decides'"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_matching_is_one_located_error(project: Project, case: tuple[str, str, str, str, str, str]) -> None:
    _, old, new, code, at, message = case
    add_matching(project.root)
    project.edit("program.yml", old, new)
    project.assert_one_located_error(code, at, message)


def test_hostile_matching_text_is_shown_as_text(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "full", tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))
    hostile = MATCHING.replace("title: Domains", "title: '<script>alert(1)</script>{{ config }}'").replace(
        "Pairs are proposed against *published* criteria.", "'<img src=x onerror=alert(1)> {% raw %} {{ program.title }}'"
    ).replace("title: Pairs proposed", "title: '[x](javascript:alert(1)) <b>bold</b>'")
    add_matching(tmp_path, hostile)
    html = to_html(matching_page.guide(load(tmp_path)))
    tree = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
    assert not tree.xpath("//script | //img | //b | //*[@onerror] | //a[contains(@href, 'javascript')]")
    assert "[x](javascript:alert(1)) &lt;b&gt;bold&lt;/b&gt;" in html  # a title is plain text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ config }}" in html
    assert "{{ program.title }}" in html  # placeholders are not rendered in program.yml values


# -- agenda notes -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def files(portal: Portal, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_downloads(portal, dtstamp=STAMP, cache=DownloadCache(tmp_path_factory.mktemp("cache")), jobs=1)


def agenda(portal: Portal) -> tuple[list[str], list[str]]:
    t = portal.templates["first-session"]
    names = ["q-notes-preparation"] * bool(t.preparation) + [f"q-notes-{n}" for n in range(1, len(t.items) + 1)]
    names += ["q-notes-follow-up"] * bool(t.follow_up)
    labels = ["Notes for the preparation"] * bool(t.preparation) + [f"Notes for {i.topic}" for i in t.items]
    labels += ["Notes for the follow-up"] * bool(t.follow_up)
    return names, labels


def test_agenda_page_has_a_labelled_notes_field_per_item(portal: Portal) -> None:
    names, labels = agenda(portal)
    html = to_html(templates.page(portal, portal.templates["first-session"], "html"))
    tree = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
    areas = tree.xpath(".//textarea")
    assert [a.get("name") for a in areas] == names and len(names) >= 3
    assert [tree.xpath(f"string(.//label[@for='{a.get('id')}'])") for a in areas] == labels
    assert tree.xpath(".//button[@data-pp-save='md']/@data-pp-file") == ["first-session-filled"]
    assert tree.xpath(".//p[contains(@class, 'pp-privacy-note')]")


def test_agenda_word_has_a_plain_text_control_per_notes_field(portal: Portal, files: dict[str, bytes]) -> None:
    names, labels = agenda(portal)
    body = Document(io.BytesIO(files["downloads/first-session.docx"])).element.body
    controls = [sdt for sdt in body.iter(f"{W}sdt") if sdt.find(f"{W}sdtPr/{W}tag") is not None]
    tags = [sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val") for sdt in controls]
    assert tags == names
    for sdt in controls:
        assert sdt.find(f"{W}sdtPr/{W}text") is not None  # plain text
    text = "\n".join(p.text for p in Document(io.BytesIO(files["downloads/first-session.docx"])).paragraphs)
    for label in labels:
        assert label in text


def test_agenda_markdown_has_a_notes_line_per_item(portal: Portal, files: dict[str, bytes]) -> None:
    _, labels = agenda(portal)
    md = files["downloads/first-session.md"].decode("utf-8")
    for label in labels:
        assert f"\n{label}: ________________________________\n" in md
    assert "<textarea" not in md
