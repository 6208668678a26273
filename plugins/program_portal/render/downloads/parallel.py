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

import gc
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

            out[fmt] = pdf.render(pdf.html_document(pdf.prepare(tree), title=task.title, **meta), created=meta["created"])
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
    """In each helper process, first: its temporary files go under ``scratch``; the renderers are imported."""
    import tempfile

    tempfile.tempdir = scratch
    _LIVE.clear()  # forked: the build's renderings are not this helper's
    # Every helper renders: the renderers are imported now and, with what the build left, frozen as well,
    # so that the helper's full collections walk only what its documents make.
    import importlib

    try:
        for name in _PRELOAD:
            importlib.import_module(name)
    except Exception:  # a renderer that cannot load fails in the task instead, which reports it as before
        pass
    gc.freeze()


def cost(task: Task) -> int:
    """A task's rough size, to start the largest first: its text, a PDF weighing four Word files."""
    return len(task.standalone) * sum(4 if fmt == "pdf" else 1 for fmt in task.formats)


class Rendering:
    """Tasks being rendered: in ``jobs`` helper processes that start at once and work while the caller
    goes on (the largest task first), or, with one job or one task, in this process when collected.

    :meth:`results` waits for every document; :meth:`cancel` stops the helpers (what they had not
    finished is dropped) and is safe to call at any time, more than once. A rendering still running
    when the interpreter exits (Ctrl-C while MkDocs builds the pages) is cancelled, never waited for.
    """

    def __init__(self, tasks: Sequence[Task], meta: Mapping[str, Any], jobs: int = 0) -> None:
        self.tasks = list(tasks)
        self.meta = dict(meta)
        self._results: list[dict[str, bytes]] | None = None
        self._pool: Any = None
        self._scratch: Any = None
        self._futures: dict[int, Any] = {}
        jobs = min(jobs or default_jobs(), len(self.tasks))
        if jobs > 1:
            import tempfile
            from concurrent.futures import ProcessPoolExecutor

            # A helper ends without running exit handlers: the temporary files it keeps for its documents
            # (WeasyPrint's copy of the fonts) go in a folder removed once the helpers are gone.
            self._scratch = tempfile.TemporaryDirectory(prefix="program-portal-helpers-")
            _track(self)
            context = _context()
            # Forked helpers start with a copy of the build's objects, which their garbage collector would
            # walk in every full collection (a second per helper, and copies of the pages it writes to):
            # frozen while they are forked (at the first submit), those are left out of the helpers'
            # collections. The build's own collector gets them back at once.
            forked = context.get_start_method() == "fork"
            if forked:
                gc.freeze()
            try:
                self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_helper_starts,
                                                 initargs=(self._scratch.name,))
                for index in sorted(range(len(self.tasks)), key=lambda i: -cost(self.tasks[i])):  # largest first
                    self._futures[index] = self._pool.submit(render_task, self.tasks[index], self.meta)
            except BaseException:
                self.cancel()
                raise
            finally:
                if forked:
                    gc.unfreeze()

    @property
    def running(self) -> bool:
        """Whether helper processes may still be working."""
        return self._pool is not None

    def results(self) -> list[dict[str, bytes]]:
        """Every task's documents, in the order of the tasks (waits for the helpers)."""
        if self._results is None:
            try:
                if self._pool is None:
                    done = [render_task(task, self.meta) for task in self.tasks]
                else:
                    done = [self._futures[index].result() for index in range(len(self.tasks))]
            except BaseException:  # a helper failed, or Ctrl-C while waiting: no helper keeps working
                self.cancel()
                raise
            self._close()
            for _, seconds in done:
                for fmt, value in seconds.items():
                    stages.add(fmt, value)
            self._results = [documents for documents, _ in done]
        return self._results

    def cancel(self) -> None:
        """Stop the helpers now, and remove their temporary files."""
        pool, self._pool = self._pool, None
        if pool is not None:
            processes = list((getattr(pool, "_processes", None) or {}).values())  # 3.14 has terminate_workers()
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join()
            pool.shutdown(wait=True)
        self._remove_scratch()

    def _close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        scratch, self._scratch = self._scratch, None
        _LIVE.discard(self)
        if scratch is not None:
            scratch.cleanup()


_LIVE: set[Rendering] = set()
_HOOKED = False
_OWNER = 0  # the process that started the helpers


def _track(rendering: Rendering) -> None:
    """Remember a rendering with helpers, to cancel it if the interpreter exits first."""
    global _HOOKED, _OWNER
    _LIVE.add(rendering)
    if not _HOOKED:
        _HOOKED, _OWNER = True, os.getpid()
        # Before concurrent.futures' own exit hook, which would wait for every queued document: these
        # run newest first when the main thread ends, before atexit handlers.
        register = getattr(threading, "_register_atexit", None)
        if register is not None:
            register(_cancel_live)
        else:  # pragma: no cover - not CPython
            import atexit

            atexit.register(_cancel_live)


def _cancel_live() -> None:
    if os.getpid() != _OWNER:  # a helper forked from the build: its copies are not its own to stop
        return
    for rendering in list(_LIVE):
        rendering.cancel()
