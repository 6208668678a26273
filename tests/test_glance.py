"""Extensions: /at-a-glance/ with its printable PDF, and one page per role (/roles/<id>/), in English and German."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from conftest import Project

EPOCH = "1790000000"


def _text(html: str) -> str:
    """The page's article as text, tags dropped and white space folded."""
    article = html.split('<article', 1)[1].split("</article>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article)).replace(" .", ".").replace(" :", ":")


def _pdf_text(project: Project) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO((project.root / "site" / "downloads" / "at-a-glance.pdf").read_bytes()))
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Project:
    from conftest import copy_fixture

    project = Project(copy_fixture("full", tmp_path_factory.mktemp("glance-en")))
    project.configure()
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH)  # strict: every link on the new pages resolves
    assert result.ok, result.output
    return project


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Project:
    from conftest import copy_fixture

    project = Project(copy_fixture("full", tmp_path_factory.mktemp("glance-de")))
    project.configure()
    project.edit("program.yml", "language: en", "language: de")
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH)
    assert result.ok, result.output
    return project


def test_at_a_glance_page_in_english(english: Project) -> None:
    html = english.site("at-a-glance/index.html")
    text = _text(html)
    assert "<title>Fixture Mentoring Programme at a glance" in html
    assert "A small programme used by the test suite." in text
    assert "Purpose Grow ready-now leaders Share experience across divisions" in text
    for heading in ("Tracks", "Who takes part", "Timeline", "Our promises", "Templates"):
        assert f">{heading}<" in html, heading
    assert 'class="pp-timeline"' in html and "Launch and matching" in text and "Closing" in text  # the phase timeline
    # the promises: the four protecting policies in order, with the contract that carries them
    promises = text.split("Our promises", 1)[1]
    order = [promises.index(t) for t in ("Confidentiality", "Assessment firewall", "Employment protection", "No-fault exit")]
    assert order == sorted(order)
    assert "Confidentiality: What is said stays in the relationship. Written into: Mentoring agreement." in promises
    # roles link to their pages, the PDF and the templates are offered
    assert 'href="../roles/mentee/"' in html and 'href="../roles/program-office/"' in html
    assert 'href="../downloads/at-a-glance.pdf"' in html and "Download this page as a PDF" in text
    assert 'href="../templates/"' in html and 'href="../downloads/templates.zip"' in html
    assert "4 templates: Agreements, Session agendas" in text and "Checklists." in text


def test_at_a_glance_pdf_has_the_purpose_and_the_phases(english: Project) -> None:
    reader, text = _pdf_text(english)
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    assert "Fixture Mentoring Programme at a glance" in text
    assert "A small programme used by the test suite." in text and "Grow ready-now leaders" in text
    assert "Launch and matching" in text and "Weeks 1–3" in text and "Closing" in text
    assert "No-fault exit" in text and "Read, fill in and download them on the program portal, under Templates." in text
    assert "Download this page as a PDF" not in text  # a file does not offer itself
    links = [a.get_object().get("/A", {}).get("/URI") for p in reader.pages for a in p.get("/Annots") or []]
    assert not [u for u in links if u and not str(u).startswith("mailto:")]  # no links into a site the file is not part of
    assert reader.metadata.title == "Fixture Mentoring Programme at a glance"


def test_at_a_glance_in_german(german: Project) -> None:
    html = german.site("at-a-glance/index.html")
    text = _text(html)
    assert '<html lang="de"' in html
    assert "Fixture Mentoring Programme auf einen Blick" in text
    for heading in ("Ziele", "Formate", "Wer mitwirkt", "Zeitplan", "Unsere Zusagen", "Vorlagen"):
        assert f">{heading}<" in html, heading
    assert "Festgehalten in: Mentoring agreement." in text
    assert "Diese Seite als PDF herunterladen" in text
    _, pdf = _pdf_text(german)
    assert "Fixture Mentoring Programme auf einen Blick" in pdf and "Zeitplan" in pdf and "Wochen 1–3" in pdf
    assert "Programmportal" in pdf


def test_role_pages_list_what_concerns_each_role(english: Project) -> None:
    mentee = _text(english.site("roles/mentee/index.html"))
    assert mentee.startswith(" Mentee: what concerns you") or "Mentee: what concerns you" in mentee
    assert "Your templates" in mentee
    assert "Signs the Mentoring agreement" in mentee and "Leads items of the First session" in mentee
    assert "Mentor quality checklist" not in mentee  # the program office's, not the mentee's
    assert "Sessions you attend Leadership circle with the President" in mentee and "(you host it)" not in mentee
    assert "Our promises to you" in mentee and "No-fault exit" in mentee
    office = _text(english.site("roles/program-office/index.html"))
    assert "Uses the Mentor quality checklist" in office and "Signs the" not in office
    president = _text(english.site("roles/president/index.html"))
    assert "Host of Leadership circles" in president or "Leadership circles" in president
    assert "(you host it)" in president
    nav = english.site("index.html")
    assert "Your role" in nav and 'href="roles/sponsor/"' in nav and 'href="at-a-glance/"' in nav


def test_role_page_in_german(german: Project) -> None:
    text = _text(german.site("roles/mentee/index.html"))
    assert "Mentee: was Sie betrifft" in text
    assert "Unsere Zusagen an Sie" in text and "Termine, an denen Sie teilnehmen" in text


def test_a_designer_page_at_the_glance_url_is_a_conflict(make_project) -> None:
    project: Project = make_project("full")
    project.write("content/at-a-glance.md", "# Mine\n")
    project.write("content/roles/mentee.md", "# Mine too\n")
    result = project.check()
    assert not result.ok
    assert sum("PF017" in d for d in result.diagnostics()) == 2, result.output


def test_hostile_role_and_policy_text_stays_text(make_project) -> None:
    project: Project = make_project("full")
    project.edit("program.yml", "title: Confidentiality", 'title: "Conf <img src=x onerror=alert(1)>"')
    project.edit("program.yml", "summary: What is said stays in the relationship.",
                 'summary: "<script>alert(2)</script> [x](javascript:alert(3))"')
    result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH)
    assert result.ok, result.output
    for page in ("at-a-glance/index.html", "roles/mentee/index.html"):
        html = project.site(page)
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        assert "<img src=x" not in article and "<script>alert" not in article and "javascript:" not in article, page
        assert "&lt;img src=x onerror=alert(1)&gt;" in article, page
    _, text = _pdf_text(project)
    assert "Conf <img src=x onerror=alert(1)>" in text  # printed as text in the PDF
