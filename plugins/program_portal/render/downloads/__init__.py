"""The template downloads of spec section 6: ``downloads/<id>.docx|.pdf|.md`` and ``downloads/templates.zip``.

Pure Python, no MkDocs: :func:`build_downloads` takes a :class:`~program_portal.render.pages.portal.Portal`
and returns the files by site path. Word and PDF are made from the template's standalone
page (``templates.page(..., standalone=True)``), the Markdown download is the page's
``markdown`` target. Documents are cached by a hash of their inputs (:mod:`.cache`), and
every byte is reproducible for a given document date (``dtstamp``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal
from program_portal.render.site import PACK, download_path
from program_portal.render.downloads.cache import GENERATOR_VERSION, DownloadCache, default_cache

PAPERS: tuple[str, ...] = ("a4", "letter")

__all__ = [
    "GENERATOR_VERSION",
    "PAPERS",
    "DownloadCache",
    "Source",
    "build_downloads",
    "default_cache",
    "process_stamp",
    "sources",
]


@dataclass(frozen=True)
class Source:
    """What one template's downloads are made from."""

    template_id: str
    title: str
    standalone: str  # the standalone page's Markdown (blanks as HTML inputs): source of .docx and .pdf
    markdown: str  # the Markdown download


def sources(portal: Portal) -> list[Source]:
    return [
        Source(t.id, t.title, templates.page(portal, t, "html", standalone=True), templates.page(portal, t, "markdown"))
        for t in portal.program.templates
    ]


_PROCESS_STAMP: datetime | None = None


def process_stamp() -> datetime:
    """The document date when SOURCE_DATE_EPOCH is not set: fixed for the life of the process.

    So rebuilds during ``mkdocs serve`` produce the same bytes and reuse the cache.
    """
    global _PROCESS_STAMP
    if _PROCESS_STAMP is None:
        _PROCESS_STAMP = datetime.now(tz=timezone.utc).replace(microsecond=0)
    return _PROCESS_STAMP


def build_downloads(
    portal: Portal,
    *,
    paper: str = "a4",
    dtstamp: datetime,
    cache: DownloadCache | None = None,
) -> dict[str, bytes]:
    """Every download by site path: ``downloads/<id>.docx|.pdf|.md`` for each template, and the zip pack.

    ``dtstamp`` dates the Word and PDF documents (their created/modified properties).
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    cache = cache if cache is not None else default_cache()
    info = portal.info
    stamp = dtstamp.astimezone(timezone.utc).replace(microsecond=0)
    language = portal.language
    meta = {
        "program_title": info.title,
        "organisation": info.organisation or "",
        "lang": language.html_lang,
        "paper": paper,
        "created": stamp,
        "words": {"page": language.parts("document.page"), "type_here": language.text("document.type-here"),
                  "direction": language.direction, "region": language.region_tag},
    }
    out: dict[str, bytes] = {}
    packed: dict[str, bytes] = {}
    for source in sources(portal):
        common = (source.title, info.title, meta["organisation"], meta["lang"], paper, stamp.isoformat(), repr(meta["words"]))
        tree = None

        def parsed(text: str = source.standalone):
            nonlocal tree
            if tree is None:
                from program_portal.render.downloads.document import parse

                tree = parse(text)
            return tree

        def make_docx(title: str = source.title) -> bytes:
            from program_portal.render.downloads import docx

            return docx.build(parsed(), title=title, **meta)

        def make_pdf(title: str = source.title) -> bytes:
            from program_portal.render.downloads import pdf

            return pdf.render(pdf.html_document(pdf.prepare(parsed()), title=title, **meta))

        files = {
            "docx": cache.fetch(cache.key("docx", source.standalone, *common), f"{source.template_id}.docx", make_docx),
            "pdf": cache.fetch(cache.key("pdf", source.standalone, *common), f"{source.template_id}.pdf", make_pdf),
            "md": source.markdown.encode("utf-8"),
        }
        for ext, data in files.items():
            out[download_path(source.template_id, ext)] = data
            packed[f"{source.template_id}.{ext}"] = data
    if packed:
        from program_portal.render.downloads.pack import pack

        out[PACK] = pack(packed, info.id)
    return out
