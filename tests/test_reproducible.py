"""Same sources, same SOURCE_DATE_EPOCH, same bytes (spec section 1, principle 4; issue 5 item 7).

The example portal is built twice with ``mkdocs build --strict``: into two differently named
directories, with different hash seeds (so set or dict ordering that leaks into the output
shows up), without the shared download cache (so every document is generated twice), and,
where the machine allows it, the second build with no network at all (``unshare -n``;
principle 5: the build makes no network request). Every file must be byte-identical: pages,
search index, sitemap (and its gzip header's mtime), .ics, .docx, .pdf, .md, zip and assets.
"""

from __future__ import annotations

import pytest

from browser_support import REPO, build_site, no_network_wrapper
from conftest import tree_digest

pytestmark = pytest.mark.slow


def test_two_builds_are_byte_identical(tmp_path_factory: pytest.TempPathFactory) -> None:
    first = build_site(REPO, tmp_path_factory.mktemp("build-a") / "site", extra_env={"PYTHONHASHSEED": "1"})
    wrapper = no_network_wrapper() or ()
    second = build_site(REPO, tmp_path_factory.mktemp("build-b") / "other-site", extra_env={"PYTHONHASHSEED": "4242"}, wrapper=wrapper)
    a, b = tree_digest(first), tree_digest(second)
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    differ = sorted(path for path in set(a) & set(b) if a[path] != b[path])
    assert not (only_a or only_b or differ), (
        f"{len(differ)} file(s) differ between two builds with the same SOURCE_DATE_EPOCH: {differ}; "
        f"only in the first: {only_a}; only in the second: {only_b}"
    )
    kinds = sorted({p.rsplit(".", 1)[-1] for p in a if "." in p})
    for kind in ("html", "ics", "docx", "pdf", "md", "json", "gz", "xml", "css", "js"):
        assert kind in kinds, f"no .{kind} file was compared"
    network = "the second with no network" if wrapper else "both with the network available"
    print(f"\n[test_reproducible] {len(a)} files byte-identical in two builds ({network}); kinds: {', '.join(kinds)}")


def test_fonts_embedded_by_fonttools_carry_the_documents_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where HarfBuzz-Subset is missing, WeasyPrint subsets the fonts with fontTools, which dates each
    font by the clock: the PDF would change from one second to the next. It carries the document's date."""
    import io
    import os
    from datetime import datetime, timezone

    import weasyprint.pdf.fonts
    from fontTools.misc.timeTools import timestampSinceEpoch
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    from lxml import html as lxml_html

    from program_portal.render.downloads import pdf

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # the path a machine without it takes
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    created = datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc)
    tree = lxml_html.fragment_fromstring("<h1>Agreement</h1><p>Goals <b>and</b> <i>means</i>.</p>", create_parent="div")
    document = pdf.html_document(tree, title="Agreement", program_title="Program", organisation="", lang="en", paper="a4", created=created)
    data = pdf.render(document, created=created)
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())))
    assert fonts, "no embedded font found"
    assert {font["head"].modified for font in fonts} == {timestampSinceEpoch(created.timestamp())}
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the environment is left as it was"
