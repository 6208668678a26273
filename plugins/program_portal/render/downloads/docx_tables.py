"""Tables in the Word download: column widths from their text, rows kept on one page, signature blocks.

A column is at least as wide as its longest word (bold in a header row, plus the cell margins Word
and LibreOffice add), so no word breaks across lines; the rest of the width is shared by how much
text each column holds. A header row repeats on every page; a party's signature block is one
table whose title spans it.
"""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from lxml import etree

from program_portal.render.downloads.docx_controls import NS
from program_portal.render.downloads.document import text_of

def table(writer: Any, container: Any, element: etree._Element, *, signature: bool = False) -> None:
    """One HTML table as a Word table written by ``writer`` (a :class:`.docx._Writer`)."""
    from program_portal.render.downloads.docx import _tokens  # the inline writer's tokens (docx imports this module)

    rows = [tr for tr in element.iter("tr")]
    if not rows:
        return
    ncols = max(len(tr.findall("th") + tr.findall("td")) for tr in rows)
    table = writer.add_table(container, len(rows), ncols)
    widths = column_widths(writer.text_width, rows, ncols, signature=signature)
    table.autofit = False
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    for r, tr in enumerate(rows):
        row = table.rows[r]
        header = tr.getparent() is not None and tr.getparent().tag == "thead"
        row_props(row, cant_split=True, header=header and not signature)
        if signature and r > 0:
            row.height = Pt(30 if "signature" in text_of(tr).lower() else 22)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = [c for c in tr if c.tag in ("th", "td")]
        if signature and r == 0 and ncols > 1 and not any(text_of(c) or len(c) for c in cells[1:]):
            merged = row.cells[0].merge(row.cells[ncols - 1])  # the party's title across the block
            merged.width = Emu(sum(widths))
            cells = cells[:1]
        for i in range(ncols):
            if i >= len(cells):
                continue
            cell = row.cells[i]
            cell.width = widths[i] if len(cells) > 1 or ncols == 1 else Emu(sum(widths))
            source = cells[i]
            fmt = frozenset({"b"}) if source.tag == "th" else frozenset()
            paragraph = cell.paragraphs[0]
            if signature or header:
                paragraph.paragraph_format.keep_with_next = signature and r < len(rows) - 1 or header
            writer.inline(lambda p=paragraph: p, _tokens(source, fmt), in_table=True)
            for nested in source:
                if nested.tag in ("ul", "ol", "p", "pre", "div", "blockquote"):
                    writer.block(cell, nested)
    container.add_paragraph().paragraph_format.space_after = Pt(0)


def column_widths(text_width: int, rows: list[etree._Element], ncols: int, *, signature: bool) -> list[Emu]:
    """Column widths from the text: each at least its longest word, the rest shared by how much text it holds."""
    if signature:
        shares = [0.3] + [0.7 / max(ncols - 1, 1)] * (ncols - 1)
        return [Emu(int(text_width * share)) for share in shares]
    least, want = [6.0] * ncols, [6.0] * ncols
    for tr in rows:
        for i, cell in enumerate(c for c in tr if c.tag in ("th", "td")):
            text = text_of(cell)
            fields = len(cell.findall(".//input")) + len(cell.findall(".//textarea"))
            longest = max((len(word) for word in text.split()), default=0)
            # a word never breaks: its width (bold in a header is wider) plus the cell's margins (Word's
            # and LibreOffice's default, about three characters together)
            word = min(longest, 24) * (1.2 if cell.tag == "th" else 1.05) + 3.5
            least[i] = max(least[i], word, 14.0 if fields else 0.0)
            want[i] = max(want[i], min(len(text), 60) + 2.0 + 20.0 * fields)
    available = text_width / Pt(5.6)  # characters of about 10.5pt text
    if sum(least) >= available:
        shares = [w / sum(least) for w in least]
    else:
        spare = available - sum(least)
        extra = [max(w - m, 0.0) for w, m in zip(want, least)]
        grow = sum(extra) or 1.0
        shares = [(m + spare * e / grow) / available for m, e in zip(least, extra)]
        if not sum(extra):
            shares = [m / sum(least) for m in least]
    return [Emu(int(text_width * share)) for share in shares]


def row_props(row: Any, *, cant_split: bool = False, header: bool = False) -> None:
    """Keep a row on one page / repeat it on every page, in the element order the schema requires."""
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split and tr_pr.find(qn("w:cantSplit")) is None:
        insert_before(tr_pr, parse_xml(f"<w:cantSplit {NS}/>"), ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"))
    if header and tr_pr.find(qn("w:tblHeader")) is None:
        insert_before(tr_pr, parse_xml(f"<w:tblHeader {NS}/>"), ("w:tblCellSpacing", "w:jc", "w:hidden"))


def insert_before(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def is_signature(table: etree._Element) -> bool:
    parent = table.getparent()
    return parent is not None and "pp-signature" in (parent.get("class") or "")
