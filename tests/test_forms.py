"""The ``form`` template kind: validation at FILE:LINE:COLUMN, and one form as page, .docx, .pdf and .md.

A form is added to a copy of the ``full`` fixture. Its outputs are compared to golden files
under ``tests/golden/forms/`` (``UPDATE_GOLDEN=1`` rewrites them; review the diff): the page's
Markdown, the Markdown download, the Word document's body XML (pretty-printed) and the PDF's
form fields with their types and the text of its pages. The documents are also opened with
independent readers (python-docx, pypdf) to check the kinds of their controls.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader

from conftest import FIXTURES, TESTS, Project
from program_portal.build import check_project
from program_portal.render.downloads import build_downloads, DownloadCache
from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal

GOLDEN = TESTS / "golden" / "forms"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
STAMP = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FORM = """\
  - id: review
    kind: form
    title: Mid-point review
    summary: Each of you fills in a copy before the review meeting.
    audience: [mentee, mentor]
    sections:
      - title: Progress
        help: Think of the goals you set at the start.
        questions:
          - {id: progress, type: scale, question: "How much progress has been made?", low: none, high: all goals reached}
          - {id: example, type: long-text, question: One example of progress, help: "A *real* situation.", lines: 3}
          - {id: still-right, type: yes-no, question: "Are the goals still the right ones?"}
      - title: Next steps
        questions:
          - {id: next, type: choice, question: "How should the relationship go on?", options: [Continue, Continue with changes, Close without fault]}
          - {id: first-step, type: text, question: The first step}
          - {id: next-review, type: date, question: Date of the next review}
"""


def add_form(root: Path, form: str = FORM) -> None:
    path = root / "program.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsessions:\n", "\n" + form + "\nsessions:\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    root = tmp_path_factory.mktemp("forms")
    shutil.copytree(FIXTURES / "full", root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))
    add_form(root)
    report = check_project(root, root / "program.yml", root / "content")
    assert not report.errors, [str(d) for d in report.errors]
    return Portal(report.loaded)


@pytest.fixture(scope="module")
def files(portal: Portal, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    cache = DownloadCache(tmp_path_factory.mktemp("forms-cache"))
    return build_downloads(portal, dtstamp=STAMP, cache=cache, jobs=1)


def docx_body(data: bytes) -> str:
    body = Document(io.BytesIO(data)).element.body
    return etree.tostring(body, pretty_print=True, encoding="unicode")


def pdf_summary(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    fields = []
    for name, field in sorted(reader.get_fields().items()):
        if "." in name:  # pypdf lists a radio group's kids under "group.group" as well
            continue
        states = sorted(str(s) for s in field.get("/_States_", []))
        fields.append({"name": name, "type": str(field.get("/FT")), "states": states})
    text = "\n".join(page.extract_text() for page in reader.pages)
    return json.dumps({"pages": len(reader.pages), "fields": fields}, indent=2) + "\n\n" + text + "\n"


def outputs(portal: Portal, files: dict[str, bytes]) -> dict[str, str]:
    t = portal.templates["review"]
    return {
        "page.md": templates.page(portal, t, "html", [("Word", "../../downloads/review.docx")]),
        "download.md": files["downloads/review.md"].decode("utf-8"),
        "document.xml": docx_body(files["downloads/review.docx"]),
        "pdf.txt": pdf_summary(files["downloads/review.pdf"]),
    }


@pytest.mark.parametrize("name", ["page.md", "download.md", "document.xml", "pdf.txt"])
def test_form_matches_golden(portal: Portal, files: dict[str, bytes], name: str) -> None:
    generated = outputs(portal, files)[name]
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(generated, encoding="utf-8")
    assert golden.exists(), f"no golden file {name}: run with UPDATE_GOLDEN=1"
    assert generated == golden.read_text(encoding="utf-8"), f"{name} differs from tests/golden/forms/{name}; if intended, rerun with UPDATE_GOLDEN=1"


def test_page_has_real_inputs_with_labels(portal: Portal) -> None:
    from program_portal.render.downloads.document import to_html

    html = to_html(templates.page(portal, portal.templates["review"], "html"))
    tree = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
    assert len(tree.findall(".//fieldset")) == 3 and len(tree.findall(".//fieldset/legend")) == 3
    radios = tree.xpath(".//input[@type='radio']")
    assert sorted({r.get("name") for r in radios}) == ["q-next", "q-progress", "q-still-right"]
    assert len(radios) == 5 + 2 + 3
    assert tree.xpath(".//input[@type='date']/@id") == ["pp-q-next-review"]
    assert tree.xpath(".//textarea/@rows") == ["3"]
    for control in tree.xpath(".//input[@type!='radio' and starts-with(@id, 'pp-q-')] | .//textarea"):
        assert tree.xpath(f".//label[@for='{control.get('id')}']"), control.get("id")  # every answer has its label
    for radio in radios:
        assert tree.xpath(f".//label[@for='{radio.get('id')}']")
    assert tree.xpath("string(.//*[@id='pp-q-progress-help'])") == "1 = none, 5 = all goals reached"
    assert tree.xpath(".//p[contains(@class, 'pp-privacy-note')]")
    assert tree.xpath(".//button[@data-pp-save='md']/@data-pp-file") == ["review-filled"]


def test_word_has_a_control_of_the_right_kind_per_question(files: dict[str, bytes]) -> None:
    body = Document(io.BytesIO(files["downloads/review.docx"])).element.body
    controls = {}
    for sdt in body.iter(f"{W}sdt"):
        props = sdt.find(f"{W}sdtPr")
        tag = props.find(f"{W}tag").get(f"{W}val")
        kind = next(etree.QName(c).localname for c in props if etree.QName(c).localname in ("text", "date", "dropDownList"))
        controls[tag] = kind
        if kind == "dropDownList":
            controls[tag + ":options"] = [i.get(f"{W}displayText") for i in props.find(f"{W}dropDownList")]
        if kind == "date":
            assert props.find(f"{W}date/{W}dateFormat").get(f"{W}val") == "yyyy-MM-dd"
    assert controls == {
        "q-progress": "dropDownList", "q-progress:options": ["1", "2", "3", "4", "5"],
        "q-example": "text",
        "q-still-right": "dropDownList", "q-still-right:options": ["Yes", "No"],
        "q-next": "dropDownList", "q-next:options": ["Continue", "Continue with changes", "Close without fault"],
        "q-first-step": "text",
        "q-next-review": "date",
    }


def test_pdf_has_a_field_of_the_right_kind_per_question(files: dict[str, bytes]) -> None:
    fields = PdfReader(io.BytesIO(files["downloads/review.pdf"])).get_fields()
    kinds = {name: str(f.get("/FT")) for name, f in fields.items() if "." not in name}
    assert kinds == {"q-progress": "/Btn", "q-example": "/Tx", "q-still-right": "/Btn", "q-next": "/Btn",
                     "q-first-step": "/Tx", "q-next-review": "/Tx"}
    assert len(fields["q-progress"]["/_States_"]) == 5 and len(fields["q-next"]["/_States_"]) == 3


def test_markdown_download_is_plain_markdown(files: dict[str, bytes]) -> None:
    text = files["downloads/review.md"].decode()
    assert "!!!" not in text and "{:" not in text and "<" not in text
    assert text.count("- [ ] ") == 5 + 2 + 3
    assert "**Date of the next review**\n\nAnswer: ________ (YYYY-MM-DD)" in text


def test_form_in_another_language(portal: Portal, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "full", tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))
    add_form(tmp_path)
    (tmp_path / "program.yml").write_text((tmp_path / "program.yml").read_text().replace("  language: en", "  language: de"))
    report = check_project(tmp_path, tmp_path / "program.yml", tmp_path / "content")
    german = Portal(report.loaded)
    if german.language.html_lang != "de":
        pytest.skip("the fixture sets no language")
    t = german.templates["review"]
    page = templates.page(german, t, "html")
    assert ">Ja</span>" in page and ">Nein</span>" in page and "Meine ausgefüllte Kopie speichern (Word)" in page
    assert "- [ ] Ja" in templates.page(german, t, "markdown")


# -- validation: one located message per bad question ---------------------------------------

BAD = [
    ("unknown-type", "type: yes-no, question: \"Are the goals", "type: yesno, question: \"Are the goals", "PF005", "yesno",
     "'type': 'yesno' is not one of text, long-text, date, choice, scale, yes-no (did you mean 'yes-no'?)"),
    ("choice-without-options", "options: [Continue, Continue with changes, Close without fault]", "help: none", "PF035",
     "choice, question: \"How should", "question 'next' is a choice: give 'options', at least two"),
    ("choice-with-one-option", "options: [Continue, Continue with changes, Close without fault]", "options: [Continue]", "PF035",
     "[Continue]", "at least two"),
    ("repeated-option", "options: [Continue, Continue with changes, Close without fault]", "options: [Continue, Stop, Continue]", "PF035",
     "Continue]", "the option 'Continue' is given twice"),
    ("options-on-scale", "low: none, high", "options: [a, b], low: none, high", "PF035", "[a, b]", "only a choice has 'options'"),
    ("lines-on-text", "question: The first step}", "question: The first step, lines: 2}", "PF035", "2}", "only long-text has 'lines'"),
    ("low-on-yes-no", 'question: "Are the goals still the right ones?"}', 'question: "Are the goals still the right ones?", low: no}',
     "PF035", "no}", "only a scale has 'low'"),
    ("duplicate-id", "{id: first-step,", "{id: example,", "PF007", "example, type: text", "duplicate question id 'example' in form 'review'"),
    ("unknown-key", "{id: first-step, type: text,", "{id: first-step, type: text, required: true,", "PF003", "required: true,",
     "unknown key 'required' in question 'first-step'"),
    ("missing-question", "{id: first-step, type: text, question: The first step}", "{id: first-step, type: text}", "PF004",
     "{id: first-step", "missing required key 'question' in question 'first-step'"),
    ("too-many-options", "options: [Continue, Continue with changes, Close without fault]",
     "options: [" + ", ".join(f"o{n}" for n in range(25)) + "]", "PF022", "[o0", "at most 20 entries"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_question_is_one_located_error(project: Project, case: tuple[str, str, str, str, str, str]) -> None:
    _, old, new, code, at, message = case
    add_form(project.root)
    project.edit("program.yml", old, new)
    project.assert_one_located_error(code, at, message)


def test_review_diff_lists_changed_and_added_questions(portal: Portal) -> None:
    from program_portal.review.diff import _questions, list_changes

    before = portal.templates["review"]
    section = before.sections[1]
    changed = section.model_copy(update={"questions": [
        section.questions[0].model_copy(update={"options": ["Continue", "Close without fault"]}),
        *section.questions[1:],
        section.questions[1].model_copy(update={"id": "support", "question": "Support <b>needed</b>"}),
    ]})
    after = before.model_copy(update={"sections": [before.sections[0], changed]})
    lines = list_changes("question", _questions(before), _questions(after))
    assert len(lines) == 2, lines
    assert lines[0].startswith("question changed: ") and lines[0].endswith("→ How should the relationship go on? (choice: Continue, Close without fault) [Next steps]")
    assert lines[1] == "question added: Support &lt;b&gt;needed&lt;/b&gt; (text) [Next steps]"
