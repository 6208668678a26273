"""The template downloads of spec section 6: ``downloads/<id>.docx|.pdf|.md`` and ``downloads/templates.zip``.

Pure Python, no MkDocs: :func:`build_downloads` takes a :class:`~program_portal.render.pages.portal.Portal`
and returns the files by site path. Word and PDF are made from the template's standalone
page (``templates.page(..., standalone=True)``), the Markdown download is the page's
``markdown`` target. Documents are cached by a hash of their inputs (:mod:`.cache`), and
every byte is reproducible for a given document date (``dtstamp``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any
from datetime import datetime, timezone

from program_portal.render.pages import templates
from program_portal.render.pages.portal import Portal
from program_portal.paths import AT_A_GLANCE_PDF, PACK, download_path, pack_member
from program_portal.render.downloads.cache import CACHE_ENV, GENERATOR_VERSION, DownloadCache, default_cache, package_versions
from program_portal.render.downloads.pack import pack
from program_portal.render.downloads.parallel import Rendering, Task

PAPERS: tuple[str, ...] = ("a4", "letter")
FORMATS: tuple[str, ...] = ("docx", "pdf")

__all__ = [
    "GENERATOR_VERSION",
    "PAPERS",
    "DownloadCache",
    "PendingDownloads",
    "Source",
    "build_downloads",
    "default_cache",
    "process_stamp",
    "sources",
    "start_downloads",
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
    """Each template's sources, or those a build of the same program kept in ``portal.cache``."""
    from program_portal.render import kept

    def make() -> list[Source]:
        return [
            Source(t.id, t.title, templates.page(portal, t, "html", standalone=True), templates.page(portal, t, "markdown"))
            for t in portal.program.templates
        ]

    def decode(data: list[Any]) -> list[Source]:
        return [Source(*kept.strings(item, 4)) for item in data]

    return kept.kept(portal.cache, "download sources", portal.loaded, (str(portal.offline),), make,
                     lambda made: [[s.template_id, s.title, s.standalone, s.markdown] for s in made], decode)


_PROCESS_STAMP: datetime | None = None


def process_stamp() -> datetime:
    """The document date when SOURCE_DATE_EPOCH is not set: fixed for the life of the process.

    So rebuilds during ``mkdocs serve`` produce the same bytes and reuse the cache.
    """
    global _PROCESS_STAMP
    if _PROCESS_STAMP is None:
        _PROCESS_STAMP = datetime.now(tz=timezone.utc).replace(microsecond=0)
    return _PROCESS_STAMP


def build_downloads(portal: Portal, **options: Any) -> dict[str, bytes]:
    """Every download by site path: ``downloads/<id>.docx|.pdf|.md`` for each template, the zip pack and
    the at-a-glance PDF: :func:`start_downloads` (the same options), waited for."""
    return start_downloads(portal, **options).wait()


class PendingDownloads:
    """Downloads whose missing documents are being rendered in helper processes (:func:`start_downloads`).

    :attr:`paths` are the site paths it makes, known at once; :meth:`result` waits for the documents,
    stores them in the cache and returns every file; :meth:`cancel` stops the helpers (after a
    failure elsewhere in the build) and may be called at any time, more than once.
    """

    def __init__(self, *, paths: list[str], rendering: Rendering, finish: Callable[[list[dict[str, bytes]]], dict[str, bytes]]) -> None:
        self.paths = paths
        self._rendering = rendering
        self._finish = finish
        self._result: dict[str, bytes] | None = None

    @property
    def running(self) -> bool:
        return self._rendering.running

    def result(self) -> dict[str, bytes]:
        if self._result is None:
            self._result = self._finish(self._rendering.results())
        return self._result

    def cancel(self) -> None:
        self._rendering.cancel()

    def wait(self) -> dict[str, bytes]:
        """:meth:`result`, the helpers stopped whatever happens."""
        try:
            return self.result()
        finally:
            self.cancel()


def start_downloads(
    portal: Portal,
    *,
    paper: str = "a4",
    dtstamp: datetime,
    cache: DownloadCache | None = None,
    jobs: int = 0,
    prune: bool = False,
) -> PendingDownloads:
    """Start making every download: each document is looked up by its key first; the missing ones (the
    at-a-glance PDF among them) start rendering in ``jobs`` helper processes at once (0: one per core;
    1, or a single document: in this process, when the result is asked for). ``dtstamp`` dates the Word
    and PDF documents. ``prune``: then remove the disk entries this build did not use.
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
                  "choose": language.text("form.choose"), "pick_date": language.text("form.pick-date")},
    }
    all_sources = sources(portal)
    # The writing direction and the proofing region are CLDR's for the language tag: keyed by the tag and
    # Babel's version, looked up (loading the locale's data) only when a document is rendered.
    common = (info.title, meta["organisation"], meta["lang"], paper, stamp.isoformat(), repr(meta["words"]),
              language.tag, *package_versions("babel"))
    # every document: (key, cache label); templates by (id, format), the at-a-glance PDF apart
    keys: dict[tuple[str, str], str] = {}
    found: dict[str, bytes] = {}
    tasks: list[Task] = []
    task_keys: list[list[tuple[str, str]]] = []  # per task: (key, label) of each format, in the task's order

    def want(key: str, label: str, missing: list[tuple[str, str]]) -> None:
        data = cache.lookup(key)
        if data is None:
            missing.append((key, label))
        else:
            found[key] = data

    for source in all_sources:
        missing: list[tuple[str, str]] = []
        formats = []
        for fmt in FORMATS:
            key = keys[source.template_id, fmt] = cache.key(fmt, source.standalone, source.title, *common)
            before = len(missing)
            want(key, f"{source.template_id}.{fmt}", missing)
            if len(missing) > before:
                formats.append(fmt)
        if missing:
            tasks.append(Task(source.template_id, source.title, source.standalone, tuple(formats)))
            task_keys.append(missing)
    glance_standalone, glance_title = _glance_source(portal)
    glance_key = cache.key("glance-pdf", glance_standalone, glance_title, *common)
    missing = []
    want(glance_key, "at-a-glance.pdf", missing)
    if missing:
        tasks.append(Task("", glance_title, glance_standalone, ("pdf",)))
        task_keys.append(missing)
    if tasks:
        meta["words"] = {**meta["words"], "direction": language.direction, "region": language.region_tag}
    rendering = Rendering(tasks, meta, jobs)

    def finish(results: list[dict[str, bytes]]) -> dict[str, bytes]:
        for task, made, labelled in zip(tasks, results, task_keys):
            for fmt, (key, label) in zip(task.formats, labelled):
                cache.store(key, made[fmt], label)
                found[key] = made[fmt]
        out: dict[str, bytes] = {}
        packed: dict[str, bytes] = {}
        for source in all_sources:
            files = {fmt: found[keys[source.template_id, fmt]] for fmt in FORMATS}
            files["md"] = source.markdown.encode("utf-8")
            for ext, data in files.items():
                out[download_path(source.template_id, ext)] = data
                packed[pack_member(source.template_id, ext)] = data
        if packed:
            out[PACK] = pack(packed, info.id)  # packed each build: its Word and PDF members are stored as they are
        out[AT_A_GLANCE_PDF] = found[glance_key]
        if prune and not os.environ.get(CACHE_ENV):  # a PROGRAM_PORTAL_CACHE_DIR may be shared: never pruned
            cache.prune()
        return out

    paths = [download_path(source.template_id, ext) for source in all_sources for ext in (*FORMATS, "md")]
    paths += [PACK] if all_sources else []
    paths.append(AT_A_GLANCE_PDF)
    return PendingDownloads(paths=paths, rendering=rendering, finish=finish)


def _glance_source(portal: Portal) -> tuple[str, str]:
    """The at-a-glance page (extension) as the standalone Markdown of a printable PDF, and its title, in the program's
    language (kept between builds: render/kept.py)."""
    from program_portal.render import kept
    from program_portal.render.pages.glance import at_a_glance

    def make() -> tuple[str, str]:
        return at_a_glance(portal, standalone=True), portal.language.text("glance.title", program=portal.info.title)

    standalone, title = kept.kept(portal.cache, "glance source", portal.loaded, (str(portal.offline),), make, list,
                                  lambda data: tuple(kept.strings(data, 2)))
    return standalone, title
