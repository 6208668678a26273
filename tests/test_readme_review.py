"""The README's "Reviewing a change in a pull request" shows real output: the same steps, run again, give the same text.

If this fails after a change to the shipped program.yml, run the steps again and paste the new output
into the README (the failure shows it).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, cli
from gitrepo import Repo, git

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Reviewing a change in a pull request\n", 1)[1].split("\n## Publishing on an intranet", 1)[0]

FEEDBACK_CLAUSE = """      - title: Feedback and evaluation
        text: >-
          We ask each other for feedback at the end of each meeting and more fully at the mid-point
          review. We each answer the anonymous evaluation surveys of the programme office; nothing we
          write in them identifies this relationship.
"""
ITEM = '      - {text: "I have chosen one main topic and sent it ahead", group: Before every meeting}\n'
NEW_ITEM = '      - {text: "I have blocked ten minutes after the meeting to write down what I will do", group: Before every meeting}\n'


def example(root: Path) -> Repo:
    """The shipped example project in a new git repository, on branch main."""
    root.mkdir(parents=True)
    for name in ("program.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, root / name)
    for folder in ("content", "overrides"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    git(root, "init", "-q", "-b", "main")
    repo = Repo(root)
    repo.commit("The example program")
    return repo


def the_small_change(text: str) -> str:
    circle = text.index("  - id: leadership-circle\n")
    text = text[:circle] + text[circle:].replace("start: 2027-01-28T16:00", "start: 2027-01-28T16:30", 1)
    agreement = text.index("  - id: mentoring-agreement\n")
    clause = text.index(FEEDBACK_CLAUSE, agreement)
    text = text[:clause] + text[clause + len(FEEDBACK_CLAUSE) :]
    assert ITEM in text
    return text.replace(ITEM, ITEM + NEW_ITEM)


def blocks() -> list[str]:
    """The fenced blocks of the README's section, in order (their text, without the fences)."""
    out, current, fence = [], [], None
    for line in SECTION.splitlines(keepends=True):
        stripped = line.strip()
        if fence is None and re.fullmatch(r"`{3,}\w*", stripped):
            fence, current = stripped.rstrip("abcdefghijklmnopqrstuvwxyz"), []
        elif fence is not None and stripped == fence:
            out.append("".join(current))
            fence = None
        elif fence is not None:
            current.append(line)
    return out


@pytest.mark.slow
def test_readme_shows_the_real_diff(tmp_path: Path) -> None:
    repo = example(tmp_path / "example")
    git(repo.root, "checkout", "-q", "-b", "later-circle")
    repo.write("program.yml", the_small_change(repo.read()))
    repo.commit("Circle at 16:30, agreement without the feedback clause, one more preparation item")
    result = cli(repo.root, "diff", "main", "HEAD")
    assert result.returncode == 1, result
    assert blocks()[4] == result.stdout, result.stdout


def test_readme_shows_the_real_annotations(tmp_path: Path) -> None:
    repo = example(tmp_path / "example")
    repo.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    outputs = {fmt: cli(repo.root, "check", "--format", fmt) for fmt in ("text", "github", "gitlab", "json", "sarif")}
    assert all(r.returncode == 1 for r in outputs.values())
    assert blocks()[1] == (
        f"$ program-portal check\n{outputs['text'].stdout}{outputs['text'].stderr}\n"
        f"$ program-portal check --format github\n{outputs['github'].stdout}"
    )
    assert blocks()[2] == f"$ program-portal check --format gitlab\n{outputs['gitlab'].stdout}\n$ program-portal check --format json\n{outputs['json'].stdout}"
    sarif = json.loads(outputs["sarif"].stdout)
    (result,) = sarif["runs"][0]["results"]
    assert blocks()[3] == json.dumps(result, indent=2) + "\n"
    assert re.search(rf"lists the {len(sarif['runs'][0]['tool']['driver']['rules'])} codes", SECTION)
