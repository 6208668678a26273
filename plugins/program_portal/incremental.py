"""Live preview: work a rebuild can reuse because its inputs did not change.

``mkdocs serve`` rebuilds the whole site in the same process after every edit. Most edits
touch one page under content/: program.yml and the body files are unchanged, so the loaded
program and the design checks are exactly those of the previous build (the generated pages,
download sources, calendars and documents come from the download cache, in memory:
:mod:`program_portal.render.kept`). This module keeps the last build's results and hands them back
when their inputs are the same; editing program.yml or a body starts again from the top
(and the download cache still regenerates only the templates whose documents changed).

Results derived from a loaded program are kept per loaded program (compared by identity), so
nothing computed from an older program is ever reused. A one-off build or ``program-portal
check`` computes everything once, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from program_portal.source.loader import LoadedProgram, load_program

T = TypeVar("T")

_LOADED: tuple[tuple[Any, ...], LoadedProgram, dict[str, tuple[str, bool]]] | None = None
_OWNER: object | None = None
_VALUES: dict[Hashable, Any] = {}


def load(path: Path, *, root: Path, docs_dir: Path) -> LoadedProgram:
    """:func:`~program_portal.source.loader.load_program`, or the previous result when program.yml
    and every body file it read are unchanged (same text, same resolved path)."""
    global _LOADED
    key = (str(path), str(root), str(docs_dir))
    if _LOADED is not None and _LOADED[0] == key and _unchanged(path, _LOADED[1], _LOADED[2]):
        return _LOADED[1]
    loaded = load_program(path, root=root, docs_dir=docs_dir)
    _LOADED = (key, loaded, {body: _body_state(docs_dir, body) for body in loaded.bodies})
    return loaded


def _body_state(docs_dir: Path, body: str) -> tuple[str, bool]:
    target = docs_dir / body
    return str(target.resolve()), target.is_symlink()


def _unchanged(path: Path, loaded: LoadedProgram, bodies: dict[str, tuple[str, bool]]) -> bool:
    try:
        if path.read_bytes().decode("utf-8-sig") != loaded.source:
            return False
        for body, text in loaded.bodies.items():
            if _body_state(loaded.docs_dir, body) != bodies[body]:
                return False
            if (loaded.docs_dir / body).read_text(encoding="utf-8-sig") != text:
                return False
    except (OSError, ValueError):
        return False
    return True


def reuse(owner: object, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier call with the same ``owner`` (identity) and ``key``.

    Only the results of the latest owner are kept: a new loaded program drops the old ones.
    """
    global _OWNER, _VALUES
    if owner is not _OWNER:
        _OWNER, _VALUES = owner, {}
    if key in _VALUES:
        return _VALUES[key]
    value = _VALUES[key] = compute()
    return value
