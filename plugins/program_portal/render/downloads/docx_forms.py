"""A form question in the Word download: the question, its help line, then the content control of its type.

The question comes from the page's markup (:mod:`program_portal.render.pages.forms`): a
``div.pp-question`` with a ``<label>`` and an ``<input type="text|date">`` or a ``<textarea>``,
or a ``fieldset.pp-question`` with a ``<legend>`` and radio buttons. In Word, a text answer is a
plain-text control (a bordered multi-line box for long text), a date a date picker and a choice,
a scale or a yes/no question a drop-down list of its options.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from lxml import etree

from program_portal.render.downloads import docx_controls as controls
from program_portal.render.downloads.document import text_of


def question(writer: Any, container: Any, element: etree._Element) -> None:
    words = writer.words
    title = element.find("legend") if element.tag == "fieldset" else element.find("label")
    text = text_of(title) if title is not None else ""
    heading = container.add_paragraph()
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.space_after = Pt(2)
    if text:
        heading.add_run(text).bold = True
    help_block = next((p for p in element.iter("p") if "pp-help" in (p.get("class") or "").split()), None)
    if help_block is not None:
        from program_portal.render.downloads.docx import _tokens

        paragraph = container.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_after = Pt(3)
        writer.inline(lambda: paragraph, _tokens(help_block), in_table=True)
        for run in paragraph.runs:
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    type_here = words.get("type_here", "Type here")
    radios = [i for i in element.iter("input") if i.get("type") == "radio"]
    if radios:
        name = radios[0].get("name") or f"choice-{writer.counts.drop_downs + 1}"
        options = [r.get("value") or "" for r in radios]
        paragraph = container.add_paragraph()
        paragraph._p.append(parse_xml(controls.drop_down(writer._id(), name, text, words.get("choose", "Choose one"), options)))
        writer.counts.drop_downs += 1
        writer.counts.names.append(name)
        if element.get("data-pp-type") == "choice":  # on paper the list cannot open: the options under it
            listed = container.add_paragraph(" · ".join(options))
            listed.paragraph_format.space_after = Pt(4)
            for run in listed.runs:
                run.font.size = Pt(8.5)
                run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        return
    area = element.find(".//textarea")
    if area is not None:
        writer.text_box(container, area, caption=False, placeholder=type_here)
        return
    field = element.find(".//input")
    if field is None:
        return
    paragraph = container.add_paragraph()
    if field.get("type") == "date":
        name = field.get("name") or f"date-{writer.counts.dates + 1}"
        xml = controls.date(writer._id(), name, text, words.get("pick_date", "Pick a date"), language=words.get("region") or "")
        paragraph._p.append(parse_xml(xml))
        writer.counts.dates += 1
        writer.counts.names.append(name)
    else:
        writer.text_control(paragraph, field, multiline=False, placeholder=type_here)
