"""Zip containers with the same bytes for the same content: fixed dates, attributes and order.

A zip stores a date, an operating system and permission bits for every entry; python-docx
and :mod:`zipfile` fill them from the clock and the platform. Here every entry gets
1980-01-01 00:00:00 (the earliest date a zip can hold), Unix "rw-r--r--", and DEFLATE at
a fixed level, in the order given. An entry that is itself compressed (a PDF, a Word file, a
zip) is stored as it is: deflating it again costs time and saves next to nothing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--
COMPRESS_LEVEL = 6
COMPRESSED = (".pdf", ".docx", ".zip")  # already compressed: stored


def _method(name: str) -> int:
    return zipfile.ZIP_STORED if name.lower().endswith(COMPRESSED) else zipfile.ZIP_DEFLATED


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = _method(name)
    info.create_system = 3  # Unix, whatever the platform
    info.external_attr = FILE_MODE << 16
    return info


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``(name, data)`` entries in the given order, with fixed metadata."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for name, data in entries:
            info = _info(name)
            archive.writestr(info, data, compress_type=info.compress_type, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()

