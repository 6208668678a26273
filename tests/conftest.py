"""Shared fixtures: throw-away portal projects in ``tmp_path``, real ``mkdocs build`` and ``program-portal`` runs.

A :class:`Project` is a directory with ``mkdocs.yml`` (docs_dir ``content``, Material with
``font: false``, plugins ``search`` and ``program-portal``), ``program.yml`` and pages under
``content/``. Tests change it with :meth:`Project.write` / :meth:`Project.edit` and run the real
tools on it with :meth:`Project.build` and :meth:`Project.check`; nothing is mocked.

    def test_something(project):
        project.edit("program.yml", "title: Fixture", "title: Other")
        result = project.build("--strict")
        assert result.ok, result.output
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
VENV_BIN = Path(sys.executable).parent
CLI = str(VENV_BIN / "program-portal") if (VENV_BIN / "program-portal").exists() else shutil.which("program-portal") or "program-portal"

# One diagnostic line: FILE:LINE:COLUMN: error|warning CODE: message
DIAGNOSTIC = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) (?P<code>P[FDV]\d{3}): (?P<message>.+)$")


def env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: no MkDocs 2 banner, no stray SOURCE_DATE_EPOCH."""
    out = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    out["NO_MKDOCS_2_WARNING"] = "1"
    out["PYTHONDONTWRITEBYTECODE"] = "1"
    out.update(extra)
    return out


@dataclass
class Result:
    """A finished command: exit code and what it printed."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def diagnostics(self) -> list[str]:
        """Every ``FILE:LINE:COLUMN: severity CODE: message`` line, in order, with MkDocs' log prefix removed."""
        found = []
        for line in self.output.splitlines():
            line = re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+(\[[\w.:-]+\]\s+|[\w.-]+: (?=\S+:\d+:\d+: ))?", "", line.strip())
            line = re.sub(r"^Error: ", "", line)
            if DIAGNOSTIC.match(line):
                found.append(line)
        return found

    def __str__(self) -> str:
        return f"$ {' '.join(self.args)}\nexit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run(args: list[str], cwd: Path, timeout: float = 120, **extra_env: str) -> Result:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env(**extra_env), timeout=timeout)
    return Result(args, proc.returncode, proc.stdout, proc.stderr)


def mkdocs_build(directory: Path, *args: str, **extra_env: str) -> Result:
    """``python -m mkdocs build ARGS`` in ``directory`` (a real build, in a subprocess)."""
    return run([sys.executable, "-m", "mkdocs", "build", *args], directory, **extra_env)


def cli(directory: Path, *args: str, **extra_env: str) -> Result:
    """The ``program-portal`` console script, run in ``directory``."""
    return run([CLI, *args], directory, **extra_env)


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based (line, column) where the ``occurrence``-th ``needle`` starts in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def mkdocs_yml(
    *,
    program: str | None = None,
    disable_checks: Iterable[str] | None = None,
    site_name: str = "Fixture portal",
    extra: str = "",
) -> str:
    """A minimal intranet-safe mkdocs.yml for a fixture project."""
    options = []
    if program is not None:
        options.append(f"      program: {program}")
    if disable_checks is not None:
        options.append(f"      disable_checks: [{', '.join(disable_checks)}]")
    plugin = "  - program-portal" + (":\n" + "\n".join(options) if options else "")
    return (
        f"site_name: {site_name}\n"
        "docs_dir: content\n"
        "theme:\n  name: material\n  font: false\n"
        "extra:\n  generator: false\n"
        "plugins:\n  - search\n" + plugin + "\n" + extra
    )


class Project:
    """A portal project in a temporary directory."""

    def __init__(self, root: Path):
        self.root = root

    # -- files --------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.root / rel

    def read(self, rel: str = "program.yml") -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str | bytes) -> Path:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def remove(self, rel: str) -> None:
        self.path(rel).unlink()

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> str:
        """Replace ``old`` by ``new`` in file ``rel`` (``old`` must be there); returns the new text."""
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        text = text.replace(old, new, count)
        self.write(rel, text)
        return text

    def configure(self, **options: object) -> None:
        """Rewrite mkdocs.yml (see :func:`mkdocs_yml` for the options)."""
        self.write("mkdocs.yml", mkdocs_yml(**options))  # type: ignore[arg-type]

    def at(self, needle: str, occurrence: int = 1, rel: str = "program.yml") -> str:
        """``FILE:LINE:COLUMN`` of the start of ``needle`` in file ``rel``."""
        line, column = position(self.read(rel), needle, occurrence)
        return f"{rel}:{line}:{column}"

    # -- tools --------------------------------------------------------------

    def build(self, *args: str, **extra_env: str) -> Result:
        return mkdocs_build(self.root, *args, **extra_env)

    def check(self, *args: str, **extra_env: str) -> Result:
        return cli(self.root, "check", *args, **extra_env)

    def report(self, disable_checks: Iterable[str] = ()):
        """``check_project`` in-process, the core both the CLI and the plugin run."""
        from program_portal.build import check_project

        return check_project(self.root, self.root / "program.yml", self.root / "content", list(disable_checks))

    def diagnostics(self, disable_checks: Iterable[str] = ()) -> list[str]:
        return [str(d) for d in self.report(disable_checks).diagnostics]

    def assert_one_located_error(self, code: str, at: str, message: str) -> None:
        """The program's diagnostics hold exactly one error, ``code`` at the position of ``at``, saying ``message``."""
        diagnostics = self.diagnostics()
        mine = [d for d in diagnostics if f" {code}: " in d]
        assert len(mine) == 1, diagnostics
        assert mine[0].startswith(f"{self.at(at)}: error {code}: "), (mine[0], self.at(at))
        assert message in mine[0], mine[0]
        assert [d for d in diagnostics if " error " in d] == mine, diagnostics

    def copy(self, destination: Path) -> "Project":
        """A copy of the whole project (site/ included) at ``destination``."""
        shutil.copytree(self.root, destination, symlinks=True)
        return Project(destination)

    def site(self, rel: str) -> str:
        """A built file under site/ (``program/index.html``)."""
        return (self.root / "site" / rel).read_text(encoding="utf-8")


def copy_fixture(name: str, destination: Path) -> Path:
    shutil.copytree(FIXTURES / name, destination, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".cache", "site"))  # a stray local cache is not the fixture
    return destination


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """``make_project(fixture="full", **mkdocs_options)``: a copy of ``tests/fixtures/<fixture>`` with a mkdocs.yml.

    A fixture directory that has its own mkdocs.yml keeps it unless options are given.
    """
    counter = iter(range(1000))

    def make(fixture: str = "full", **options: object) -> Project:
        root = copy_fixture(fixture, tmp_path / f"{fixture}-{next(counter)}")
        project = Project(root)
        if options or not project.path("mkdocs.yml").exists():
            project.configure(**options)
        return project

    return make


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    """The ``full`` fixture program (valid, warning-free, every template kind, a session series)."""
    return make_project("full")


@pytest.fixture(scope="session")
def full_program_text() -> str:
    return (FIXTURES / "full" / "program.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Project, Result]]:
    """``built("full")``: the fixture built once per test session with ``mkdocs build --strict``.

    Treat the returned project as read-only; :meth:`Project.copy` it to change it.
    """
    cache: dict[str, tuple[Project, Result]] = {}

    def get(fixture: str = "full") -> tuple[Project, Result]:
        if fixture not in cache:
            root = copy_fixture(fixture, tmp_path_factory.mktemp(f"built-{fixture}"))
            project = Project(root)
            if not project.path("mkdocs.yml").exists():
                project.configure()
            cache[fixture] = project, project.build("--strict")
        return cache[fixture]

    return get


# -- the example site in a browser (shared by the browser test modules) --------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The shipped example, built once per run (``--strict``, fixed SOURCE_DATE_EPOCH) and served on 127.0.0.1.

    Browser test modules use it read-only; a module that needs another build defines its own ``site``.
    """
    from browser_support import REPO, build_site, require_chromium, serve

    require_chromium()
    cache = tmp_path_factory.getbasetemp() / "download-cache"  # shared with test_downloads when both run
    cache.mkdir(exist_ok=True)
    root = build_site(REPO, tmp_path_factory.mktemp("example-site"), cache_dir=cache)
    with serve(root) as server:
        yield server


@pytest.fixture(scope="module")
def chromium(site):
    """Headless Debian Chromium, one per test module (each test opens its own context).

    Module scope, not session: Playwright's sync API allows one running instance at a time, and
    some modules (test_offline) launch their own.
    """
    from browser_support import launch_chromium

    with launch_chromium() as launched:
        yield launched
