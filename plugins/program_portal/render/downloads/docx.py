"""The Word download, written with python-docx from the document's HTML tree.

Headings, paragraphs, lists and tables map to Word's built-in styles. A blank becomes a
plain-text content control (``w:sdt`` with ``w:text``, multi-line for a textarea) that
shows its label as grey placeholder text until someone types; a checklist item becomes
a clickable check box content control (``w14:checkbox``). The page is A4 or US Letter,
the program title and organisation run in the header, the page number in the footer.
Core properties are set explicitly (no author name; created and modified are the
build's date), so the same input gives the same parts; :mod:`.reproducible` then fixes
the zip container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from lxml import etree

from program_portal.render.downloads import docx_controls as controls, docx_forms, docx_tables
from program_portal.render.downloads.docx_tables import is_signature as _is_signature, row_props as _row_props
from program_portal.render.downloads.docx_controls import NS
from program_portal.render.downloads.document import clean_tree, label_of, text_of, xml_text
from program_portal.render.downloads.reproducible import write_zip


PAPER = {"a4": (Mm(210), Mm(297), Mm(20)), "letter": (Twips(12240), Twips(15840), Twips(1080))}
HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 4", "h6": "Heading 4"}
PLACEHOLDER_STYLE = "Placeholder Text"
BOX_STYLE = "Table Grid"

Token = tuple[Any, ...]


@dataclass
class Counts:
    """What a document holds, for tests and the benchmark."""

    text_fields: int = 0
    checkboxes: int = 0
    dates: int = 0
    drop_downs: int = 0
    tables: int = 0
    names: list[str] = field(default_factory=list)


def _tokens(element: etree._Element, fmt: frozenset[str] = frozenset()) -> list[Token]:
    """The inline content of ``element`` as (kind, ...) tokens, formatting carried along."""
    out: list[Token] = []
    if element.text:
        out.append(("text", element.text, fmt))
    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif child.tag in ("strong", "b"):
            out += _tokens(child, fmt | {"b"})
        elif child.tag in ("em", "i", "cite"):
            out += _tokens(child, fmt | {"i"})
        elif child.tag in ("code", "kbd", "samp"):
            out += _tokens(child, fmt | {"code"})
        elif child.tag in ("u", "ins"):
            out += _tokens(child, fmt | {"u"})
        elif child.tag in ("s", "del", "strike"):
            out += _tokens(child, fmt | {"strike"})
        elif child.tag in ("sup", "sub"):
            out += _tokens(child, fmt | {child.tag})
        elif child.tag == "br":
            out.append(("br",))
        elif child.tag == "a":
            out += _tokens(child, fmt)
            href = child.get("href") or ""
            shown = href.removeprefix("mailto:")
            if href and shown != text_of(child):
                out.append(("text", f" ({shown})", fmt))
        elif child.tag == "textarea":
            out.append(("area", child))
        elif child.tag == "input":
            if child.get("type") == "checkbox":
                out.append(("check", child))
            elif (child.get("type") or "text") == "text":
                out.append(("field", child))
        elif child.tag in ("ul", "ol", "table", "pre", "div", "blockquote", "p"):
            pass  # block content is handled by the caller
        else:
            out += _tokens(child, fmt)
        if child.tail:
            out.append(("text", child.tail, fmt))
    return out


class _Writer:
    def __init__(self, *, paper: str, lang: str, words: dict[str, Any] | None = None) -> None:
        self.doc = Document()
        self.counts = Counts()
        self.lang = lang
        self.words = words or {}
        self._next_id = 0
        width, height, margin = PAPER[paper]
        for section in self.doc.sections:
            section.page_width, section.page_height = width, height
            section.left_margin = section.right_margin = margin
            section.top_margin = section.bottom_margin = margin
            section.header_distance = section.footer_distance = Mm(10)
        self.text_width = Emu(width - 2 * margin)
        styles = self.doc.styles
        placeholder = styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
        placeholder.font.color.rgb = RGBColor(0x6B, 0x6B, 0x6B)
        caption = styles["Caption"]
        caption.font.size = Pt(8)
        caption.font.bold = False
        caption.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        self._language(styles)
        self._style_ids: dict[tuple[str, Any], str | None] = {}

    def style_id(self, name: str, kind: Any) -> str | None:
        """The id of the style ``name`` of ``kind`` (WD_STYLE_TYPE), as ``styles.get_style_id`` gives it (None
        for the type's default style), looked up once per document and without python-docx's scan of every
        style for the default (a millisecond a lookup). The template has one default style per type."""
        key = (name, kind)
        if key not in self._style_ids:
            style = self.doc.styles[name]
            if style.type != kind:
                raise ValueError(f"style {name!r} is of type {style.type}, not {kind}")
            self._style_ids[key] = None if style.element.default else style.style_id
        return self._style_ids[key]

    def para(self, container: Any, text: str = "", *, style: str | None = None) -> Any:
        """``container.add_paragraph(text, style=style)``, the style's id looked up once per document."""
        paragraph = container.add_paragraph(text)
        if style is not None:
            paragraph._p.style = self.style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        return paragraph

    def add_table(self, container: Any, rows: int, cols: int) -> Any:
        """``container.add_table(rows, cols)`` in the boxed table style (:data:`BOX_STYLE`)."""
        table = container.add_table(rows=rows, cols=cols)
        table._tbl.tblStyle_val = self.style_id(BOX_STYLE, WD_STYLE_TYPE.TABLE)  # what ``table.style = BOX_STYLE`` sets
        self.counts.tables += 1
        return table

    def _language(self, styles: Any) -> None:
        """The document's default language (every style inherits it), so Word checks spelling in it."""
        region = self.words.get("region")
        if not region:
            return
        rpr = styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is None:
            return
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = parse_xml(f'<w:lang {NS}/>')
            rpr.append(lang)
        lang.set(qn("w:val"), region)
        if self.words.get("direction") == "rtl":
            lang.set(qn("w:bidi"), region)

    # -- ids and content controls --------------------------------------------

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def text_control(self, paragraph: Any, element: etree._Element, *, multiline: bool, placeholder: str | None = None) -> None:
        label = label_of(element) or self.words.get("type_here", "Type here")
        name = element.get("name") or f"field-{self.counts.text_fields + 1}"
        shown = placeholder or label
        paragraph._p.append(parse_xml(controls.text(self._id(), name, label, shown, multiline=multiline)))
        self.counts.text_fields += 1
        self.counts.names.append(name)

    def checkbox_control(self, paragraph: Any, element: etree._Element) -> None:
        name = element.get("name") or f"item-{self.counts.checkboxes + 1}"
        paragraph._p.append(parse_xml(controls.checkbox(self._id(), name)))
        self.counts.checkboxes += 1
        self.counts.names.append(name)

    # -- inline content -------------------------------------------------------

    def inline(self, new_paragraph: Any, tokens: list[Token], *, in_table: bool, container: Any = None) -> Any:
        """Write tokens into paragraphs made by ``new_paragraph()``; a textarea gets a box of its own."""
        paragraph = None
        pending_space = False

        def current() -> Any:
            nonlocal paragraph
            if paragraph is None:
                paragraph = new_paragraph()
            return paragraph

        for token in tokens:
            kind = token[0]
            if kind == "text":
                text = re.sub(r"\s+", " ", token[1])
                if not text:
                    continue
                started = paragraph is not None and bool(paragraph._p.xpath("./w:r|./w:sdt"))
                if text.startswith(" "):
                    pending_space = started
                    text = text.lstrip(" ")
                if not text:
                    continue
                if pending_space:
                    text = " " + text
                pending_space = text.endswith(" ")
                if pending_space:
                    text = text.rstrip(" ")
                self._run(current(), text, token[2])
            elif kind == "br":
                current().add_run().add_break()
                pending_space = False
            elif kind == "field":
                if pending_space:
                    current().add_run(" ")
                self.text_control(current(), token[1], multiline=False)
                pending_space = False
            elif kind == "check":
                self.checkbox_control(current(), token[1])
                pending_space = True
            elif kind == "area":
                if in_table or container is None:
                    if pending_space:
                        current().add_run(" ")
                    self.text_control(current(), token[1], multiline=True)
                    pending_space = True
                else:
                    paragraph, pending_space = None, False
                    self.text_box(container, token[1])
        return paragraph

    def _run(self, paragraph: Any, text: str, fmt: frozenset[str]) -> None:
        run = paragraph.add_run(text)
        if "b" in fmt:
            run.bold = True
        if "i" in fmt:
            run.italic = True
        if "u" in fmt:
            run.underline = True
        if "strike" in fmt:
            run.font.strike = True
        if "sup" in fmt:
            run.font.superscript = True
        if "sub" in fmt:
            run.font.subscript = True
        if "code" in fmt:
            run.font.name = "Consolas"

    def text_box(self, container: Any, element: etree._Element, *, caption: bool = True, placeholder: str | None = None) -> None:
        """A multi-line blank: its label as a caption, then a bordered box to write in."""
        label = label_of(element)
        if label and caption:
            caption = self.para(container, label, style="Caption")
            caption.paragraph_format.keep_with_next = True
            caption.paragraph_format.space_after = Pt(2)
        rows = int(element.get("rows") or 3)
        table = self.add_table(container, 1, 1)
        row = table.rows[0]
        row.height, row.height_rule = Pt(15 * rows + 6), WD_ROW_HEIGHT_RULE.AT_LEAST
        _row_props(row, cant_split=True)
        self.text_control(row.cells[0].paragraphs[0], element, multiline=True, placeholder=placeholder)
        container.add_paragraph().paragraph_format.space_after = Pt(0)

    # -- blocks -----------------------------------------------------------------

    def blocks(self, container: Any, element: etree._Element, *, style: str | None = None) -> None:
        if element.text and element.text.strip():
            self.inline(lambda: self.para(container, style=style), [("text", element.text, frozenset())], in_table=False)
        for child in element:
            if isinstance(child.tag, str):
                self.block(container, child, style=style)
            if child.tail and child.tail.strip():
                self.inline(lambda: self.para(container, style=style), [("text", child.tail, frozenset())], in_table=False)

    def block(self, container: Any, element: etree._Element, *, style: str | None = None) -> None:
        tag = element.tag
        classes = set((element.get("class") or "").split())
        in_table = _in_table(container)
        if tag in ("div", "fieldset") and "pp-question" in classes:
            docx_forms.question(self, container, element)
        elif tag in HEADINGS:
            paragraph = self.para(container, style=HEADINGS[tag] if not in_table else None)
            self.inline(lambda: paragraph, _tokens(element), in_table=True)
            if in_table:
                for run in paragraph.runs:
                    run.bold = True
        elif tag == "p":
            fmt = frozenset({"b"}) if "admonition-title" in classes else frozenset()
            tokens = _tokens(element, fmt)
            self.inline(lambda: self.para(container, style=style), tokens, in_table=in_table, container=container)
            for nested in element:
                if nested.tag in ("ul", "ol", "table", "pre", "div", "blockquote"):
                    self.block(container, nested, style=style)
        elif tag == "ul" and "pp-checklist" in classes:
            for item in element.iterchildren("li"):
                self.check_item(container, item)
        elif tag in ("ul", "ol"):
            self.list(container, element, level=1)
        elif tag == "table":
            self.table(container, element, signature="pp-signature" in classes or _is_signature(element))
        elif tag == "div" and "admonition" in classes:
            self.admonition(container, element)
        elif tag in ("div", "section", "article", "details", "summary", "figure", "figcaption"):
            self.blocks(container, element, style=style)
        elif tag == "blockquote":
            self.blocks(container, element, style="Quote" if not in_table else None)
        elif tag == "pre":
            paragraph = self.para(container, style=style)
            for n, line in enumerate(text_of_pre(element).split("\n")):
                if n:
                    paragraph.add_run().add_break()
                run = paragraph.add_run(line)
                run.font.name = "Consolas"
                run.font.size = Pt(9)
        elif tag == "hr":
            paragraph = container.add_paragraph()
            _border(paragraph, "bottom")
        elif tag in ("input", "textarea"):
            self.inline(lambda: self.para(container, style=style), [("area" if tag == "textarea" else "field", element)],
                        in_table=in_table, container=container)
        else:
            self.inline(lambda: self.para(container, style=style), _tokens(element), in_table=in_table, container=container)

    def check_item(self, container: Any, item: etree._Element) -> None:
        paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Pt(20), Pt(-20)
        fmt.space_after = Pt(4)
        self.inline(lambda: paragraph, _tokens(item), in_table=True)

    def list(self, container: Any, element: etree._Element, *, level: int) -> None:
        numbered = element.tag == "ol"
        base = "List Number" if numbered else "List Bullet"
        style = base if level == 1 else f"{base} {min(level, 3)}"
        num_id = self._restart_numbering(style) if numbered else None
        for item in element.iterchildren("li"):
            blocks = [c for c in item if c.tag in ("p", "ul", "ol", "table", "pre", "div", "blockquote")]
            if not blocks:
                paragraph = self.inline(lambda: self.para(container, style=style), _tokens(item), in_table=True)
                _number(paragraph, num_id)
                continue
            first = True
            lead = _tokens(item)
            if any(t[0] != "text" or t[1].strip() for t in lead):
                paragraph = self.inline(lambda: self.para(container, style=style), lead, in_table=True)
                _number(paragraph, num_id)
                first = False
            for child in blocks:
                if child.tag == "p":
                    paragraph = self.inline(
                        lambda: self.para(container, style=style if first else "List Continue"), _tokens(child), in_table=True
                    )
                    if first:
                        _number(paragraph, num_id)
                    first = False
                elif child.tag in ("ul", "ol"):
                    self.list(container, child, level=level + 1)
                else:
                    self.block(container, child)

    def _restart_numbering(self, style: str) -> int | None:
        """A new numbering instance for ``style`` that starts at 1 (Word would continue the previous list)."""
        style_element = self.doc.styles[style].element
        num_ids = style_element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if not num_ids:
            return None
        numbering = self.doc.part.numbering_part.element
        abstract = numbering.num_having_numId(int(num_ids[0])).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, container: Any, element: etree._Element, *, signature: bool = False) -> None:
        docx_tables.table(self, container, element, signature=signature)

    def admonition(self, container: Any, element: etree._Element) -> None:
        start = len(container.paragraphs)
        self.blocks(container, element)
        for paragraph in container.paragraphs[start:]:
            paragraph.paragraph_format.left_indent = Pt(10)
            paragraph.paragraph_format.keep_together = True
            _border(paragraph, "left", color="4A63B5", size=18)

    # -- page furniture and properties -----------------------------------------

    def furniture(self, *, title: str, program_title: str, organisation: str) -> None:
        section = self.doc.sections[0]
        head = section.header.paragraphs[0]
        head.text = " · ".join(part for part in (program_title, organisation) if part)
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in head.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # "Page {page} of {pages}" in the document's language, the numbers as Word fields
        fields = {"page": "PAGE", "pages": "NUMPAGES"}
        parts: list[str] = [title, " · "]
        for literal, name in self.words.get("page", [("Page ", "page"), (" of ", "pages")]):
            parts += [literal] if literal else []
            parts += [fields[name]] if name in fields else []
        for part in parts:
            if part in ("PAGE", "NUMPAGES"):
                foot._p.append(parse_xml(
                    f'<w:fldSimple {NS} w:instr=" {part} "><w:r><w:rPr><w:color w:val="555555"/><w:sz w:val="16"/></w:rPr>'
                    f"<w:t>1</w:t></w:r></w:fldSimple>"
                ))
            else:
                run = foot.add_run(part)
                run.font.size = Pt(8)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    def properties(self, *, title: str, subject: str, created: datetime) -> None:
        stamp = created.astimezone(timezone.utc).replace(tzinfo=None) if created.tzinfo else created
        props = self.doc.core_properties
        props.title = title[:255]
        props.subject = subject[:255]
        props.author = ""
        props.last_modified_by = ""
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.language = self.lang
        props.revision = 1
        props.created = stamp
        props.modified = stamp
        package = self.doc.part.package
        for rid, rel in list(package.rels.items()):  # the template's thumbnail shows python-docx's sample page
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[rid]

    def save(self) -> bytes:
        """The .docx, its parts in python-docx's order, zipped once with fixed metadata (reproducible.py)."""
        package = self.doc.part.package
        for part in package.parts:  # what python-docx's own save does first
            part.before_marshal()
        parts = _Parts()
        PackageWriter._write_content_types_stream(parts, package.parts)
        PackageWriter._write_pkg_rels(parts, package.rels)
        PackageWriter._write_parts(parts, package.parts)
        return write_zip(parts.entries)


class _Parts:
    """python-docx's physical package writer, keeping each part's name and bytes instead of zipping them."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def text_of_pre(element: etree._Element) -> str:
    return "".join(element.itertext()).rstrip("\n")


def _in_table(container: Any) -> bool:
    return container.__class__.__name__ == "_Cell"


def _number(paragraph: Any, num_id: int | None) -> None:
    if paragraph is None or num_id is None:
        return
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def _border(paragraph: Any, side: str, *, color: str = "999999", size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    border = parse_xml(
        f'<w:pBdr {NS}><w:{side} w:val="single" w:sz="{size}" w:space="6" w:color="{color}"/></w:pBdr>'
    )
    # pBdr sits early in pPr (after pStyle, keepNext, keepLines, pageBreakBefore, framePr, widowControl, numPr, suppressLineNumbers)
    anchor = None
    for tag in ("w:suppressLineNumbers", "w:numPr", "w:widowControl", "w:framePr", "w:pageBreakBefore", "w:keepLines", "w:keepNext", "w:pStyle"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addnext(border)
    else:
        ppr.insert(0, border)


def build(root: etree._Element, *, title: str, program_title: str, organisation: str, lang: str, paper: str,
          created: datetime, words: dict[str, Any] | None = None) -> bytes:
    """The .docx bytes of one document tree (from :func:`.document.parse`); ``words``: page label, language.
    Text XML cannot carry is dropped."""
    title, program_title, organisation, lang = (xml_text(v) for v in (title, program_title, organisation, lang))
    writer = _Writer(paper=paper, lang=lang, words=words)
    writer.blocks(writer.doc, clean_tree(root))
    writer.furniture(title=title, program_title=program_title, organisation=organisation)
    writer.properties(title=title, subject=program_title, created=created)
    return writer.save()
