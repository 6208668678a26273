"""Generated pages and download sources kept between builds, in the download cache.

A warm build of an unchanged program made the same generated pages and the same download sources
(each template's standalone page and Markdown download) again: a third of the portal's own work.
Both are a function of program.yml's text, the bodies' texts, the site URL, the offline flag and the
code that makes them, so they are kept in the download cache (:mod:`.downloads.cache`: sealed under
this user's key, pruned with the documents) under a key of exactly those: the portal's own code and
catalogs and the versions of the libraries that shape text (Babel's CLDR data, Jinja, Markdown,
pydantic, dateutil and the time-zone data). A different program, URL or version never finds them.

They are stored as JSON, never pickled: what is read back is data, and it is checked to be the
shape it was written in (anything else is a miss, made again). Pure Python, no MkDocs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_LIBRARIES = ("babel", "jinja2", "markdown", "pydantic", "pyyaml", "python-dateutil", "tzdata", "nh3", "phonenumbers")

__all__ = ["code_version", "kept"]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The portal's code and message catalogs, and the libraries that shape generated text (once per process)."""
    from program_portal import integrity
    from program_portal.render.downloads.cache import calendar_versions, package_versions

    package = Path(__file__).resolve().parents[1]
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".mo") and p.is_file())
    return integrity.fingerprint(files, *package_versions(*_LIBRARIES), calendar_versions())


def kept(cache: Any, kind: str, loaded: Any, parts: tuple[str, ...], compute: Callable[[], T],
         encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T:
    """``compute()`` for ``loaded`` (its program.yml and bodies) and ``parts``, or what a build with the same
    inputs kept in ``cache`` (a :class:`~.downloads.cache.DownloadCache`; None: no cache). ``encode`` makes
    the value JSON data; ``decode`` makes it back, raising ``ValueError``, ``TypeError`` or ``KeyError``
    on anything else."""
    if cache is None:
        return compute()
    bodies = hashlib.sha256(json.dumps(sorted(loaded.bodies.items()), ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
    key = cache.key(f"kept {kind}", code_version(), loaded.source, bodies, *parts)
    data = cache.lookup(key, count=False)
    if data is not None:
        try:
            return decode(json.loads(data))
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # not what this code writes: made again
    value = compute()
    cache.store(key, json.dumps(encode(value), ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return value


def strings(value: Any, length: int) -> list[str]:
    """``value`` checked to be a list of ``length`` strings."""
    if not isinstance(value, list) or len(value) != length or not all(isinstance(v, str) for v in value):
        raise ValueError("not the kept shape")
    return value
