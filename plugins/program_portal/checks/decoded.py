"""A text as its reader sees it: the decoded form the privacy scan looks at beside the raw text.

``jane&#64;example.com``, ``mailto:jane%40example.com``, ``jane＠example.com``,
``jane\u200b@example.com``, ``jane<!-- -->@example.com`` and ``jane*@*example.com`` all publish
``jane@example.com``. :func:`decode` undoes, in one pass over the text:

* HTML character references (``&#64;``, ``&#x40;``, ``&commat;``, with or without ``;``);
* percent-encoding (``%40``, ``%2B``; runs decoded as UTF-8);
* JSON, JavaScript and YAML escapes (``\\u0040``, ``\\x40``, ``\\U00000040``: a double-quoted YAML
  string publishes ``"jane\\x40example.com"`` as an address) and Markdown backslash escapes (``\\.``);
* HTML comments and tags (an inline tag such as ``<span>`` disappears, a block tag such as
  ``<td>`` or ``<br>`` becomes a space, as a browser shows them), and the Markdown emphasis and
  code markers ``*`` and ````` ``;
* invisible characters: zero-width spaces and joiners, the soft hyphen, word joiners, BOMs and
  bidirectional controls;
* full-width and small forms (``＠``, ``﹫``, ``０３０``), by Unicode compatibility (NFKC);
* the obfuscations ``[at]``, ``(at)``, ``{at}``, ``[dot]``, ``(dot)``, ``{dot}``, and the spelled
  ``jane at corp dot example`` (an ``at`` between words counts only when a ``dot`` follows the next
  word: ``meet at the office`` stays prose; a ``dot`` between two words reads as ``.``);
* the ideographic full stops ``。`` (U+3002) and ``｡`` (U+FF61) between two letters or digits, as
  ``.`` (the full-width ``．``, U+FF0E, is one of the full-width forms above).

It returns the decoded text and, for each of its characters, the span of the original text it
comes from, so that a finding in the decoded text is reported where it was written. The pattern
is one alternation of bounded or stop-at-delimiter pieces: linear in the input.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Sequence
from typing import overload
from urllib.parse import unquote

_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0"
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr input li main nav ol option p pre section select summary table tbody td textarea tfoot th thead tr ul".split()
)
# Where a token can start, tested before the alternation below: most characters of a text start none, and
# ruling them out with one class (or a space not followed by an obfuscation's bracket or its "at" or "dot")
# makes the scan several times faster. Every token's first character is in it: keep the two in step (tested).
_STARTS = (
    r"(?=[<&%\\*`" + _INVISIBLE + r"\uff01-\uff5e\ufe50-\ufe6b\[({\u3002\uff61]"
    r"|\s[\[({]|[ \t\u00a0]{1,3}[aAdD])"
)
_TOKENS = r"""
      (?P<comment><!--)
    | (?P<tag></?(?P<name>[A-Za-z][A-Za-z0-9-]{0,30})(?:[\s/][^<>]*)?>)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)
    | (?P<percent>(?:%[0-9A-Fa-f]{2})+)
    | (?P<unicode>\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\U[0-9A-Fa-f]{8})
    | (?P<escape>\\[!-/:-@\[-`{-~])
    | (?P<marker>[*`])
    | (?P<invisible>[""" + _INVISIBLE + r"""]+)
    | (?P<wide>[\uff01-\uff5e\ufe50-\ufe6b])
    | (?P<at>[\s]?[\[({][\s]?(?i:at|dot)[\s]?[\])}][\s]?)
    | (?P<spelled_at>(?<=[^\W_])[ \t\u00a0]{1,3}(?i:at)[ \t\u00a0]{1,3}(?=[^\W_][\w-]{0,62}[ \t\u00a0]{1,3}(?i:dot)[ \t\u00a0]{1,3}[^\W_]))
    | (?P<spelled_dot>(?<=[^\W_])[ \t\u00a0]{1,3}(?i:dot)[ \t\u00a0]{1,3}(?=[^\W_]))
    | (?P<full_stop>(?<=[^\W_])[\u3002\uff61](?=[^\W_]))
"""
_ENCODED = re.compile(_STARTS + "(?:" + _TOKENS + ")", re.VERBOSE)


def _replacement(m: re.Match[str], text: str) -> tuple[str, int]:
    """What the match stands for, and where in ``text`` the next token starts."""
    kind = m.lastgroup
    token = m.group()
    end = m.end()
    if kind == "comment":
        close = text.find("-->", end)
        return "", (len(text) if close < 0 else close + 3)
    if kind == "tag":
        return (" " if m.group("name").lower() in _BLOCK_TAGS else ""), end
    if kind == "entity":
        return html.unescape(token), end
    if kind == "percent":
        return unquote(token, errors="replace"), end
    if kind == "unicode":
        code = int(token[2:], 16)
        return (chr(code) if code <= 0x10FFFF else token), end
    if kind == "escape":
        return token[1], end
    if kind in ("marker", "invisible"):
        return "", end
    if kind == "wide":
        return unicodedata.normalize("NFKC", token), end
    if kind == "full_stop":
        return ".", end
    return ("." if "dot" in token.lower() else "@"), end


class Offsets(Sequence[int]):
    """For each decoded character, where it starts (or ends) in the original text: worked out when asked from
    the runs of the decoding (copied text, or one token's replacement), not stored per character."""

    def __init__(self, at: list[int], runs: list[tuple[bool, int, int]], length: int, *, ends: bool) -> None:
        self._at, self._runs, self._length, self._ends = at, runs, length, ends

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        k = bisect.bisect_right(self._at, index) - 1
        copied, start, end = self._runs[k]
        if copied:
            return start + (index - self._at[k]) + self._ends
        return end if self._ends else start


def decode(text: str) -> tuple[str, Offsets, Offsets] | None:
    """``(decoded text, starts, ends)``, or None when nothing is encoded.

    ``text[starts[i]:ends[i]]`` is what decoded character ``i`` was written as.
    """
    if not _ENCODED.search(text):
        return None
    parts: list[str] = []
    at: list[int] = []  # where each run starts in the decoded text
    runs: list[tuple[bool, int, int]] = []  # (copied as written, start, end in the text)
    length = 0
    pos = 0
    while True:
        m = _ENCODED.search(text, pos)
        if m is None:
            break
        if m.start() > pos:
            parts.append(text[pos : m.start()])
            at.append(length)
            runs.append((True, pos, m.start()))
            length += m.start() - pos
        replacement, pos = _replacement(m, text)
        if replacement:
            parts.append(replacement)
            at.append(length)
            runs.append((False, m.start(), m.end()))
            length += len(replacement)
        if pos >= len(text):
            break
    if pos < len(text):
        parts.append(text[pos:])
        at.append(length)
        runs.append((True, pos, len(text)))
        length += len(text) - pos
    return "".join(parts), Offsets(at, runs, length, ends=False), Offsets(at, runs, length, ends=True)
