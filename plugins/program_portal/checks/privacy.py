"""Privacy checks (spec section 4): e-mail addresses and telephone numbers in published text.

The portal publishes no per-person data. :func:`scan` looks at one text (``program.yml``, a
Markdown body or a page under ``content/``, comments included) and returns one located error per
finding, at the line and column where the finding starts:

* ``PV001``: an e-mail address that is not in ``privacy.allowed_emails`` (compared
  case-insensitively). ``mailto:`` links count; the user part of a URL
  (``https://user@host/``), an SSH remote (``git@host:repo``), an ``@handle`` and a
  ``name@2x.png`` image are not addresses.
* ``PV002``: a telephone number: seven to fifteen digits with the usual separators (spaces,
  dots, hyphens, parentheses), optionally after a ``+``.

Telephone numbers are found in two steps. First every date, time, ISO or compact date-time,
date, time or year range and IPv4 address is blanked out (replaced by letters, so that digits
glued to it count as part of a word). Then every run of digit groups (joined by one space, dot or
hyphen, or by parentheses) is checked against the grouping of real telephone numbers; when the
whole run does not fit, shorter runs between spaces are tried (``call 020 7946 0958 2 times``):

* 7 to 15 digits, one kind of separator (not counting the one after a ``+`` country code or next
  to parentheses), no one-digit group except the first, the one after a country code and
  ``(0)``, and no two-group decimal (``3.14159265``);
* with ``+``, a trunk ``0`` (``020 7946 0958``, ``0044 20 ...``) or an area code in parentheses
  that is enough, except that ``0`` and ``00`` must be followed by a non-zero digit and numbers
  in two-digit groups must have ten digits (``01 23 45 67 89``, not ``01 02 03 04``);
* any other number must also have the shape of a telephone number: ``555.010.9999`` or
  ``1.555.010.9999`` with dots; with spaces or hyphens groups of at most five digits and a last
  group of at least four (``555 010 9999``, ``1-800-555-0199``, ``6123-4567``), or
  ``1300 123 456``. This leaves out amounts (``1 250 000``, ``1.250.000,00``), versions and
  section numbers (``10.0.19045.2965``), years and year ranges (``2026-2027``,
  ``ISO 9001-2015``), ZIP+4 codes (``02111-1307``) and lists of small numbers;
* a number without separators is a telephone number only as ``+`` and 8 to 15 digits, ``0``
  and 10 to 12 digits (``07700900123``) or ``00`` and 11 to 15 digits;
* a number glued to a word, or following ``/ = # - . @ _ & ? % $ £ € ¥ +`` or a ``:`` that does
  not end a word (``tel:`` does), is never a telephone number: URLs, identifiers
  (``leadership-mentoring-2027``), hashes, colours, RRULE values, ``PT12H``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from program_portal.diagnostics import Diagnostic, Location, error
from program_portal.codes import EMAIL, PHONE


__all__ = ["EMAIL", "PHONE", "scan"]

# --- e-mail addresses -------------------------------------------------------------------------

_EMAIL = re.compile(
    r"""
    (?<![^\W_]|[.%+\-])                    # start of a local part, not in the middle of one
    [^\W_]                                 # local part: starts with a letter or digit,
    (?:[\w%+\-]|'(?=\w)|\.(?=[\w%+\-]))*   #   no leading, trailing or double dot (o'brien is fine)
    @
    (?:[^\W_](?:(?:[^\W_]|-)*[^\W_])?\.)+  # domain labels, each followed by a dot
    [^\W\d_]{2,63}                         # top-level domain: letters only
    (?![^\W_]|-)
    """,
    re.VERBOSE,
)
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_RETINA_IMAGE = re.compile(r"[0-9]+(?:\.[0-9]+)?x\.[A-Za-z]+")  # logo@2x.png


def _in_url_userinfo(text: str, start: int) -> bool:
    """``https://jane@host`` / ``ftp://user:pw@host``: the match starts in a URL's user part."""
    token_start = start
    while token_start > 0 and not text[token_start - 1].isspace():
        token_start -= 1
    prefix = text[token_start:start]
    schemes = list(_URL_SCHEME.finditer(prefix))
    if not schemes:
        return False
    after = prefix[schemes[-1].end() :]
    return not any(c in after for c in "/?#@")


def _is_ssh_remote(text: str, end: int) -> bool:
    """``git@github.com:org/repo.git``: user@host:path is an SSH remote, not an address."""
    return end + 1 < len(text) and text[end] == ":" and (text[end + 1].isalnum() or text[end + 1] in "~/._-")


def _emails(text: str, allowed: frozenset[str]) -> list[tuple[int, str, str]]:
    found = []
    for m in _EMAIL.finditer(text):
        address = m.group()
        domain = address.rpartition("@")[2]
        if address.casefold() in allowed or _RETINA_IMAGE.fullmatch(domain):
            continue
        if _in_url_userinfo(text, m.start()) or _is_ssh_remote(text, m.end()):
            continue
        found.append(
            (
                m.start(),
                EMAIL,
                f"e-mail address '{address}' is not in privacy.allowed_emails; the portal publishes "
                "no personal data (use a functional mailbox and list it there)",
            )
        )
    return found


# --- things that look like numbers but are not telephone numbers -------------------------------

_D = "[0-9]"
_HOUR = "(?:[01]?[0-9]|2[0-3])"
_MINUTE = "[0-5][0-9]"
_ISO_TIME = (
    rf"T{_D}{{2}}(?::?{_D}{{2}}(?::?{_D}{{2}}(?:[.,]{_D}+)?)?)?"  # T16:00, T16:00:00.5, T1600
    rf"(?:Z|[+\-−]{_D}{{2}}(?::?{_D}{{2}})?)?"  # Z, +01:00, -0500
)
# 2027-01-28, 2027.01.28, 2027/01/28, optionally with an ISO time: 2027-01-28T16:00:00+00:00
_DATE_YMD = re.compile(
    rf"(?<![\w.])({_D}{{4}})([\-./])({_D}{{1,2}})\2({_D}{{1,2}})(?:{_ISO_TIME})?(?!\w)(?!\2{_D})"
)
# 28.01.2027, 28/01/2027, 01-28-2027, 28.01.27 (day and month in either order)
_DATE_DMY = re.compile(rf"(?<![\w.])({_D}{{1,2}})([\-./])({_D}{{1,2}})\2({_D}{{4}}|{_D}{{2}})(?!\w)(?!\2{_D})")
# 20271217, 20080830 172159, 20010101-000000 (compact dates and time stamps)
_DATE_COMPACT = re.compile(
    rf"(?<![\w.+\-])(?:19|20){_D}{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]{_D}|3[01])"
    rf"(?:[T\- ]?(?:[01]{_D}|2[0-3]){_MINUTE}(?:{_MINUTE})?(?![0-9]))?(?![0-9])"
)
# 16:00, 9.30, 16:00:00, 16:00-17:30, 08.00 – 12.30
_TIME = re.compile(
    rf"(?<![\w.:])({_HOUR}([:.]){_MINUTE}(?::{_MINUTE})?)"
    rf"(?:\s?[\-–—]\s?{_HOUR}\2{_MINUTE}(?::{_MINUTE})?)?(?!\w)(?![.:]{_D})"
)
# 0800-0930 (military-style time range)
_HHMM_RANGE = re.compile(rf"(?<![\w.+\-])(?:[01][0-9]|2[0-3]){_MINUTE}\s?[\-–—]\s?(?:[01][0-9]|2[0-3]){_MINUTE}(?!\w|[.\-]{_D})")
# 2026-2027, 2026/2027, 1999 - 2027
_YEAR = rf"(?:19|20){_D}{{2}}"
_YEAR_RANGE = re.compile(rf"(?<![\w.+\-]){_YEAR}\s?[\-/–—]\s?{_YEAR}(?!\w|[.\-]{_D})")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.{_D})")


def _valid_day_month(a: str, b: str) -> bool:
    x, y = int(a), int(b)
    return (1 <= x <= 31 and 1 <= y <= 12) or (1 <= x <= 12 and 1 <= y <= 31)


def _preceded_by_same_separator(text: str, start: int, separator: str) -> bool:
    """``+49-30-12-11-27`` is no date: the would-be date continues a run with its separator."""
    return start >= 2 and text[start - 1] == separator and text[start - 2].isdigit()


def _mask(text: str) -> str:
    """``text`` with every date, time, date-time, year range and IP address replaced by ``x``."""
    chars = list(text)

    def blank(m: re.Match[str]) -> None:
        chars[m.start() : m.end()] = "x" * (m.end() - m.start())

    for m in _DATE_YMD.finditer(text):
        if 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            if not _preceded_by_same_separator(text, m.start(), m.group(2)):
                blank(m)
    for m in _DATE_DMY.finditer(text):
        if _valid_day_month(m.group(1), m.group(3)):
            if not _preceded_by_same_separator(text, m.start(), m.group(2)):
                blank(m)
    for pattern in (_DATE_COMPACT, _TIME, _HHMM_RANGE, _YEAR_RANGE, _IPV4):
        for m in pattern.finditer(text):
            blank(m)
    return "".join(chars)


# --- telephone numbers ------------------------------------------------------------------------

_SPACES = " \u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space
_GROUP = r"(?:\([0-9]{1,6}\)|[0-9]+)"
_SEP = rf"[{_SPACES}.\-]"
_RUN = re.compile(rf"\+?{_GROUP}(?:(?:{_SEP}|(?<=\))|(?=\()){_GROUP})*")
_TOKEN = re.compile(rf"({_SEP}?)(\(?)([0-9]+)\)?")
_YEAR_GROUP = re.compile(_YEAR)
_NOT_BEFORE = set("-_/\\#=@&?%$£€¥+.")
_NOT_AFTER = set("@/%_$£€¥°")
_MAX_DIGITS = 15


def _starts_cleanly(original: str, masked: str, i: int) -> bool:
    if i == 0:
        return True
    c = masked[i - 1]
    if c.isalnum() or c in _NOT_BEFORE:
        return False
    if c == ",":  # 3,0123456789 (decimal comma)
        return not (i >= 2 and masked[i - 2].isdigit())
    if c == ":":  # tel:+44..., Phone:0800 ... but not 16:00 or host:8080
        return i >= 2 and original[i - 2].isalpha()
    return True


def _ends_cleanly(masked: str, j: int) -> bool:
    if j >= len(masked):
        return True
    c = masked[j]
    if c.isalnum() or c in _NOT_AFTER:
        return False
    if c in ".,:-" and j + 1 < len(masked) and (masked[j + 1].isalnum() or masked[j + 1] == "_"):
        return False
    return True


def _is_phone(groups: list[tuple[str, bool]], seps: list[str], plus: bool) -> bool:
    """Whether digit groups (``(digits, in_parentheses)``) joined by ``seps`` form a telephone number.

    ``seps[k]`` is the separator before ``groups[k + 1]`` (``""`` next to parentheses).
    """
    digits = "".join(g for g, _ in groups)
    if not 7 <= len(digits) <= _MAX_DIGITS:
        return False
    first, first_paren = groups[0]
    if len(groups) == 1:
        if first_paren:
            return False
        if plus:
            return len(digits) >= 8
        if first.startswith("00"):
            return first[2] != "0" and len(digits) >= 11  # 00442079460958
        return first.startswith("0") and 10 <= len(digits) <= 12  # 07700900123
    for k, (g, paren) in enumerate(groups):
        if paren:
            if len(g) < 2 and g != "0":  # (1) is a list marker, (0) a trunk prefix
                return False
        elif len(g) == 1 and not (k == 0 or (k == 1 and plus)):
            return False  # 1.6.1, 3.2.1.4, 192.168.1.1, weeks 1 2 3 ...
    has_dot = "." in seps
    if has_dot and len(groups) == 2:
        return False  # a decimal number: 3.14159265, 0800.1234567
    # One kind of separator between the digit groups (not counting the one after a country code
    # or next to parentheses): 3 001 000.00 is an amount, +1 (555) 010-9999 a telephone number.
    kinds = {
        " " if sep in _SPACES else sep
        for k, sep in enumerate(seps, start=1)
        if sep and not (k == 1 and plus) and not groups[k - 1][1] and not groups[k][1]
    }
    if len(kinds) > 1:
        return False
    if plus:
        return not first_paren and len(first) <= 4
    if len(groups) == 2 and _YEAR_GROUP.fullmatch(groups[1][0]):
        return False  # ISO 9001-2015, 0208-1990
    if [len(g) for g, _ in groups] == [5, 4] and seps == ["-"]:
        return False  # ZIP+4 code: 02111-1307
    if first_paren:
        return True
    if first.startswith("0"):
        # A trunk 0 or an international 00 is followed by a non-zero digit: 0.0001234, 0 12 34,
        # 0000 0001 and 00 00 00 00 are no telephone numbers; 00 44 20 7946 0958 is.
        if len(first) < 2 or digits[2 if digits.startswith("00") else 1] == "0":
            return False
        # Groups of two digits are the French style, always ten digits: 01 23 45 67 89.
        return len(digits) == 10 or any(len(g) != 2 for g, _ in groups)
    if any(paren for _, paren in groups):
        return True  # 1 (555) 010-9999
    # No +, no trunk 0, no area code in parentheses: require the shape of a telephone number.
    sizes = [len(g) for g, _ in groups]
    if max(sizes) > 5:
        return False  # 123456789 1234: identifiers, not telephone numbers
    if has_dot:
        return all(s == "." for s in seps) and sizes in ([3, 3, 4], [1, 3, 3, 4])
    if all(_YEAR_GROUP.fullmatch(g) for g, _ in groups):
        return False  # 2025 2026 2027
    return sizes[-1] >= 4 or sizes == [4, 3, 3]


def _phones(text: str) -> list[tuple[int, str, str]]:
    masked = _mask(text)
    found = []
    for run in _RUN.finditer(masked):
        plus = run.group().startswith("+")
        # (start, end, digits, in_parentheses, separator before) of each group
        tokens = []
        for t in _TOKEN.finditer(run.group(), 1 if plus else 0):
            tokens.append((run.start() + t.start(2), run.start() + t.end(), t.group(3), t.group(2) == "(", t.group(1)))
        n = len(tokens)
        s = 0
        while s < n:
            if s == 0:
                start = run.start()
                if not _starts_cleanly(text, masked, start):
                    s += 1
                    continue
            elif tokens[s][4] and tokens[s][4] in _SPACES and not (
                len(tokens[s][2]) == 3 and len(tokens[s - 1][2]) <= 3 and not tokens[s][3]
            ):  # a number may start after a space, but not in the middle of 3 001 000 000
                start = tokens[s][0]
            else:
                s += 1
                continue
            # Extend up to 15 digits, stopping before a one-digit group that no number may contain.
            total, last = 0, s
            while last < n and total + len(tokens[last][2]) <= _MAX_DIGITS:
                k = last - s
                if k and len(tokens[last][2]) == 1 and not tokens[last][3] and not (k == 1 and plus and s == 0):
                    break
                total += len(tokens[last][2])
                last += 1
            for e in range(last, s, -1):  # the longest run that is a telephone number
                if e < n and not (tokens[e][4] and tokens[e][4] in _SPACES):
                    continue
                end = tokens[e - 1][1]
                if e == n and not _ends_cleanly(masked, end):
                    continue
                groups = [(t[2], t[3]) for t in tokens[s:e]]
                seps = [t[4] for t in tokens[s + 1 : e]]
                if _is_phone(groups, seps, plus and s == 0):
                    number = text[start:end]
                    found.append(
                        (start, PHONE, f"'{number}' looks like a telephone number; the portal publishes no personal data")
                    )
                    s = e
                    break
            else:
                s += 1
    return found


# --- the check --------------------------------------------------------------------------------


def scan(text: str, file: str, allowed_emails: Iterable[str] = ()) -> list[Diagnostic]:
    """Every e-mail address not in ``allowed_emails`` and every telephone number in ``text``.

    One error per finding, located at the 1-based line and column where it starts in ``text``;
    ``file`` is the name to report (``program.yml``, ``content/guides/executive.md``). Nothing is
    skipped: YAML comments, Markdown code and HTML are published or kept in the repository too.
    """
    allowed = frozenset(a.strip().removeprefix("mailto:").casefold() for a in allowed_emails if isinstance(a, str))
    findings = sorted(_emails(text, allowed) + _phones(text))
    diagnostics = []
    line, line_start, pos = 1, 0, 0
    for offset, code, message in findings:
        while True:
            newline = text.find("\n", pos, offset)
            if newline < 0:
                break
            line, line_start, pos = line + 1, newline + 1, newline + 1
        pos = offset
        diagnostics.append(error(code, message, Location(file, line, offset - line_start + 1)))
    return diagnostics
