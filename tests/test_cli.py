"""``program-portal check``/``export``/``schema``, and the check agreeing with ``mkdocs build``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, Project, cli

# -- check ----------------------------------------------------------------------------------------


def test_example_program_passes_check_strict() -> None:
    result = cli(REPO, "check", "--strict")
    assert result.ok, result
    assert result.stdout == "" and result.stderr.strip() == "ok: no problems found"


def test_check_of_a_valid_program(project: Project) -> None:
    result = project.check("--strict")
    assert result.ok, result
    assert result.stdout == "" and result.stderr.strip() == "ok: no problems found"


def test_check_error_exits_1_with_located_lines_on_stdout(project: Project) -> None:
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    result = project.check()
    assert result.returncode == 1
    assert result.stdout == f"{project.at('mentr')}: error PF008: unknown role 'mentr' (did you mean 'mentor'?)\n"
    assert result.stderr.strip() == "1 error(s), 0 warning(s)"


def test_check_warnings_fail_only_with_strict(project: Project) -> None:
    project.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    line = f"{project.at('first-session', 2)}: warning PD007: agenda 'first-session' has no preparation (what to do before the meeting)\n"
    plain = project.check()
    assert plain.ok and plain.stdout == line and plain.stderr.strip() == "ok: 0 error(s), 1 warning(s)"
    strict = project.check("--strict")
    assert strict.returncode == 1 and strict.stdout == line and strict.stderr.strip() == "0 error(s), 1 warning(s) (--strict)"


def test_check_reads_disable_checks_from_mkdocs_yml(project: Project) -> None:
    project.edit("program.yml", "    preparation: [Read the mentoring agreement]\n", "")
    project.configure(disable_checks=["PD007"])
    assert project.check("--strict").ok


def test_check_reads_program_option_and_docs_dir_from_mkdocs_yml(project: Project) -> None:
    project.path("program.yml").rename(project.path("design.yml"))
    project.path("content").rename(project.path("pages"))
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("docs_dir: content", "docs_dir: pages").replace(
        "  - program-portal\n", "  - program-portal:\n      program: design.yml\n"))
    result = project.check("--strict")
    assert result.ok, result
    project.edit("design.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    result = project.check()
    assert result.stdout.startswith("design.yml:49:13: error PF008")


def test_check_with_explicit_program_and_config_file(project: Project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli(elsewhere, "check", str(project.path("program.yml")), "--config-file", str(project.path("mkdocs.yml")), "--strict")
    assert result.ok, result
    project.edit("program.yml", "  timezone: Europe/London\n  starts", "  timezone: Mars/Olympus\n  starts")
    result = cli(elsewhere, "check", str(project.path("program.yml")), "-f", str(project.path("mkdocs.yml")))
    assert result.returncode == 1 and result.stdout.startswith("program.yml:9:13: error PF010: unknown time zone 'Mars/Olympus'")


def test_check_without_mkdocs_yml_uses_defaults(project: Project) -> None:
    project.remove("mkdocs.yml")
    assert project.check("--strict").ok


def test_check_of_a_missing_program(project: Project) -> None:
    result = project.check("nowhere.yml")
    assert result.returncode == 1 and "Traceback" not in result.output
    assert result.stdout.startswith("nowhere.yml:1:1: error PF001: cannot read the program")


@pytest.mark.parametrize(
    "mkdocs_yml",
    [
        "- not\n- a mapping\n",
        "site_name: x\ndocs_dir: content\nplugins:\n  - program-portal: just-a-string\n",
        "site_name: x\ndocs_dir: content\nplugins:\n  - program-portal:\n      disable_checks: PD007\n",
        "site_name: x\nplugins: {search: {}, program-portal: {}}\n",
        "site_name: [unclosed\n",
        "site_name: !ENV [SITE, x]\ndocs_dir: !relative content\nplugins:\n  - program-portal\n",
    ],
    ids=["list", "options-string", "disable-string", "plugins-mapping", "yaml-error", "tags"],
)
def test_check_with_an_unusual_mkdocs_yml_gives_no_traceback(project: Project, mkdocs_yml: str) -> None:
    project.write("mkdocs.yml", mkdocs_yml)
    result = project.check()
    assert "Traceback" not in result.output, result
    assert result.returncode in (0, 1)


def test_check_version() -> None:
    result = cli(REPO, "--version")
    assert result.ok and result.stdout.startswith("program-portal, version ")


# -- check and build agree ------------------------------------------------------------------------

AGREEMENT = {
    "valid": [],
    "error": [("    mentor: mentor\n", "    mentor: mentr\n")],
    "several-errors": [("    mentor: mentor\n", "    mentor: mentr\n"), ("    track: circles", "    track: circle"),
                       ("    time_commitment: 2-3 hours a month", "    time_commitment: 2-3 hours a month\n    mentee_name: X")],
    "yaml-error": [("  title: Fixture Mentoring Programme", "   title: Fixture Mentoring Programme")],
    "warnings": [("    preparation: [Read the mentoring agreement]\n", ""), ("    mentor: mentor\n", "    mentor: president\n")],
}


COMBINATIONS = [(name, strict) for name in sorted(AGREEMENT) for strict in (True, False) if strict or name != "valid"]


@pytest.mark.parametrize("name, strict", COMBINATIONS, ids=[f"{n}-{'strict' if s else 'plain'}" for n, s in COMBINATIONS])
def test_check_and_build_agree(project: Project, name: str, strict: bool) -> None:
    for old, new in AGREEMENT[name]:
        project.edit("program.yml", old, new)
    args = ["--strict"] if strict else []
    check = project.check(*args)
    build = project.build(*args)
    assert check.ok == build.ok, (check, build)
    assert check.diagnostics() == build.diagnostics(), (check, build)
    assert "Traceback" not in check.output + build.output
    if name != "valid":
        assert check.diagnostics()


def test_check_and_build_agree_on_a_page_error(project: Project) -> None:
    project.edit("content/about/faq.md", "{{ program.contact }}", "{{ program.mail }}")
    check, build = project.check(), project.build()
    assert not check.ok and not build.ok
    assert check.diagnostics() == build.diagnostics() == [
        "content/about/faq.md:6:13: error PF015: 'program' has no field 'mail'; its fields: id, title, organisation, summary, "
        "language, timezone, starts, ends, contact, objectives"
    ]


def test_check_and_build_agree_on_a_dot_markdown_page(project: Project) -> None:
    project.write("content/extra.markdown", "# Extra\n\n{{ nope }}\n")
    check, build = project.check(), project.build()
    assert not build.ok
    assert check.ok == build.ok
    assert check.diagnostics() == build.diagnostics()


# -- export ---------------------------------------------------------------------------------------


def test_export_writes_pages_files_and_nav(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli(project.root, "export", str(out))
    assert result.ok, result
    for rel in ("program/index.md", "program/policies.md", "guides/executive.md", "guides/circles.md", "templates/index.md",
                "templates/agreement.md", "calendar/index.md", "index.md", "about/faq.md",
                "calendar/fixture-mentoring-2027.ics", "calendar/leadership-circle.ics"):
        assert (out / "docs" / rel).is_file(), rel
    assert "This is the home of the Fixture Mentoring Programme" in (out / "docs" / "index.md").read_text(encoding="utf-8")
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"][1] == {"Program": [{"Overview": "program/index.md"}, {"At a glance": "at-a-glance/index.md"}, {"Policies": "program/policies.md"}]}


def test_export_of_a_broken_program_writes_nothing(project: Project, tmp_path: Path) -> None:
    project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    out = tmp_path / "out"
    result = cli(project.root, "export", str(out))
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "error PF008: unknown role 'mentr'" in result.stderr
    assert not out.exists()
