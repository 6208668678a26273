"""A side of ``program-portal diff``: a project directory, or a git revision checked out into a temporary directory.

A revision is written with a private index file (``git read-tree`` + ``checkout-index``
under ``GIT_INDEX_FILE``): the repository's own index, work tree and worktree list are
never touched, and nothing is left behind.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SideError(Exception):
    """A BASE or HEAD argument that is neither a project directory nor a git revision."""


def _git(cwd: Path, *args: str, index: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if index is not None:
        env["GIT_INDEX_FILE"] = str(index)
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:  # no git on this machine
        raise SideError(f"cannot run git: {exc}") from None


def resolve(spec: str, cwd: Path) -> str | None:
    """The commit ``spec`` names in the repository around ``cwd``, or None."""
    proc = _git(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


@contextmanager
def project(spec: str, cwd: Path) -> Iterator[Path]:
    """The project directory ``spec`` names: a directory holding mkdocs.yml as it is, or a git revision.

    For a revision, the directory is the one that corresponds to ``cwd`` in that revision
    (so ``program-portal diff main HEAD`` in a sub-folder compares that sub-folder).
    """
    directory = cwd / spec
    if (directory / "mkdocs.yml").is_file():
        yield directory
        return
    commit = resolve(spec, cwd)
    if commit is None:
        if directory.is_dir():
            raise SideError(f"'{spec}' is a directory without mkdocs.yml, and not a git revision")
        raise SideError(f"'{spec}' is neither a project directory (holding mkdocs.yml) nor a git revision of this repository")
    prefix = _git(cwd, "rev-parse", "--show-prefix").stdout.strip()
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").stdout.strip() or cwd)  # checkout-index works from the top
    with tempfile.TemporaryDirectory(prefix="program-portal-diff-") as tmp:
        index, tree = Path(tmp) / "index", Path(tmp) / "tree"
        treeish = f"{commit}:{prefix.rstrip('/')}" if prefix else commit
        read = _git(top, "read-tree", treeish, index=index)
        if read.returncode != 0:
            raise SideError(f"'{spec}' ({commit[:12]}) has no folder '{prefix.rstrip('/')}': {read.stderr.strip()}")
        out = _git(top, "checkout-index", "--all", "--force", f"--prefix={tree}/", index=index)
        if out.returncode != 0:
            raise SideError(f"cannot check out '{spec}' ({commit[:12]}): {out.stderr.strip()}")
        tree.mkdir(exist_ok=True)
        if not (tree / "mkdocs.yml").is_file():
            raise SideError(f"'{spec}' ({commit[:12]}) has no mkdocs.yml" + (f" in {prefix}" if prefix else ""))
        yield tree
