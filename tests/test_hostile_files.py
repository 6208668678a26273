"""Hostile files under content/ (issue 16): every published file is scanned or refused by its type.

Classes of attack, each tried against the pipeline ``check`` and ``build`` run (``check_project``)
and, for a sample, the real ``program-portal check`` and ``mkdocs build``:

1. text that is not UTF-8: Latin-1 / cp1252 CSV, UTF-16 with and without a BOM, UTF-32, a CSS
   ``@charset``; an address or telephone number inside is found where it is written;
2. CSS escapes: ``content:"jane\\40 corp.example"``, ``@\\69mport``, ``u\\72l(``, a comment inside
   ``@import``, ``expression()``;
3. office documents and archives (.docx made with python-docx, .xlsx, .odt, .pptx and .zip by hand):
   the text inside, split across runs, in a hyperlink target or in the document properties;
   a zip bomb, too many members, an encrypted member, nested archives past one level, a DTD in a
   part, macros;
4. PDF: text on a page (a hand-written PDF and one made by WeasyPrint), a ``mailto:`` link,
   document information; encrypted and unreadable PDFs;
5. types a browser renders or runs (.xml, .xsl, .xslt, .rss, .atom, .js...), unknown binaries,
   a disguised image, a suffix-less file a browser would sniff as HTML;
6. Markdown that costs the build minutes (PF022's structure budget): 60,000 headings,
   ``<a`` x 200,000, ``[a](`` x 150,000.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import Project
from program_portal.checks import filetypes
from program_portal.source import textlimits

ADDRESS = "jane.doe@corp.example"
PHONE = "+49 30 47110815"


def lines_for(project: Project, file: str) -> list[str]:
    return [d for d in project.diagnostics() if d.startswith(f"{file}:")]


def only(project: Project, file: str, code: str) -> str:
    found = lines_for(project, file)
    assert len(found) >= 1 and all(f" {code}: " in line for line in found), found
    return found[0]


# --- 1. text in any encoding ------------------------------------------------------------------------

TEXTS = [
    ("latin1.csv", f"Name;Ort;Mail\nJürgen Weiß;Köln;{ADDRESS}\n".encode("latin-1"), "content/latin1.csv:2:18"),
    ("cp1252.csv", f"Name;Mail\n“Zoë”;{ADDRESS}\n".encode("cp1252"), "content/cp1252.csv:2:7"),
    ("utf16.txt", f"Notes\nCall {PHONE} today\n".encode("utf-16"), "content/utf16.txt:2:6"),
    ("utf16le-nobom.txt", f"Mail {ADDRESS}\n".encode("utf-16-le"), "content/utf16le-nobom.txt:1:6"),
    ("utf16be-nobom.txt", f"Mail {ADDRESS}\n".encode("utf-16-be"), "content/utf16be-nobom.txt:1:6"),
    ("utf32.json", ('{"contact": "' + ADDRESS + '"}').encode("utf-32"), "content/utf32.json:1:14"),
    ("charset.css", f'@charset "iso-8859-1";\n/* Jürgen */ p::after {{ content: "{ADDRESS}" }}\n'.encode("latin-1"), "content/charset.css:2:35"),
]


@pytest.mark.parametrize(("name", "data", "where"), TEXTS, ids=[t[0] for t in TEXTS])
def test_text_in_any_encoding_is_decoded_and_scanned(project: Project, name: str, data: bytes, where: str) -> None:
    project.write(f"content/{name}", data)
    line = only(project, f"content/{name}", "PV00" + ("2" if name == "utf16.txt" else "1"))
    assert line.startswith(where + ": error PV00"), line
    assert "in a published file" in line


def test_binary_data_named_as_text_is_refused(project: Project) -> None:
    project.write("content/data.csv", b"a,b\n\x00\x01\x02\x03" * 100)
    line = only(project, "content/data.csv", "PF034")
    assert "holds binary data" in line and "accepted types are" in line


# --- 2. CSS escapes ---------------------------------------------------------------------------------

CSS = [
    ("escaped-at", 'p::after { content: "jane\\40 corp.example" }\n', "PV001", "content/x.css:1:22", "jane@corp.example"),
    ("six-digits", 'p::after { content: "jane\\000040corp.example" }\n', "PV001", "content/x.css:1:22", "jane@corp.example"),
    ("phone", 'p::after { content: "\\2b 49 30 4711 0815" }\n', "PV002", "content/x.css:1:22", "looks like a telephone number"),
    ("import", '@\\69mport url("https://evil.example/x.css");\n', "PF034", "content/x.css:1:1", "@import"),
    ("import-six", '@\\000069mport "//evil.example/x.css";\n', "PF034", "content/x.css:1:1", "@import"),
    ("url", 'body { background: u\\72l(https://evil.example/pixel.png) }\n', "PF034", "content/x.css:1:20", "from another host"),
    ("url-quoted", 'body { background: url( "\\68ttps://evil.example/p.png" ) }\n', "PF034", "content/x.css:1:20", "from another host"),
    ("expression", "p { width: e\\78pression(alert(1)) }\n", "PF034", "content/x.css:1:12", "runs code"),
    ("binding", "p { -moz-binding: url(#x) }\n", "PF034", "content/x.css:1:5", "runs code"),
]


@pytest.mark.parametrize(("css", "code", "where", "words"), [c[1:] for c in CSS], ids=[c[0] for c in CSS])
def test_css_escapes_are_decoded_before_the_checks(project: Project, css: str, code: str, where: str, words: str) -> None:
    project.write("content/x.css", css)
    line = only(project, "content/x.css", code)
    assert line.startswith(f"{where}: error {code}:"), line
    assert words in line


def test_local_css_with_relative_urls_and_a_local_import_is_published(project: Project) -> None:
    project.write("content/assets/extra.css", '@import "base.css";\nh1 { background: url("../img/a.png") }\n'
                  'p::before { content: "\\2014" } a[href^="mailto:"] { color: red }\n')
    project.write("content/assets/base.css", "body { color: #333 }\n")
    assert lines_for(project, "content/assets/") == []


def test_css_unescape_maps_back_to_the_text() -> None:
    text, starts = filetypes.css_unescape('a\\40 b\\"c\\\nd\\1F600')
    assert text == 'a@b"cd\U0001F600'
    assert [starts[i] for i in range(len(text))] == [0, 1, 5, 6, 8, 11, 12]


# --- 3. office documents and archives ------------------------------------------------------------------


def zip_of(members: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def docx_with(text: str) -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("Contact ")
    half = len(text) // 2
    paragraph.add_run(text[:half]).bold = True  # split across two runs, as Word does
    paragraph.add_run(text[half:])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_with(value: str) -> bytes:
    return zip_of({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        "xl/sharedStrings.xml": ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 f"<si><t>Mentor</t></si><si><t>{value}</t></si></sst>"),
    })


def odt_with(value: str) -> bytes:
    return zip_of({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                        f"<text:p>Sponsor</text:p><text:p>Reach me at <text:span>{value[:4]}</text:span>{value[4:]}</text:p>"
                        "</office:text></office:body></office:document-content>"),
    }, compression=zipfile.ZIP_STORED)


def pptx_link_to(address: str) -> bytes:
    return zip_of({
        "ppt/slides/slide1.xml": '<?xml version="1.0"?><p:sld xmlns:p="p"><p:t>Questions?</p:t></p:sld>',
        "ppt/slides/_rels/slide1.xml.rels": ('<?xml version="1.0"?><Relationships xmlns="r"><Relationship Id="rId1" '
                                             f'Type="hyperlink" Target="mailto:{address}" TargetMode="External"/></Relationships>'),
    })


def docx_author(address: str) -> bytes:
    data = io.BytesIO(docx_with("the program office"))
    import docx

    document = docx.Document(data)
    document.core_properties.author = f"Jane Doe <{address}>"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCUMENTS = [
    ("agreement.docx", lambda: docx_with(ADDRESS), "PV001", "word/document.xml"),
    ("agreement-phone.docx", lambda: docx_with(PHONE), "PV002", "word/document.xml"),
    ("author.docx", lambda: docx_author(ADDRESS), "PV001", "docProps/core.xml"),
    ("roster.xlsx", lambda: xlsx_with(PHONE), "PV002", "xl/sharedStrings.xml"),
    ("notes.odt", lambda: odt_with(ADDRESS), "PV001", "content.xml"),
    ("slides.pptx", lambda: pptx_link_to(ADDRESS), "PV001", "ppt/slides/_rels/slide1.xml.rels"),
    ("pack.zip", lambda: zip_of({"readme.txt": "Templates", "people/list.csv": f"name,phone\nJ,{PHONE}\n".encode("utf-16")}),
     "PV002", "people/list.csv"),
    ("nested.zip", lambda: zip_of({"inner/agreement.docx": docx_with(ADDRESS)}), "PV001", "inner/agreement.docx!/word/document.xml"),
]


@pytest.mark.parametrize(("name", "make", "code", "part"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_the_text_inside_documents_and_archives_is_scanned(project: Project, name: str, make, code: str, part: str) -> None:
    project.write(f"content/files/{name}", make())
    line = only(project, f"content/files/{name}", code)
    assert line.startswith(f"content/files/{name}:1:1: error {code}:"), line
    assert f"in {part} of the published file content/files/{name}" in line


def test_a_clean_docx_and_zip_are_published(project: Project) -> None:
    project.write("content/files/blank.docx", docx_with("the program office"))
    project.write("content/files/pack.zip", zip_of({"a.txt": "Agenda", "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(100)}))
    assert lines_for(project, "content/files/") == []


def zip_bomb() -> bytes:
    return zip_of({f"part{i}.txt": b"0" * 20_000_000 for i in range(3)})  # 60 MB of zeros in about 60 KB


ARCHIVES = [
    ("bomb.zip", zip_bomb, "zip bomb"),
    ("bomb.docx", lambda: zip_of({"word/document.xml": b"<w:document>" + b" " * 30_000_000 + b"</w:document>"}), "zip bomb"),
    ("many.zip", lambda: zip_of({f"{i}.txt": b"" for i in range(filetypes.MAX_MEMBERS + 1)}, compression=zipfile.ZIP_STORED),
     f"at most {filetypes.MAX_MEMBERS}"),
    ("deep.zip", lambda: zip_of({"a.zip": zip_of({"b.zip": zip_of({"c.txt": "x"})})}), "inside an archive inside an archive"),
    ("dtd.docx", lambda: zip_of({"word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "jane@corp.example">]><d>&e;</d>'}),
     "has a DTD"),
    ("utf16-dtd.docx", lambda: zip_of({"word/document.xml": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'.encode("utf-16")}),
     "has a DTD"),
    ("macros.docx", lambda: zip_of({"word/document.xml": "<d/>", "word/vbaProject.bin": bytes(range(256))}), "binary data"),
    ("broken.xlsx", lambda: zip_of({"xl/sharedStrings.xml": "<sst><si>"}), "not well-formed XML"),
    ("notazip.docx", lambda: b"PK\x03\x04 this is not really a zip", "not a readable zip archive"),
]


@pytest.mark.parametrize(("name", "make", "words"), ARCHIVES, ids=[a[0] for a in ARCHIVES])
def test_archives_that_cannot_be_checked_are_refused(project: Project, name: str, make, words: str) -> None:
    project.write(f"content/{name}", make())
    line = only(project, f"content/{name}", "PF034")
    assert line.startswith(f"content/{name}:1:1: error PF034: this file is not published because"), line
    assert words in line


def test_an_encrypted_zip_member_is_refused(project: Project) -> None:
    data = bytearray(zip_of({"secret.txt": "x"}, compression=zipfile.ZIP_STORED))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the 'encrypted' flag bit in both headers
        at = data.find(header)
        flag = at + (6 if header == b"PK\x03\x04" else 8)
        data[flag] |= 1
    project.write("content/secret.zip", bytes(data))
    assert "is encrypted" in only(project, "content/secret.zip", "PF034")


# --- 4. PDF ----------------------------------------------------------------------------------------


def minimal_pdf(text: str, *, uri: str | None = None, author: str = "Program office", pad: int = 0) -> bytes:
    """A one-page PDF written by hand: Helvetica text, an optional link annotation; ``pad`` spaces after
    the text make its page's content stream that long once unpacked (it is Flate-compressed then)."""
    import zlib

    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    flate = ""
    if pad:
        stream, flate = zlib.compress(stream + b" " * pad, 9), " /Filter /FlateDecode"
    annots = f"/Annots [6 0 R]" if uri else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> {annots} >>".encode(),
        b"<< /Length %d%s >>\nstream\n" % (len(stream), flate.encode()) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI ({uri}) >> >>".encode() if uri else b"<< >>",
        f"<< /Author ({author}) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(minimal_pdf("Agenda")))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDFS = [
    ("text.pdf", lambda: minimal_pdf(f"Contact {ADDRESS}"), "PV001", "page 1"),
    ("phone.pdf", lambda: minimal_pdf(f"Call {PHONE}"), "PV002", "page 1"),
    ("link.pdf", lambda: minimal_pdf("Write to us", uri=f"mailto:{ADDRESS}"), "PV001", "page 1"),
    ("author.pdf", lambda: minimal_pdf("Agenda", author=f"Jane {ADDRESS}"), "PV001", "the document information"),
]


@pytest.mark.parametrize(("name", "make", "code", "part"), PDFS, ids=[p[0] for p in PDFS])
def test_the_text_of_a_pdf_is_scanned(project: Project, name: str, make, code: str, part: str) -> None:
    project.write(f"content/{name}", make())
    line = only(project, f"content/{name}", code)
    assert f"in {part} of the published file content/{name}" in line, line


def test_a_pdf_made_by_weasyprint_is_scanned(project: Project) -> None:
    import weasyprint

    data = weasyprint.HTML(string=f"<p>Sponsor: <b>{ADDRESS[:5]}</b>{ADDRESS[5:]}</p>").write_pdf()
    project.write("content/w.pdf", data)
    assert "in page 1 of the published file" in only(project, "content/w.pdf", "PV001")


def test_a_clean_pdf_is_published(project: Project) -> None:
    project.write("content/agenda.pdf", minimal_pdf("Agenda: goals, progress, next steps"))
    assert lines_for(project, "content/agenda.pdf") == []


@pytest.mark.parametrize(("make", "words"), [(encrypted_pdf, "encrypted PDF"), (lambda: b"%PDF-1.4\n garbage", "cannot be read")],
                         ids=["encrypted", "unreadable"])
def test_pdfs_that_cannot_be_read_are_refused_with_a_hint(project: Project, make, words: str) -> None:
    project.write("content/bad.pdf", make())
    line = only(project, "content/bad.pdf", "PF034")
    assert words in line, line


# --- 5. types a browser runs, unknown binaries --------------------------------------------------------

REFUSED = [
    ("feed.xml", '<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><x/>', "XML document"),
    ("s.xsl", '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>', "XML document"),
    ("s.xslt", "<x/>", "XML document"),
    ("news.rss", "<rss/>", "XML document"),
    ("news.atom", "<feed/>", "XML document"),
    ("page.XML", "<x/>", "XML document"),
    ("app.js", "alert(1)", "a script"),
    ("app.mjs", "alert(1)", "a script"),
    ("m.wasm", b"\x00asm\x01\x00\x00\x00", "a script"),
    ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "cannot be checked"),
    ("macro.docm", zip_of({"word/document.xml": "<d/>"}), "cannot be checked"),
    ("data.gz", b"\x1f\x8b\x08\x00" + bytes(100), "cannot be checked"),
    ("README", "<html><script>alert(1)</script></html>", "starts with '<'"),
    ("page.php", "<?php echo 1; ?>", "starts with '<'"),
    ("utf16-markup.dat", "<html><script>alert(1)</script>".encode("utf-16"), "starts with '<'"),
    ("logo.png", "<svg onload=alert(1)>", "not those of a '.png' file"),
    ("photo.jpg", b"GIF89a", "not those of a '.jpg' file"),
]


@pytest.mark.parametrize(("name", "data", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_types_a_browser_runs_and_unknown_binaries_are_refused(project: Project, name: str, data, words: str) -> None:
    project.write(f"content/{name}", data)
    line = only(project, f"content/{name}", "PF034")
    assert line.startswith(f"content/{name}:1:1: error PF034:"), line
    assert words in line
    if "cannot be checked" in words or "'<'" in words:
        assert "accepted types are" in line


def test_media_and_unknown_text_types_are_published(project: Project) -> None:
    project.write("content/img/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    project.write("content/img/photo.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(64))
    project.write("content/fonts/a.woff2", b"wOF2" + bytes(64))
    project.write("content/media/talk.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    project.write("content/notes.adoc", "= Notes\nNothing personal.\n")
    project.write("content/CNAME", "portal.intranet.example\n")
    assert [d for d in project.diagnostics() if "content/" in d and (" PF034" in d or " PV00" in d)] == []


def test_an_unknown_text_type_is_scanned(project: Project) -> None:
    project.write("content/contacts.dat", f"sponsor: {ADDRESS}\n".encode("cp1252"))
    assert only(project, "content/contacts.dat", "PV001").startswith("content/contacts.dat:1:10:")


def test_check_and_build_refuse_alike_and_publish_nothing(project: Project) -> None:
    project.write("content/people.csv", f"Jürgen;{ADDRESS}\n".encode("latin-1"))
    project.write("content/feed.rss", "<rss/>")
    project.write("content/files/agreement.docx", docx_with(PHONE))
    expected = {"content/people.csv:1:8: error PV001", "content/feed.rss:1:1: error PF034",
                "content/files/agreement.docx:1:1: error PV002"}
    for result in (project.check(), project.build()):
        assert result.returncode == 1, result
        got = {line.split(":", 3)[0] + ":" + ":".join(line.split(":")[1:3]) + ":" + line.split(":")[3].split(":")[0]
               for line in result.diagnostics() if line.startswith("content/")}
        assert expected <= got, result
    assert not project.path("site").exists() or not any(project.path("site").iterdir())


# --- 6. Markdown that costs the build minutes -----------------------------------------------------------

MARKDOWN_ATTACKS = [
    ("headings", "# a\n\n" * 60_000, "content/attack.md:", "headings"),
    ("a-tags", "<a" * 200_000, "content/attack.md:1:", "raw HTML tags"),
    ("link-brackets", "[a](" * 150_000, "content/attack.md:1:", "links on one page"),
    ("links", "[a](b) " * 20_001, "content/attack.md:1:140003", "more than 20000 links on one page"),
    ("open-link-targets", "[a](" * 1_500, "content/attack.md:1:", "left open make Markdown read the rest of the paragraph"),
    ("open-brackets", ("[" * 1_000 + "\n") * 3, "content/attack.md:", "left open make Markdown read the rest of the paragraph"),
]


@pytest.mark.parametrize(("text", "where", "words"), [a[1:] for a in MARKDOWN_ATTACKS], ids=[a[0] for a in MARKDOWN_ATTACKS])
def test_markdown_past_the_structure_budget_is_one_located_pf022(project: Project, text: str, where: str, words: str) -> None:
    project.write("content/attack.md", text)
    found = lines_for(project, "content/attack.md")
    assert len(found) == 1, found
    assert found[0].startswith(where) and " error PF022: " in found[0], found[0]
    assert words in found[0]


@pytest.mark.parametrize(("text", "words"), [(a[1], a[3]) for a in MARKDOWN_ATTACKS], ids=[a[0] for a in MARKDOWN_ATTACKS])
def test_the_budget_applies_to_bodies_too(text: str, words: str) -> None:
    [problem] = textlimits.markdown_problems(text, "content/guides/x.md")
    assert problem.code == "PF022" and words in problem.message


def test_the_nesting_check_is_linear_on_unclosed_tags() -> None:
    # <a x 200,000 took minutes in HTMLParser; the structure budget stops it first, and the nesting
    # scan itself takes a page within the budget in one pass.
    text = "<div>" * 40 + "<a" * 900 + "</b>" * 5_000
    [problem] = textlimits.markdown_problems(text, "x.md")
    assert "nested more than" in problem.message and str(problem.location) == "x.md:1:161"


def test_a_realistic_long_page_is_within_the_budget() -> None:
    section = ("## Session {n}\n\n- [Agenda](../templates/agenda.md) and [notes](#notes)\n- <kbd>Ctrl</kbd> + <kbd>P</kbd>\n\n"
               "| Goal | Owner | Due |\n| --- | --- | --- |\n| Agree goals | mentee | week 1 |\n\n")
    text = "".join(section.format(n=n) for n in range(400))
    assert textlimits.markdown_problems(text, "x.md") == []


# --- 7. fuzzed: the readers never raise, offsets stay inside the text ------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                database=None)
SUFFIXES = [".txt", ".css", ".csv", ".docx", ".zip", ".pdf", ".png", ".dat", ""]


@FUZZ
@given(data=st.binary(max_size=2_000) | st.sampled_from([zip_of({"word/document.xml": "<d>x</d>"}), minimal_pdf("x")]).flatmap(
    lambda good: st.integers(0, len(good) - 1).map(lambda cut: good[:cut])), ext=st.sampled_from(SUFFIXES))
def test_any_bytes_are_scanned_or_refused_never_a_traceback(tmp_path_factory, data: bytes, ext: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / f"f{ext}").write_bytes(data)
    refusal = filetypes.type_refusal(folder, f"f{ext}")
    contents = filetypes.inspect(folder / f"f{ext}", f"f{ext}")
    assert refusal is None or isinstance(refusal, str)
    assert contents.refusal is None or isinstance(contents.refusal, str)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("\\0123456789abcdefABCDEF@ \n\r\t\"'x()u:/")), max_size=300))
def test_css_unescape_offsets_point_into_the_text_in_order(text: str) -> None:
    decoded, starts = filetypes.css_unescape(text)
    assert len(starts) == len(decoded)
    assert starts == sorted(starts) and all(0 <= s < len(text) for s in starts)
    filetypes.css_problem(text)  # never raises


def test_a_theme_file_in_utf16_is_scanned_too(project: Project) -> None:
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    project.write("overrides/assets/contacts.txt", f"Sponsor office\n{ADDRESS}\n".encode("utf-16"))
    result = project.check()  # the theme's files are scanned where the site configuration is read
    assert any(d.startswith("overrides/assets/contacts.txt:2:1: error PV001:") for d in result.diagnostics()), result


def test_a_pdf_whose_page_unpacks_past_the_budget_is_refused(project: Project) -> None:
    data = minimal_pdf("Agenda", pad=30_000_000)  # a page of 30 MB in about 30 KB
    assert len(data) < 100_000
    project.write("content/bomb.pdf", data)
    line = only(project, "content/bomb.pdf", "PF034")
    assert "unpacks to more than 100 times its size" in line and "page 1" in line, line
