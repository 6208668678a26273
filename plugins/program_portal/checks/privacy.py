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

Each distinct text is scanned once (:func:`findings`): a text is cut into pieces where no finding
can span (:func:`segments`), a piece without an ``@``-like character and with fewer than seven
digits is skipped after that test, and the findings of every other piece are kept in :data:`MEMO`
(:class:`Memo`, keyed by a hash of the piece, :data:`SCANNER_VERSION` and the options), which the
source scan, the published scan and the built-HTML backstop share. tests/test_privacy_fast.py
checks that this finds exactly what scanning each whole text finds.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

from program_portal import integrity
from program_portal.checks import phones
from program_portal.checks.decoded import decode
from program_portal.codes import EMAIL, PHONE
from program_portal.diagnostics import Diagnostic, Location, error

__all__ = ["EMAIL", "MEMO", "PHONE", "Finding", "Memo", "findings", "locate", "scan", "segments"]

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


def _plain(
    text: str, allowed: frozenset[str], regions: Iterable[str], budget: phones.Budget | None = None
) -> list[tuple[int, int, str]]:
    found = [(s, e, EMAIL) for s, e in _email_spans(text) if _is_address(text, s, e, allowed)] if "@" in text else []
    spans, stopped = phones.find(text, regions, budget=budget)
    found += [(s, e, PHONE) for s, e in spans]
    if stopped is not None:
        found.append((stopped, stopped, PHONE))
    return found


def _finding(text: str, s: int, e: int, code: str, value: str | None = None) -> Finding:
    value = text[s:e] if value is None else value
    return Finding(s, e, code, phones.ascii_digits(value) if code == PHONE else value, text[s:e])


def _findings_of(
    text: str, allowed: frozenset[str], regions: tuple[str, ...], raw: phones.Budget, decoded_budget: phones.Budget
) -> list[Finding]:
    """Every finding in one text (a segment), as written and as decoded: the detector itself."""
    out = {s: _finding(text, s, e, code) for s, e, code in _plain(text, allowed, regions, raw)}
    decoded = decode(text)
    if decoded is not None:
        plain, starts, ends = decoded
        raw_starts = sorted(out)
        for s, e, code in _plain(plain, allowed, regions, decoded_budget):
            start, end = starts[s], (ends[e - 1] if e > s else starts[s])
            if start in out and out[start].end == end:
                continue  # the same finding as written
            # The decoded reading (jan\u200be@...) replaces the raw findings it overlaps (e@...).
            i = bisect.bisect_left(raw_starts, start)
            for other in raw_starts[max(0, i - 2) : bisect.bisect_left(raw_starts, end)]:
                if other in out and out[other].start < end and start < out[other].end:
                    del out[other]
            out[start] = _finding(text, start, end, code, plain[s:e])
    return sorted(out.values())


# --- the fast path: segments, a prefilter and a memo ------------------------------------------

SCANNER_VERSION = "3"
"""Part of every memo key: bump it when a change to the detector changes what it finds."""

# Where a finding could start: an @ or something that decodes to one (entities, percent and
# backslash escapes, full-width and small forms, [at], "at ... dot"); digits are counted apart.
_TRIGGER_CHARS = re.compile(r"[@\uff20\ufe6b&%\\]")
_TRIGGER_WORDS = re.compile(r"[\[({]\s?(?i:at|dot)\s?[\])}]|\s(?i:dot)\s")
_MIN_DIGITS = 7  # the shortest telephone number either finder takes


def _may_find(text: str) -> bool:
    """False when no finding can be in ``text``: no @ nor anything that decodes to one, and fewer than seven digits."""
    if _TRIGGER_CHARS.search(text):
        return True
    digits = phones._digit_count(text)
    if digits < _MIN_DIGITS and not text.isascii():
        digits += len(phones._OTHER_DIGIT.findall(text))
    if digits >= _MIN_DIGITS:
        return True
    low = text.lower()
    return ("dot" in low or ("at" in low and ("[" in text or "(" in text or "{" in text))) and bool(_TRIGGER_WORDS.search(text))


# A cut between two pieces of a text: in a run of two or more whitespace characters with a line
# break, or at the line break of ``>\n<`` (where rendered HTML puts one block after another),
# outside any tag or comment. No finding spans one (an address has no space, a telephone number
# no line break, a masked date or time range at most one whitespace character on each side of
# its dash, a decoded token no line break outside tags and comments, and no tag ends after the
# ``>``), so the pieces are scanned one by one and their findings are those of the whole text.
_CUT = re.compile(r"[ \t\r\n]{2,}|>\n<")
SEGMENT_MIN = 160
"""Pieces are at least this long (except the last); where a piece ends depends only on the text
there (content-defined), so the header, navigation and footer that every built page shares cut
alike on every page and hit the memo."""


def _markup_around(text: str, lo: int, cut: int) -> tuple[int, int] | None:
    """The ``(start, end)`` of a tag or comment that may hold ``cut``, or None; ``lo`` is outside any.

    Conservative, as :mod:`.decoded` reads markup: a comment runs from ``<!--`` to the next
    ``-->``; a tag from the last ``<`` to the next ``>`` (end -1 when it never closes)."""
    comment = text.rfind("<!--", lo, cut)
    if comment >= 0 and text.rfind("-->", comment + 4, cut) < 0:
        close = text.find("-->", max(cut, comment + 4))
        return comment, (close + 3 if close >= 0 else -1)
    tag = text.rfind("<", lo, cut)
    if tag > text.rfind(">", lo, cut):
        close = text.find(">", cut)
        return tag, (close + 1 if close >= 0 else -1)
    return None


def segments(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the pieces of ``text`` that are scanned (and memoised) apart; together they are ``text``.

    Linear: each candidate cut looks back only to the last point known to be outside markup."""
    n = len(text)
    if n < 2 * SEGMENT_MIN:
        return [(0, n)]
    cuts = [0]
    outside = 0  # a position known to be outside any tag or comment
    pos = SEGMENT_MIN - 1
    while True:
        m = _CUT.search(text, pos)
        if m is None:
            break
        pos = m.end()
        cut = m.start() + 1
        if n - cut < SEGMENT_MIN:
            break
        if "\n" not in m.group() or zlib.crc32(text[cut : cut + 48].encode("utf-8", "surrogatepass")) & 3:
            continue
        markup = _markup_around(text, outside, cut)
        if markup is not None:
            outside, end = markup
            if end < 0:
                break  # an unclosed tag or comment: the rest is one piece
            pos = end
            continue
        cuts.append(cut)
        outside = cut
        pos = cut + SEGMENT_MIN - 1
    cuts.append(n)
    return list(zip(cuts, cuts[1:]))


class Memo:
    """The findings of each distinct text scanned in this process, by a hash of the text, the
    scanner's version and the privacy options (``allowed_emails``, the regions).

    The published scan, the source scan and the built-HTML backstop scan much the same texts (a
    page as written and as published, the navigation of every built page): each distinct piece is
    computed once. Bounded: the oldest entries go first. ``computed`` and ``hits`` count, for tests
    and the benchmark.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[bytes, tuple[tuple[Finding, ...], int, int]] = OrderedDict()
        self.computed = 0
        self.hits = 0
        self.used: set[bytes] = set()
        """Keys looked up with a hit or stored since :func:`load_memo` (what the current build scanned)."""
        self.loaded: set[str] = set()
        """The memo files read into this memo (each once per process)."""

    def clear(self) -> None:
        self.entries.clear()
        self.used.clear()
        self.loaded.clear()
        self.computed = self.hits = 0

    def get(self, key: bytes) -> tuple[tuple[Finding, ...], int, int] | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            self.used.add(key)
        return entry

    def put(self, key: bytes, entry: tuple[tuple[Finding, ...], int, int]) -> None:
        self.entries[key] = entry
        self.used.add(key)
        if len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    # On disk: the findings of the pieces one build scanned, sealed (:mod:`program_portal.integrity`), so
    # a warm build scans only what changed and a file a pull request adds under the cache is ignored.

    def load(self, path: Path, secret: bytes | None) -> int:
        """Add the entries of the memo file at ``path`` if its seal verifies; how many (0: none, or read before)."""
        name = str(path)
        if secret is None or name in self.loaded:
            return 0
        self.loaded.add(name)
        data = integrity.read_sealed(path, secret, _memo_context(), MEMO_FILE_LIMIT)
        if data is None:
            return 0
        added = 0
        try:
            for key, found, raw, decoded in json.loads(data):
                self.entries.setdefault(bytes.fromhex(key), (tuple(Finding(*f) for f in found), int(raw), int(decoded)))
                added += 1
                if len(self.entries) >= self.max_entries:
                    break
        except (ValueError, TypeError):  # not a memo after all (the seal verified): what was read stays
            pass
        return added

    def save(self, path: Path, secret: bytes | None) -> None:
        """Write the entries used since :func:`load_memo` to ``path``, sealed, atomically."""
        rows = [[key.hex(), [list(astuple(f)) for f in entry[0]], entry[1], entry[2]]
                for key in sorted(self.used) if (entry := self.entries.get(key)) is not None]
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        integrity.write_sealed(path, secret, _memo_context(), data)


MEMO = Memo()

MEMO_FILE = "privacy-memo"
"""The memo's file in the download cache's folder (``.cache/program-portal/privacy-memo``)."""
MEMO_FILE_LIMIT = 64_000_000  # bytes: a larger file is not read


@lru_cache(maxsize=1)
def _memo_context() -> str:
    """Sealed with the memo: the scanner's version and a hash of the detector's code and of
    phonenumbers' version, so a memo written by another detector never verifies."""
    import sys
    from importlib.util import find_spec

    # phonenumbers' own __init__.py names its version (its metadata may be phonenumberslite's); read, not
    # imported: a warm build whose texts are all in the memo never imports the library
    spec = find_spec("phonenumbers")
    library = Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"?"
    here = Path(__file__).resolve().parent
    code = integrity.fingerprint((here / name for name in ("privacy.py", "phones.py", "decoded.py")),
                                 library, sys.version, unicodedata.unidata_version)  # the library's ranges; \w and digits
    return f"{MEMO_FILE} {SCANNER_VERSION} {code}"


def load_memo(directory: Path | None, root: Path | None, memo: Memo = MEMO) -> int:
    """A build starts: read the memo a previous build left in the cache folder ``directory`` (None: no
    disk cache; read once per process) and start counting what this build uses."""
    memo.used.clear()
    return memo.load(directory / MEMO_FILE, integrity.cache_key(root)) if directory is not None else 0


def save_memo(directory: Path | None, root: Path | None, memo: Memo = MEMO) -> None:
    """Keep the memo entries this build used in the cache folder ``directory`` for the next build."""
    if directory is not None:
        memo.save(directory / MEMO_FILE, integrity.cache_key(root))


@lru_cache(maxsize=64)
def _options_key(allowed: frozenset[str], regions: tuple[str, ...]) -> bytes:
    options = "\x00".join(sorted(allowed)) + "\x01" + ",".join(regions)
    return f"privacy-scan {SCANNER_VERSION}\x02{options}\x02".encode("utf-8", "surrogatepass")


def _key(text: str, allowed: frozenset[str], regions: tuple[str, ...]) -> bytes:
    return hashlib.blake2b(_options_key(allowed, regions) + text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


def _piece(
    text: str, allowed: frozenset[str], regions: tuple[str, ...], raw: phones.Budget, decoded: phones.Budget, memo: Memo | None
) -> tuple[Finding, ...]:
    if not _may_find(text):
        return ()
    key = _key(text, allowed, regions)
    entry = memo.get(key) if memo is not None else None
    if entry is not None and entry[1] <= raw.left() and entry[2] <= decoded.left():
        raw.used += entry[1]
        decoded.used += entry[2]
        memo.hits += 1  # type: ignore[union-attr]
        return entry[0]
    raw_before, decoded_before = raw.used, decoded.used
    found = tuple(_findings_of(text, allowed, regions, raw, decoded))
    if memo is not None:
        memo.computed += 1
        if not raw.stopped and not decoded.stopped:  # a result cut short by the budget is not reused
            memo.put(key, (found, raw.used - raw_before, decoded.used - decoded_before))
    return found


def findings(
    text: str, allowed: frozenset[str] = frozenset(), regions: Iterable[str] = (), *, memo: Memo | None = MEMO
) -> list[Finding]:
    """Every finding in ``text`` as written and as decoded, by offset in ``text``, without repeats.

    The text is scanned piece by piece (:func:`segments`); a piece with no ``@``-like character
    and fewer than seven digits costs no more than the prefilter, and a piece seen before in this
    process (``memo``, :data:`MEMO` by default; None to compute every piece) is not scanned again.
    The library's budget (:data:`.phones.MAX_CANDIDATES`) is shared by the pieces of one text.
    """
    regions = tuple(regions)
    raw, decoded = phones.Budget(), phones.Budget()
    whole = None
    if memo is not None and len(text) >= 2 * SEGMENT_MIN:  # a whole text seen before (a page built again) is one lookup
        whole = b"whole\x00" + _key(text, allowed, regions)
        entry = memo.get(whole)
        if entry is not None and entry[1] <= raw.left() and entry[2] <= decoded.left():
            memo.hits += 1
            return list(entry[0])
    out: list[Finding] = []
    for start, end in segments(text):
        found = _piece(text[start:end], allowed, regions, raw, decoded, memo)
        if start:
            found = tuple(Finding(f.start + start, f.end + start, f.code, f.value, f.written) for f in found)
        out += found
    if whole is not None and not raw.stopped and not decoded.stopped:
        memo.put(whole, (tuple(out), raw.used, decoded.used))  # type: ignore[union-attr]
    return out


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
