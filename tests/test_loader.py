"""Loading a valid program: values, types and the position of every key and value."""

from __future__ import annotations

from datetime import date, datetime

import pydantic
import pytest

from conftest import FIXTURES, REPO, Project, position
from program_portal.source import model as m
from program_portal.diagnostics import Location
from program_portal.source.loader import LoadedProgram, load_program, relative_name
from program_portal.source.yamlfile import load


def _load(project: Project) -> LoadedProgram:
    return load_program(project.path("program.yml"), root=project.root, docs_dir=project.path("content"))


def test_full_fixture_loads(project: Project) -> None:
    lp = _load(project)
    p = lp.program
    assert p.version == 1
    assert p.program.id == "fixture-mentoring-2027"
    assert p.program.starts == date(2027, 1, 11) and p.program.ends == date(2027, 12, 17)
    assert [r.id for r in p.roles] == ["mentee", "mentor", "sponsor", "program-office", "president"]
    assert p.roles[4].one_to_one is False and p.roles[0].one_to_one is True
    assert [t.format for t in p.tracks] == ["one-to-one", "group"]
    assert p.tracks[0].cadence == m.Cadence(every_weeks=4, minutes=60)
    assert [type(t).__name__ for t in p.templates] == ["ContractTemplate", "AgendaTemplate", "AgendaTemplate", "ChecklistTemplate"]
    contract = p.templates[0]
    assert isinstance(contract, m.ContractTemplate)
    assert isinstance(contract.clauses[0], m.TextClause) and isinstance(contract.clauses[1], m.PolicyClause)
    checklist = p.templates[3]
    assert isinstance(checklist, m.ChecklistTemplate)
    assert checklist.items[1] == m.ChecklistItem(text="Listens more than talks")
    assert checklist.items[0].required is True and checklist.items[0].group == "Experience"
    session = p.sessions[0]
    assert session.start == datetime(2027, 1, 28, 16, 0) and session.start.tzinfo is None
    assert session.except_ == [date(2027, 2, 25)]
    assert p.session_timezone(session) == "Europe/London"
    assert sorted(lp.bodies) == ["guides/executive.md", "templates/agreement.md"]
    assert lp.bodies["guides/executive.md"].startswith("## Who this track is for")
    assert lp.file == "program.yml"


def test_positions_of_keys_and_values(project: Project) -> None:
    lp = _load(project)
    text = project.read()
    assert lp.at("roles", 1, "id") == Location("program.yml", *position(text, "mentor\n"))
    assert lp.positions.key(("roles", 1, "kind")) == Location("program.yml", *position(text, "kind: mentor"))
    assert lp.at("templates", 1, "items", 1, "lead") == Location("program.yml", *position(text, "mentee}"))
    assert lp.at("sessions", 0, "except", 0) == Location("program.yml", *position(text, "2027-02-25"))
    # a path without a position of its own falls back to its nearest parent
    assert lp.at("roles", 1, "summary") == lp.at("roles", 1)
    assert lp.at() == Location("program.yml", 1, 1)


def test_models_are_immutable(project: Project) -> None:
    lp = _load(project)
    with pytest.raises(pydantic.ValidationError):
        lp.program.program.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("written", ["2027-01-28T16:00", "'2027-01-28T16:00'", "2027-01-28 16:00", "2027-01-28T16:00:00", '"2027-01-28T16:00:00"'])
def test_local_datetime_may_be_written_quoted_or_not(project: Project, written: str) -> None:
    project.edit("program.yml", "start: 2027-01-28T16:00", f"start: {written}")
    assert _load(project).program.sessions[0].start == datetime(2027, 1, 28, 16, 0)


@pytest.mark.parametrize("written", ["2027-01-11", "'2027-01-11'", '"2027-01-11"'])
def test_date_may_be_written_quoted_or_not(project: Project, written: str) -> None:
    project.edit("program.yml", "starts: 2027-01-11", f"starts: {written}")
    assert _load(project).program.program.starts == date(2027, 1, 11)


def test_numbers_in_text_fields_are_text(project: Project) -> None:
    project.edit("program.yml", "    time_commitment: 2-3 hours a month", "    time_commitment: 3")
    assert _load(project).program.roles[0].time_commitment == "3"


@pytest.mark.parametrize(
    "old, new, get, expected",
    [
        ("  language: en", "  language: no", lambda p: p.program.language, "no"),  # Norwegian, not false
        ("    one_to_one: false", "    one_to_one: no", lambda p: p.roles[4].one_to_one, False),
        ("    one_to_one: false", "    one_to_one: off", lambda p: p.roles[4].one_to_one, False),
        ("    time_commitment: 2-3 hours a month", "    time_commitment: 1:30", lambda p: p.roles[0].time_commitment, "1:30"),
        ("every_weeks: 4", "every_weeks: 010", lambda p: p.tracks[0].cadence.every_weeks, 10),  # not octal
        ("    title: Mentor\n", "    title: Yes\n", lambda p: p.roles[1].title, "Yes"),
    ],
)
def test_yaml_1_2_booleans_and_numbers(project: Project, old: str, new: str, get, expected) -> None:
    """As editors read program.yml against the JSON Schema: only true/false are booleans, 1:30 and 010 are not special."""
    project.edit("program.yml", old, new)
    assert get(_load(project).program) == expected


def test_crlf_and_bom_give_the_same_program_and_positions(project: Project) -> None:
    plain = _load(project)
    project.write("program.yml", b"\xef\xbb\xbf" + project.read().replace("\n", "\r\n").encode())
    other = _load(project)
    assert other.program == plain.program
    assert other.positions.values == plain.positions.values
    assert other.positions.keys == plain.positions.keys


def test_anchors_and_aliases_are_allowed(project: Project) -> None:
    project.edit("program.yml", "  objectives: [Grow ready-now leaders, Share experience across divisions]",
                 "  objectives: &goals [Grow ready-now leaders, Share experience across divisions]")
    project.edit("program.yml", "    activities: [Briefing for mentors, Matching]", "    activities: *goals")
    lp = _load(project)
    assert lp.program.phases[0].activities == lp.program.program.objectives


def test_body_files_are_read_relative_to_docs_dir(project: Project) -> None:
    project.path("content/guides/executive.md").rename(project.path("content/exec.md"))
    project.edit("program.yml", "body: guides/executive.md", "body: exec.md")
    assert "exec.md" in _load(project).bodies


def test_load_reports_positions_one_based() -> None:
    data, positions = load("a:\n  - x\n  - {b: 1}\n", "f.yml")
    assert data == {"a": ["x", {"b": 1}]}
    assert positions.value(("a", 0)) == Location("f.yml", 2, 5)
    assert positions.key(("a", 1, "b")) == Location("f.yml", 3, 6)
    assert positions.value(("a", 1, "b")) == Location("f.yml", 3, 9)


def test_relative_name(tmp_path) -> None:
    assert relative_name(tmp_path / "content" / "x.md", tmp_path) == "content/x.md"
    assert relative_name(tmp_path / ".." / "elsewhere.yml", tmp_path / "sub") == (tmp_path / ".." / "elsewhere.yml").as_posix()


def test_example_program_loads_and_covers_the_issue() -> None:
    lp = load_program(REPO / "program.yml", root=REPO, docs_dir=REPO / "content")
    p = lp.program
    assert {t.format for t in p.tracks} == {"one-to-one", "reverse", "group"}
    assert {"confidentiality", "assessment-firewall", "employment-protection", "no-fault-exit", "conflict-of-interest"} <= {
        x.kind for x in p.policies
    }
    kinds = {r.id: r.kind for r in p.roles}
    contracts = [t for t in p.templates if isinstance(t, m.ContractTemplate)]
    assert any({"sponsor", "mentor", "mentee"} <= {kinds[x] for x in t.parties} for t in contracts)
    assert len([t for t in p.templates if isinstance(t, m.AgendaTemplate)]) >= 6
    assert len([t for t in p.templates if isinstance(t, m.ChecklistTemplate)]) >= 3
    group_hosts = {t.host for t in p.tracks if t.format == "group"}
    mentors = {t.mentor for t in p.tracks if t.format != "group"}
    assert group_hosts and not group_hosts & mentors
    assert p.sessions and all(s.repeat or s.except_ is not None for s in p.sessions)


def test_fixture_directory_is_complete() -> None:
    for rel in ("program.yml", "content/index.md", "content/guides/executive.md", "content/templates/agreement.md", "content/about/faq.md"):
        assert (FIXTURES / "full" / rel).is_file(), rel
