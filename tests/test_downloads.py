"""The template downloads (.docx, fillable .pdf, .md, templates.zip) of the example program, read back as a reader would.

Every .docx is re-opened with python-docx and its XML read for the content controls
(``Paragraph.text`` skips text inside them); every PDF is read with pypdf (fields, page
size, text); the Markdown is compared to golden files (``UPDATE_GOLDEN=1`` rewrites them);
two cold builds are compared byte for byte; the cache is shown to regenerate exactly the
edited template; LibreOffice renders every .docx. Nothing is mocked.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from lxml import etree
from pypdf import PdfReader

from browser_support import REPO, serve
from program_portal.source import model as m
from program_portal.render.downloads import DownloadCache, build_downloads, pdf as pdf_module
from program_portal.render.downloads.reproducible import FIXED_DATE
from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal
from program_portal.build import check_project
from program_portal.paths import AT_A_GLANCE_PDF, PACK, SCRIPTS, STYLESHEETS
from program_portal.render.outputs import dtstamp_from_epoch

EPOCH = "1790000000"
STAMP = dtstamp_from_epoch(EPOCH)
GOLDEN = Path(__file__).parent / "golden" / "downloads"
FULL_FIXTURE = Path(__file__).parent / "fixtures" / "full"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
}
A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)


def portal_of(root: Path) -> Portal:
    report = check_project(root, root / "program.yml", root / "content")
    assert not report.errors, [str(d) for d in report.errors]
    return Portal(report.loaded)


@pytest.fixture(scope="module")
def portal() -> Portal:
    return portal_of(REPO)


@pytest.fixture(scope="module")
def disk_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared with other test modules (same session base dir): documents are keyed by content, so sharing is safe."""
    path = tmp_path_factory.getbasetemp() / "download-cache"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="module")
def first_cache(disk_cache_dir: Path) -> DownloadCache:
    return DownloadCache(disk_cache_dir)


@pytest.fixture(scope="module")
def downloads(portal: Portal, first_cache: DownloadCache) -> dict[str, bytes]:
    return build_downloads(portal, paper="a4", dtstamp=STAMP, cache=first_cache)


def expected_fields(portal: Portal, t: m.TemplateBase) -> dict[str, list[str]]:
    """The names of the fill-in controls of the template's web page, by kind (what the downloads must carry)."""
    web = templates.page(portal, t, "html", [])
    text = re.findall(r'class="pp-blank[^"]*"[^>]*?\bname="([^"]+)"', web)
    areas = re.findall(r'<textarea class="pp-blank[^"]*"[^>]*?\bname="([^"]+)"', web)
    checks = re.findall(r'class="pp-check"[^>]*?\bname="([^"]+)"', web)
    dates = re.findall(r'<input type="date" class="pp-blank[^"]*"[^>]*?\bname="([^"]+)"', web)  # a form's date questions
    options = re.findall(r'class="pp-choice"[^>]*?\bname="([^"]+)"', web)  # a form's radio buttons
    return {"text": text, "areas": areas, "checks": checks, "dates": dates, "choices": list(dict.fromkeys(options)),
            "options": options}


def xpath(element, expr: str):
    """XPath with explicit namespaces (python-docx elements override ``xpath`` with their own map)."""
    return etree._Element.xpath(element, expr, namespaces=NS)


def docx_xml(data: bytes):
    return Document(io.BytesIO(data))


def all_text(document) -> str:
    """Every w:t of the body, content controls included (Paragraph.text would skip those)."""
    return " ".join(" ".join(t.text or "" for t in document.element.body.iter(f"{{{NS['w']}}}t")).split())


def pdf_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def template_words(portal: Portal, t: m.TemplateBase) -> list[str]:
    """Texts that the document must show, straight from program.yml."""
    words = [t.title, portal.info.title]
    if isinstance(t, m.ContractTemplate):
        for clause in t.clauses:
            if isinstance(clause, m.PolicyClause):
                policy = portal.policies[clause.policy]
                words += [policy.title, policy.rules[0]]
            else:
                words.append(clause.title)
        words += [portal.roles[r].title for r in t.parties]
    elif isinstance(t, m.AgendaTemplate):
        words += [item.topic for item in t.items] + ["0:00"]
    elif isinstance(t, m.ChecklistTemplate):
        words += [item.text for item in t.items]
    return words


# -- the set of files -----------------------------------------------------------


def test_every_template_has_three_downloads_and_the_pack(portal: Portal, downloads: dict[str, bytes]) -> None:
    expected = {f"downloads/{t.id}.{ext}" for t in portal.program.templates for ext in ("docx", "pdf", "md")} | {PACK}
    assert set(downloads) == expected | {AT_A_GLANCE_PDF}  # and the at-a-glance page's PDF (tests/test_glance.py)
    assert len(portal.program.templates) == 16
    for path, data in downloads.items():
        assert data, path


def test_pack_holds_every_download_with_fixed_dates_and_sorted_names(portal: Portal, downloads: dict[str, bytes]) -> None:
    with zipfile.ZipFile(io.BytesIO(downloads[PACK])) as pack:
        infos = pack.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert {n.split("/", 1)[1] for n in names} == {p.removeprefix("downloads/") for p in downloads if p not in (PACK, AT_A_GLANCE_PDF)}  # the pack: the templates
        assert {n.split("/", 1)[0] for n in names} == {portal.info.id}
        for info in infos:
            assert info.date_time == FIXED_DATE
            assert info.external_attr >> 16 == 0o100644
            assert pack.read(info) == downloads[f"downloads/{info.filename.split('/', 1)[1]}"]
        assert pack.testzip() is None


# -- Word ------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", ["mentoring-agreement", "reverse-mentoring-agreement", "first-meeting",
                                         "leadership-circle", "mentor-selection", "session-preparation"])
def test_docx_reads_back(portal: Portal, downloads: dict[str, bytes], template_id: str) -> None:
    t = portal.templates[template_id]
    data = downloads[f"downloads/{t.id}.docx"]
    document = docx_xml(data)
    body = document.element.body
    text = all_text(document)
    for words in template_words(portal, t):
        assert " ".join(words.split()) in text, words

    fields = expected_fields(portal, t)
    text_controls = xpath(body, ".//w:sdt[w:sdtPr/w:text]")
    check_controls = xpath(body, ".//w:sdt[w:sdtPr/w14:checkbox]")
    assert [xpath(c, "string(w:sdtPr/w:tag/@w:val)") for c in text_controls] == fields["text"]
    assert [xpath(c, "string(w:sdtPr/w:tag/@w:val)") for c in check_controls] == fields["checks"]
    multi = [xpath(c, "string(w:sdtPr/w:tag/@w:val)") for c in text_controls
             if xpath(c, "w:sdtPr/w:text/@w:multiLine") == ["1"]]
    assert multi == fields["areas"]
    for control in text_controls:  # the label is the placeholder text, shown until someone types
        label = xpath(control, "string(w:sdtPr/w:alias/@w:val)")
        question = xpath(control, "string(w:sdtPr/w:tag/@w:val)").startswith("q-")  # an agenda's notes: the label stands above
        assert label and xpath(control, "string(w:sdtContent)") == ("Type here" if question else label)
        assert xpath(control, "w:sdtPr/w:showingPlcHdr")
    for control in check_controls:  # unticked, clickable: a real w14 check box
        assert xpath(control, "string(w:sdtPr/w14:checkbox/w14:checked/@w14:val)") == "0"
        assert xpath(control, "string(w:sdtContent)") == "\u2610"

    if isinstance(t, m.ChecklistTemplate):
        assert len(check_controls) == len(t.items)
        required_lines = [p for p in xpath(body, ".//w:p[w:sdt/w:sdtPr/w14:checkbox]")
                          if "(required)" in "".join(p.itertext())]
        assert len(required_lines) == sum(i.required for i in t.items)
    else:
        assert check_controls == []
    if isinstance(t, m.ContractTemplate):
        for role_id in t.parties:
            title = portal.roles[role_id].title
            [table] = [tb for tb in document.tables if tb.cell(0, 0).text == title]
            assert [row.cells[0].text for row in table.rows[1:]] == ["Name", "Signature", "Date"]
            for row, field in zip(table.rows[1:], ("name", "signature", "date")):
                tags = xpath(row._tr, ".//w:sdt/w:sdtPr/w:tag/@w:val")
                assert tags == [f"{role_id}-{field}"]
        assert len(text_controls) == len(fields["text"]) >= 3 * len(t.parties)
    if isinstance(t, m.AgendaTemplate):
        [table] = [tb for tb in document.tables if tb.cell(0, 0).text == "Time"]
        assert [c.text for c in table.rows[0].cells] == ["Time", "Length", "Topic", "Lead", "Notes"]
        assert len(table.rows) == len(t.items) + 1
        clock = 0
        for row, item in zip(table.rows[1:], t.items):
            assert row.cells[0].text == f"{clock // 60}:{clock % 60:02d}"
            assert row.cells[2].text == item.topic
            clock += item.minutes


def test_every_docx_page_setup_header_and_properties(portal: Portal, downloads: dict[str, bytes]) -> None:
    for t in portal.program.templates:
        document = docx_xml(downloads[f"downloads/{t.id}.docx"])
        section = document.sections[0]
        assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5), t.id
        header = " ".join(p.text for p in section.header.paragraphs)
        assert portal.info.title in header and portal.info.organisation in header
        footer = xpath(section.footer._element, ".//w:fldSimple/@w:instr")
        assert [i.strip() for i in footer] == ["PAGE", "NUMPAGES"]
        props = document.core_properties
        assert props.title == t.title
        assert props.author == "" and props.last_modified_by == ""
        assert props.created == STAMP and props.modified == STAMP
        names = zipfile.ZipFile(io.BytesIO(downloads[f"downloads/{t.id}.docx"])).namelist()
        assert "docProps/thumbnail.jpeg" not in names


def test_docx_field_counts_for_every_template(portal: Portal, downloads: dict[str, bytes]) -> None:
    for t in portal.program.templates:
        body = docx_xml(downloads[f"downloads/{t.id}.docx"]).element.body
        fields = expected_fields(portal, t)
        assert len(xpath(body, ".//w:sdt[w:sdtPr/w:text]")) == len(fields["text"]) - len(fields["dates"]), t.id
        assert len(xpath(body, ".//w:sdt[w:sdtPr/w14:checkbox]")) == len(fields["checks"]), t.id
        assert xpath(body, ".//w:sdt[w:sdtPr/w:date]/w:sdtPr/w:tag/@w:val") == fields["dates"], t.id
        assert xpath(body, ".//w:sdt[w:sdtPr/w:dropDownList]/w:sdtPr/w:tag/@w:val") == fields["choices"], t.id
        ids = xpath(body, ".//w:sdt/w:sdtPr/w:id/@w:val")
        assert len(ids) == len(set(ids))


# -- PDF -------------------------------------------------------------------------


def test_every_pdf_has_its_fields_page_size_numbers_and_text(portal: Portal, downloads: dict[str, bytes]) -> None:
    for t in portal.program.templates:
        reader = PdfReader(io.BytesIO(downloads[f"downloads/{t.id}.pdf"]))
        fields = {name: f for name, f in (reader.get_fields() or {}).items() if "." not in name}  # not a radio group's kids again
        expected = expected_fields(portal, t)
        assert sorted(fields) == sorted(expected["text"] + expected["checks"] + expected["choices"]), t.id
        widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])
                   if a.get_object().get("/Subtype") == "/Widget"]
        assert len(widgets) == len(fields) - len(expected["choices"]) + len(expected["options"]), f"{t.id}: fields merged or unnamed"
        for name in expected["choices"]:
            assert fields[name]["/FT"] == "/Btn" and len(fields[name]["/_States_"]) == expected["options"].count(name), name
        assert not any(name.startswith("unknown") for name in fields)
        for name in expected["text"]:
            assert fields[name]["/FT"] == "/Tx", name
            multiline = bool(int(fields[name].get("/Ff", 0)) & (1 << 12))
            assert multiline == (name in expected["areas"]), name
        for name in expected["checks"]:
            assert fields[name]["/FT"] == "/Btn", name
        if isinstance(t, m.ChecklistTemplate):
            assert len(expected["checks"]) == len(t.items)
        if isinstance(t, m.ContractTemplate):
            for role_id in t.parties:
                assert {f"{role_id}-name", f"{role_id}-signature", f"{role_id}-date"} <= set(fields)
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1
        text = pdf_text(reader)
        for words in template_words(portal, t):
            assert " ".join(words.split()) in text, (t.id, words)
        assert f"Page 1 of {len(reader.pages)}" in text
        assert reader.metadata.title == t.title
        assert reader.metadata.creation_date.replace(tzinfo=None) == STAMP.replace(tzinfo=None)


def test_pdf_embeds_only_local_fonts(downloads: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(downloads["downloads/mentoring-agreement.pdf"]))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # the shipped DejaVu Sans (render/downloads/fonts/), never a font of the machine
    assert fonts and all(f.startswith(("Portal-Sans", "Portal-Mono")) for f in fonts), fonts


def test_pdf_renderer_fetches_nothing(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"not really a png")
    with serve(tmp_path) as server:
        html = (
            f'<html><head><link rel="stylesheet" href="{server.url("style.css")}">'
            f'<style>@import url("{server.url("more.css")}"); body {{ background: url("{server.url("bg.png")}") }}</style></head>'
            f'<body><img src="{server.url("x.png")}"><p>Hello</p><input type="text" name="only-field"></body></html>'
        )
        fetcher = pdf_module.local_only_fetcher()
        data = pdf_module.render(html, fetcher=fetcher)
        assert server.served == []
    assert len(fetcher.refused) == 4 and all(url.startswith(server.origin) for url in fetcher.refused)
    assert list(PdfReader(io.BytesIO(data)).get_fields()) == ["only-field"]


def test_any_markdown_body_converts(tmp_path: Path) -> None:
    """Bodies are free Markdown: nested lists, quotes, tables with fields, admonitions, links, images, odd characters."""
    from program_portal.render.downloads import docx as docx_module, document
    from program_portal.render.placeholders import blank_html

    source = (
        "# Terms & conditions\n\n*A & B* \u00b7 \"Org\"\n\n"
        "See [the guide](../guides/x.md), [the web](https://example.org/x) and ![a chart](../img/a.png).\n\n"
        "1. first\n2. second\n    - nested with " + blank_html("nested", "Nested field") + "\n3. third\n\n"
        "Between the lists.\n\n1. restarts at one\n\n"
        "> Quoted " + blank_html("quoted", "Quoted field") + "\n\n"
        "| Column | Field |\n| --- | --- |\n| 5 < 6 & 7 > 2 | " + blank_html("in-cell", "In a cell", 3) + " |\n\n"
        "- a list item with an area: " + blank_html("in-list", "Area in a list", 2) + "\n\n"
        '!!! warning "Careful"\n    Inside the *warning*.\n'
    )
    tree = document.parse(source)
    meta = dict(title='Terms & "conditions" \\ <x>', program_title="P & Q", organisation="O", lang="en", paper="a4", created=STAMP)
    data = docx_module.build(tree, **meta)
    text = all_text(docx_xml(data))
    for words in ("Terms & conditions", "5 < 6 & 7 > 2", "the web (https://example.org/x)", "a chart", "Inside the warning"):
        assert words in text, words
    body = docx_xml(data).element.body
    assert [xpath(c, "string(w:sdtPr/w:tag/@w:val)") for c in xpath(body, ".//w:sdt[w:sdtPr/w:text]")] == [
        "nested", "quoted", "in-cell", "in-list"]
    numbered = xpath(body, ".//w:p[w:pPr/w:pStyle/@w:val='ListNumber']/w:pPr/w:numPr/w:numId/@w:val")
    assert len(numbered) == 4 and len(set(numbered)) == 2  # the second list starts again at 1
    pdf_data = pdf_module.render(pdf_module.html_document(pdf_module.prepare(tree), **meta))
    reader = PdfReader(io.BytesIO(pdf_data))
    assert sorted(reader.get_fields()) == ["in-cell", "in-list", "nested", "quoted"]
    pdf_words = pdf_text(reader)
    assert "5 < 6 & 7 > 2" in pdf_words and 'Terms & "conditions" \\ <x>' in pdf_words
    (tmp_path / "rich.docx").write_bytes(data)


# -- Markdown --------------------------------------------------------------------


def test_markdown_downloads_match_golden_files(portal: Portal, downloads: dict[str, bytes]) -> None:
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    if update:
        GOLDEN.mkdir(parents=True, exist_ok=True)
    for t in portal.program.templates:
        data = downloads[f"downloads/{t.id}.md"].decode("utf-8")
        golden = GOLDEN / f"{t.id}.md"
        if update:
            golden.write_text(data, encoding="utf-8")
        assert golden.exists(), f"no golden file {golden.name}: run with UPDATE_GOLDEN=1"
        assert data == golden.read_text(encoding="utf-8"), f"{t.id}.md differs from its golden file"
        assert "<input" not in data and "<textarea" not in data
    assert sorted(p.name for p in GOLDEN.glob("*.md")) == sorted(f"{t.id}.md" for t in portal.program.templates)


def test_markdown_blanks_are_lines_with_their_label(portal: Portal, downloads: dict[str, bytes]) -> None:
    text = downloads["downloads/mentoring-agreement.md"].decode()
    assert "________ (Agreed mentoring domain)" in text
    assert "| Signature | ________ |" in text
    checklist = downloads["downloads/mentor-selection.md"].decode()
    t = portal.templates["mentor-selection"]
    assert checklist.count("- [ ] ") == len(t.items)
    assert checklist.count("*(required)*") == sum(i.required for i in t.items) + 1  # + the line explaining the mark


# -- reproducible and cached -------------------------------------------------------


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}


def test_two_cold_builds_are_byte_identical(portal: Portal, downloads: dict[str, bytes]) -> None:
    second_cache = DownloadCache()
    again = build_downloads(portal_of(REPO), paper="a4", dtstamp=STAMP, cache=second_cache)
    assert len(second_cache.generated) == 2 * len(portal.program.templates) + 1  # + the at-a-glance PDF
    assert digests(again) == digests(downloads)


def test_a_warm_rebuild_generates_nothing_and_the_disk_cache_is_shared(
    portal: Portal, downloads: dict[str, bytes], first_cache: DownloadCache, disk_cache_dir: Path
) -> None:
    first_cache.reset_counters()
    assert build_downloads(portal, paper="a4", dtstamp=STAMP, cache=first_cache) == downloads
    assert first_cache.generated == [] and first_cache.hits == 2 * len(portal.program.templates) + 1
    other_process = DownloadCache(disk_cache_dir)
    assert build_downloads(portal, paper="a4", dtstamp=STAMP, cache=other_process) == downloads
    assert other_process.generated == [] and other_process.disk_hits == 2 * len(portal.program.templates) + 1


def test_editing_one_template_regenerates_exactly_its_documents(
    tmp_path: Path, downloads: dict[str, bytes], first_cache: DownloadCache
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    text = (REPO / "program.yml").read_text(encoding="utf-8")
    old = "Getting to know each other and agreeing how you will work together."
    assert text.count(old) == 1
    (project / "program.yml").write_text(text.replace(old, "Meeting for the first time, and agreeing how to work."), encoding="utf-8")
    first_cache.reset_counters()
    edited = build_downloads(portal_of(project), paper="a4", dtstamp=STAMP, cache=first_cache)
    assert sorted(first_cache.generated) == ["first-meeting.docx", "first-meeting.pdf"]
    changed = {p for p in downloads if downloads[p] != edited[p]}
    assert changed == {"downloads/first-meeting.docx", "downloads/first-meeting.pdf", "downloads/first-meeting.md", PACK}
    assert "Meeting for the first time" in all_text(docx_xml(edited["downloads/first-meeting.docx"]))
    assert "Meeting for the first time" in pdf_text(PdfReader(io.BytesIO(edited["downloads/first-meeting.pdf"])))


def test_letter_paper_option(tmp_path: Path) -> None:
    files = build_downloads(portal_of(FULL_FIXTURE), paper="letter", dtstamp=STAMP, cache=DownloadCache())
    docx_files = [p for p in files if p.endswith(".docx")]
    pdf_files = [p for p in files if p.endswith(".pdf")]
    assert docx_files and pdf_files
    for path in docx_files:
        section = docx_xml(files[path]).sections[0]
        assert section.page_width == 12240 * 635 and section.page_height == 15840 * 635  # 8.5 x 11 in, in EMU
    for path in pdf_files:
        for page in PdfReader(io.BytesIO(files[path])).pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == LETTER_POINTS
    with pytest.raises(ValueError, match="paper"):
        build_downloads(portal_of(FULL_FIXTURE), paper="a5", dtstamp=STAMP, cache=DownloadCache())


# -- the whole site, through MkDocs ---------------------------------------------------


def test_mkdocs_build_publishes_the_same_downloads_and_links_them(
    tmp_path: Path, downloads: dict[str, bytes], disk_cache_dir: Path, portal: Portal
) -> None:
    from browser_support import build_site

    site = build_site(REPO, tmp_path / "site", epoch=EPOCH, cache_dir=disk_cache_dir)
    for path, data in downloads.items():
        assert (site / path).read_bytes() == data, path
    index = (site / "templates" / "index.html").read_text(encoding="utf-8")
    assert "../downloads/templates.zip" in index
    for t in portal.program.templates:
        page = (site / "templates" / t.id / "index.html").read_text(encoding="utf-8")
        for ext in ("docx", "pdf", "md"):
            assert f'href="../../downloads/{t.id}.{ext}"' in page, (t.id, ext)
            assert f"../downloads/{t.id}.{ext}" in index
    for asset in ("fillin.js", "print.css"):
        assert (site / "assets" / "program-portal" / asset).is_file()
    assert b"size: A4;" in (site / "assets" / "program-portal" / "print.css").read_bytes()


def test_print_stylesheet_follows_the_paper_option() -> None:
    from program_portal.render import outputs

    assert b"size: A4;" in outputs.assets()["assets/program-portal/print.css"]
    letter = outputs.assets("letter")["assets/program-portal/print.css"]
    assert b"size: letter;" in letter and b"size: A4;" not in letter
    assert set(STYLESHEETS + SCRIPTS) <= set(outputs.assets())


# -- LibreOffice ------------------------------------------------------------------------


def test_libreoffice_converts_every_docx(tmp_path: Path, portal: Portal, downloads: dict[str, bytes]) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (Debian libreoffice-writer-nogui) is missing and CI is set")
        pytest.skip("soffice is not installed")
    inputs = tmp_path / "in"
    inputs.mkdir()
    for t in portal.program.templates:
        (inputs / f"{t.id}.docx").write_bytes(downloads[f"downloads/{t.id}.docx"])
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(out), *sorted(str(p) for p in inputs.glob("*.docx"))],
        capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for t in portal.program.templates:
        converted = out / f"{t.id}.pdf"
        assert converted.is_file(), f"{t.id}: {result.stdout}{result.stderr}"
        reader = PdfReader(converted)
        assert len(reader.pages) >= 1
        text = pdf_text(reader)
        assert t.title in text and portal.info.title in text
        width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_markdown_downloads_have_no_mkdocs_only_syntax(downloads: dict[str, bytes]) -> None:
    agreement = downloads["downloads/mentoring-agreement.md"].decode()
    assert "> **Before you sign**\n>\n> Check that there is no reporting line" in agreement
    for name, data in downloads.items():
        if name.endswith(".md"):
            text = data.decode()
            assert not re.search(r"^\s*(!!!|\?\?\?)", text, re.M), name
            assert not re.search(r"\{:?\s*\.md-", text), name


def test_plain_admonitions_keep_code_fences_and_nesting() -> None:
    from program_portal.render.markdown import plain_admonitions

    text = '- item\n\n    !!! tip\n        Nested.\n\n```\n!!! note "in code"\n```\n!!! warning ""\n    No title.\n'
    assert plain_admonitions(text) == '- item\n\n    > **Tip**\n    >\n    > Nested.\n\n```\n!!! note "in code"\n```\n> No title.\n'


def test_a_right_to_left_program_gets_right_to_left_documents(tmp_path: Path) -> None:
    """The writing direction and proofing region come from CLDR, looked up only when a document is rendered
    (the cache key names the language tag): an Arabic program's Word file is marked bidi, its PDF is Arabic."""
    from datetime import datetime, timezone

    root = tmp_path / "ar"
    shutil.copytree(FULL_FIXTURE, root)
    text = (root / "program.yml").read_text(encoding="utf-8")
    (root / "program.yml").write_text(text.replace("  language: en\n", "  language: ar\n", 1), encoding="utf-8")
    report = check_project(root, root / "program.yml", root / "content")
    assert report.loaded is not None and report.loaded.program.program.language == "ar"
    stamp = datetime(2027, 1, 1, tzinfo=timezone.utc)
    arabic = build_downloads(Portal(report.loaded), dtstamp=stamp, cache=DownloadCache(), jobs=1)
    english = build_downloads(portal_of(FULL_FIXTURE), dtstamp=stamp, cache=DownloadCache(), jobs=1)
    def language(data: bytes) -> str:  # the document's default w:lang element
        [element] = re.findall(r"<w:lang [^>]*>", zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode())
        return element

    assert 'w:val="ar-EG"' in language(arabic["downloads/agreement.docx"]) and 'w:bidi="ar-EG"' in language(arabic["downloads/agreement.docx"])
    assert 'w:val="en-US"' in language(english["downloads/agreement.docx"]) and 'w:bidi="ar-SA"' in language(english["downloads/agreement.docx"])  # python-docx's default
    catalog = lambda data: PdfReader(io.BytesIO(data)).trailer["/Root"]  # noqa: E731
    assert str(catalog(arabic["downloads/agreement.pdf"])["/Lang"]).startswith("ar")
