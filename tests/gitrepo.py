"""Real git repositories in tmp_path for the review tests: a fixture project, committed, changed, committed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import FIXTURES, env, mkdocs_yml

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Program office",
    "GIT_AUTHOR_EMAIL": "office@fixture.example",
    "GIT_COMMITTER_NAME": "Program office",
    "GIT_COMMITTER_EMAIL": "office@fixture.example",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env(**GIT_ENV), check=True)
    return proc.stdout


class Repo:
    """A git repository holding a portal project at its root."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def from_fixture(cls, fixture: str, root: Path) -> "Repo":
        shutil.copytree(FIXTURES / fixture, root)
        if not (root / "mkdocs.yml").exists():
            (root / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")
        git(root, "init", "-q", "-b", "main")
        repo = cls(root)
        repo.commit("Initial program")
        return repo

    def read(self, rel: str = "program.yml") -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def commit(self, message: str) -> str:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def head(self) -> str:
        return git(self.root, "rev-parse", "HEAD").strip()

    def status(self) -> str:
        return git(self.root, "status", "--porcelain", "--untracked-files=all")
