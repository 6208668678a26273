"""Files under ``content/`` that a browser would run as a document of the portal's origin.

MkDocs copies every non-Markdown file as it is. An ``.html`` file would be published without
the portal's Content-Security-Policy and outside the sanitiser; an SVG opened on its own is a
document too, and runs its scripts and event handlers. Such files are refused (PF028) rather
than published: HTML always (write a Markdown page instead), SVG when it holds anything
active (scripts, event handlers, ``foreignObject``, frames, links to ``javascript:`` or
``data:``, external references, DTDs, processing instructions).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from lxml import etree

from program_portal.checks.filetypes import CSS_COMMENT, css_unescape

# What a drawing's styles may not do, read with CSS escapes decoded and comments removed (``@\69mport``,
# ``u\72l(``, ``url/**/(``): load anything (even from the site) or run something.
_CSS_ACTIVE = re.compile(r"@import|url\s*\((?!\s*['\"]?\s*#)|image-set\s*\(|expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I)

_OUTSIDE_URL = re.compile(r"url\s*\(\s*(?!['\"]?\s*#)", re.I)  # url(#gradient) stays inside the drawing


def _css_text(css: str) -> str:
    return CSS_COMMENT.sub(" ", css_unescape(css)[0])

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml")
SVG_SUFFIXES = (".svg", ".svgz")
_ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "set",
                              "animate", "animatemotion", "animatetransform", "discard"})
_SAFE_REFERENCE = re.compile(r"#[\w.:-]*")


def _local(name: str) -> str:
    return name.rpartition("}")[2].lower()


# Byte-order marks, longest first (UTF-32 LE's starts with UTF-16 LE's), and the first bytes of
# ``<?`` without one (XML 1.0, appendix F).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"))
_DECLARATION = re.compile(rb"""<\?xml[ \t\r\n][^>]{0,300}?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z][A-Za-z0-9._-]{0,40})["']""")
_XML_DECLARATION = re.compile(r"\A<\?xml[^>]{0,400}\?>")
# Encodings a drawing may be saved in: every other one (UTF-7, EBCDIC, ...) is read differently by
# browsers and by this check, so it is refused rather than guessed.
_ENCODINGS = frozenset({"utf-8", "ascii", "utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be", "utf-32", "latin-1"}
                       | {f"iso8859-{n}" for n in range(1, 17)} | {f"cp125{n}" for n in range(9)})
_DTD = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.I)


def decode_xml(data: bytes) -> tuple[str | None, str]:
    """An XML file's text, decoded by its byte-order mark, its first bytes or its declared encoding
    (UTF-8 when it says nothing), and the encoding; ``None`` when it cannot be decoded."""
    encoding, start = None, 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, start = name, len(bom)
            break
    if encoding is None:
        encoding = next((name for head, name in _SNIFF if data.startswith(head)), None)
    if encoding is None:
        declared = _DECLARATION.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None, encoding
    if name not in _ENCODINGS:
        return None, encoding
    try:
        return data[start:].decode(name), name
    except UnicodeDecodeError:
        return None, name


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is active, or None when it is plain drawing.

    The text is decoded first (UTF-16 and UTF-32 too), so a DTD is found whatever the encoding;
    the raw bytes without their NUL bytes are searched as well, for a file whose declared
    encoding a browser would not follow. Linear in the file's size."""
    text, encoding = decode_xml(data)
    if text is None:
        return f"its text cannot be read as {encoding}; save it as UTF-8"
    if _DTD.search(text) or _DTD.search(data.replace(b"\x00", b"").decode("latin-1")):
        return "it has a DOCTYPE or entity declarations"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1).encode("utf-8"), parser)
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
        if tag == "style" and _CSS_ACTIVE.search(_css_text("".join(node.itertext()))):
            return "its <style> imports or loads something"
        for key, value in node.attrib.items():
            name = _local(key)
            if name.startswith("on"):
                return f"it has an event handler ({name})"
            if name == "href" and not _SAFE_REFERENCE.fullmatch(value.strip()):
                return f"it links outside the drawing ({value[:60]})"
            if name == "style" and _CSS_ACTIVE.search(_css_text(value)):
                return "a style attribute loads something"
            if name != "style" and _OUTSIDE_URL.search(_css_text(value)):  # fill="url(https://...)", filter, mask
                return f"its {name} attribute refers outside the drawing"
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
