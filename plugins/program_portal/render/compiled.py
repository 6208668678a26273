"""Compiled Jinja templates kept between builds: the placeholders' and the theme's, sealed.

Compiling a template (Jinja parses it, writes Python, Python compiles that) costs about a
millisecond; a program's clauses, bodies and pages hold a few hundred placeholder texts and the
theme some forty templates, and a warm build compiled them all again. :class:`SealedBytecodeCache`
is Jinja's bytecode cache (what ``FileSystemBytecodeCache`` does) with every file sealed under this
user's cache key (:mod:`program_portal.integrity`): compiled code runs only if a build of this user
wrote it, never code a pull request put under ``.cache/``. A file whose seal does not verify, or
that another Python, Jinja or version of the portal's sandbox wrote, is compiled again.

The files live in ``jinja/placeholders/`` and ``jinja/theme/`` of the download cache's folder;
:func:`prune` removes those the build did not use (the placeholders' after every run of the
pipeline, ``check`` included; the theme's after a build). Pure Python, no MkDocs.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from importlib.util import MAGIC_NUMBER
from pathlib import Path

from jinja2 import Environment, Template
from jinja2.bccache import Bucket, BytecodeCache

from program_portal import integrity

FOLDER = "jinja"
PLACEHOLDERS = "placeholders"
THEME = "theme"
"""The two kinds of compiled templates, each in its own folder under :data:`FOLDER`."""
MAX_FILE = 4_000_000  # bytes: a larger file is neither written nor read
_NAME = re.compile(r"[0-9a-f]{64}")

__all__ = ["FOLDER", "SealedBytecodeCache", "code_cache", "compile_string", "prune"]


@lru_cache(maxsize=None)
def _fingerprint(*modules: str) -> str:
    """Python's bytecode magic, Jinja's version and the code of the portal modules that shape the compiled code."""
    import jinja2

    here = Path(__file__).resolve().parent
    return integrity.fingerprint((here / name for name in modules), MAGIC_NUMBER, jinja2.__version__)


class SealedBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache in ``directory``, each file sealed with ``secret``.

    ``context`` names what compiles the templates (the environment's kind and the code that
    configures it); it is part of every key, so another configuration never finds these files."""

    def __init__(self, directory: Path, secret: bytes, context: str, *, resolve: bool = False) -> None:
        self.directory = directory
        self.secret = secret
        self.context = context
        self.resolve = resolve  # theme templates: keyed by the file they really are (links resolved)
        self.used: set[str] = set()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        digest = hashlib.sha256(self.context.encode("utf-8", "surrogatepass"))
        if self.resolve and filename:
            filename = f"{filename}\x00{os.path.realpath(filename)}"
        for part in (name, filename or ""):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        if _linked(self.directory):
            return
        data = integrity.read_sealed(self.directory / bucket.key, self.secret, f"{FOLDER}/{bucket.key}", MAX_FILE)
        if data is not None:  # only then: the bytes Jinja reads (with marshal) are this user's builds' own
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        data = bucket.bytecode_to_string()
        if len(data) + integrity.TAG_SIZE <= MAX_FILE and not _linked(self.directory):
            integrity.write_sealed(self.directory / bucket.key, self.secret, f"{FOLDER}/{bucket.key}", data)


_CACHES: dict[tuple[str, str, str], SealedBytecodeCache] = {}


def _linked(directory: Path) -> bool:
    """Whether the folder or its parent (``jinja/``) is a link: nothing is read, written or removed through one."""
    return directory.is_symlink() or directory.parent.is_symlink()


def code_cache(folder: Path | None, root: Path | None, kind: str, context: str, *modules: str) -> SealedBytecodeCache | None:
    """The sealed bytecode cache of ``kind`` (:data:`PLACEHOLDERS`, :data:`THEME`) templates under the
    cache folder ``folder`` (None: none, or no cache key), one per folder, kind and ``context`` for the
    life of the process. ``modules``: the portal modules (in ``render/``) whose code shapes what the
    environment compiles."""
    if folder is None:
        return None
    secret = integrity.cache_key(root)
    if secret is None:
        return None
    key = (os.fspath(folder), kind, context)
    if key not in _CACHES:
        _CACHES[key] = SealedBytecodeCache(Path(folder) / FOLDER / kind, secret, f"{kind} {context} {_fingerprint(*modules)}",
                                           resolve=kind == THEME)
    return _CACHES[key]


def theme_cache(root: Path, *, enabled: Any, cache_dir: Any) -> SealedBytecodeCache | None:
    """The sealed cache of the theme's compiled templates for the project at ``root`` (its plugin
    options ``cache`` and ``cache_dir``, as the download cache reads them)."""
    from program_portal.render.downloads.cache import DEFAULT_DIR, cache_directory, package_versions

    folder = cache_directory(root, enabled=enabled is not False, cache_dir=cache_dir if isinstance(cache_dir, str) else DEFAULT_DIR)
    return code_cache(folder, root, THEME, f"{Path(root).resolve()} {' '.join(package_versions('mkdocs', 'mkdocs-material'))}",
                      "theme_sandbox.py")


def compile_string(env: Environment, source: str, cache: SealedBytecodeCache | None, name: str) -> Template:
    """``env.from_string(source)``, the compiled code read from ``cache`` when it holds it (else kept there)."""
    if cache is None:
        return env.from_string(source)
    bucket = cache.get_bucket(env, name, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), source)
    code = bucket.code
    if code is None:
        code = env.compile(source)
        bucket.code = code
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def prune(folder: Path | None, kind: str) -> int:
    """Remove the compiled ``kind`` templates under the cache folder ``folder`` that no cache of this
    process read or wrote (this build, or this ``serve`` session, whose rebuilds compile in memory); how many."""
    if folder is None:
        return 0
    caches = [cache for (where, k, _), cache in _CACHES.items() if where == os.fspath(folder) and k == kind]
    if not caches or _linked(caches[0].directory):
        return 0
    used = set().union(*(cache.used for cache in caches))
    removed = 0
    try:
        entries = list(caches[0].directory.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if _NAME.fullmatch(entry.name) and entry.name not in used and entry.is_file() and not entry.is_symlink():
            try:
                entry.unlink()
                removed += 1
            except OSError:
                pass
    return removed
