"""libical's verdict on an iCalendar text, through ctypes (Debian package libical3).

libical parses the text, ``icalrestriction_check`` adds an ``X-LIC-ERROR`` property for
every rule the calendar breaks (and the parser one for every value it cannot read); the
errors are read back from libical's own serialisation. libical does not check line length.
"""

from __future__ import annotations

import ctypes
import re

LIBRARY = "libical.so.3"


def load() -> ctypes.CDLL | None:
    """libical, with the prototypes used here; ``None`` if it is not installed."""
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        return None
    lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    lib.icalparser_parse_string.restype = ctypes.c_void_p
    lib.icalrestriction_check.argtypes = [ctypes.c_void_p]
    lib.icalrestriction_check.restype = ctypes.c_int
    # The _r variant returns a buffer the caller owns (the plain one uses a shared ring buffer).
    lib.icalcomponent_as_ical_string_r.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_as_ical_string_r.restype = ctypes.c_void_p
    lib.icalmemory_free_buffer.argtypes = [ctypes.c_void_p]
    lib.icalmemory_free_buffer.restype = None
    lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_free.restype = None
    return lib


def errors(lib: ctypes.CDLL, ical: bytes) -> list[str]:
    """The unfolded ``X-LIC-ERROR`` lines libical reports for ``ical`` (empty when valid)."""
    component = lib.icalparser_parse_string(ical)
    if not component:
        return ["X-LIC-ERROR: libical could not parse the text at all"]
    try:
        lib.icalrestriction_check(component)
        buffer = lib.icalcomponent_as_ical_string_r(component)
        try:
            text = ctypes.string_at(buffer).decode()
        finally:
            lib.icalmemory_free_buffer(buffer)
    finally:
        lib.icalcomponent_free(component)
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    return [line for line in unfolded.splitlines() if line.startswith("X-LIC-ERROR")]
