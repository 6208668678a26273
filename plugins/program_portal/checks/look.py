"""The program's look in the site configuration: logo, favicon and stylesheets shipped with the site.

``theme.logo`` and ``theme.favicon`` must name an image file published with the site (under
docs_dir, the theme's override folder, or the theme itself: Material's default favicon): a missing file is a broken image on every page, and
the theme prints the value into ``src``/``href`` attributes, so anything but a plain relative
path is refused (PF020). One from another host is the intranet review's warning (PV003).
A stylesheet under docs_dir that loads from another host is refused where every published file is
checked (PF034, :mod:`.filetypes`, CSS escapes decoded).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from program_portal.checks.intranet import is_external
from program_portal.codes import SITE_CONFIG
from program_portal.diagnostics import Diagnostic, Location, error

IMAGE_SUFFIXES = (".svg", ".png", ".ico", ".jpg", ".jpeg", ".gif", ".webp")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]{1,200}")


def _line_of(config_path: Path | None, key: str) -> tuple[int, int]:
    """The line and column of ``key:`` in the configuration file (else 1, 1)."""
    try:
        text = config_path.read_text(encoding="utf-8-sig") if config_path else ""
    except (OSError, UnicodeDecodeError):
        return 1, 1
    found = re.search(rf"^([ \t]*){re.escape(key)}[ \t]*:", text, re.M)
    if not found:
        return 1, 1
    return text.count("\n", 0, found.start()) + 1, len(found.group(1)) + 1


def _inside(base: Path, rel: str) -> Path | None:
    """``base/rel`` when it is a regular file inside ``base`` (no ``..``, no symlink out)."""
    parts = PurePosixPath(rel).parts
    if not parts or ".." in parts or rel.startswith("/"):
        return None
    path = base / rel
    try:
        if path.is_file() and path.resolve().is_relative_to(base.resolve()):
            return path
    except OSError:
        return None
    return None


def review(
    *,
    config_file: str,
    config_path: Path | None,
    root: Path,
    docs_dir: Path,
    custom_dir: str | None,
    theme: dict[str, Any],
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    bases = [docs_dir] + ([Path(custom_dir)] if custom_dir else []) + [Path(d) for d in theme.get("dirs") or []]
    for key in ("logo", "favicon"):
        value = theme.get(key)
        if value is None or is_external(value):  # not set, or the intranet review's warning
            continue
        where = Location(config_file, *_line_of(config_path, key))
        if not isinstance(value, str) or not _PLAIN_PATH.fullmatch(value) or not value.lower().endswith(IMAGE_SUFFIXES):
            shown = repr(value)[:80]
            out.append(error(SITE_CONFIG, f"theme.{key} {shown} must be the path of an image file under docs_dir "
                                          f"({', '.join(IMAGE_SUFFIXES)}), like assets/{key}.svg", where))
        elif not any(_inside(base, value) for base in bases):
            out.append(error(SITE_CONFIG, f"theme.{key} '{value}' is not a file under docs_dir; add it (like content/{value}) "
                                          "or correct the path", where))
    return out
