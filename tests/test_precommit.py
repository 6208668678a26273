"""The repository's ``.pre-commit-hooks.yaml``, run by pre-commit itself.

pre-commit installs the portal and its dependencies from PyPI into a virtualenv of its
own, so this is slow; it needs no other network access. The hook repository is a snapshot
of this one (its files as they are now, committed once), used the way a program repository
uses it: ``repo:`` and ``rev:`` in its ``.pre-commit-config.yaml``, so that the three runs
share one installation (``pre-commit try-repo``, the quick manual test, installs anew on
every run).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, VENV_BIN, run
from gitrepo import GIT_ENV, Repo, git

PRE_COMMIT = str(VENV_BIN / "pre-commit") if (VENV_BIN / "pre-commit").exists() else shutil.which("pre-commit") or "pre-commit"
HOOK = "program-portal-check"


def snapshot(target: Path) -> Path:
    """What pre-commit installs from this repository, as it is now, in a repository of its own."""
    for name in ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    shutil.copytree(REPO / "plugins", target / "plugins", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == HOOK and hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["entry"] == "program-portal check --strict"


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    hooks = snapshot(tmp_path / "hook-repo")
    ref = git(hooks, "rev-parse", "HEAD").strip()
    repo = Repo.from_fixture("small", tmp_path / "program")
    config = {"repos": [{"repo": str(hooks), "rev": ref, "hooks": [{"id": HOOK}]}]}
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    repo.commit("Use the portal's pre-commit hook")
    home = str(tmp_path / "pre-commit-home")

    def pre_commit(*args: str):
        return run([PRE_COMMIT, "run", HOOK, *args], repo.root, timeout=900, PRE_COMMIT_HOME=home, PYTHONPATH="", **GIT_ENV)

    ok = pre_commit("--all-files")
    assert ok.returncode == 0, ok
    assert "program-portal check" in ok.stdout and "Passed" in ok.stdout

    repo.edit("program.yml", "    host: president\n    start:", "    host: presidnt\n    start:")
    git(repo.root, "add", "program.yml")
    failed = pre_commit()  # the staged files: program.yml
    assert failed.returncode == 1, failed
    assert "Failed" in failed.stdout
    assert "program.yml:42:11: error PF008: unknown role 'presidnt' (did you mean 'president'?)" in failed.stdout

    git(repo.root, "reset", "-q", "--hard")
    repo.write("README.md", "Notes for the program office.\n")
    git(repo.root, "add", "README.md")
    skipped = pre_commit()  # nothing the hook looks at
    assert skipped.returncode == 0, skipped
    assert "Skipped" in skipped.stdout

    # installed as the git hook, it stops a commit that breaks the program
    assert run([PRE_COMMIT, "install"], repo.root, PRE_COMMIT_HOME=home, **GIT_ENV).ok
    git(repo.root, "reset", "-q", "--hard")
    repo.edit("program.yml", "    host: president\n    start:", "    host: presidnt\n    start:")
    git(repo.root, "add", "program.yml")
    blocked = run(["git", "commit", "-m", "A typo"], repo.root, timeout=900, PRE_COMMIT_HOME=home, PYTHONPATH="", **GIT_ENV)
    assert blocked.returncode == 1 and "error PF008" in blocked.output, blocked
    assert git(repo.root, "log", "-1", "--format=%s").strip() == "Use the portal's pre-commit hook"
