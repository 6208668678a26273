"""One test per error class: the exact ``FILE:LINE:COLUMN``, the code and a clear message.

Each case edits the valid ``full`` fixture so that it has exactly one problem, runs the
same check the CLI and the plugin run (``check_project``) and compares the whole
diagnostic list. Locations are given either literally or as the place where a piece of
text (the offending key or value) starts in the edited file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from conftest import DIAGNOSTIC, Project


@dataclass
class Case:
    id: str
    old: str
    new: str
    code: str
    at: str  # "LINE:COLUMN", or text whose first character is the expected location
    message: str  # a fragment the message must contain
    file: str = "program.yml"  # the file edited
    where: str = "program.yml"  # the file the error points at
    occurrence: int = 1
    extra: list[str] = field(default_factory=list)  # codes of consequential errors also expected


def _loc(project: Project, case: Case) -> str:
    if re.fullmatch(r"\d+:\d+", case.at):
        return f"{case.where}:{case.at}"
    return project.at(case.at, case.occurrence, rel=case.where)


def _run(project: Project, case: Case) -> list[str]:
    project.edit(case.file, case.old, case.new)
    return project.diagnostics()


def _assert_one(project: Project, case: Case, diagnostics: list[str]) -> None:
    expected = f"{_loc(project, case)}: error {case.code}: "
    mine = [d for d in diagnostics if d.startswith(expected)]
    assert mine, f"expected {expected!r}... in {diagnostics}"
    assert case.message in mine[0], mine[0]
    others = [d for d in diagnostics if d not in mine]
    assert sorted(DIAGNOSTIC.match(d)["code"] for d in others) == sorted(case.extra), diagnostics
    for d in diagnostics:
        assert DIAGNOSTIC.match(d), d


YAML = [
    Case("indentation-key", "  title: Fixture Mentoring Programme", "   title: Fixture Mentoring Programme", "PF001", "5:9",
         "check the indentation of this line"),
    Case("indentation-dedent", "    kind: mentor\n", "  kind: mentor\n", "PF001", "23:3", "indented differently"),
    Case("indentation-list-item", "    kind: mentor\n", "     kind: mentor\n", "PF001", "23:10", "check the indentation"),
    Case("tab", "  title: Fixture Mentoring Programme", "\ttitle: Fixture Mentoring Programme", "PF001", "5:1",
         "indent with spaces, not tabs"),
    Case("unclosed-flow-list", "across divisions]", "across divisions", "PF001", "15:6", "YAML syntax error"),
    Case("duplicate-key", "  organisation: Fixture Group", "  organisation: Fixture Group\n  organisation: Other", "PF002",
         "organisation: Other", "duplicate key 'organisation' (first given at line 6)"),
    Case("second-document", "\nprivacy:", "\n---\nprivacy:", "PF001", "---", "more than one YAML document (a second '---')"),
    Case("python-tag", "    title: Mentor\n", "    title: !!python/object/apply:os.system [ls]\n", "PF001", "!!python", "YAML tag '!!python/object/apply:os.system' is not supported"),
    Case("python-tag-scalar", "    title: Mentor\n", "    title: !!python/name:os.system\n", "PF001", "!!python", "cannot read this value"),
    Case("set-tag", "    title: Mentor\n", "    title: !!set {a, b}\n", "PF001", "!!set", "YAML tag '!!set' is not supported"),
    Case("merge-key", "  - id: mentor\n", "  - <<: {title: x}\n    id: mentor\n", "PF001", "<<", "no merge keys"),
]

STRUCTURE = [
    Case("unknown-key-in-role", "    time_commitment: 2-3 hours a month", "    time_commitment: 2-3 hours a month\n    mentee_name: Jane",
         "PF003", "mentee_name", "unknown key 'mentee_name' in role 'mentee'"),
    Case("unknown-key-top-level", "\nprivacy:", "\nparticipants: [someone]\nprivacy:", "PF003", "participants", "unknown key 'participants'"),
    Case("unknown-key-in-flow-mapping", "{minutes: 45, topic: Goals and ways of working, lead: mentee}",
         "{minutes: 45, topic: Goals and ways of working, lead: mentee, who: x}", "PF003", "who: x", "unknown key 'who'"),
    Case("unknown-key-mistyped", "  allowed_emails:", "  allowed_email:", "PF003", "allowed_email:",
         "unknown key 'allowed_email' in 'privacy' (did you mean 'allowed_emails'?)"),
    Case("missing-required-key", "    title: Mentor\n", "", "PF004", "id: mentor", "missing required key 'title' in role 'mentor'"),
    Case("missing-template-kind", "    kind: checklist\n", "", "PF004", "id: mentor-quality", "missing required key 'kind'"),
    Case("missing-version", "version: 1\n", "", "PF004", "program:", "missing required key 'version' in program.yml"),
    Case("wrong-type-number", "duration_months: 9", "duration_months: nine", "PF005", "nine\n", "'duration_months': expected a whole number"),
    Case("wrong-type-list", "    responsibilities: [Set goals for the relationship, Prepare for each session]",
         "    responsibilities: {a: b}", "PF005", "{a: b}", "'responsibilities': expected a list"),
    Case("wrong-type-bool", "    one_to_one: false", "    one_to_one: maybe", "PF005", "maybe", "expected true or false"),
    Case("wrong-type-mapping", "      - Listens more than talks", "      - [Listens, more]", "PF005", "[Listens, more]",
         "item 2 of 'items': expected a mapping"),
    Case("bad-choice", "    kind: executive", "    kind: exec", "PF005", "exec\n", "'exec' is not one of mentee, mentor"),
    Case("bad-template-kind", "    kind: checklist", "    kind: checklst", "PF005", "checklst",
         "template kind 'checklst' is not one of contract, agenda, checklist, form (did you mean 'checklist'?)"),
    Case("empty-title", "    title: Mentor\n", "    title: ''\n", "PF005", "''", "'title': must not be empty"),
    Case("weeks-shape", "weeks: [1, 3]", "weeks: [1, 3, 5]", "PF005", "[1, 3, 5]", "two week numbers"),
    Case("weeks-order", "weeks: [1, 3]", "weeks: [3, 1]", "PF005", "[3, 1]", "comes before the first"),
    Case("invalid-id", "  - id: mentor\n", "  - id: Mentor_1\n", "PF006", "Mentor_1", "'Mentor_1' is not a valid id"),
    Case("duplicate-id", "  - id: strategy\n", "  - id: leadership\n", "PF007", "leadership\n", "duplicate domain id 'leadership' (first used at line 37)",
         occurrence=2, extra=["PF008"]),
    Case("minutes-on-checklist", "    audience: program-office", "    audience: program-office\n    minutes: 30", "PF003", "minutes: 30\n",
         "'minutes' belongs to agenda templates"),
    Case("parties-on-agenda", "    minutes: 60\n", "    minutes: 60\n    parties: [mentee]\n", "PF003", "parties: [mentee]",
         "'parties' belongs to contract templates"),
    Case("host-on-one-to-one-track", "    mentee: mentee\n", "    mentee: mentee\n    host: president\n", "PF003", "host: president",
         "'host' is not a key of a one-to-one track"),
    Case("mentee-on-group-track", "    host: president\n    domains", "    host: president\n    mentee: mentee\n    domains", "PF003",
         "mentee: mentee\n    domains", "'mentee' is not a key of a group track", occurrence=2),
    Case("one-to-one-without-mentor", "    mentor: mentor\n", "", "PF004", "id: executive", "missing required key 'mentor' in track 'executive'"),
    Case("group-without-host", "    host: president\n    domains", "    domains", "PF004", "id: circles", "missing required key 'host'"),
]

REFERENCES = [
    Case("track-mentor", "    mentor: mentor\n", "    mentor: mentr\n", "PF008", "mentr", "unknown role 'mentr' (did you mean 'mentor'?)"),
    Case("track-mentee", "    mentee: mentee\n", "    mentee: mentees\n", "PF008", "mentees", "unknown role 'mentees' (did you mean 'mentee'?)"),
    Case("track-host", "    host: president\n    domains", "    host: presidnt\n    domains", "PF008", "presidnt",
         "unknown role 'presidnt' (did you mean 'president'?)"),
    Case("track-domains", "domains: [leadership, strategy]", "domains: [leadership, stratgy]", "PF008", "stratgy",
         "unknown domain 'stratgy' (did you mean 'strategy'?)"),
    Case("track-templates", "templates: [agreement, first-session]", "templates: [agreement, first-sesion]", "PF008", "first-sesion",
         "unknown template 'first-sesion' (did you mean 'first-session'?)"),
    Case("phase-templates", "templates: [agreement, mentor-quality]", "templates: [agreement, mentor-qualty]", "PF008", "mentor-qualty",
         "unknown template 'mentor-qualty' (did you mean 'mentor-quality'?)"),
    Case("contract-parties", "parties: [sponsor, mentor, mentee]", "parties: [sponsr, mentor, mentee]", "PF008", "sponsr",
         "unknown role 'sponsr' (did you mean 'sponsor'?)"),
    Case("clause-policy", "{policy: firewall}", "{policy: firewal}", "PF008", "firewal}", "unknown policy 'firewal' (did you mean 'firewall'?)"),
    Case("agenda-lead", "lead: president}", "lead: presdent}", "PF008", "presdent", "unknown role 'presdent' (did you mean 'president'?)"),
    Case("agenda-lead-not-both", "lead: both,", "lead: bothh,", "PF008", "bothh", "unknown role 'bothh' (did you mean 'both'?)"),
    Case("checklist-audience", "audience: program-office", "audience: program-ofice", "PF008", "program-ofice",
         "unknown role 'program-ofice' (did you mean 'program-office'?)"),
    Case("session-host", "    host: president\n    start", "    host: presidnt\n    start", "PF008", "presidnt",
         "unknown role 'presidnt' (did you mean 'president'?)"),
    Case("session-track", "    track: circles", "    track: circle", "PF008", "circle\n    host", "unknown track 'circle' (did you mean 'circles'?)"),
    Case("session-agenda", "    agenda: circle\n", "    agenda: circl\n", "PF008", "circl\n", "unknown template 'circl' (did you mean 'circle'?)"),
    Case("session-audience", "audience: [mentee, mentor]", "audience: [mentee, mentr]", "PF008", "mentr]",
         "unknown role 'mentr' (did you mean 'mentor'?)"),
    Case("session-agenda-wrong-kind", "    agenda: circle\n", "    agenda: mentor-quality\n", "PF009", "mentor-quality\n    audience",
         "'agenda' must name an agenda template; 'mentor-quality' is a checklist"),
]

VALUES = [
    Case("program-timezone", "  timezone: Europe/London\n  starts", "  timezone: Europe/Londn\n  starts", "PF010", "Europe/Londn",
         "unknown time zone 'Europe/Londn'; use an IANA name like Europe/London (did you mean 'Europe/London'?)"),
    Case("session-timezone", "    timezone: Europe/London\n    repeat", "    timezone: Europe/Lodnon\n    repeat", "PF010", "Europe/Lodnon",
         "unknown time zone 'Europe/Lodnon'"),
    Case("session-timezone-offset", "    timezone: Europe/London\n    repeat", "    timezone: +01:00\n    repeat", "PF010", "+01:00",
         "unknown time zone"),
    Case("date-not-a-date", "starts: 2027-01-11", "starts: next monday", "PF011", "next monday", "'starts': expected a date like 2027-01-28"),
    Case("date-impossible", "starts: 2027-01-11", "starts: 2027-02-30", "PF011", "2027-02-30", "'starts': not a valid date"),
    Case("date-with-time", "starts: 2027-01-11", "starts: 2027-01-11T09:00:00", "PF011", "2027-01-11T", "without a time"),
    Case("except-impossible-date", "except: [2027-02-25]", "except: [2027-02-31]", "PF011", "2027-02-31", "entry 1 of 'except': not a valid date"),
    Case("datetime-with-offset", "start: 2027-01-28T16:00", "start: 2027-01-28T16:00:00+01:00", "PF011", "2027-01-28T16:00:00+01:00",
         "without a UTC offset"),
    Case("datetime-with-z", "start: 2027-01-28T16:00", "start: 2027-01-28T16:00:00Z", "PF011", "2027-01-28T16:00:00Z", "without a UTC offset"),
    Case("datetime-date-only", "start: 2027-01-28T16:00", "start: 2027-01-28", "PF011", "2027-01-28\n", "expected a local date-time"),
    Case("datetime-impossible", "start: 2027-01-28T16:00", "start: 2027-01-28T25:00", "PF011", "2027-01-28T25:00", "not a valid date-time"),
    Case("ends-before-starts", "ends: 2027-12-17", "ends: 2026-12-17", "PF011", "2026-12-17",
         "program ends (2026-12-17) before it starts (2027-01-11)"),
    Case("bad-rrule-value", "COUNT=3", "COUNT=x", "PF012", "FREQ=MONTHLY", "invalid repeat rule: COUNT"),
    Case("bad-rrule-frequency", "FREQ=MONTHLY", "FREQ=MONTHY", "PF012", "FREQ=MONTHY", "(did you mean 'MONTHLY'?)"),
    Case("bad-rrule-until", "COUNT=3", "UNTIL=20270601", "PF012", "FREQ=MONTHLY", "UNTIL must be a UTC date-time"),
    Case("start-in-dst-gap", "    start: 2027-01-28T16:00\n    minutes: 90\n    timezone: Europe/London\n    repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3\n    except: [2027-02-25]\n",
         "    start: 2027-03-28T01:30\n    minutes: 90\n    timezone: Europe/London\n", "PF013", "2027-03-28T01:30",
         "does not exist in Europe/London"),
    Case("missing-body-file", "body: guides/executive.md", "body: guides/missing.md", "PF014", "guides/missing.md",
         "body file not found: content/guides/missing.md"),
    Case("body-path-not-plain", "body: guides/executive.md", "body: ./guides/executive.md", "PF014", "./guides/executive.md",
         "write the path plainly, relative to docs_dir: 'guides/executive.md'"),
    Case("body-unusable-name", "body: guides/executive.md", 'body: "guides/a\\0b.md"', "PF014", '"guides', "is not a usable file name"),
    Case("body-outside-docs-dir", "body: guides/executive.md", "body: ../program.yml", "PF014", "../program.yml", "must be a path inside docs_dir"),
    Case("unsupported-version", "version: 1", "version: 2", "PF016", "2\n", "unsupported format version 2"),
    Case("version-is-not-a-boolean", "version: 1", "version: true", "PF005", "true", "'version': expected a whole number"),
    Case("minutes-is-not-a-boolean", "    minutes: 90\n    timezone", "    minutes: true\n    timezone", "PF005", "true\n    timezone",
         "'minutes': expected a whole number"),
    Case("minutes-too-large", "    minutes: 90\n    timezone", "    minutes: 9000000000000\n    timezone", "PF005", "9000000000000",
         "'minutes': expected a whole number no larger than 1440"),
    Case("week-too-large", "weeks: [40, 44]", "weeks: [40, 4400000000]", "PF005", "4400000000",
         "entry 2 of 'weeks': expected a whole number no larger than 520"),
    Case("year-out-of-range", "ends: 2027-12-17", "ends: 9999-12-31", "PF011", "9999-12-31", "the year 9999 is out of range; expected 1900 to 2999"),
    Case("start-year-out-of-range", "start: 2027-01-28T16:00", "start: 0001-01-01T00:00", "PF011", "0001-01-01T00:00", "the year 1 is out of range"),
    Case("too-many-occurrences", "FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "FREQ=MINUTELY;COUNT=100000000", "PF012", "FREQ=MINUTELY",
         "the series has more than 1000 occurrences"),
    Case("open-series-too-many-occurrences", "FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "FREQ=SECONDLY", "PF012", "FREQ=SECONDLY",
         "the series has more than 1000 occurrences"),
    Case("duration-for-minutes", "    start: 2027-01-28T16:00\n    minutes: 90", "    start: 2027-01-28T16:00\n    duration: 90", "PF003", "duration: 90",
         "unknown key 'duration' in session 'leadership-circle' (did you mean 'minutes'?)", extra=["PF004"]),
    Case("weekday-written-out", "FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "FREQ=WEEKLY;BYDAY=TUE;COUNT=3", "PF012", "FREQ=WEEKLY;BYDAY=TUE",
         "BYDAY value 'TUE' is not a weekday like MO, 4TH or -1FR (did you mean 'TU'?)"),
    Case("kind-without-value", "    kind: executive", "    kind:", "PF005", "32:10", "'kind': no value given; expected one of mentee, mentor"),
    Case("reserved-template-id-index", "\nsessions:", "\n  - {id: index, kind: checklist, title: Index, items: [One]}\n\nsessions:", "PF018",
         "index,", "the template id 'index' is reserved"),
    Case("session-id-is-program-id", "  - id: leadership-circle", "  - id: fixture-mentoring-2027", "PF018", "fixture-mentoring-2027", "equals the program id",
         occurrence=2),
]

PLACEHOLDERS = [
    # a track body
    Case("body-undefined-name", "{{ track.title }}", "{{ trak.title }}", "PF015", "trak", "'trak' is undefined (did you mean 'track'?)",
         file="content/guides/executive.md", where="content/guides/executive.md"),
    Case("body-undefined-field", "{{ track.title }}", "{{ track.titel }}", "PF015", "track.titel",
         "'track' has no field 'titel' (did you mean 'title'?)", file="content/guides/executive.md", where="content/guides/executive.md"),
    Case("body-syntax-error", "{{ track.title }}", "{{ track.title }", "PF015", "{{", "placeholder syntax error",
         file="content/guides/executive.md", where="content/guides/executive.md"),
    Case("body-sandbox-violation", "{{ track.title }}", "{{ ''.__class__.__mro__ }}", "PF015", "{{", "not allowed in a placeholder",
         file="content/guides/executive.md", where="content/guides/executive.md"),
    # a template body
    Case("template-body-undefined-field", "{{ template.title }}", "{{ template.name }}", "PF015", "template.name", "'template' has no field 'name'",
         file="content/templates/agreement.md", where="content/templates/agreement.md"),
    # an ordinary page with front matter: the line counts the front matter too
    Case("page-undefined-name", "{{ program.contact }}", "{{ contact }}", "PF015", "contact }}", "'contact' is undefined",
         file="content/about/faq.md", where="content/about/faq.md"),
    Case("page-syntax-error", "{{ program.contact }}", "{% if program.contact %}", "PF015", "6:10", "placeholder syntax error: Unexpected end of template",
         file="content/about/faq.md", where="content/about/faq.md"),
    Case("page-sandbox-violation", "{{ program.contact }}", "{{ ''.__class__.__mro__ }}", "PF015", "6:10", "access to attribute '__class__'",
         file="content/about/faq.md", where="content/about/faq.md"),
    Case("page-track-not-available", "{{ program.organisation }}", "{{ track.title }}", "PF015", "track.title",
         "'track' is undefined; available here: program, blank()", file="content/index.md", where="content/index.md"),
    Case("page-huge-string", "run by {{ program.organisation }}.", "\nrun by {{ 'x' * 10**9 }}.", "PF015", "{{ 'x'", "not allowed in a placeholder",
         file="content/index.md", where="content/index.md"),
    # a contract clause's text in program.yml
    Case("clause-undefined-name", "{{ blank('goals') }}", "{{ blnk('goals') }}", "PF015", "\"We agree", "'blnk' is undefined (did you mean 'blank'?)"),
    Case("clause-syntax-error", "{{ blank('goals') }}", "{{ blank('goals' }}", "PF015", "\"We agree", "placeholder syntax error"),
    Case("clause-sandbox-violation", "{{ blank('goals') }}", "{{ ''.__class__.__mro__ }}", "PF015", "\"We agree", "not allowed in a placeholder"),
]

ALL = YAML + STRUCTURE + REFERENCES + VALUES + PLACEHOLDERS


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_error_is_located(project: Project, case: Case) -> None:
    diagnostics = _run(project, case)
    _assert_one(project, case, diagnostics)


def test_unknown_key_points_at_the_key_not_its_parent(project: Project) -> None:
    text = project.edit("program.yml", "    kind: mentor\n", "    kind: mentor\n    mentee_name: Jane Doe\n")
    line = text.splitlines().index("    mentee_name: Jane Doe") + 1
    assert project.diagnostics() == [
        f"program.yml:{line}:5: error PF003: unknown key 'mentee_name' in role 'mentor'; "
        "allowed keys: id, kind, title, summary, responsibilities, time_commitment, one_to_one"
    ]


def test_page_line_counts_front_matter(project: Project) -> None:
    project.write("content/about/extra.md", "---\ntitle: Extra\ntags: [a]\n---\n\n# Extra\n\nSee {{ program.titel }}.\n")
    assert project.diagnostics() == [
        "content/about/extra.md:8:8: error PF015: 'program' has no field 'titel' (did you mean 'title'?); its fields: "
        "id, title, organisation, summary, language, timezone, starts, ends, contact, objectives"
    ]


@pytest.mark.parametrize("page", ["program/index.md", "program/policies.md", "calendar.md", "templates.md"])
def test_page_conflicting_with_a_generated_page(project: Project, page: str) -> None:
    project.write(f"content/{page}", "# Mine\n")
    assert project.diagnostics() == [
        f"content/{page}:1:1: error PF017: this page would replace the generated page /{page.removesuffix('.md').removesuffix('/index')}/; "
        "rename or move it"
    ]


def test_guide_page_conflicts_unless_it_is_the_tracks_body(project: Project) -> None:
    project.write("content/guides/circles.md", "# Circles\n")
    assert project.diagnostics() == [
        "content/guides/circles.md:1:1: error PF017: this page would replace the generated page /guides/circles/; rename or move it"
    ]


def test_every_error_is_reported_not_only_the_first(project: Project) -> None:
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    project.edit("program.yml", "    track: circles", "    track: circle")
    project.edit("program.yml", "  timezone: Europe/London\n  starts", "  timezone: Europe/Londn\n  starts")
    codes = [DIAGNOSTIC.match(d)["code"] for d in project.diagnostics()]
    assert codes == ["PF010", "PF008", "PF008"]


def test_missing_program_file(project: Project) -> None:
    project.remove("program.yml")
    [diagnostic] = project.diagnostics()
    assert diagnostic.startswith("program.yml:1:1: error PF001: cannot read the program")


def test_program_option_with_an_unusable_name(project: Project) -> None:
    from program_portal.build import check_project

    report = check_project(project.root, project.root / "pro\x00gram.yml", project.path("content"))
    [diagnostic] = [str(d) for d in report.diagnostics]
    assert " error PF001: cannot read the program: embedded null byte" in diagnostic


def test_program_that_is_not_a_mapping(project: Project) -> None:
    project.write("program.yml", "- just\n- a list\n")
    assert project.diagnostics() == [
        "program.yml:1:1: error PF005: program.yml must be a mapping with keys like 'version' and 'program'"
    ]


def test_empty_program(project: Project) -> None:
    project.write("program.yml", "# nothing yet\n")
    assert project.diagnostics() == ["program.yml:1:1: error PF001: the file is empty; it must hold one YAML mapping"]


def test_not_utf8(project: Project) -> None:
    project.write("program.yml", b"version: 1\nprogram:\n  title: caf\xe9\n")
    assert project.diagnostics() == ["program.yml:3:13: error PF001: the file is not valid UTF-8 text"]


def test_alias_bomb_is_refused_quickly(project: Project) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    project.write("program.yml", "\n".join(lines) + "\n")
    [diagnostic] = project.diagnostics()
    assert " error PF001: the file expands to more than" in diagnostic


def test_unknown_check_in_disable_checks(project: Project) -> None:
    from program_portal.build import check_project

    report = check_project(project.root, project.path("program.yml"), project.path("content"), ["PD011"])
    assert [str(d) for d in report.diagnostics] == [
        "mkdocs.yml:1:1: error PF019: disable_checks: unknown check 'PD011' (known: PD001 to PD010)"
    ]


# -- the same messages from the command line and from MkDocs, without a traceback ---------------

DONE_WHEN = [c for c in ALL if c.id in ("track-mentor", "program-timezone", "unknown-key-in-role", "indentation-key")]


@pytest.mark.parametrize("case", DONE_WHEN, ids=[c.id for c in DONE_WHEN])
def test_one_clear_message_from_cli_and_build(project: Project, case: Case) -> None:
    project.edit(case.file, case.old, case.new)
    expected_start = f"{_loc(project, case)}: error {case.code}: "
    for result in (project.check(), project.build("--strict"), project.build()):
        assert result.returncode == 1, result
        assert "Traceback" not in result.output, result
        [line] = result.diagnostics()
        assert line.startswith(expected_start) and case.message in line, result
    assert not project.path("site").exists()


def test_page_conflicting_with_a_generated_file(project: Project) -> None:
    project.write("content/downloads/agreement.md", "# My own notes\n")
    [diagnostic] = project.diagnostics()
    assert diagnostic.startswith("content/downloads/agreement.md:1:1: error PF017: ")


@pytest.mark.parametrize("start", ["2027-01-28T25:00", "next thursday", None], ids=["impossible", "not-a-date-time", "missing"])
def test_a_malformed_start_does_not_hide_the_sessions_other_errors(project: Project, start: str | None) -> None:
    """Pass 1 fails on the start alone: pass 2 still runs for the rest (a stand-in start, its checks skipped)."""
    new = f"    start: {start}\n" if start else ""
    project.edit("program.yml", "    host: president\n    start: 2027-01-28T16:00\n", f"    host: presidnt\n{new}")
    project.edit("program.yml", "repeat: FREQ=MONTHLY;BYDAY=4TH;COUNT=3", "repeat: FREQ=MONTHLY;BYDAY=TUE;COUNT=3")
    project.edit("program.yml", "    agenda: circle\n", "    agenda: circel\n")
    diagnostics = project.diagnostics()
    codes = [DIAGNOSTIC.match(d)["code"] for d in diagnostics]
    assert sorted(codes) == sorted([("PF011" if start else "PF004"), "PF008", "PF012", "PF008"]), diagnostics
    start_error = next(d for d in diagnostics if " PF011: " in d or " PF004: " in d)
    assert start_error.startswith(project.at(start, rel="program.yml") if start else "program.yml:"), start_error
    assert any(d.startswith(project.at("presidnt", rel="program.yml")) and "unknown role 'presidnt'" in d for d in diagnostics), diagnostics
    assert any(d.startswith(project.at("circel", rel="program.yml")) and "unknown template 'circel'" in d for d in diagnostics), diagnostics
    assert any(" PF012: " in d and "BYDAY" in d for d in diagnostics), diagnostics
    assert not any("occurrence" in d or "2000-01-01" in d for d in diagnostics), "nothing is said about the stand-in start"


def test_other_structure_errors_still_stop_before_references(project: Project) -> None:
    """With a structure error elsewhere, pass 2 does not run (its model is not sound): only pass 1's messages."""
    project.edit("program.yml", "    start: 2027-01-28T16:00\n", "    start: 2027-01-28T25:00\n")
    project.edit("program.yml", "    host: president\n    start", "    host: presidnt\n    start")
    project.edit("program.yml", "    minutes: 90\n", "    minutes: ninety\n")
    codes = sorted(DIAGNOSTIC.match(d)["code"] for d in project.diagnostics())
    assert "PF008" not in codes and "PF011" in codes, codes
