"""The example CI workflows in docs/ci/: their structure, and their program-portal and mkdocs commands run for real.

Each ``run:`` (GitHub Actions) or ``script:`` (GitLab CI) line that calls program-portal or
mkdocs is run with bash in a git repository in tmp_path (the full fixture, a second commit
that moves a session), with the CI variables it uses set as the CI system would set them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, VENV_BIN, env
from gitrepo import Repo

GITHUB = REPO / "docs" / "ci" / "github-actions.yml"
GITLAB = REPO / "docs" / "ci" / "gitlab-ci.yml"
TOOLS = ("program-portal ", "mkdocs ")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps() -> list[dict]:
    return load(GITHUB)["jobs"]["portal"]["steps"]


def github_commands() -> list[str]:
    lines = [line.strip() for step in github_steps() if "run" in step for line in step["run"].splitlines()]
    return [line for line in lines if line.startswith(TOOLS)]


def gitlab_commands() -> list[str]:
    data = load(GITLAB)
    lines = [line for job in data.values() if isinstance(job, dict) and "script" in job for line in job["script"]]
    return [line for line in lines if line.startswith(TOOLS)]


def bash(command: str, cwd: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    path = f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(["bash", "-e", "-c", command], cwd=cwd, capture_output=True, text=True, env=env(PATH=path, **variables), timeout=600)


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo.from_fixture("full", tmp_path_factory.mktemp("ci") / "program")
    repo.edit("program.yml", "start: 2027-01-28T16:00", "start: 2027-01-28T16:30")
    repo.commit("The circle starts half an hour later")
    return repo


def github_expression(command: str, repo: Repo) -> str:
    """``${{ ... }}`` as GitHub fills it in for a pull request."""
    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo.root, capture_output=True, text=True, check=True).stdout.strip()
    return command.replace("${{ github.event.pull_request.base.sha }}", base)


def test_the_workflows_have_each_part() -> None:
    steps = github_steps()
    assert [c.split(" --")[0].split(" >")[0] for c in github_commands()] == ["program-portal check", "program-portal build", 'program-portal diff "${{ github.event.pull_request.base.sha }}" HEAD']
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    assert load(GITHUB)["permissions"]["pull-requests"] == "write"
    assert any("gh pr comment" in s.get("run", "") for s in steps)

    gitlab = load(GITLAB)
    assert gitlab["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert gitlab["check"]["artifacts"]["when"] == "always"
    assert gitlab["build"]["artifacts"]["paths"] == ["site/"]
    assert gitlab["diff"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert gitlab["variables"]["GIT_DEPTH"] == "0"
    assert any("merge_requests/$CI_MERGE_REQUEST_IID/notes" in line for line in gitlab["diff"]["script"])


@pytest.mark.slow
def test_github_commands_run(change: Repo, tmp_path: Path) -> None:
    check, build, diff = github_commands()
    result = bash(check, change.root)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    result = bash(build, change.root)
    assert result.returncode == 0, result.stderr
    assert (change.root / "site" / "calendar" / "index.html").is_file()
    result = bash(github_expression(diff, change), change.root)
    assert result.returncode == 0, result.stderr  # the change is reported (exit 1), which is not a failure
    report = (change.root / "diff.md").read_text(encoding="utf-8")
    assert report.startswith("<!-- program-portal diff -->") and "occurrences move" in report


def test_github_check_annotates_and_fails(change: Repo, tmp_path: Path) -> None:
    broken = Repo.from_fixture("full", tmp_path / "broken")
    broken.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    result = bash(github_commands()[0], broken.root)
    assert result.returncode == 1
    assert re.fullmatch(r"::error file=program\.yml,line=\d+,col=\d+,title=PF008::PF008: unknown role 'mentr' \(did you mean 'mentor'\?\)\n", result.stdout)


def test_gitlab_commands_run(change: Repo, tmp_path: Path) -> None:
    check, build, diff = gitlab_commands()
    assert build == "program-portal build --strict"  # run by test_github_commands_run: the same command
    result = bash(check, change.root)
    assert result.returncode == 0, result.stderr
    assert json.loads((change.root / "gl-code-quality-report.json").read_text(encoding="utf-8")) == []
    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=change.root, capture_output=True, text=True, check=True).stdout.strip()
    result = bash(diff, change.root, CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert result.returncode == 0, result.stderr
    assert "occurrences move" in (change.root / "diff.md").read_text(encoding="utf-8")

    broken = Repo.from_fixture("full", tmp_path / "broken")
    broken.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    result = bash(check, broken.root)
    assert result.returncode == 1
    (issue,) = json.loads((broken.root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issue["check_name"] == "PF008" and issue["severity"] == "critical"
    assert "error PF008: unknown role 'mentr'" in result.stdout  # the text for the job log


def test_diff_step_fails_on_an_error_in_the_change(tmp_path: Path) -> None:
    repo = Repo.from_fixture("full", tmp_path / "program")
    repo.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    repo.commit("A typo")
    base = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo.root, capture_output=True, text=True, check=True).stdout.strip()
    result = bash(gitlab_commands()[2], repo.root, CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert result.returncode != 0 and result.stderr.startswith("head: program.yml:")  # the job fails
