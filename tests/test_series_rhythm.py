"""A series told in words (render/pages/visual.py ``series_rhythm``), in English and German.

The ``full`` fixture's one session, its rule changed per case; words only where they are true
of every date, else the dates alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from program_portal.render.pages import visual
from program_portal.render.pages.portal import Portal
from program_portal.source.loader import load_program

RULE = "repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3"
START = "start: 2027-01-28T16:00"


def rhythm(tmp_path: Path, repeat: str | None, lang: str = "en", start: str = START, except_: bool = False) -> str:
    root = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
    shutil.copytree(FIXTURES / "full", root)
    program = root / "program.yml"
    text = program.read_text(encoding="utf-8")
    text = text.replace(RULE, f"repeat: {repeat}" if repeat else "").replace(START, start)
    if not except_:
        text = text.replace("    except: [2027-02-25]\n", "")
    if lang != "en":
        text = text.replace("  language: en\n", f"  language: {lang}\n", 1)
    program.write_text(text, encoding="utf-8")
    portal = Portal(load_program(program, root=root, docs_dir=root / "content"))
    return visual.series_rhythm(portal, portal.program.sessions[0]).replace("\u2009", " ").replace("\u00a0", " ")


@pytest.mark.parametrize(
    ("repeat", "lang", "expected"),
    [
        ("FREQ=WEEKLY;COUNT=3", "en", "every Thursday, Jan 28 – Feb 11, 2027, 3 sessions"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=10", "en", "every other Thursday, Jan 28 – Jun 3, 2027, 10 sessions"),
        ("FREQ=WEEKLY;INTERVAL=3;COUNT=2", "en", "every 3 weeks on Thursday, Jan 28 – Feb 18, 2027, 2 sessions"),
        ("FREQ=MONTHLY;BYDAY=-1TH;COUNT=2", "en", "the last Thursday of every month, Jan 28 – Feb 25, 2027, 2 sessions"),
        ("FREQ=MONTHLY;COUNT=2", "en", "monthly on day 28, Jan 28 – Feb 28, 2027, 2 sessions"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=10", "de", "jeden zweiten Donnerstag, 28. Jan. – 3. Juni 2027, 10 Sitzungen"),
        ("FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "de", "am vierten Donnerstag jedes Monats, 28. Jan. – 25. März 2027, 3 Sitzungen"),
        ("FREQ=MONTHLY;BYDAY=4TH;COUNT=1", "de", "einmalig, Do., 28. Jan. 2027"),
    ],
)
def test_rhythm_in_words(tmp_path: Path, repeat: str, lang: str, expected: str) -> None:
    assert rhythm(tmp_path, repeat, lang) == expected


def test_a_rule_the_words_cannot_tell_gives_the_dates_only(tmp_path: Path) -> None:
    # two weekdays, or a BYMONTH filter: no "every Thursday" that would be wrong
    assert rhythm(tmp_path, "FREQ=WEEKLY;BYDAY=TH,FR;COUNT=4") == "Jan 28 – Feb 5, 2027, 4 sessions"
    assert rhythm(tmp_path, "FREQ=WEEKLY;BYMONTH=1,3;COUNT=3") == "Jan 28 – Mar 11, 2027, 3 sessions"


def test_one_session_and_the_plural_follow_the_count(tmp_path: Path) -> None:
    assert rhythm(tmp_path, None) == "once, Thu, Jan 28, 2027"
    assert rhythm(tmp_path, "FREQ=WEEKLY;COUNT=2", "de").endswith(", 2 Sitzungen")
