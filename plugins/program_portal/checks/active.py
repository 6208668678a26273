"""Files under ``content/`` that a browser would run as a document of the portal's origin.

MkDocs copies every non-Markdown file as it is. An ``.html`` file would be published without
the portal's Content-Security-Policy and outside the sanitiser; an SVG opened on its own is a
document too, and runs its scripts and event handlers. Such files are refused (PF028) rather
than published: HTML always (write a Markdown page instead), SVG when it holds anything
active (scripts, event handlers, ``foreignObject``, frames, links to ``javascript:`` or
``data:``, external references, DTDs, processing instructions).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
SVG_SUFFIXES = (".svg", ".svgz")
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set",
                              "animate", "animatemotion", "animatetransform", "discard"})
_SAFE_REFERENCE = re.compile(r"#[\w.:-]*")


def _local(name: str) -> str:
    return name.rpartition("}")[2].lower()


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is active, or None when it is plain drawing."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return "it has a DOCTYPE or entity declarations"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"it is not well-formed XML ({exc.msg})"
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            return f"it has a processing instruction <?{node.target}?>"
        if not isinstance(node.tag, str):
            continue
        tag = _local(node.tag)
        if tag in _ACTIVE_ELEMENTS:
            return f"it has a <{tag}> element"
        if tag == "style" and re.search(r"@import|url\s*\(|expression|javascript:", node.text or "", re.I):
            return "its <style> imports or loads something"
        for key, value in node.attrib.items():
            name = _local(key)
            if name.startswith("on"):
                return f"it has an event handler ({name})"
            if name == "href" and not _SAFE_REFERENCE.fullmatch(value.strip()):
                return f"it links outside the drawing ({value[:60]})"
            if name == "style" and re.search(r"url\s*\(|expression|javascript:", value, re.I):
                return "a style attribute loads something"
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction):
            return f"it has a processing instruction <?{node.target}?>"
    return None


def problem(docs_dir: Path, src: str) -> str | None:
    """The message for a content file the portal refuses to publish, or None."""
    lower = src.lower()
    if lower.endswith(HTML_SUFFIXES):
        return ("an HTML file would be published as it is, without the portal's Content-Security-Policy "
                "and sanitiser; write it as a Markdown page instead")
    if lower.endswith(".svg"):
        try:
            why = svg_problem((docs_dir / src).read_bytes())
        except OSError as exc:
            why = f"it cannot be read ({exc.strerror})"
        if why:
            return f"this SVG is not published because {why}; keep drawings to shapes, text and styles"
    if lower.endswith(".svgz"):
        return "a compressed SVG cannot be checked; publish it as .svg"
    return None
