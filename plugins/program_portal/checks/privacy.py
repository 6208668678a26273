"""Privacy checks (spec section 4): e-mail addresses and telephone numbers in published text.

The portal publishes no personal data. :func:`scan` looks at one text (``program.yml``, a
Markdown body, a page under ``content/``, a rendered page or download, a setting) and returns
one located error per finding, at the line and column where the finding starts:

* ``PV001``: an e-mail address that is not in ``privacy.allowed_emails`` (compared
  case-insensitively). ``mailto:`` links count; the user part of a URL
  (``https://user@host/``), an SSH remote (``git@host:repo``), an ``@handle`` and a
  ``name@2x.png`` image are not addresses.
* ``PV002``: a telephone number (:mod:`.phones`: a heuristic united with libphonenumber for
  the program's regions).

Each text is scanned twice: as written, and as its reader sees it (:mod:`.decoded`: HTML
entities, percent-encoding, full-width ``＠``, zero-width characters and soft hyphens, tags and
comments undone), so ``jane&#64;example.com`` is found at the ``jane`` where it was written.

The scan is linear in the input. An address is looked for around each ``@`` only, in a bounded
window (a local part of at most 64 characters, a domain of at most 253: RFC 5321), and every
pattern is free of nested unbounded repetition (tests/test_hostile_privacy.py runs a megabyte of
adversarial text under a time guard).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from program_portal.checks import phones
from program_portal.checks.decoded import decode
from program_portal.codes import EMAIL, PHONE
from program_portal.diagnostics import Diagnostic, Location, error

__all__ = ["EMAIL", "PHONE", "Finding", "findings", "locate", "scan"]

# --- e-mail addresses -------------------------------------------------------------------------

MAX_LOCAL = 64
MAX_DOMAIN = 253
_AT = re.compile(r"(?<=[\w%+\-.'])@(?=[^\W_])")  # an @ with something on both sides
_LOCAL_CHAR = re.compile(r"[\w%+\-.']")
# Local part: starts with a letter or digit; no leading, trailing or double dot (o'brien is fine).
_LOCAL = re.compile(r"[^\W_](?:[\w%+\-]|'(?=\w)|\.(?=[\w%+\-]))*")
_NO_START_AFTER = re.compile(r"[^\W_]|[.%+\-]")  # not in the middle of a local part
_DOMAIN = re.compile(r"(?:[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?\.){1,126}[^\W\d_]{2,63}(?![^\W_]|-)")
_NO_END_BEFORE = re.compile(r"[^\W_]|-")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_SPACE = re.compile(r"\s")
_RETINA_IMAGE = re.compile(r"[0-9]+(?:\.[0-9]+)?x\.[A-Za-z]+")  # logo@2x.png
_URL_WINDOW = 2048


def _in_url_userinfo(text: str, start: int) -> bool:
    """``https://jane@host`` / ``ftp://user:pw@host``: the match starts in a URL's user part."""
    prefix = text[max(0, start - _URL_WINDOW) : start]
    space = _SPACE.search(prefix[::-1])
    token = prefix[len(prefix) - space.start() :] if space else prefix
    schemes = list(_URL_SCHEME.finditer(token))
    if not schemes:
        return False
    after = token[schemes[-1].end() :]
    return not any(c in after for c in "/?#@")


def _is_ssh_remote(text: str, end: int) -> bool:
    """``git@github.com:org/repo.git``: user@host:path is an SSH remote, not an address."""
    return end + 1 < len(text) and text[end] == ":" and (text[end + 1].isalnum() or text[end + 1] in "~/._-")


def _email_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every e-mail address, leftmost first, never overlapping; bounded work per ``@``."""
    spans: list[tuple[int, int]] = []
    last_end = 0
    for at in _AT.finditer(text):
        p = at.start()
        if p < last_end:
            continue
        floor = max(last_end, p - MAX_LOCAL)
        previous = text.rfind("@", floor, p)
        if previous >= 0:
            floor = previous + 1
        s = p
        while s > floor and _LOCAL_CHAR.match(text, s - 1):
            s -= 1
        domain = _DOMAIN.match(text, p + 1, min(len(text), p + 2 + MAX_DOMAIN))
        if not domain:
            continue
        end = domain.end()
        if end < len(text) and _NO_END_BEFORE.match(text, end):
            continue  # the domain went on past the window
        cut = s == p - MAX_LOCAL and s > 0 and _LOCAL_CHAR.match(text, s - 1)
        for start in range(s, p):
            if start > 0 and _NO_START_AFTER.match(text, start - 1) and not (cut and start == s):
                continue
            if _LOCAL.fullmatch(text, start, p):
                spans.append((start, end))
                last_end = end
                break
    return spans


def _is_address(text: str, start: int, end: int, allowed: frozenset[str]) -> bool:
    address = text[start:end]
    domain = address.rpartition("@")[2]
    if address.casefold() in allowed or _RETINA_IMAGE.fullmatch(domain):
        return False
    return not (_in_url_userinfo(text, start) or _is_ssh_remote(text, end))


# --- findings ---------------------------------------------------------------------------------


def _visible(text: str) -> str:
    """``text`` with invisible characters (zero-width, soft hyphen, bidi controls) shown as ``\\u200b``."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cf", "Cc", "Zl", "Zp") else c for c in text)


@dataclass(frozen=True, order=True)
class Finding:
    """An address or number at ``start:end`` of the scanned text; ``written`` is how it was written there."""

    start: int
    end: int
    code: str
    value: str
    written: str

    def message(self, where: str = "") -> str:
        if self.code == PHONE and not self.value:  # the library's budget ran out here
            return (
                f"more than {phones.MAX_CANDIDATES} number-like strings{where}: the telephone-number check stops "
                "here; split the text into smaller files"
            )
        shown = f" (written '{_visible(self.written)}')" if self.written != self.value else ""
        if self.code == EMAIL:
            return (
                f"e-mail address '{self.value}' is not in privacy.allowed_emails{shown}{where}; the portal publishes "
                "no personal data (use a functional mailbox and list it there)"
            )
        return f"'{self.value}' looks like a telephone number{shown}{where}; the portal publishes no personal data"


def allowed_set(allowed_emails: Iterable[str]) -> frozenset[str]:
    return frozenset(a.strip().removeprefix("mailto:").casefold() for a in allowed_emails if isinstance(a, str))


def _plain(text: str, allowed: frozenset[str], regions: Iterable[str]) -> list[tuple[int, int, str]]:
    found = [(s, e, EMAIL) for s, e in _email_spans(text) if _is_address(text, s, e, allowed)]
    spans, stopped = phones.find(text, regions)
    found += [(s, e, PHONE) for s, e in spans]
    if stopped is not None:
        found.append((stopped, stopped, PHONE))
    return found


def findings(text: str, allowed: frozenset[str] = frozenset(), regions: Iterable[str] = ()) -> list[Finding]:
    """Every finding in ``text`` as written and as decoded, by offset in ``text``, without repeats."""
    regions = tuple(regions)
    out = {s: Finding(s, e, code, text[s:e], text[s:e]) for s, e, code in _plain(text, allowed, regions)}
    decoded = decode(text)
    if decoded is not None:
        plain, starts, ends = decoded
        raw = sorted(out)
        for s, e, code in _plain(plain, allowed, regions):
            start, end = starts[s], (ends[e - 1] if e > s else starts[s])
            if start in out and out[start].end == end:
                continue  # the same finding as written
            # The decoded reading (jan\u200be@...) replaces the raw findings it overlaps (e@...).
            i = bisect.bisect_left(raw, start)
            for other in raw[max(0, i - 2) : bisect.bisect_left(raw, end)]:
                if other in out and out[other].start < end and start < out[other].end:
                    del out[other]
            out[start] = Finding(start, end, code, plain[s:e], text[start:end])
    return sorted(out.values())


def locate(text: str, file: str, found: Iterable[Finding], *, where: str = "", line_offset: int = 0) -> list[Diagnostic]:
    """One error per finding, at its 1-based line and column in ``text`` (``line_offset`` lines down)."""
    diagnostics = []
    line, line_start, pos = 1, 0, 0
    for finding in sorted(found):
        offset = finding.start
        while True:
            newline = text.find("\n", pos, offset)
            if newline < 0:
                break
            line, line_start, pos = line + 1, newline + 1, newline + 1
        pos = offset
        location = Location(file, line + line_offset, offset - line_start + 1)
        diagnostics.append(error(finding.code, finding.message(where), location))
    return diagnostics


def scan(text: str, file: str, allowed_emails: Iterable[str] = (), *, regions: Iterable[str] = ()) -> list[Diagnostic]:
    """Every e-mail address not in ``allowed_emails`` and every telephone number in ``text``.

    One error per finding, located at the 1-based line and column where it starts in ``text``;
    ``file`` is the name to report (``program.yml``, ``content/guides/executive.md``). Nothing is
    skipped: YAML comments, Markdown code and HTML are published or kept in the repository too.
    ``regions`` are the countries whose national telephone formats libphonenumber knows.
    """
    return locate(text, file, findings(text, allowed_set(allowed_emails), regions))
