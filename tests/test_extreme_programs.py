"""Writers never raise on valid input: valid-but-extreme programs build every download and calendar.

Hypothesis writes programs at the edges of what validation accepts: titles, lines and ids
of the maximum length, any printable Unicode (other scripts, emoji, combining marks,
right-to-left text, characters Markdown, HTML, XML, CSS and iCalendar treat specially),
dates from 1900 to 2999, time zones from the pinned tzdata, bodies nested as deep as
allowed. Each program must pass the loader, and then the pages, the Word, PDF and Markdown
downloads, the zip pack and every ``.ics`` file must be made without an exception.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program_portal.render import outputs
from program_portal.render.pages.portal import Portal
from program_portal.render.site import generate_pages
from program_portal.source import model as m
from program_portal.source.loader import load_program
from program_portal.source.textlimits import MAX_BLOCK_DEPTH

EXAMPLES = int(os.environ.get("EXTREME_EXAMPLES", "5"))  # each renders three Word and three PDF documents

# Every character a one-line value may hold: no control character, line or paragraph separator,
# surrogate or non-character; no braces (placeholders are a language of their own, tested elsewhere).
CHARACTERS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="{}\ufffe\uffff"
)
SPECIAL = "<>&\"'\\;,:*_`[]()#!|~^=+-.%$@ \t\u00a0\u200b\u202e\u0301\ufeff\U0001f600\u4e2d\u0627\u05d0"


def text(maximum: int, minimum: int = 0) -> st.SearchStrategy[str]:
    """Text up to ``maximum`` characters, often exactly ``maximum``, often of the special characters."""
    anything = st.text(CHARACTERS, min_size=minimum, max_size=min(maximum, 300))
    special = st.text(st.sampled_from(SPECIAL), min_size=max(minimum, 1), max_size=min(maximum, 300))
    longest = st.text(CHARACTERS, min_size=1, max_size=40).map(lambda t: (t * (maximum // len(t) + 1))[:maximum])
    return st.one_of(anything, special, longest)


def ident(prefix: str) -> st.SearchStrategy[str]:
    tail = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=0, max_size=m.MAX_ID - len(prefix))
    return st.one_of(tail.map(lambda t: prefix + t), st.just(prefix + "x" * (m.MAX_ID - len(prefix))))


DATES = st.dates(min_value=date(m.FIRST_YEAR, 1, 1), max_value=date(m.LAST_YEAR, 12, 20))
ZONES = st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe", "UTC"])
RULES = st.sampled_from([None, "FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;INTERVAL=2", "FREQ=YEARLY;COUNT=2", "FREQ=HOURLY;COUNT=40"])


def body_text() -> st.SearchStrategy[str]:
    line = text(200)
    nested = st.integers(1, MAX_BLOCK_DEPTH).map(lambda n: "> " * n + "deep quote\n\n" + "".join("    " * i + "- item\n" for i in range(n)))
    return st.tuples(st.lists(line, max_size=8), nested).map(lambda parts: "\n\n".join(["# Heading", *parts[0], parts[1]]) + "\n")


@st.composite
def programs(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    starts = draw(DATES)
    ends = starts + timedelta(days=draw(st.integers(0, 400)))
    ends = min(ends, date(m.LAST_YEAR, 12, 31))
    zone = draw(ZONES)
    line, title = text(m.MAX_LINE), text(m.MAX_TITLE, 1)
    roles = [
        {"id": draw(ident("a")), "kind": "mentee", "title": draw(title), "summary": draw(line)},
        {"id": draw(ident("b")), "kind": "mentor", "title": draw(title), "responsibilities": draw(st.lists(line, max_size=3))},
        {"id": draw(ident("c")), "kind": "sponsor", "title": draw(title), "time_commitment": draw(text(m.MAX_TITLE))},
    ]
    ids = [r["id"] for r in roles]
    start = datetime.combine(starts, datetime.min.time()) + timedelta(hours=draw(st.integers(9, 17)))
    program = {
        "version": 1,
        "program": {
            "id": draw(ident("p")), "title": draw(title), "organisation": draw(text(m.MAX_TITLE)), "summary": draw(line),
            "timezone": zone, "starts": starts.isoformat(), "ends": ends.isoformat(), "objectives": draw(st.lists(line, max_size=3)),
        },
        "roles": roles,
        "templates": [
            {"id": draw(ident("t")), "kind": "contract", "title": draw(title), "summary": draw(line), "parties": ids,
             "clauses": [{"title": draw(title), "text": draw(text(m.MAX_TEXT))}, {"title": draw(title), "text": "Goal: {{ blank('goal') }}"}],
             "body": "body.md"},
            {"id": draw(ident("u")), "kind": "agenda", "title": draw(title), "minutes": 60,
             "items": [{"minutes": 60, "topic": draw(title), "lead": ids[0], "notes": draw(line)}], "preparation": [draw(line)]},
            {"id": draw(ident("v")), "kind": "checklist", "title": draw(title),
             "items": [draw(line), {"text": draw(line), "group": draw(text(m.MAX_TITLE)), "required": True}]},
        ],
        "sessions": [
            {"id": draw(ident("s")), "title": draw(title), "summary": draw(line), "host": ids[2], "start": start.isoformat(timespec="minutes"),
             "minutes": draw(st.integers(1, m.MAX_MINUTES)), "timezone": zone, "location": draw(text(m.MAX_TITLE)), "repeat": draw(RULES)},
        ],
    }
    if program["sessions"][0]["repeat"] is None:
        del program["sessions"][0]["repeat"]
    return program, draw(body_text())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("extreme")
    (root / "content").mkdir()
    return root


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(programs())
def test_valid_extreme_programs_build_every_download_and_calendar(workdir: Path, generated: tuple[dict[str, Any], str]) -> None:
    data, body = generated
    # JSON is YAML: every string double-quoted, the characters as they are
    (workdir / "program.yml").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (workdir / "content" / "body.md").write_text(body, encoding="utf-8")
    loaded = load_program(workdir / "program.yml", root=workdir, docs_dir=workdir / "content")  # valid: loads
    portal = Portal(loaded)
    pages = generate_pages(portal, site_url="https://mentoring.intranet.example/")
    assert pages.pages
    files = outputs.calendar_files(portal, dtstamp=outputs.dtstamp_from_epoch("1700000000"), site_url="https://mentoring.intranet.example/")
    files |= outputs.downloads(portal, paper="letter", epoch="1700000000")
    for template in data["templates"]:
        for extension in ("docx", "pdf", "md"):
            assert files[f"downloads/{template['id']}.{extension}"], (template["id"], extension)
    assert files[f"calendar/{data['sessions'][0]['id']}.ics"].startswith(b"BEGIN:VCALENDAR")
