"""``downloads/templates.zip``: every download of every template in one archive, for program offices."""

from __future__ import annotations

from collections.abc import Mapping

from program_portal.render.downloads.reproducible import write_zip


def pack(files: Mapping[str, bytes], folder: str) -> bytes:
    """A zip of ``files`` (name -> bytes) under ``folder/``, names sorted, fixed timestamps."""
    return write_zip((f"{folder}/{name}", files[name]) for name in sorted(files))
