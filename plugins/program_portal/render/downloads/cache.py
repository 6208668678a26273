"""A content-addressed cache for generated documents: in memory for the process, and on disk.

A document's key is a hash of everything its bytes depend on: the standalone Markdown, the
paper size, the format and the document date, and the versions of everything that renders
(this package's download code, python-docx, WeasyPrint, pydyf, pango, the fonts fontconfig can
find, Markdown, lxml). A hit is therefore always safe to reuse, and looking one up costs no
more than computing its key.

On disk the cache lives in ``.cache/program-portal/`` beside mkdocs.yml by default (where
Material's own plugins keep theirs; see the plugin's ``cache`` and ``cache_dir`` options, and
``PROGRAM_PORTAL_CACHE_DIR``). Each file there is sealed (:mod:`program_portal.integrity`): an
entry a pull request adds to the folder does not verify and is generated again. After each build, :meth:`DownloadCache.prune` removes the
entries that build did not use, so the folder holds one build's documents. During
``mkdocs serve`` the in-memory cache lives as long as the process: after an edit only the
changed template's documents are generated again. ``generated`` records what was actually
generated, for tests and the benchmark.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from program_portal import integrity

GENERATOR_VERSION = "3"  # 2: shipped fonts; 3: documents in the program's language (labels, w:lang)
"""Bump when a change to this package changes the bytes of a download (the code is hashed too)."""

CACHE_ENV = "PROGRAM_PORTAL_CACHE_DIR"
DEFAULT_DIR = ".cache/program-portal"
"""Relative to the folder of mkdocs.yml (of the project, for ``program-portal`` commands)."""

_LIBRARIES = ("python-docx", "weasyprint", "pydyf", "markdown", "lxml", "program-portal")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_VERSIONS: str | None = None


def _pango_version() -> str:
    """libpango's version, read without importing WeasyPrint (which takes half a second)."""
    import ctypes
    import ctypes.util

    names = ("libpango-1.0.so.0", "libpango-1.0-0.dll", lambda: ctypes.util.find_library("pango-1.0"))  # the last
    for name in names:  # runs ldconfig (a process): only when the usual names are not found
        if callable(name):
            name = name()
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.pango_version_string.restype = ctypes.c_char_p
        return lib.pango_version_string().decode("ascii", "replace")
    return "?"


def _fonts_fingerprint() -> str:
    """A hash of the font files fontconfig can find (path, size, modification time), and the portal's own."""
    digest = hashlib.sha256()
    dirs = [Path(d).expanduser() for d in _FONT_DIRS] + [Path(__file__).resolve().parent / "fonts"]
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                digest.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _code_fingerprint() -> str:
    """A hash of this package's download code: a change to it changes the key without a version bump."""
    return integrity.fingerprint(sorted(Path(__file__).resolve().parent.glob("*.py")))[:16]


def package_versions(*names: str) -> list[str]:
    """``name=version`` of each installed package (``name=?`` when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in names:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return out


def renderer_versions() -> str:
    """Everything besides a document's own content that its bytes depend on (computed once per process)."""
    global _VERSIONS
    if _VERSIONS is None:
        parts = package_versions(*_LIBRARIES)
        parts += [f"pango={_pango_version()}", f"fonts={_fonts_fingerprint()}", f"code={_code_fingerprint()}"]
        _VERSIONS = ";".join(parts)
    return _VERSIONS


_CALENDAR_VERSIONS: str | None = None


def calendar_versions() -> str:
    """What the .ics files depend on besides program.yml: icalendar, dateutil, the time-zone data
    and the portal's calendar code (computed once per process)."""
    global _CALENDAR_VERSIONS
    if _CALENDAR_VERSIONS is None:
        import zoneinfo

        parts = package_versions("icalendar", "python-dateutil", "tzdata", "program-portal")
        digest = hashlib.sha256()
        package = Path(__file__).resolve().parents[2]
        for path in sorted([*package.glob("calendar/*.py"), package / "render" / "outputs.py", package / "render" / "pages" / "sessions.py"]):
            digest.update(path.read_bytes())
        zones = hashlib.sha256()
        for root in zoneinfo.TZPATH:  # the system's zone files, when Python uses them before tzdata
            for name in ("tzdata.zi", "+VERSION", "zone1970.tab"):
                try:
                    st = os.stat(os.path.join(root, name))
                    zones.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}".encode())
                except OSError:
                    pass
        parts += [f"code={digest.hexdigest()[:16]}", f"zones={zones.hexdigest()[:16]}"]
        _CALENDAR_VERSIONS = ";".join(parts)
    return _CALENDAR_VERSIONS


MAX_ENTRY = 2**31  # bytes: a larger file in the folder is not read (no document is near it)
_KEY = re.compile(r"[0-9a-f]{64}|[0-9a-f]{2}")  # an entry's name (a SHA-256), or its folder's


class DownloadCache:
    """Generated documents by key. ``directory``: also keep them on disk (shared between processes)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, max_entries: int = 1024,
                 root: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory else None
        self.root = root  # the project: a cache key inside it is never used (:mod:`program_portal.integrity`)
        self.max_entries = max_entries
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self.used: set[str] = set()
        """Keys looked up or stored since the last :meth:`prune` (what the current build uses)."""
        self.generated: list[str] = []
        """Labels (``<template-id>.<ext>``) of the documents actually generated, in order."""
        self.hits = 0
        self.disk_hits = 0

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256()
        for part in (GENERATOR_VERSION, renderer_versions(), *parts):
            data = part.encode("utf-8", "surrogatepass")  # only hashed: any text makes a key
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def lookup(self, key: str, *, count: bool = True) -> bytes | None:
        """The cached bytes for ``key`` (memory first, then disk), or None."""
        self.used.add(key)
        data = self._memory.get(key)
        if data is not None:
            self._memory.move_to_end(key)
            self.hits += count
            return data
        data = self._read_disk(key)
        if data is not None:
            self.disk_hits += count
            self._remember(key, data)
        return data

    def store(self, key: str, data: bytes, label: str | None = None) -> None:
        self.used.add(key)
        if label is not None:
            self.generated.append(label)
        self._write_disk(key, data)
        self._remember(key, data)

    def fetch(self, key: str, label: str, make: Callable[[], bytes]) -> bytes:
        """The cached bytes for ``key``, or ``make()``'s (then cached)."""
        data = self.lookup(key)
        if data is None:
            data = make()
            self.store(key, data, label)
        return data

    def prune(self, keep: Iterable[str] | None = None) -> int:
        """Remove from disk every entry not in ``keep`` (default: the keys used since the last prune).

        Returns how many files were removed. Only what a cache writes is ever removed: regular files
        named by a 64-digit key under the folder of its first two digits (a ``cache_dir`` pointed at
        a folder of other files loses none of them). The directory belongs to one project: entries
        another project's build wrote there would be removed too.
        """
        keep = set(self.used if keep is None else keep)
        self.used = set()
        if self.directory is None or not self.directory.is_dir():
            return 0
        removed = 0
        for sub in self.directory.iterdir():
            if len(sub.name) != 2 or not _KEY.fullmatch(sub.name) or sub.is_symlink() or not sub.is_dir():
                continue
            for entry in sub.iterdir():
                written = _KEY.fullmatch(entry.name) and entry.name.startswith(sub.name) and entry.is_file() and not entry.is_symlink()
                if written and entry.name not in keep:
                    try:
                        entry.unlink()
                        removed += 1
                    except OSError:
                        pass
            try:
                sub.rmdir()  # only when empty
            except OSError:
                pass
        return removed

    def clear_memory(self) -> None:
        self._memory.clear()

    def reset_counters(self) -> None:
        self.generated.clear()
        self.hits = self.disk_hits = 0

    def _remember(self, key: str, data: bytes) -> None:
        self._memory[key] = data
        while len(self._memory) > self.max_entries:
            self._memory.popitem(last=False)

    def _path(self, key: str) -> Path | None:
        return self.directory / key[:2] / key if self.directory else None

    def _seal_key(self) -> bytes | None:
        return integrity.cache_key(self.root if self.root is not None else Path.cwd())

    def _read_disk(self, key: str) -> bytes | None:
        """An entry this user's builds wrote (its seal verifies), or None: a forged file is a miss."""
        path = self._path(key)
        if path is None or path.parent.is_symlink():
            return None
        return integrity.read_sealed(path, self._seal_key(), key, MAX_ENTRY)

    def _write_disk(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path is not None and not path.parent.is_symlink():
            integrity.write_sealed(path, self._seal_key(), key, data)


def cache_directory(root: str | os.PathLike[str], *, enabled: bool = True, cache_dir: str = DEFAULT_DIR) -> Path | None:
    """Where a project's disk cache lives: ``PROGRAM_PORTAL_CACHE_DIR`` when set, else ``cache_dir``
    relative to ``root`` (the folder of mkdocs.yml); None (memory only) when the cache is switched off."""
    if not enabled:
        return None
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    folder = Path(os.path.normpath(Path(root) / cache_dir))
    return folder if _inside_without_links(Path(root), folder) else None


def _inside_without_links(root: Path, folder: Path) -> bool:
    """Whether ``folder`` is inside ``root`` with no symbolic link on the way: a link a pull request commits
    (``.cache -> /elsewhere``) would have the build write, and prune, outside the project."""
    try:
        parts = folder.relative_to(os.path.normpath(root)).parts
    except ValueError:
        return False
    if ".." in parts:
        return False
    step = Path(os.path.normpath(root))
    for part in parts:
        step = step / part
        if step.is_symlink():
            return False
    return True


_CACHES: dict[str | None, DownloadCache] = {}


def default_cache(directory: str | os.PathLike[str] | None = None, *, root: str | os.PathLike[str] | None = None) -> DownloadCache:
    """The process-wide cache for ``directory`` (None: ``PROGRAM_PORTAL_CACHE_DIR`` when set, else memory only).

    One instance per directory for the life of the process, so ``mkdocs serve`` rebuilds reuse
    documents from memory.
    """
    where = os.fspath(directory) if directory else (os.environ.get(CACHE_ENV) or None)
    if where not in _CACHES:
        _CACHES[where] = DownloadCache(where, root=root)
    return _CACHES[where]
