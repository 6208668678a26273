"""Rendering the documents the cache does not hold: in helper processes, one task per template.

A task renders one template's missing formats (Word, PDF or both) from its standalone
Markdown, parsing it once. Each document depends only on its task's inputs, so the bytes do
not depend on which process made them or in which order: parallel builds are byte-identical
to serial ones. Helper processes are forked (a single-threaded build), start from a fork server
that has WeasyPrint and python-docx already imported (POSIX, with threads, as in ``mkdocs serve``),
or are spawned (elsewhere); a single task is rendered in-process. Each process loads the PDF
fonts and parses the PDF style sheet once (:func:`.pdf.shared_style`), for all its documents.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from program_portal import stages


@dataclass(frozen=True)
class Task:
    """One template's missing documents."""

    template_id: str
    title: str
    standalone: str
    formats: tuple[str, ...]  # "docx" and/or "pdf"


def render_task(task: Task, meta: Mapping[str, Any]) -> tuple[dict[str, bytes], dict[str, float]]:
    """The task's documents by format, and the seconds spent on each format."""
    from program_portal.render.downloads.document import parse

    out: dict[str, bytes] = {}
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    tree = parse(task.standalone)
    parse_time = (time.perf_counter() - start) / len(task.formats)
    for fmt in task.formats:
        start = time.perf_counter()
        if fmt == "docx":
            from program_portal.render.downloads import docx

            out[fmt] = docx.build(tree, title=task.title, **meta)
        else:
            from program_portal.render.downloads import pdf

            out[fmt] = pdf.render(pdf.html_document(pdf.prepare(tree), title=task.title, **meta))
        seconds[fmt] = time.perf_counter() - start + parse_time
    return out, seconds


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity, not every core of the machine)."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return max(1, counted() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_PRELOAD = ["program_portal.render.downloads.docx", "program_portal.render.downloads.pdf", "weasyprint"]


def _context() -> Any:
    """fork when this process has one thread (``mkdocs build``: the workers start at once, with every
    module already imported); with threads (``mkdocs serve``), where fork is unsafe, a fork server."""
    import multiprocessing  # here: a warm build starts no process and need not import it

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _helper_starts(scratch: str) -> None:
    """In each helper process, first: its temporary files go under ``scratch``."""
    import tempfile

    tempfile.tempdir = scratch


def render_all(tasks: Sequence[Task], meta: Mapping[str, Any], jobs: int = 0) -> list[dict[str, bytes]]:
    """Every task's documents, in the order of ``tasks``; ``jobs``: processes (0: one per core, 1: in-process)."""
    jobs = min(jobs or default_jobs(), len(tasks))
    if jobs <= 1:
        results = [render_task(task, meta) for task in tasks]
    else:
        # Largest first would balance better, but tasks are similar; chunks of one keep cores busy to the end.
        import tempfile
        from concurrent.futures import ProcessPoolExecutor

        # A helper ends without running exit handlers: the temporary files it keeps for its documents
        # (WeasyPrint's copy of the fonts) go in a folder this process removes once they are all done.
        with tempfile.TemporaryDirectory(prefix="program-portal-helpers-") as scratch:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_helper_starts, initargs=(scratch,)) as pool:
                results = list(pool.map(render_task, tasks, [dict(meta)] * len(tasks)))
    for _, seconds in results:
        for fmt, value in seconds.items():
            stages.add(fmt, value)
    return [documents for documents, _ in results]
