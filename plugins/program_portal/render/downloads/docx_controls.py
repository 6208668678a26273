"""Word content controls (``w:sdt``), as WordprocessingML the writer appends to a paragraph.

One builder per kind a reader fills in: plain text (one line or several), check box
(``w14:checkbox``), date picker (``w:date``, ISO format) and drop-down list
(``w:dropDownList``). Each shows grey placeholder text until someone fills it in, carries
the field's name as its tag (``w:tag``) and its label as its title (``w:alias``, what a
screen reader announces). Every value is escaped for XML here; the caller passes plain text.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape, quoteattr

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = f'xmlns:w="{W}" xmlns:w14="{W14}"'

CHECKED, UNCHECKED, CHECK_FONT = "2612", "2610", "MS Gothic"
DATE_FORMAT = "yyyy-MM-dd"  # what <input type="date"> gives, readable in every language

_PLACEHOLDER_RUN = (
    '<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/><w:color w:val="5F5F5F"/><w:u w:val="dotted"/>'
    '<w:shd w:val="clear" w:color="auto" w:fill="EEF2F8"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'
)


def _properties(control_id: int, name: str, label: str) -> str:
    alias = f"<w:alias w:val={quoteattr(label[:255])}/>" if label else ""
    return f"{alias}<w:tag w:val={quoteattr(name[:64])}/><w:id w:val=\"{control_id}\"/>"


def text(control_id: int, name: str, label: str, placeholder: str, *, multiline: bool) -> str:
    kind = '<w:text w:multiLine="1"/>' if multiline else "<w:text/>"
    return (
        f"<w:sdt {NS}><w:sdtPr>{_properties(control_id, name, label)}<w:showingPlcHdr/>{kind}</w:sdtPr>"
        f"<w:sdtContent>{_PLACEHOLDER_RUN.format(text=xml_escape(placeholder))}</w:sdtContent></w:sdt>"
    )


def checkbox(control_id: int, name: str, label: str = "") -> str:
    return (
        f"<w:sdt {NS}><w:sdtPr>{_properties(control_id, name, label)}"
        f'<w14:checkbox><w14:checked w14:val="0"/>'
        f'<w14:checkedState w14:val="{CHECKED}" w14:font="{CHECK_FONT}"/>'
        f'<w14:uncheckedState w14:val="{UNCHECKED}" w14:font="{CHECK_FONT}"/></w14:checkbox></w:sdtPr>'
        f'<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="{CHECK_FONT}" w:eastAsia="{CHECK_FONT}" w:hAnsi="{CHECK_FONT}"/>'
        f"</w:rPr><w:t>\u2610</w:t></w:r></w:sdtContent></w:sdt>"
    )


def date(control_id: int, name: str, label: str, placeholder: str, *, language: str) -> str:
    lid = f"<w:lid w:val={quoteattr(language)}/>" if language else ""
    return (
        f"<w:sdt {NS}><w:sdtPr>{_properties(control_id, name, label)}<w:showingPlcHdr/>"
        f'<w:date><w:dateFormat w:val="{DATE_FORMAT}"/>{lid}<w:storeMappedDataAs w:val="dateTime"/>'
        f'<w:calendar w:val="gregorian"/></w:date></w:sdtPr>'
        f"<w:sdtContent>{_PLACEHOLDER_RUN.format(text=xml_escape(placeholder))}</w:sdtContent></w:sdt>"
    )


def drop_down(control_id: int, name: str, label: str, placeholder: str, options: list[str]) -> str:
    items = "".join(
        f"<w:listItem w:displayText={quoteattr(option[:255])} w:value={quoteattr(option[:255])}/>" for option in options
    )
    return (
        f"<w:sdt {NS}><w:sdtPr>{_properties(control_id, name, label)}<w:showingPlcHdr/>"
        f"<w:dropDownList>{items}</w:dropDownList></w:sdtPr>"
        f"<w:sdtContent>{_PLACEHOLDER_RUN.format(text=xml_escape(placeholder))}</w:sdtContent></w:sdt>"
    )
