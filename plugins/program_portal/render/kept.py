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
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from program_portal.render import placeholder_limits

T = TypeVar("T")

_LIBRARIES = ("babel", "jinja2", "markdown", "pydantic", "pyyaml", "python-dateutil", "tzdata", "nh3", "phonenumbers")

__all__ = ["ReadOnly", "code_version", "kept", "strings"]


@lru_cache(maxsize=1)
def code_version() -> str:
    """The portal's code and message catalogs, and the libraries that shape generated text (once per process)."""
    from program_portal import integrity
    from program_portal.render.downloads.cache import calendar_versions, package_versions

    package = Path(__file__).resolve().parents[1]
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".mo") and p.is_file())
    return integrity.fingerprint(files, *package_versions(*_LIBRARIES), calendar_versions())


_VALUES: OrderedDict[str, tuple[Any, int]] = OrderedDict()  # this process's: (value, work) by key
_IN_MEMORY = 16  # values kept in this process (live preview): a few programs' worth


def kept(cache: Any, kind: str, loaded: Any, parts: tuple[str, ...], compute: Callable[[], T],
         encode: Callable[[T], Any], decode: Callable[[Any], T], *, keep: Callable[[T], bool] = lambda value: True) -> T:
    """``compute()`` for ``loaded`` (its program.yml and bodies) and ``parts``, or what a build with the same
    inputs kept in ``cache`` (a :class:`~.downloads.cache.DownloadCache`; None: no cache). ``encode`` makes
    the value JSON data; ``decode`` makes it back, raising ``ValueError``, ``TypeError`` or ``KeyError``
    on anything else; ``keep(value)`` False: the value is not kept (it is not the whole answer).

    A kept value is charged the placeholder work it cost when it was made (the build's budget,
    :mod:`.placeholder_limits`), so a build passes or fails alike with the cache and without it: when the
    budget left is less than that, the value is made again (and fails as it would have)."""
    if cache is None:
        return compute()
    bodies = hashlib.sha256(json.dumps(sorted(loaded.bodies.items()), ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
    key = cache.key(f"kept {kind}", code_version(), loaded.source, bodies, *parts)
    _, left = placeholder_limits.build_work()
    found = _VALUES.get(key)
    if found is not None:
        cache.used.add(key)  # still this build's: not pruned
    else:
        data = cache.lookup(key, count=False)
        if data is not None:
            try:
                stored = json.loads(data)
                if type(stored.get("work")) is not int or stored["work"] < 0:
                    raise ValueError("not the kept shape")
                found = decode(stored["value"]), stored["work"]
            except (ValueError, TypeError, KeyError, AttributeError):
                found = None  # not what this code writes: made again
    if found is not None and (left is None or found[1] <= left):
        placeholder_limits.charge_build(found[1])
        _remember(key, found)
        return found[0]
    before, _ = placeholder_limits.build_work()
    value = compute()
    work = placeholder_limits.build_work()[0] - before
    if keep(value):
        cache.store(key, json.dumps({"work": work, "value": encode(value)}, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        _remember(key, (value, work))
    return value


def _remember(key: str, found: tuple[Any, int]) -> None:
    _VALUES[key] = found
    _VALUES.move_to_end(key)
    while len(_VALUES) > _IN_MEMORY:
        _VALUES.popitem(last=False)


class ReadOnly:
    """A download cache looked up but written only in memory: for ``check``, which prunes nothing, so what it
    derived would stay on disk until a build."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache
        self._memory: dict[str, bytes] = {}
        self.used = cache.used

    def key(self, *parts: str) -> str:
        return self._cache.key(*parts)

    def lookup(self, key: str, *, count: bool = True) -> bytes | None:
        data = self._memory.get(key)
        return data if data is not None else self._cache.lookup(key, count=count)

    def store(self, key: str, data: bytes, label: str | None = None) -> None:
        self._memory[key] = data


def strings(value: Any, length: int) -> list[str]:
    """``value`` checked to be a list of ``length`` strings."""
    if not isinstance(value, list) or len(value) != length or not all(isinstance(v, str) for v in value):
        raise ValueError("not the kept shape")
    return value
