"""Program-design checks PD001-PD010 (spec section 5): each fires at its exact location and each can be switched off.

Each case edits the warning-free ``full`` fixture so that exactly one check fires. Switching
off is tested through ``check_project`` (the core) and through a real ``mkdocs build --strict``
with ``disable_checks:`` in mkdocs.yml.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conftest import Project, tree_digest
from program_portal.checks.design import CHECKS


@dataclass
class Case:
    id: str
    edits: list[tuple[str, str]]
    at: str  # the text whose first character is the expected location
    message: str
    occurrence: int = 1


CASES = [
    Case("PD001", [("parties: [sponsor, mentor, mentee]", "parties: [mentor, mentee]")], "[mentor, mentee]",
         "no contract template is signed by a sponsor, a mentor and a mentee"),
    Case("PD002", [("    kind: no-fault-exit", "    kind: other")], "clauses:",
         "contract 'agreement' has no {policy: ...} clause of kind no-fault-exit"),
    Case("PD003", [("    mentor: mentor\n", "    mentor: president\n")], "president\n    mentee",
         "role 'president' is an executive but mentors one to one in track 'executive'"),
    Case("PD004", [("    cadence: {every_weeks: 4, minutes: 60}\n", "")], "executive\n    title: Executive mentoring",
         "one-to-one track 'executive' has no cadence"),
    Case("PD005", [("    track: circles\n", "")], "circles\n    title", "group track 'circles' has no sessions"),
    Case("PD006", [("{minutes: 45, topic: Goals", "{minutes: 40, topic: Goals")], "60\n    preparation",
         "agenda 'first-session': its items add up to 55 minutes, not the 60 it says"),
    Case("PD007", [("    preparation: [Read the mentoring agreement]\n", "")], "first-session\n",
         "agenda 'first-session' has no preparation"),
    Case("PD008", [("start: 2027-01-28T16:00", "start: 2026-12-24T16:00"), ("except: [2027-02-25]", "except: []")], "2026-12-24T16:00",
         "session 'leadership-circle' starts on 2026-12-24, outside the program (2027-01-11 to 2027-12-17)"),
    Case("PD008", [("COUNT=3", "COUNT=14")], "FREQ=MONTHLY",
         "session 'leadership-circle' has 3 date(s) after the program ends on 2027-12-17: 2027-12-23, 2028-01-27, 2028-02-24"),
    Case("PD009", [("\ntracks:", "  - id: finance\n    title: Finance\n    scope: additional\n\ntracks:")], "finance",
         "domain 'finance' is not listed by any track"),
    Case("PD009", [("\ntemplates:", "  - id: concerns\n    kind: raising-concerns\n    title: Raising concerns\n    rules: [Write to us.]\n\ntemplates:")],
         "concerns", "policy 'concerns' is not used by any contract clause"),
    Case("PD010", [("weeks: [40, 44]", "weeks: [40, 50]")], "50]",
         "phase 'closing' ends on 2027-12-26 (the last day of week 50), after the program ends on 2027-12-17; end it by week 48 or move program.ends"),
    Case("PD010", [("weeks: [40, 44]", "weeks: [49, 50]")], "50]",
         "phase 'closing' ends on 2027-12-26 (the last day of week 50), after the program ends on 2027-12-17"),
]
IDS = [f"{c.id}-{i}" for i, c in enumerate(CASES)]


def _apply(project: Project, edits: list[tuple[str, str]]) -> None:
    for old, new in edits:
        project.edit("program.yml", old, new)


def test_fixture_is_warning_free(project: Project) -> None:
    assert project.diagnostics() == []


def test_every_check_has_a_case() -> None:
    assert sorted({c.id for c in CASES}) == sorted(CHECKS) == [f"PD{i:03d}" for i in range(1, 11)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_fires_at_its_location(project: Project, case: Case) -> None:
    _apply(project, case.edits)
    where = project.at(case.at, case.occurrence)
    [diagnostic] = project.diagnostics()
    assert diagnostic.startswith(f"{where}: warning {case.id}: {case.message}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_check_is_switched_off_by_disable_checks(project: Project, case: Case) -> None:
    _apply(project, case.edits)
    assert project.diagnostics(disable_checks=[case.id]) == []
    others = [code for code in CHECKS if code != case.id]
    assert len(project.diagnostics(disable_checks=others)) == 1


def test_warnings_only_fail_with_strict(project: Project) -> None:
    _apply(project, CASES[0].edits)
    report = project.report()
    assert report.warnings and not report.errors
    assert not report.failed(strict=False)
    assert report.failed(strict=True)
    assert report.pages is not None  # warnings do not stop generation


def test_checks_do_not_run_on_an_invalid_program(project: Project) -> None:
    _apply(project, CASES[0].edits)
    project.edit("program.yml", "    kind: executive", "    kind: boss")
    assert [d.split(": ")[1] for d in project.diagnostics()] == ["error PF005"]


# -- through a real build: disable_checks in mkdocs.yml ------------------------------------------

ALL_EDITS = [e for c in CASES if c not in (CASES[7], CASES[10], CASES[12]) for e in c.edits]


@pytest.fixture
def all_warnings(project: Project) -> Project:
    """The full fixture changed so that every one of PD001..PD010 fires once."""
    _apply(project, ALL_EDITS)
    return project


def test_all_checks_fire_together(all_warnings: Project) -> None:
    codes = [d.split(" warning ")[1][:5] for d in all_warnings.diagnostics()]
    assert sorted(codes) == sorted(CHECKS)


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_strict_build_fails_on_each_check_alone(all_warnings: Project, code: str) -> None:
    """Every other check is off through mkdocs.yml; the strict build fails on this one alone, before writing anything."""
    others = [c for c in CHECKS if c != code]
    all_warnings.configure(disable_checks=others)
    result = all_warnings.build("--strict")
    assert result.returncode == 1, result
    assert "Traceback" not in result.output
    assert result.diagnostics() == all_warnings.diagnostics(disable_checks=others)
    assert len(result.diagnostics()) == 1 and f" warning {code}: " in result.diagnostics()[0]
    assert not all_warnings.path("site").exists()


def test_strict_build_passes_with_every_check_disabled(all_warnings: Project) -> None:
    all_warnings.configure(disable_checks=sorted(CHECKS))
    result = all_warnings.build("--strict")
    assert result.ok, result
    assert result.diagnostics() == []
    assert all_warnings.path("site/program/index.html").is_file()


def test_build_without_strict_logs_the_warnings_and_builds(all_warnings: Project) -> None:
    all_warnings.configure(disable_checks=[c for c in CHECKS if c not in ("PD004", "PD009")])
    result = all_warnings.build()
    assert result.ok, result
    assert result.diagnostics() == all_warnings.diagnostics(disable_checks=[c for c in CHECKS if c not in ("PD004", "PD009")])
    assert [line.split(" warning ")[1][:5] for line in result.diagnostics()] == ["PD009", "PD004"]
    assert tree_digest(all_warnings.path("site"))
