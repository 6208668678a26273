"""The fillable PDF download, rendered by WeasyPrint with ``pdf_forms``.

Every blank becomes a text field (a multi-line one for a textarea), every signature
line a text field, every checklist item a check box. WeasyPrint merges inputs that
share a ``name`` and calls unnamed ones ``unknown-N-M``, so every control gets a unique,
meaningful name before rendering. The fonts are the package's own (DejaVu Sans, vendored in
``fonts/`` with its licence), so a PDF does not depend on the machine's fonts; nothing is
fetched: the URL fetcher serves those font files and inline ``data:`` URLs, and refuses
every other URL.
"""

from __future__ import annotations

import atexit
import copy
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from html import escape
from importlib.resources import files

from lxml import etree

from program_portal.render.downloads.document import label_of, text_of, xml_text

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


FONT_SCHEME = "program-portal-font:"
"""URLs of the shipped font files in the PDF's style sheet (served by :func:`local_only_fetcher` alone)."""
FONT_FAMILY = "Portal Sans"
FONT_FAMILY_MONO = "Portal Mono"
# (family, weight, style, file in fonts/)
FONT_FACES = (
    (FONT_FAMILY, "normal", "normal", "DejaVuSans.ttf"),
    (FONT_FAMILY, "bold", "normal", "DejaVuSans-Bold.ttf"),
    (FONT_FAMILY, "normal", "italic", "DejaVuSans-Oblique.ttf"),
    (FONT_FAMILY, "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    (FONT_FAMILY_MONO, "normal", "normal", "DejaVuSansMono.ttf"),
)


def font_file(name: str) -> bytes | None:
    """The bytes of a shipped font file, or None if ``name`` is not one."""
    if name not in {face[3] for face in FONT_FACES}:
        return None
    return files("program_portal.render.downloads").joinpath("fonts", name).read_bytes()


def font_faces_css() -> str:
    return "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{FONT_SCHEME}{name}") format("truetype"); }}\n'
        for family, weight, style, name in FONT_FACES
    )


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads nothing from any network or disk but the shipped fonts.

    It serves the package's own font files (``program-portal-font:NAME``) and inline ``data:``
    URLs; every other URL is refused (and listed in its ``refused`` attribute), and WeasyPrint
    renders without that resource, as it does for any resource that fails to load.
    """
    from weasyprint import URLFetcher  # imported here: WeasyPrint loads pango, which takes a moment
    from weasyprint.urls import URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(FONT_SCHEME) and (data := font_file(url.removeprefix(FONT_SCHEME))) is not None:
                return URLFetcherResponse(url, data, {"Content-Type": "font/ttf"})
            self.refused.append(url)
            raise ValueError(f"program-portal downloads fetch nothing: refused {url}")

    return LocalOnlyFetcher()


def css_string(value: str) -> str:
    """A CSS string literal (for ``content:`` in page margins) that is also safe inside ``<style>``.

    Every character that could end the string, the declaration or the ``<style>`` element
    (quotes, backslash, ``<``, ``>``, ``&``, control characters) is written as a CSS escape.
    """
    out = "".join(f"\\{ord(c):x} " if c in '"\'\\<>&{}();' or c < " " or "\x7f" <= c <= "\x9f" else c for c in value)
    return f'"{out}"'


PAGE_STYLE = """
@page {
  size: %(size)s;
  margin: 22mm 18mm 20mm 18mm;
  @top-left { content: %(running)s; font-size: 8pt; color: #555; }
  @top-right { content: %(organisation)s; font-size: 8pt; color: #555; }
  @bottom-left { content: %(title)s; font-size: 8pt; color: #555; }
  @bottom-right { content: %(page)s; font-size: 8pt; color: #555; }
}
"""
"""The document's own page rule (its titles in the margins): in the document's ``<style>``."""

STYLE = """
html { font-family: "%(sans)s"; font-size: 10.5pt; line-height: 1.45; color: #111; font-variant-ligatures: none; }
body { margin: 0; }
h1 { font-size: 20pt; margin: 0 0 2pt; line-height: 1.2; }
h1 + p { color: #444; margin-top: 0; }
h2 { font-size: 13pt; margin: 16pt 0 4pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; }
p, li { orphans: 2; widows: 2; }
ul, ol { padding-left: 16pt; margin: 4pt 0 8pt; }
li { margin: 2pt 0; break-inside: avoid; }  /* a list breaks between its items, never inside one */
ul, ol { break-inside: auto; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0 10pt; break-inside: auto; }
th, td { border: 0.75pt solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
code { font-family: "%(mono)s"; font-size: 0.95em; }
.admonition { border-left: 3pt solid #4a63b5; background: #f4f6fb; padding: 4pt 8pt; margin: 8pt 0; break-inside: avoid; }
.admonition-title { font-weight: bold; margin: 0 0 2pt; }
.pp-field { display: inline-block; vertical-align: top; margin: 0 1pt; }
.pp-field input { display: block; }
.pp-caption { display: block; font-size: 6.5pt; line-height: 1.2; color: #555; max-width: 16em; }
input.pp-blank { width: 15em; height: 13pt; border: 0; border-bottom: 0.75pt solid #333; background: #f2f5fa;
  font: inherit; font-size: 10pt; padding: 0 2pt; }
textarea.pp-blank { display: block; box-sizing: border-box; width: 100%%; border: 0.75pt solid #555; background: #f2f5fa; font: inherit; font-size: 10pt;
  padding: 2pt; margin: 2pt 0 6pt; }
.pp-area-caption { display: block; font-size: 8pt; color: #555; margin-top: 4pt; }
.pp-signature { break-inside: avoid; }
.pp-signature table { width: 100%%; }
.pp-signature td:first-child, .pp-signature th:first-child { width: 22%%; }
.pp-signature td { vertical-align: bottom; }
.pp-signature input.pp-blank { box-sizing: border-box; width: 100%%; height: 20pt; }
.pp-signature input.pp-blank[name$="-signature"] { height: 32pt; }
ul.pp-checklist { list-style: none; padding-left: 0; }
ul.pp-checklist li { position: relative; margin: 4pt 0; padding-left: 18pt; break-inside: avoid; }
input.pp-check { position: absolute; left: 0; top: 2pt; display: block; width: 10pt; height: 10pt; margin: 0;
  border: 0.75pt solid #333; background: #f2f5fa; }
.pp-required { color: #7a1f1f; }
.pp-question { display: block; border: 0; margin: 0 0 9pt; padding: 0; break-inside: auto; min-width: 0; }
/* a long choice breaks between its options (kept whole, it left a quarter page blank); its question and help
   stay with the first option or the answer box */
.pp-question-text { display: block; font-weight: bold; margin: 0 0 2pt; padding: 0; break-after: avoid; }
.pp-help { break-after: avoid; }
.pp-option, .pp-date-hint { break-inside: avoid; }
legend.pp-question-text { float: none; }
.pp-help { font-size: 8.5pt; color: #444; margin: 0 0 3pt; }
input.pp-answer { box-sizing: border-box; width: 100%%; height: 16pt; }
input.pp-answer--date { display: inline-block; width: 9em; vertical-align: middle; }
.pp-date-hint { display: inline-block; font-size: 8pt; color: #555; margin-left: 4pt; vertical-align: middle; }
textarea.pp-answer { margin-top: 0; }
.pp-options { display: block; }
.pp-option { display: inline-block; margin: 1pt 14pt 1pt 0; white-space: nowrap; }
.pp-options--choice .pp-option { display: block; white-space: normal; }
input.pp-choice { display: inline-block; width: 9pt; height: 9pt; margin: 0 4pt 0 0; vertical-align: middle;
  border: 0.75pt solid #333; border-radius: 50%%; background: #f2f5fa; }
"""
"""The style every document shares: parsed once per process (:func:`shared_style`)."""


_SHARED: tuple[Any, Any] | None = None


def shared_style() -> tuple[Any, Any]:
    """(WeasyPrint font configuration, the parsed shared style sheet), made once per process.

    Loading the shipped fonts (``@font-face``) and parsing the style sheet are the same work for
    every document: a process that renders many documents does them once. Both depend on nothing
    but this module (never on a document's input), so a document's bytes do not depend on what
    the process rendered before it.
    """
    global _SHARED
    if _SHARED is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from program_portal.render.downloads import pdf_reuse

        pdf_reuse.install()  # the whole font of the form fields parsed and compressed once per process
        font_config = FontConfiguration()
        atexit.register(_release_shared_style)  # its font folder removed while the interpreter still can
        css = font_faces_css() + STYLE % {"sans": FONT_FAMILY, "mono": FONT_FAMILY_MONO}
        _SHARED = font_config, CSS(string=css, url_fetcher=local_only_fetcher(), font_config=font_config)
    return _SHARED


def _release_shared_style() -> None:
    global _SHARED
    _SHARED = None  # the font configuration's folder of font files is removed (its __del__)


def prepare(root: etree._Element) -> etree._Element:
    """A copy of the document tree with PDF-only touches: blank captions, titles for check boxes, row heights."""
    root = copy.deepcopy(root)
    for block in root.iter("div"):
        if "pp-signature" not in (block.get("class") or "").split():
            continue
        for row in block.iter("tr"):  # the party's title across its block, not beside an empty cell
            cells = [c for c in row if c.tag == "th"]
            if len(cells) > 1 and not any(text_of(c) or len(c) for c in cells[1:]):
                for cell in cells[1:]:
                    row.remove(cell)
                cells[0].set("colspan", str(len(cells)))
    labels = {lab.get("for"): lab for lab in root.iter("label") if lab.get("for")}
    names: set[str] = set()
    groups: set[str] = set()
    for n, element in enumerate(list(root.iter("input", "textarea")), start=1):
        name = element.get("name") or f"field-{n}"
        if element.get("data-pp-label") and not element.get("title"):  # a form answer: its question names it
            element.set("title", element.get("data-pp-label"))  # (the field's /TU: WeasyPrint finds no <label> outside a <form>)
        if element.get("type") == "radio":  # one radio group per question: WeasyPrint groups them by name
            if name in names and name not in groups:
                name = f"{name}-{n}"
            groups.add(name)
            names.add(name)
            element.set("name", name)
            continue
        while name in names:  # unique names: WeasyPrint merges same-named fields
            name = f"{name}-{n}"
        names.add(name)
        element.set("name", name)
        element.attrib.pop("placeholder", None)
        if "pp-answer" in (element.get("class") or "").split():  # a form answer: its question is its label
            if element.tag == "textarea":
                element.set("style", f"height: {int(element.get('rows') or 3) * 15 + 4}pt")
            continue
        if element.get("type") == "checkbox":
            label = labels.get(element.get("id"))
            if label is not None:
                element.set("title", text_of(label))
            continue
        in_table = any(a.tag in ("td", "th") for a in element.iterancestors())
        label = label_of(element)
        if element.tag == "textarea":
            rows = int(element.get("rows") or 3)
            element.set("style", f"height: {rows * 15 + 4}pt")
            if label and not in_table:
                caption = etree.Element("span", {"class": "pp-area-caption"})
                caption.text = label
                element.addprevious(caption)
        elif label and not in_table:
            wrapper = etree.Element("span", {"class": "pp-field"})
            caption = etree.SubElement(wrapper, "span", {"class": "pp-caption"})
            caption.text = label
            wrapper.tail = element.tail
            element.tail = None
            element.addprevious(wrapper)
            wrapper.insert(0, element)
    return root


def page_content(parts: list[tuple[str, str | None]]) -> str:
    """The CSS ``content`` of "Page {page} of {pages}" in the document's language."""
    out = []
    for literal, name in parts:
        if literal:
            out.append(css_string(literal))
        if name in ("page", "pages"):
            out.append(f"counter({name})")
    return " ".join(out) or '""'


def html_document(root: etree._Element, *, title: str, program_title: str, organisation: str, lang: str, paper: str,
                  created: datetime, words: dict[str, Any] | None = None) -> str:
    words = words or {}
    title, program_title, organisation, lang = (xml_text(v) for v in (title, program_title, organisation, lang))
    style = PAGE_STYLE % {
        "page": page_content(words.get("page", [("Page ", "page"), (" of ", "pages")])),
        "size": PAPER_SIZES[paper],
        "running": css_string(program_title),
        "organisation": css_string(organisation),
        "title": css_string(title),
    }
    body = "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    if root.text:
        body = escape(root.text) + body
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}" dir="{escape(words.get("direction", "ltr"))}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="dcterms.created" content="{stamp}"><meta name="dcterms.modified" content="{stamp}">'
        f'<meta name="generator" content="program-portal"><style>{style}</style></head><body>{body}</body></html>'
    )


PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF/UA-1: a structure tree (headings, lists, tables, fields), /MarkInfo /Marked, the
document's language (/Lang, from ``lang`` on the root) and its title shown as the window title
(DisplayDocTitle), and the PDF/UA identification in the XMP metadata."""


def render(html: str, *, created: datetime | None = None, fetcher: Any = None) -> bytes:
    """HTML document to PDF bytes with form fields, fetching nothing (``fetcher``: from :func:`local_only_fetcher`).

    The document's ``<style>`` holds its page rule; the shared style (fonts, layout) comes from
    :func:`shared_style`, passed to WeasyPrint as a user style sheet (above the user-agent's, below the
    document's own, which holds nothing else). ``created``: the date the embedded fonts carry too."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else local_only_fetcher()
    font_config, css = shared_style()
    out = io.BytesIO()
    with _font_date(created):
        HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
            out, stylesheets=[css], font_config=font_config, pdf_forms=True, uncompressed_pdf=False,
            pdf_variant=PDF_VARIANT, pdf_tags=True)
    return out.getvalue()


@contextmanager
def _font_date(created: datetime | None) -> Iterator[None]:
    """Where HarfBuzz-Subset is missing, WeasyPrint subsets the fonts with fontTools, which writes the
    clock's time into each font's ``head`` table unless SOURCE_DATE_EPOCH is set: so, while the document
    renders, SOURCE_DATE_EPOCH is the document's own date, and the same document is the same bytes."""
    if created is None:
        yield
        return
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(created.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
