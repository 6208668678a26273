"""A content-addressed cache for generated documents: in memory for the process, optionally on disk.

A document's key is a hash of everything its bytes depend on (the standalone Markdown,
the paper size, the format, the document date, the generator and library versions), so
a hit is always safe to reuse. During ``mkdocs serve`` the in-memory cache lives as long
as the process: after an edit only the changed template's documents are generated again.
``generated`` records what was actually generated, for tests and the benchmark.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

GENERATOR_VERSION = "2"  # 2: documents in the program's language (labels, w:lang)
"""Bump when a change to this package changes the bytes of a download."""


def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("python-docx", "weasyprint", "pydyf", "markdown", "lxml"):
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=?")
    return ";".join(parts)


class DownloadCache:
    """Generated documents by key. ``directory``: also keep them on disk (shared between processes)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, max_entries: int = 256) -> None:
        self.directory = Path(directory) if directory else None
        self.max_entries = max_entries
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._versions: str | None = None
        self.generated: list[str] = []
        """Labels (``<template-id>.<ext>``) of the documents actually generated, in order."""
        self.hits = 0
        self.disk_hits = 0

    def key(self, *parts: str) -> str:
        if self._versions is None:
            self._versions = _library_versions()
        digest = hashlib.sha256()
        for part in (GENERATOR_VERSION, self._versions, *parts):
            data = part.encode("utf-8")
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def fetch(self, key: str, label: str, make: Callable[[], bytes]) -> bytes:
        """The cached bytes for ``key``, or ``make()``'s (then cached)."""
        data = self._memory.get(key)
        if data is not None:
            self._memory.move_to_end(key)
            self.hits += 1
            return data
        data = self._read_disk(key)
        if data is not None:
            self.disk_hits += 1
        else:
            data = make()
            self.generated.append(label)
            self._write_disk(key, data)
        self._memory[key] = data
        while len(self._memory) > self.max_entries:
            self._memory.popitem(last=False)
        return data

    def clear_memory(self) -> None:
        self._memory.clear()

    def reset_counters(self) -> None:
        self.generated.clear()
        self.hits = self.disk_hits = 0

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / key if self.directory else None

    def _read_disk(self, key: str) -> bytes | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _write_disk(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as handle:
                handle.write(data)
            os.replace(handle.name, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


_DEFAULT: DownloadCache | None = None


def default_cache() -> DownloadCache:
    """The process-wide cache; on disk too when ``PROGRAM_PORTAL_CACHE_DIR`` is set."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = DownloadCache(os.environ.get("PROGRAM_PORTAL_CACHE_DIR") or None)
    return _DEFAULT
