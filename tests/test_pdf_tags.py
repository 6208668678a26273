"""Every PDF the portal makes is tagged PDF/UA-1, in the program's language, titled, with named fields.

Read back with pypdf as an independent reader (what ``pdfinfo`` reports as Tagged: yes).
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import datetime, timezone

import pytest
from pypdf import PdfReader

from browser_support import REPO
from program_portal.build import check_project
from program_portal.paths import AT_A_GLANCE_PDF
from program_portal.render.downloads import build_downloads
from program_portal.render.pages.portal import Portal

def pdfs_of(root) -> tuple[Portal, dict[str, bytes]]:
    report = check_project(root, root / "program.yml", root / "content")
    assert not report.errors, [str(d) for d in report.errors]
    portal = Portal(report.loaded)
    files = build_downloads(portal, dtstamp=datetime(2026, 1, 1, tzinfo=timezone.utc), jobs=1)
    return portal, {k: v for k, v in files.items() if k.endswith(".pdf")}


@pytest.fixture(scope="module")
def example() -> tuple[Portal, dict[str, bytes]]:
    return pdfs_of(REPO)


def test_every_pdf_is_tagged_pdf_ua_with_language_and_title(example) -> None:
    portal, pdfs = example
    titles = {f"downloads/{t.id}.pdf": t.title for t in portal.program.templates}
    titles[AT_A_GLANCE_PDF] = portal.language.text("glance.title", program=portal.info.title)  # the at-a-glance page's PDF too
    assert sorted(pdfs) == sorted(titles)
    for path, data in pdfs.items():
        reader = PdfReader(io.BytesIO(data))
        catalog = reader.trailer["/Root"]
        assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject), path
        tree = catalog["/StructTreeRoot"].get_object()
        assert tree["/K"], path  # a structure tree with content, not an empty root
        assert catalog["/Lang"] == portal.language.html_lang, path
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712, path
        assert reader.metadata.title == titles[path], path
        xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
        assert "pdfuaid:part" in xmp and "1" in xmp.split("pdfuaid:part", 1)[1][:5], path


def test_every_field_keeps_its_type_and_has_an_accessible_name(example) -> None:
    _, pdfs = example
    kinds = set()
    for path, data in pdfs.items():
        reader = PdfReader(io.BytesIO(data))
        for name, field in (reader.get_fields() or {}).items():
            if "." in name:  # pypdf lists a radio group's kids again as "group.group"
                continue
            kinds.add(str(field["/FT"]))
            accessible = str(field.get("/TU") or "")
            assert accessible and accessible != name, (path, name, accessible)  # /TU: what a screen reader says
    assert kinds == {"/Tx", "/Btn"}  # text, multi-line text and dates; check boxes and radio groups


def test_a_german_program_tags_its_pdfs_de(tmp_path) -> None:
    shutil.copy(REPO / "program.yml", tmp_path / "program.yml")
    shutil.copytree(REPO / "content", tmp_path / "content")
    source = (tmp_path / "program.yml").read_text(encoding="utf-8")
    german = re.sub(r"(?m)^  language: en-GB\b[^\n]*", "  language: de", source)
    assert german != source
    (tmp_path / "program.yml").write_text(german, encoding="utf-8")
    portal, pdfs = pdfs_of(tmp_path)
    assert portal.language.html_lang.startswith("de")
    for path, data in list(pdfs.items())[:3]:
        catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
        assert catalog["/Lang"] == portal.language.html_lang, path
