"""Every file published from under ``content/`` is scanned or refused, by its type.

MkDocs copies every file under docs_dir that is not a page as it is. The privacy scan
(:mod:`.published`) must therefore see the text of each one, whatever its encoding or format,
and a file whose text cannot be seen, or that a browser would open as a document of the
portal's origin, is refused (``PF034``) with a hint. By type (the name's suffix, lower-case):

* **text** (:data:`TEXT_SUFFIXES`: ``.txt``, ``.csv``, ``.json``, ``.css``...): decoded by its
  byte-order mark, else its declared charset (CSS ``@charset``), else UTF-8, else UTF-16 when
  every other byte is NUL, else **cp1252** (Windows Western, a superset of the printable
  Latin-1), else Latin-1, which decodes any byte; then scanned. A text file with NUL bytes left
  after decoding is binary and refused. CSS is scanned with its escapes decoded (``\\40`` is
  ``@``, ``\\69`` is ``i``), and refused when it loads anything from another host
  (``@import``, ``url()``), or uses ``expression()``, ``javascript:``, ``behavior`` or ``-moz-binding``.
* **office documents and archives** (:data:`ARCHIVE_SUFFIXES`: ``.docx``, ``.xlsx``, ``.pptx``,
  ``.odt``, ``.ods``, ``.odp``, ``.zip``): opened with :mod:`zipfile` within a budget (at most
  :data:`MAX_MEMBERS` members, unpacking to at most :data:`MAX_RATIO` times the file's size and
  :data:`MAX_UNPACKED` bytes: a zip bomb is refused); the text of every XML part (element text,
  and link targets: ``mailto:`` in ``.rels``) and of every text member is scanned; an archive or
  PDF inside an archive is opened too, one level deep (deeper is refused); an encrypted
  member, a DTD in a part, or a member of a type that cannot be checked is refused.
* **PDF**: opened with pypdf within a budget (:data:`MAX_PDF_PAGES` pages, :data:`MAX_TEXT`
  characters of text); its text, document information, link targets and form values are
  scanned. An encrypted, unreadable or attachment-carrying PDF is refused.
* **media** (:data:`MEDIA_SUFFIXES`: images, fonts, audio and video) is published as it is,
  provided its first bytes are those of its type (a text disguised as ``.png`` is refused).
* **documents a browser runs** (:data:`DOCUMENT_SUFFIXES`: ``.xml``, ``.xsl``, ``.xslt``,
  ``.rss``, ``.atom``, ``.rdf``, ``.mml``, ``.xul``, ``.js``, ``.mjs``, ``.wasm``...): refused.
  HTML and SVG are PF028's (:mod:`.active`).
* **any other type**: published and scanned when it is text that a browser would not sniff as
  markup (its first character is not ``<``), refused otherwise with the list of accepted types.

Every step is bounded by the file's size (:data:`MAX_FILE` bytes read at most) and linear in it.
"""

from __future__ import annotations

import codecs
import html
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MAX_FILE = 20_000_000
"""Bytes of one file under content/ that are read (a larger text, document or archive is refused)."""
MAX_TEXT = 10_000_000
"""Characters of text scanned from one file (all its parts together)."""
MAX_MEMBERS = 10_000
"""Members of one archive (an office document has a few dozen)."""
MAX_RATIO = 100
"""An archive may unpack to at most this many times its own size (office XML compresses about 10:1)."""
MAX_UNPACKED = 200_000_000
"""Bytes an archive may unpack to, all levels together."""
MAX_PDF_PAGES = 2_000
"""Pages of one PDF whose text is extracted."""
MAX_DEPTH = 1
"""Archives inside archives opened (a .docx inside a .zip); one deeper is refused."""

TEXT_SUFFIXES = frozenset(
    ".txt .text .csv .tsv .json .geojson .jsonld .css .ics .ical .ifb .vcf .vcard .yml .yaml .toml .ini .cfg .conf "
    ".log .tex .bib .rtf .srt .vtt .po .pot .webmanifest .map .diff .patch .rst .adoc .asc .sha256 .md5".split()
)
ARCHIVE_SUFFIXES = frozenset(".docx .xlsx .pptx .odt .ods .odp .zip".split())
PDF_SUFFIXES = frozenset({".pdf"})
# Media published as they are, each with the first bytes its files start with (None: checked otherwise).
MEDIA_SUFFIXES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".apng": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".avif": (),  # ISO base media: 'ftyp' at offset 4
    ".ico": (b"\x00\x00\x01\x00",),
    ".bmp": (b"BM",),
    ".woff": (b"wOFF",),
    ".woff2": (b"wOF2",),
    ".ttf": (b"\x00\x01\x00\x00", b"true"),
    ".otf": (b"OTTO",),
    ".mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    ".ogg": (b"OggS",),
    ".oga": (b"OggS",),
    ".ogv": (b"OggS",),
    ".opus": (b"OggS",),
    ".wav": (b"RIFF",),
    ".flac": (b"fLaC",),
    ".m4a": (),
    ".mp4": (),
    ".m4v": (),
    ".mov": (),
    ".webm": (b"\x1a\x45\xdf\xa3",),
}
_FTYP = frozenset({".avif", ".m4a", ".mp4", ".m4v", ".mov"})
DOCUMENT_SUFFIXES = frozenset(
    ".xml .xsl .xslt .rss .atom .rdf .mml .xul .xbl .xsd .dtd .js .mjs .cjs .wasm .htc .hta .swf .jnlp .svgz".split()
)
HTML_AND_SVG = frozenset(".html .htm .xhtml .xht .shtml .mht .mhtml .svg".split())  # PF028 (checks/active.py)

ACCEPTED_HINT = (
    "the accepted types are Markdown pages, text (" + ", ".join(sorted(s[1:] for s in TEXT_SUFFIXES if s in {
        ".txt", ".csv", ".tsv", ".json", ".css", ".ics", ".vcf", ".yml", ".yaml"})) + "...), office documents and archives ("
    + ", ".join(sorted(s[1:] for s in ARCHIVE_SUFFIXES)) + "), pdf, images (png, jpg, gif, webp, avif, ico), "
    "SVG drawings, fonts (woff, woff2, ttf, otf), audio and video (mp3, ogg, wav, flac, m4a, mp4, webm)"
)



def suffix(name: str) -> str:
    return PurePosixPath(name.lower()).suffix


# --- what type a name has (no file opened) --------------------------------------------------------


def type_refusal(docs_dir: Path, src: str) -> str | None:
    """Why the file ``src`` under docs_dir is refused by its type alone, or None.

    Reads at most the first few hundred bytes (media magic numbers, markup sniffing)."""
    ext = suffix(src)
    if ext in HTML_AND_SVG or ext in TEXT_SUFFIXES or ext in ARCHIVE_SUFFIXES or ext in PDF_SUFFIXES:
        return None
    if ext in (".md", ".markdown", ".mdown", ".mkdn", ".mkd"):
        return None
    if ext in DOCUMENT_SUFFIXES:
        if ext in {".js", ".mjs", ".cjs", ".wasm", ".htc", ".hta", ".swf", ".jnlp"}:
            return (f"a '{ext}' file is a script: published on the portal's origin, the policy's script-src 'self' would "
                    "let it run; the portal ships its own scripts only. Publish the information as a Markdown page")
        return (f"a '{ext}' file is an XML document a browser would render (and run its stylesheets and scripts) on the "
                "portal's origin without its Content-Security-Policy and sanitiser; publish the information as a "
                "Markdown page, or as a .txt or .pdf file")
    try:
        with open(docs_dir / src, "rb") as f:
            head = f.read(512)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if ext in MEDIA_SUFFIXES:
        if media_matches(ext, head):
            return None
        return f"this file is named '{ext}' but its first bytes are not those of a '{ext}' file; publish the real file"
    if _sniffed_markup(head):
        return (f"this '{ext or 'suffix-less'}' file starts with '<': a browser may open it as an HTML or XML document "
                f"on the portal's origin; {ACCEPTED_HINT}")
    if _binary(head) and _decode(head[: len(head) // 4 * 4], ext) is None:
        return f"a '{ext or 'suffix-less'}' file cannot be checked for personal data; {ACCEPTED_HINT}"
    return None


_CONTROL_BYTES = frozenset(set(range(32)) - {9, 10, 12, 13} | {127})


def _binary(head: bytes) -> bool:
    """Whether the first bytes of a file look binary: a NUL, or more than 5 % control bytes."""
    return b"\x00" in head or sum(b in _CONTROL_BYTES for b in head) > len(head) * 0.05


def media_matches(ext: str, head: bytes) -> bool:
    if ext in _FTYP:
        return head[4:8] == b"ftyp"
    if ext in (".webp", ".wav"):
        return head[:4] == b"RIFF" and head[8:12] == (b"WEBP" if ext == ".webp" else b"WAVE")
    return any(head.startswith(magic) for magic in MEDIA_SUFFIXES[ext])


def _sniffed_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c")
    if text[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = text[2:].replace(b"\x00", b"").lstrip(b" \t\r\n\x0c")
    return text.startswith(b"<")


# --- text in any encoding -------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CSS_CHARSET = re.compile(rb'@charset "([A-Za-z0-9_.:-]{1,40})";')
FALLBACK = "cp1252"
"""The encoding of a text that is neither marked nor UTF-8 nor UTF-16 (then Latin-1, which decodes any byte)."""


def _decode(data: bytes, ext: str) -> str | None:
    """The text of ``data`` (see the module for the order), or None when it is binary (NUL bytes remain)."""
    if ext == ".svg":  # decoded as XML is (BOM, first bytes, declaration); one that does not decode is PF028's alone
        from program_portal.checks.active import decode_xml
        text = decode_xml(data)[0]
        return text if text is not None and "\x00" not in text else ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], encoding)
            return text if text is not None and "\x00" not in text else None
    candidates = []
    if ext == ".css" and (m := _CSS_CHARSET.match(data)):
        candidates.append(m.group(1).decode("ascii"))
    if len(data) >= 4 and b"\x00" in data:  # UTF-16 without a BOM: every other byte NUL (ASCII-range text)
        even, odd = data[0::2], data[1::2]
        if odd.count(0) > len(odd) * 0.9 and even.count(0) < len(even) * 0.5:
            candidates.append("utf-16-le")
        elif even.count(0) > len(even) * 0.9 and odd.count(0) < len(odd) * 0.5:
            candidates.append("utf-16-be")
    candidates += ["utf-8", FALLBACK, "latin-1"]
    for encoding in candidates:
        text = _try(data, encoding)
        if text is not None:
            return text if "\x00" not in text else None
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_text(data: bytes, ext: str = "") -> str | None:
    """A text file's text in whatever encoding it is written, or None when it is binary."""
    return _decode(data, ext)


# --- CSS ------------------------------------------------------------------------------------------

_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})(?:\r\n|[ \t\r\n\f])?|(\r\n|[\n\r\f])|(.))", re.S)
CSS_COMMENT = _CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_CSS_LOADS = re.compile(
    r"@import\b|\b(?:url|image|image-set|src|cross-fade|element)\(\s*(?P<q>['\"]?)\s*(?P<target>[^'\")\s]{0,2048})"
    r"|\bexpression\s*\(|javascript:|\bbehavior\s*:|-moz-binding",
    re.I,
)


def css_unescape(text: str) -> tuple[str, list[int]]:
    """CSS with its escapes decoded (``\\69`` and ``\\000069 `` are ``i``, ``\\40`` is ``@``, ``\\"`` is ``"``,
    a backslash before a newline disappears), and for each decoded character its offset in ``text``."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for m in _CSS_ESCAPE.finditer(text):
        parts.append(text[pos : m.start()])
        starts.extend(range(pos, m.start()))
        if m.group(1):
            code = int(m.group(1), 16)
            char = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        else:
            char = "" if m.group(2) else m.group(3)
        if char:
            parts.append(char)
            starts.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    starts.extend(range(pos, len(text)))
    return "".join(parts), starts


def css_problem(text: str) -> tuple[int, str] | None:
    """``(offset in text, why)`` when a stylesheet loads from another host or runs something, else None.

    Escapes are decoded and comments removed first, so ``@\\69mport`` and ``u\\72l(`` count."""
    decoded, starts = css_unescape(text)
    # Comments become spaces (keeping offsets) so that ``@im/**/port`` is not hidden and offsets stay.
    decoded = _CSS_COMMENT.sub(lambda m: " " * len(m.group()), decoded)
    for m in _CSS_LOADS.finditer(decoded):
        token = m.group().lower()
        where = starts[m.start()] if m.start() < len(starts) else len(text)
        if token.startswith("@import"):
            target = decoded[m.end() : m.end() + 2100]
            if _external_import(target):
                return where, "it imports a stylesheet from another host (@import); ship the stylesheet in content/ and list it in extra_css"
            continue
        if m.group("target") is not None:
            if _is_external(m.group("target")):
                return where, f"it loads '{m.group('target')[:80]}' from another host; ship the file in content/ and refer to it by a relative path"
            continue
        return where, f"it uses '{m.group().strip()}', which runs code in some browsers; remove it"
    return None


def _is_external(target: str) -> bool:
    t = re.sub(r"[\s\x00-\x1f]", "", target).lower()
    return t.startswith("//") or bool(re.match(r"[a-z][a-z0-9+.-]*:", t)) and not t.startswith("data:image/")


def _external_import(after: str) -> bool:
    m = re.match(r"\s*(?:url\(\s*)?['\"]?([^'\")\s;]*)", after, re.I)
    return bool(m) and _is_external(m.group(1))


# --- what a file holds: its texts for the scan, or why it is refused -------------------------------


@dataclass
class Text:
    """One text found in a published file: ``part`` names where inside it (``word/document.xml``), ``''``
    for the file itself; ``starts`` maps decoded offsets back to ``text`` offsets in the file (CSS)."""

    part: str
    text: str
    locatable: bool = False
    original: str | None = None
    starts: list[int] | None = None


@dataclass
class Contents:
    texts: list[Text] = field(default_factory=list)
    refusal: str | None = None
    offset: int | None = None  # where in the file's text the refusal points (CSS), when known
    text_of_file: str | None = None


class _Refused(Exception):
    pass


class _Budget:
    def __init__(self, size: int):
        self.unpacked = min(MAX_UNPACKED, max(size, 1) * MAX_RATIO)
        self.text = MAX_TEXT

    def unpack(self, n: int, name: str) -> None:
        self.unpacked -= n
        if self.unpacked < 0:
            raise _Refused(
                f"it unpacks to more than {MAX_RATIO} times its size (or {MAX_UNPACKED // 1_000_000} MB) at '{name}': "
                "a zip bomb, or too large to check; publish a smaller file"
            )

    def take(self, text: str, name: str) -> str:
        self.text -= len(text)
        if self.text < 0:
            raise _Refused(f"it holds more than {MAX_TEXT} characters of text (at '{name}'); split it into smaller files")
        return text


def inspect(path: Path, src: str) -> Contents:
    """The texts of the published file at ``path`` (named ``src``) for the privacy scan, or why it is refused.

    Never raises for a bad file: an unreadable one is refused with a hint."""
    ext = suffix(src)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            if ext in MEDIA_SUFFIXES:
                return Contents()
            return Contents(refusal=f"it has {size} bytes; files under content/ that are checked may have at most {MAX_FILE}")
        if ext in MEDIA_SUFFIXES:
            return Contents()
        data = path.read_bytes()
    except OSError as exc:
        return Contents(refusal=f"it cannot be read ({exc.strerror or exc})")
    budget = _Budget(len(data))
    out = Contents()
    try:
        if ext in ARCHIVE_SUFFIXES:
            out.texts = list(_archive(data, "", budget, 0))
        elif ext in PDF_SUFFIXES:
            out.texts = list(_pdf(data, "", budget))
        else:
            text = _decode(data, ext)
            if text is None:
                kind = "text" if ext in TEXT_SUFFIXES else f"'{ext or 'suffix-less'}'"
                return Contents(refusal=f"this {kind} file holds binary data and cannot be checked for personal data; {ACCEPTED_HINT}")
            out.text_of_file = text
            if ext == ".css":
                if problem := css_problem(text):
                    return Contents(refusal=f"this stylesheet is not published because {problem[1]}", offset=problem[0], text_of_file=text)
                decoded, starts = css_unescape(text)
                out.texts = [Text("", decoded, True, text, starts if decoded != text else None)]
            else:
                out.texts = [Text("", text, True)]
    except _Refused as exc:
        return Contents(refusal=f"this file is not published because {exc}")
    return out


# --- archives and office documents ----------------------------------------------------------------

# Elements whose end is a line break in the extracted text (paragraphs, rows, cells, breaks, properties).
_BREAKS = frozenset(
    "p h tr tc tbl br cr tab row c si is title creator description subject keywords lastModifiedBy Company Manager "
    "Title table-row table-cell line-break s list-item note-body annotation sp txBody".split()
)
_LINK_ATTRIBUTES = frozenset({"Target", "target", "href", "url", "link", "action", "tooltip", "display", "location"})


def _archive(data: bytes, prefix: str, budget: _Budget, depth: int) -> Iterator[Text]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _Refused(f"{'its member ' + prefix.rstrip('!/') + ' ' if prefix else 'it '}is not a readable zip archive ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise _Refused(f"it has {len(members)} members (at most {MAX_MEMBERS})")
    for info in members:
        if info.is_dir():
            continue
        name = prefix + info.filename
        if info.flag_bits & 0x1:
            raise _Refused(f"its member '{name}' is encrypted and cannot be checked; publish it without a password")
        ext = suffix(info.filename)
        if ext in MEDIA_SUFFIXES or info.filename.lower().startswith(("word/media/", "ppt/media/", "xl/media/", "pictures/", "thumbnails/")):
            continue
        budget.unpack(info.file_size, name)
        try:
            with archive.open(info) as member:
                content = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, RuntimeError, zlib.error) as exc:
            raise _Refused(f"its member '{name}' cannot be read ({exc})") from None
        if len(content) > info.file_size:
            raise _Refused(f"its member '{name}' is larger than it declares")
        if ext in ARCHIVE_SUFFIXES or content[:4] == b"PK\x03\x04":
            if depth >= MAX_DEPTH:
                raise _Refused(f"it holds the archive '{name}' inside an archive inside an archive; unpack it one level")
            yield from _archive(content, name + "!/", budget, depth + 1)
        elif ext in PDF_SUFFIXES or content[:5] == b"%PDF-":
            yield from _pdf(content, name, budget)
        elif ext in (".xml", ".rels", ".xhtml", ".svg", ".vml", ".html", ".htm", ".xsl") or content.lstrip()[:5] == b"<?xml":
            yield Text(name, budget.take(_xml_text(content, name), name))
        elif ext == ".bin" or (text := _decode(content, ext)) is None:
            raise _Refused(f"its member '{name}' is binary data that cannot be checked for personal data (macros, "
                           "embedded objects); remove it")
        else:
            yield Text(name, budget.take(text, name))


def _xml_text(content: bytes, name: str) -> str:
    """The text of an XML part: element text, a line per paragraph, row or cell, and link targets.

    lxml parses the part (no DTD, no entities, no network); XPath (in C, linear) finds the breaking
    elements, whose tails get a line break, and the link attributes (every attribute of a ``.rels``)."""
    from lxml import etree

    if b"<!DOCTYPE" in content.upper().replace(b"\x00", b"") or b"<!ENTITY" in content.upper().replace(b"\x00", b""):
        raise _Refused(f"its part '{name}' has a DTD (office documents never do)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(content, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise _Refused(f"its part '{name}' is not well-formed XML ({getattr(exc, 'msg', exc)})") from None
    if root is None:
        return ""
    for element in root.iter(*_BREAKING_TAGS):
        element.tail = "\n" + (element.tail or "")
    text = etree.tostring(root, method="text", encoding="unicode", with_tail=False) or ""
    links = (_EVERY_ATTRIBUTE if name.endswith(".rels") else _LINK_ATTRIBUTE)(root)
    return text + ("\n" + "\n".join(str(v) for v in links) if links else "")


def _xpath(expression: str):  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.XPath(expression)


_BREAKING_TAGS = tuple("{*}" + n for n in sorted(_BREAKS))
_LINK_ATTRIBUTE = _xpath("//@*[" + " or ".join(f"local-name()='{n}'" for n in sorted(_LINK_ATTRIBUTES)) + "]")
_EVERY_ATTRIBUTE = _xpath("//@*")


# --- PDF ------------------------------------------------------------------------------------------


def _pdf(data: bytes, name: str, budget: _Budget) -> Iterator[Text]:
    import pypdf

    where = f"its member '{name}'" if name else "it"
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _Refused(f"{where} is an encrypted PDF and cannot be checked; publish it without a password")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise _Refused(f"{where} has {len(pages)} pages (at most {MAX_PDF_PAGES} are checked); split it")
        if reader.attachments:
            raise _Refused(f"{where} is a PDF with attached files, which cannot be checked; remove the attachments")
        info = reader.metadata or {}
        yield Text(name or "the document information", budget.take("\n".join(str(v) for v in info.values()), name or "information"))
        for number, page in enumerate(pages, start=1):
            part = f"{name + ', ' if name else ''}page {number}"
            contents = page.get_contents()  # decoded once (pypdf caches it), counted before the text is extracted
            budget.unpack(len(contents.get_data()) if contents is not None else 0, part)
            text = page.extract_text() or ""
            budget.unpack(len(text), part)
            links = []
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                action = annotation.get("/A")
                action = action.get_object() if action is not None else {}
                for key in ("/URI", "/F"):
                    if key in action:
                        links.append(str(action[key]))
                if "/Contents" in annotation:
                    links.append(str(annotation["/Contents"]))
            yield Text(part, budget.take(text + "\n" + "\n".join(links), part))
        fields = reader.get_fields() or {}
        values = [str(f.get("/V", "")) for f in fields.values() if isinstance(f, dict)]
        yield Text(f"{name + ', ' if name else ''}form fields", budget.take("\n".join(values), name or "form fields"))
    except _Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf on a damaged file raises many kinds (zlib.error, struct.error...)
        raise _Refused(f"{where} is a PDF that cannot be read ({type(exc).__name__}: {str(exc)[:120]}); export it again") from None
