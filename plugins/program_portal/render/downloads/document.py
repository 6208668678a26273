"""A template's standalone Markdown as one HTML tree: the common source of the Word and PDF downloads.

The standalone Markdown (``templates.page(..., standalone=True)``) already carries the
fill-in controls as raw HTML (``<input class="pp-blank">``, ``<textarea>``, checklist
checkboxes). Here it is converted with the same Markdown extensions MkDocs uses, then
tidied for a document that lives on its own: links to other pages of the portal are
unwrapped (they would be broken in a file), images become their alt text (a download
fetches nothing), and browser-only parts (the empty live tally) are dropped.
"""

from __future__ import annotations

import re

import lxml.html
import markdown
from lxml import etree

EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition")

BROWSER_ONLY = ("pp-tally", "pp-toolbar", "pp-privacy-note")


def to_html(source: str) -> str:
    """Standalone Markdown to an HTML fragment, through the same allow-list as a web page."""
    from program_portal.render import sanitize

    return sanitize.page(markdown.Markdown(extensions=list(EXTENSIONS), output_format="html").convert(source))


def parse(source: str) -> etree._Element:
    """Standalone Markdown to a tidied ``<div>`` tree (see the module docstring)."""
    root = lxml.html.fragment_fromstring(xml_text(to_html(source)) or "<p></p>", create_parent="div")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        classes = set((element.get("class") or "").split())
        if classes & set(BROWSER_ONLY) or element.get("data-pp-tally") is not None:
            _drop(element)
        elif element.tag == "a":
            href = element.get("href") or ""
            if not href.startswith(("http://", "https://", "mailto:")):
                element.drop_tag()
        elif element.tag == "img":
            alt = element.get("alt") or ""
            span = etree.Element("span")
            span.text = alt
            span.tail = element.tail
            element.getparent().replace(element, span)
        elif element.tag in ("script", "style", "iframe", "object", "embed", "form", "button"):
            _drop(element)
    return root


# Characters XML 1.0 does not allow (Word refuses the file) and C1 controls; TAB, LF and CR stay.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` with every character that XML cannot carry removed."""
    return _NOT_XML.sub("", value)


def clean_tree(root: etree._Element) -> etree._Element:
    """Every text, tail and attribute value of the tree as XML text (in place)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for key, value in element.attrib.items():
            element.set(key, xml_text(value))
    return root


def _drop(element: etree._Element) -> None:
    """Remove ``element`` but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def text_of(element: etree._Element) -> str:
    """The element's text with whitespace collapsed, as a reader sees it."""
    return " ".join("".join(element.itertext()).split())


def label_of(element: etree._Element) -> str:
    return element.get("data-pp-label") or element.get("aria-label") or element.get("title") or element.get("name") or ""
