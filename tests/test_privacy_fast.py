"""The fast privacy scan finds exactly what the slow one does, and scans each distinct text once.

The fast path (checks/privacy.py, checks/phones.py) cuts a text into pieces, skips the pieces
with no ``@``-like character and fewer than seven digits, looks for telephone numbers only in
windows around digit clusters and remembers the findings of each piece it scanned. The reference
below is the scan before that: the whole text at once, masked and parsed whole, no memo.
"""

from __future__ import annotations

import bisect

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program_portal.checks import phones, privacy, published
from program_portal.checks.decoded import decode
from program_portal.checks.privacy import EMAIL, PHONE, Finding, Memo, findings

REGIONS = ("DE", "FR", "GB", "US")


# --- the reference: the scan as it was, one whole text -------------------------------------------


def _reference_phones(text: str, regions: tuple[str, ...]) -> tuple[list[tuple[int, int]], int | None]:
    """The old ``phones.find``: the whole text masked, the heuristic and the library on all of it."""
    text = phones.ascii_digits(text)
    masked = phones._mask(text)
    spans = phones.heuristic(text, masked)
    starts = [s for s, _ in spans]
    extra = []
    lib, stopped = phones.library(text, regions, masked, spans)
    for start, end in lib:
        i = bisect.bisect_right(starts, start)
        before = spans[i - 1] if i else None
        after = spans[i] if i < len(spans) else None
        if (before and before[1] > start) or (after and after[0] < end):
            continue
        if extra and extra[-1][1] > start:
            continue
        extra.append((start, end))
    return sorted(spans + extra), stopped


def _reference_plain(text: str, allowed: frozenset[str], regions: tuple[str, ...]) -> list[tuple[int, int, str]]:
    found = [(s, e, EMAIL) for s, e in privacy._email_spans(text) if privacy._is_address(text, s, e, allowed)]
    spans, stopped = _reference_phones(text, regions)
    found += [(s, e, PHONE) for s, e in spans]
    if stopped is not None:
        found.append((stopped, stopped, PHONE))
    return found


def reference(text: str, allowed: frozenset[str] = frozenset(), regions: tuple[str, ...] = REGIONS) -> list[Finding]:
    """The old ``privacy.findings``: the text as written and as decoded, each scanned whole."""

    def finding(s: int, e: int, code: str, value: str) -> Finding:
        return Finding(s, e, code, phones.ascii_digits(value) if code == PHONE else value, text[s:e])

    out = {s: finding(s, e, code, text[s:e]) for s, e, code in _reference_plain(text, allowed, regions)}
    decoded = decode(text)
    if decoded is not None:
        plain, starts, ends = decoded
        raw = sorted(out)
        for s, e, code in _reference_plain(plain, allowed, regions):
            start, end = starts[s], (ends[e - 1] if e > s else starts[s])
            if start in out and out[start].end == end:
                continue
            i = bisect.bisect_left(raw, start)
            for other in raw[max(0, i - 2) : bisect.bisect_left(raw, end)]:
                if other in out and out[other].start < end and start < out[other].end:
                    del out[other]
            out[start] = finding(start, end, code, plain[s:e])
    return sorted(out.values())


# --- texts that exercise every cut, window and decoding -------------------------------------------

PIECES = [
    "030 1234 5678", "+49 30 1234-567", "(020) 7946 0958", "0171\u00ad1234567", "030/4711 0815", "555-0142",
    "٠٣٠ ١٢٣٤٥٦٧٨", "०३० १२३४ ५६७८", "۰۳۰ ۱۲۳۴ ۵۶۷۸", "０３０ １２３４５６７８",
    "28.01.2027", "2027-01-28T16:00:00+00:00", "16:00–17:30", "0800-0930", "2026-2027", "10.0.19045.2965",
    "192.168.1.1", "1 250 000", "ISO 9001-2015", "Week 12", "v2.3.1", "45 min",
    "jane@example.com", "jane&#64;example.com", "jane%40example.com", "jane＠example.com", "jane@corp。example",
    "jane at corp dot example", "jane [at] corp [dot] example", "meet at the office dot", "mentoring@fixture.example",
    "https://jane@host/", "git@github.com:org/repo.git", "logo@2x.png",
    "<p>", "</p>", "<span>", "</span>", "<li class=\"md-nav__item\">", "<a href=\"x\n\n  y\">", "<!--", "-->", "<!-- c\n\n -->",
    "\n", "\n\n", "  \n  ", "\n    ", " ", " ", "-", ".", "/", ":", "tel:", "(", ")", "+", "x", "a", "T", "Z",
    "0", "1", "12", "123", "1234", "12345", "0301",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
ALLOWED = frozenset({"mentoring@fixture.example"})


class _SmallSegments:
    """Pieces of at least 8 characters, so that short generated texts are cut too."""

    def __enter__(self) -> None:
        self.saved = privacy.SEGMENT_MIN
        privacy.SEGMENT_MIN = 8

    def __exit__(self, *exc: object) -> None:
        privacy.SEGMENT_MIN = self.saved


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_the_fast_scan_finds_exactly_what_the_whole_text_scan_finds(text: str) -> None:
    expected = reference(text, ALLOWED)
    with _SmallSegments():
        assert len(privacy.segments(text)) >= 1
        assert findings(text, ALLOWED, REGIONS, memo=None) == expected
        memo = Memo()
        assert findings(text, ALLOWED, REGIONS, memo=memo) == expected
        assert findings(text, ALLOWED, REGIONS, memo=memo) == expected  # the second time from the memo
    assert findings(text, ALLOWED, REGIONS, memo=None) == expected  # the real piece size


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_telephone_windows_find_what_the_whole_text_finds(text: str) -> None:
    assert phones.find(text, REGIONS) == _reference_phones(text, REGIONS)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 \n.-/+()<>!-@ax:T\u00a0", max_size=400))
def test_pieces_cover_the_text_and_cut_only_at_line_breaks_outside_markup(text: str) -> None:
    with _SmallSegments():
        pieces = privacy.segments(text)
        assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
        for _, end in pieces[:-1]:  # in a run of whitespace, or between the > and the line break of >\n<
            assert (text[end - 1] in " \t\r\n" and text[end] in " \t\r\n") or text[end - 1 : end + 2] == ">\n<"
        assert findings(text, regions=REGIONS, memo=None) == reference(text)


def test_the_library_finds_what_phonenumbers_finds_on_the_whole_text() -> None:
    """The windows hide nothing from the library: its matches on the whole text are all found."""
    from phonenumbers import Leniency, PhoneNumberMatcher

    text = (
        "Das Büro erreichen Sie unter 030 12345678 oder mobil 0171 1234567. "
        "Am 28.01.2027 um 16:00 treffen wir uns; Raum 3.14, Version 10.0.19045.\n\n" * 20
    )
    expected = {(m.start, m.end) for m in PhoneNumberMatcher(text, "DE", leniency=Leniency.STRICT_GROUPING)}
    assert expected
    spans = set(phones.find(text, ("DE",))[0])
    assert expected <= spans


# --- each distinct text once ----------------------------------------------------------------------

NAV = "".join(f'\n      <li class="md-nav__item">\n        <a href="../page-{i}/" class="md-nav__link">Page {i}</a>\n      </li>' for i in range(40))
FOOTER = '\n    <footer class="md-footer">\n      <p>Programme office: mentoring@fixture.example, room 2027-01</p>\n    </footer>\n'


def _page(body: str) -> str:
    return f'<html>\n  <body>\n    <nav class="md-nav">{NAV}\n    </nav>\n    <article>\n{body}\n    </article>{FOOTER}  </body>\n</html>\n'


def test_one_text_scanned_twice_is_computed_once() -> None:
    memo = Memo()
    text = _page("<p>Call 030 1234 5678 or write to jane&#64;example.com.</p>")
    first = findings(text, ALLOWED, REGIONS, memo=memo)
    computed = memo.computed
    assert computed >= 1 and memo.hits == 0
    assert findings(text, ALLOWED, REGIONS, memo=memo) == first
    assert memo.computed == computed  # nothing scanned again
    assert memo.hits == 1  # the whole text, in one lookup
    again = Memo()
    again.entries.update((k, v) for k, v in memo.entries.items() if not k.startswith(b"whole"))
    assert findings(text, ALLOWED, REGIONS, memo=again) == first  # without the whole text: piece by piece
    assert again.computed == 0 and again.hits == computed
    assert [f.value for f in first] == ["030 1234 5678", "jane@example.com"]


def test_the_parts_every_page_shares_are_scanned_once() -> None:
    memo = Memo()
    pages = [_page(f"<p>Page {i}: a guide to the first phase, {10 + i} minutes to read.</p>" + "\n\n<p>Same text.</p>" * 3) for i in range(10)]
    assert findings(pages[0], ALLOWED, REGIONS, memo=memo) == []
    first = memo.computed
    assert first >= 10  # the pieces of the navigation with digits, the footer with its address
    for page in pages[1:]:
        assert findings(page, ALLOWED, REGIONS, memo=memo) == []
    # each further page computes only the piece or two around its own line; the rest comes from the memo
    assert memo.computed - first <= 2 * 9, (first, memo.computed, memo.hits)
    assert memo.hits >= 9 * (first - 2)


def test_the_memo_key_holds_the_options() -> None:
    memo = Memo()
    text = _page("<p>Write to desk@example.com.</p>")
    assert [f.value for f in findings(text, ALLOWED, REGIONS, memo=memo)] == ["desk@example.com"]
    computed = memo.computed
    assert findings(text, ALLOWED | {"desk@example.com"}, REGIONS, memo=memo) == []  # allowed now: computed again
    assert memo.computed > computed
    computed = memo.computed
    findings(text, ALLOWED | {"desk@example.com"}, ("FR",), memo=memo)  # other regions: computed again
    assert memo.computed > computed
    assert privacy._options_key(frozenset(), ("FR",)) != privacy._options_key(frozenset(), ("GB",))
    assert privacy.SCANNER_VERSION in privacy._options_key(frozenset(), ()).decode()


def test_the_built_html_backstop_and_the_published_scan_share_the_memo() -> None:
    """``scan_html`` scans through the same process memo as every other scan."""

    class Report:
        loaded = None
        diagnostics: list = []

    privacy.MEMO.clear()
    html = _page("<p>Call 030 1234 5678.</p>")
    first = published.scan_html(Report(), html, "content/a.md", "a/index.html")
    computed = privacy.MEMO.computed
    again = published.scan_html(Report(), html, "content/b.md", "b/index.html")
    assert privacy.MEMO.computed == computed and privacy.MEMO.hits >= 1  # nothing scanned again
    assert [d.message for d in first] == [d.message.replace("b/index", "a/index") for d in again]
    assert any("'030 1234 5678'" in d.message for d in first)


def test_the_memo_is_bounded() -> None:
    memo = Memo(max_entries=5)
    for i in range(20):
        findings(f"Call 030 1234 56{i:02d}.", regions=REGIONS, memo=memo)
    assert len(memo.entries) == 5


def test_the_library_budget_is_shared_by_the_pieces_of_one_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut into pieces or not, one text gets MAX_CANDIDATES parses and one visible stop."""
    monkeypatch.setattr(phones, "MAX_CANDIDATES", 20)
    text = "\n\n".join(f"id {100 + i}/{i * 7919 % 100000:05d} " + "padding words " * 12 for i in range(40))
    assert len(privacy.segments(text)) > 5
    stops = [f for f in findings(text, regions=("DE",), memo=Memo()) if f.code == PHONE and not f.value]
    assert len(stops) == 1
    assert stops == [f for f in reference(text, regions=("DE",)) if f.code == PHONE and not f.value]


def test_prose_without_triggers_costs_no_scan() -> None:
    memo = Memo()
    prose = "The mentee prepares the first session and agrees the goals with the mentor.\n\n" * 50
    assert findings(prose, memo=memo) == []
    assert memo.computed == 0


# --- the new readings do not take realistic prose ---------------------------------------------------

PROSE = [
    "We meet at the office dot matrix printer at 16:00.",
    "Meet at the office dot",
    "Look at the polka dot pattern; reach us at docs.example.org for the handbook.",
    "Sessions last 45 min (90 min for groups), in week 12 and week 13, from 2027-01-28 to 2027-03-25.",
    "Version 2.3.1 of the checklist, ISO 9001-2015, 10.0.19045.2965, 1 250 000 EUR, 3.14159265.",
    "Die Sitzung am 28.01.2027 um 16:00–17:30 Uhr, KW 12, Raum 030/4.",
    "الجلسة في ٢٠٢٧-٠١-٢٨ الساعة ١٦:٠٠ لمدة ٩٠ دقيقة، الأسبوع ١٢.",
    "सत्र २८.०१.२०२७ को १६:०० बजे, ४५ मिनट।",
    "会议在2027年1月28日16:00开始。请提前10分钟到达。谢谢。",
    "Ｖｅｒｓｉｏｎ ２.３.１ ａｔ １６：００",
    "Call me at noon dot",
]


@pytest.mark.parametrize("text", PROSE)
def test_realistic_prose_has_no_finding(text: str) -> None:
    assert findings(text, regions=REGIONS, memo=None) == []


def test_an_address_and_a_number_on_both_sides_of_a_block_cut_are_found() -> None:
    """Hostile: rendered HTML is cut at ``>\\n<``; what stands right against the cut, on either side, is still found."""
    blocks = ["<p>" + "Mentors meet their mentees every month. " * 6 + "Write to jane.doe@corp.example</p>",
              "<p>+49 30 1234 5678 is the old number. " + "The sponsor signs the agreement. " * 6 + "</p>",
              "<td>jane&#64;corp.example</td>", "<td>030 1234 5678</td>"]
    text = "\n".join(blocks * 4)
    with _SmallSegments():
        cuts = [end for _, end in privacy.segments(text)[:-1]]
        assert any(text[end - 1 : end + 2] == ">\n<" for end in cuts), "the text is cut at a block boundary"
        found = findings(text, ALLOWED, REGIONS, memo=None)
    assert found == reference(text, ALLOWED)
    assert {f.value for f in found} >= {"jane.doe@corp.example", "jane@corp.example"}
    assert sum(f.code == PHONE for f in found) >= 8


# The decoder rules out most characters with one lookahead (decoded._STARTS) before its alternation of
# tokens: a token the lookahead did not admit would go unseen. Texts of every token's first characters.
_DECODER_ALPHABET = "aAdDtToO xz09_-.@<>!/&#;%4Fu\\*`[](){}\t\n\u00a0\u2003\u3002\uff61\uff20\ufe6b\u200b\u00ad\u3164"
DECODER_TEXTS = st.lists(
    st.one_of(st.text(alphabet=_DECODER_ALPHABET, max_size=6),
              st.sampled_from([" at ", " dot ", " AT ", "\u00a0dot\u00a0", "<!--", "&#64;", "%40", "\\u0040", "<br>", "[at]", "( dot )"])),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(DECODER_TEXTS)
def test_the_decoders_lookahead_admits_every_token(text: str) -> None:
    import re

    from program_portal.checks import decoded

    unfiltered = re.compile(decoded._TOKENS, re.VERBOSE)
    pos, ours, theirs = 0, [], []
    for pattern, out in ((decoded._ENCODED, ours), (unfiltered, theirs)):
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            out.append((m.span(), m.lastgroup))
            pos = max(m.end(), pos + 1)
    assert ours == theirs


def test_a_remembered_telephone_window_costs_the_budget_it_took(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows come from a memo (the same digits as written and as decoded, on every page): the budget is
    charged as if they were parsed, so the library stops at the same place."""
    monkeypatch.setattr(phones, "MAX_CANDIDATES", 12)
    monkeypatch.setattr(phones, "_WINDOWS", {})
    text = " ".join(f"id {100 + i}/{i * 7919 % 100000:05d} " + "padding words " * 4 for i in range(10))  # one window each
    first = phones.find(text, ("DE", "GB"))
    assert first[1] is not None  # the budget ran out
    assert phones._WINDOWS  # what was parsed before it ran out is remembered
    assert phones.find(text, ("DE", "GB")) == first == _reference_phones(text, ("DE", "GB"))
    budget = phones.Budget(used=phones.MAX_CANDIDATES)  # an exhausted budget: the memo pays for nothing
    assert phones.find(text, ("DE", "GB"), budget=budget) == phones._find_whole(text, ("DE", "GB"), phones.Budget(used=phones.MAX_CANDIDATES))


def test_the_telephone_memo_keeps_only_short_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo is bounded in characters, not only in entries: a page-long list of numbers (one window) is
    parsed and found as before, and not kept; a short window is kept."""
    monkeypatch.setattr(phones, "_WINDOWS", {})
    listing = ", ".join(f"+49 30 {1000000 + i * 7919}" for i in range(40))  # one window, longer than kept
    assert len(listing) > phones._WINDOW_KEPT
    found = phones.find(listing, ("DE",))
    assert found == _reference_phones(listing, ("DE",)) and len(found[0]) == 40
    assert phones._WINDOWS == {}
    phones.find("call +49 30 1234567 today", ("DE",))
    assert all(len(text) <= phones._WINDOW_KEPT for text, _ in phones._WINDOWS) and len(phones._WINDOWS) == 1
