"""Per-process reuse in PDF rendering (render/downloads/pdf_reuse.py): the same bytes as WeasyPrint alone."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone

from conftest import Project

RENDER = (
    "import sys\n"
    "from program_portal.render.downloads import pdf, pdf_reuse\n"
    "if sys.argv[1] == 'off':\n"
    "    pdf_reuse.SUPPORTED['weasyprint'] = ()\n"
    "docs = sys.stdin.read().split('\\0')\n"
    "out = [pdf.render(html) for html in docs]\n"
    "assert pdf_reuse._installed == (sys.argv[1] == 'on')\n"
    "sys.stdout.buffer.write(b'\\0MARK\\0'.join(out))\n"
)


def test_reused_font_work_gives_the_bytes_weasyprint_makes_alone(project: Project) -> None:
    """Fillable documents embed their fields' whole font: parsed and compressed once per process, with
    every byte as WeasyPrint makes it without the reuse (several documents in one process, in turn)."""
    from program_portal.render.downloads import pdf, sources
    from program_portal.render.downloads.document import parse

    portal = project.report().portal
    docs = [pdf.html_document(pdf.prepare(parse(s.standalone)), title=s.title, program_title="P", organisation="O",
                              lang="en", paper="a4", created=datetime(2027, 1, 1, tzinfo=timezone.utc)) for s in sources(portal)]
    assert len(docs) >= 2 and any("<input" in d or "<textarea" in d for d in docs), "documents with form fields"
    made = {}
    for mode in ("off", "on"):
        made[mode] = subprocess.run([sys.executable, "-c", RENDER, mode], input="\0".join(docs).encode(), capture_output=True,
                                    check=True, timeout=300).stdout.split(b"\0MARK\0")
    assert len(made["on"]) == len(docs)
    assert made["on"] == made["off"]


def test_reuse_is_off_for_other_weasyprint_versions(monkeypatch) -> None:
    import weasyprint

    from program_portal.render.downloads import pdf_reuse

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert not pdf_reuse.supported()
