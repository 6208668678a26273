"""Where a build spends its time, by pipeline stage: for ``make benchmark``, never for output.

A stage is timed with ``with stage("pages"):``; the totals accumulate in :data:`TIMES` (seconds)
until :func:`reset`. Stages do not nest: each second of the portal's own work is counted once.
Work done in helper processes (downloads rendered in parallel) is added as those processes
report it, so ``docx`` and ``pdf`` are CPU-side seconds summed over the workers, and
``downloads`` is the wall-clock time of the whole download step.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("load", "checks", "pages", "downloads", "docx", "pdf", "ics")
TIMES: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        add(name, time.perf_counter() - start)


def add(name: str, seconds: float) -> None:
    TIMES[name] = TIMES.get(name, 0.0) + seconds


def reset() -> None:
    TIMES.clear()
