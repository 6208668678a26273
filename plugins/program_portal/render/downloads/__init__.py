"""The template downloads of spec section 6: ``downloads/<id>.docx|.pdf|.md`` and ``downloads/templates.zip``.

Pure Python, no MkDocs: :func:`build_downloads` takes a :class:`~program_portal.render.pages.portal.Portal`
and returns the files by site path. Word and PDF are made from the template's standalone
page (``templates.page(..., standalone=True)``), the Markdown download is the page's
``markdown`` target. Documents are cached by a hash of their inputs (:mod:`.cache`), and
every byte is reproducible for a given document date (``dtstamp``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any
from datetime import datetime, timezone

from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal
from program_portal.paths import AT_A_GLANCE_PDF, PACK, download_path, pack_member
from program_portal.render.downloads.cache import CACHE_ENV, GENERATOR_VERSION, DownloadCache, default_cache
from program_portal.render.downloads.parallel import Task, render_all

PAPERS: tuple[str, ...] = ("a4", "letter")
FORMATS: tuple[str, ...] = ("docx", "pdf")

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
    """What each template's downloads are made from, made once per read model (the published-privacy
    scan and the downloads both need them; rendering every standalone page twice cost a warm build 8 %)."""
    return portal.download_sources


def make_sources(portal: Portal) -> list[Source]:
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
    jobs: int = 0,
    prune: bool = False,
) -> dict[str, bytes]:
    """Every download by site path: ``downloads/<id>.docx|.pdf|.md`` for each template, and the zip pack.

    ``dtstamp`` dates the Word and PDF documents (their created/modified properties). Each
    document is looked up by its key first; the missing ones are rendered in ``jobs`` processes
    (0: one per core, 1: in this process). ``prune``: then remove the disk entries this build did not use.
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
                  "choose": language.text("form.choose"), "pick_date": language.text("form.pick-date"),
                  "direction": language.direction, "region": language.region_tag},
    }
    all_sources = sources(portal)
    keys: dict[tuple[str, str], str] = {}
    found: dict[str, bytes] = {}
    tasks: list[Task] = []
    for source in all_sources:
        common = (source.title, info.title, meta["organisation"], meta["lang"], paper, stamp.isoformat(), repr(meta["words"]))
        missing = []
        for fmt in FORMATS:
            key = keys[source.template_id, fmt] = cache.key(fmt, source.standalone, *common)
            data = cache.lookup(key)
            if data is None:
                missing.append(fmt)
            else:
                found[key] = data
        if missing:
            tasks.append(Task(source.template_id, source.title, source.standalone, tuple(missing)))
    for task, documents in zip(tasks, render_all(tasks, meta, jobs)):
        for fmt in task.formats:
            key = keys[task.template_id, fmt]
            cache.store(key, documents[fmt], f"{task.template_id}.{fmt}")
            found[key] = documents[fmt]

    out: dict[str, bytes] = {}
    packed: dict[str, bytes] = {}
    for source in all_sources:
        files = {fmt: found[keys[source.template_id, fmt]] for fmt in FORMATS}
        files["md"] = source.markdown.encode("utf-8")
        for ext, data in files.items():
            out[download_path(source.template_id, ext)] = data
            packed[pack_member(source.template_id, ext)] = data
    if packed:
        out[PACK] = _pack(cache, packed, info.id)
    out[AT_A_GLANCE_PDF] = _at_a_glance(portal, cache, meta)
    if prune and not os.environ.get(CACHE_ENV):  # a PROGRAM_PORTAL_CACHE_DIR may be shared: never pruned
        cache.prune()
    return out


def _at_a_glance(portal: Portal, cache: DownloadCache, meta: dict[str, Any]) -> bytes:
    """The at-a-glance page as a printable PDF (extension), in the program's language, cached by its Markdown."""
    from program_portal.render.pages.glance import at_a_glance

    standalone = at_a_glance(portal, standalone=True)
    title = portal.language.text("glance.title", program=portal.info.title)
    common = (title, meta["program_title"], meta["organisation"], meta["lang"], meta["paper"], meta["created"].isoformat(), repr(meta["words"]))
    key = cache.key("glance-pdf", standalone, *common)
    data = cache.lookup(key)
    if data is None:
        from program_portal.render.downloads import pdf
        from program_portal.render.downloads.document import parse

        data = pdf.render(pdf.html_document(pdf.prepare(parse(standalone)), title=title, **meta))
        cache.store(key, data, "at-a-glance.pdf")
    return data


def _pack(cache: DownloadCache, packed: dict[str, bytes], folder: str) -> bytes:
    """The zip of every download, itself cached by the hash of its members."""
    parts = [folder] + [f"{name}:{hashlib.sha256(packed[name]).hexdigest()}" for name in sorted(packed)]
    key = cache.key("zip", *parts)
    data = cache.lookup(key, count=False)
    if data is None:
        from program_portal.render.downloads.pack import pack

        data = pack(packed, folder)
        cache.store(key, data)
    return data
