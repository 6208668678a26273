"""Fuzzing the loader: no input, however malformed, produces anything but located diagnostics.

(a) Random text, random bytes and YAML-ish token soup go through ``load_program``: only
    ``ProgramError`` may come out, and every diagnostic is ``FILE:LINE:COLUMN: severity CODE:
    message`` with the line and column inside the file.
(b) Structured mutations of the valid ``full`` fixture (delete a key, add an unknown key,
    replace a value by a random YAML value, rename an id) go through the whole check
    (``check_project``: loading, page generation, placeholders, design checks): located
    diagnostics or a clean pass, never an exception; an added unknown key is reported at its own line.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import DIAGNOSTIC, FIXTURES
from program_portal.diagnostics import ProgramError
from program_portal.source.loader import load_program
from program_portal.build import check_project
from program_portal.source.yamlfile import load

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))  # more for a longer hunt: FUZZ_EXAMPLES=5000
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
WHOLE_CHECK = settings(SETTINGS, max_examples=max(1, EXAMPLES * 4 // 5))  # these also generate every page
LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
FULL_TEXT = (FIXTURES / "full" / "program.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project directory reused by every example: program.yml is overwritten each time."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURES / "full" / "content", root / "content")
    return root


def _text_of(data: bytes | str) -> str:
    return data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data


def _assert_located(diagnostics: list[Any], text: str, file: str = "program.yml") -> None:
    lines = LINE_BREAK.split(text)
    assert diagnostics
    for diagnostic in diagnostics:
        line = str(diagnostic)
        match = DIAGNOSTIC.match(line)
        assert match, line
        assert "\n" not in line
        if match["file"] == file:
            n, col = int(match["line"]), int(match["column"])
            assert 1 <= n <= len(lines), (line, len(lines))
            assert 1 <= col <= len(lines[n - 1]) + 1, (line, lines[n - 1])


def _load_file(root: Path, data: bytes | str) -> None:
    path = root / "program.yml"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")
    try:
        load_program(path, root=root, docs_dir=root / "content")
    except ProgramError as exc:
        _assert_located(exc.diagnostics, _text_of(data))


# -- (a) random input ---------------------------------------------------------------------------

TOKENS = [
    ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "! ", "!!str ", "!!map ", "!!python/name:os.system ",
    "\t", "\n", "\r\n", "\n  ", "\n    ", "'", '"', "#", "---\n", "...\n", "? ", "|\n", ">\n", "<<: ", "%YAML 1.1\n",
    "version", "program", "roles", "id", "kind", "title", "templates", "sessions", "start", "repeat", "mentor",
    "1", "2027-01-11", "2027-02-30", "2027-01-28T16:00", "FREQ=WEEKLY", "null", "true", "~", "\x00", "\ufeff", "\x85", "é",
    "{{ ", " }}",
]


@SETTINGS
@given(st.text())
def test_random_text(workdir: Path, text: str) -> None:
    _load_file(workdir, text)


@SETTINGS
@given(st.binary())
def test_random_bytes(workdir: Path, data: bytes) -> None:
    _load_file(workdir, data)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=5), max_size=60).map("".join))
def test_yaml_token_soup(workdir: Path, text: str) -> None:
    _load_file(workdir, text)


@st.composite
def damaged_program(draw: st.DrawFn) -> str:
    """The valid program with a few lines deleted, duplicated, re-indented or cut."""
    lines = FULL_TEXT.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "cut", "insert"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 3)):]
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(st.sampled_from(TOKENS)) + lines[i][j:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@SETTINGS
@given(damaged_program())
def test_damaged_program(workdir: Path, text: str) -> None:
    _load_file(workdir, text)


# -- (b) structured mutations ---------------------------------------------------------------------

FULL_DATA, _ = load(FULL_TEXT, "program.yml")

scalars = (
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20) | st.sampled_from(["mentor", "2027-01-11", "2027-01-28T16:00", "Europe/London", "FREQ=DAILY;COUNT=2",
                                             "{{ program.title }}", "{{ nope }}", "<b>x</b>", "index", "both", "", "-"])
    | st.dates().map(str)
    | st.sampled_from([0, -1, 52, 53, 520, 521, 1440, 1441, 10**6, 2**31, 2**63, 10**30, "0001-01-01", "9999-12-31",
                       "2027-03-28T01:30", "9999-12-31T23:59", "FREQ=SECONDLY", "FREQ=MINUTELY;COUNT=100000000",
                       "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "Etc/GMT+14", "Pacific/Kiritimati", "\n", "a\u2028b",
                       "./guides/executive.md", "guides/../guides/executive.md", "guides//executive.md", "templates/agreement.md",
                       "index.md", "about/faq.md", "guides/executive.md", "/etc/passwd", "../program.yml", "a\x00b.md",
                       "x" * 300 + ".md", "guides/", "content"])
)
yaml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*path, i))
    return out


PATHS = _paths(FULL_DATA)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


MAPPING_PATHS = [p for p in PATHS if isinstance(_at(FULL_DATA, p), dict)]
ID_PATHS = [p for p in PATHS if p and p[-1] == "id"]
VALUE_PATHS = [p for p in PATHS if p]


def _copy() -> Any:
    return yaml.safe_load(yaml.safe_dump(FULL_DATA))


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, Any, tuple]:
    data = _copy()
    kind = draw(st.sampled_from(["delete", "unknown-key", "replace", "rename-id"]))
    if kind == "delete":
        path = draw(st.sampled_from(VALUE_PATHS))
        parent = _at(data, path[:-1])
        del parent[path[-1]]
    elif kind == "unknown-key":
        parent_path = draw(st.sampled_from(MAPPING_PATHS))
        key = "x_" + draw(st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
        _at(data, parent_path)[key] = draw(yaml_values)
        path = (*parent_path, key)
    elif kind == "replace":
        path = draw(st.sampled_from(VALUE_PATHS))
        _at(data, path[:-1])[path[-1]] = draw(yaml_values)
    else:
        path = draw(st.sampled_from(ID_PATHS))
        other = draw(st.sampled_from(ID_PATHS))
        new = draw(st.sampled_from([_at(FULL_DATA, other), _at(FULL_DATA, path) + "x", "Bad Id", "index", "fixture-mentoring-2027"]))
        _at(data, path[:-1])[path[-1]] = new
    return kind, data, path


@WHOLE_CHECK
@given(mutation())
def test_structured_mutation(workdir: Path, change: tuple[str, Any, tuple]) -> None:
    kind, data, path = change
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (workdir / "program.yml").write_text(text, encoding="utf-8")
    report = check_project(workdir, workdir / "program.yml", workdir / "content")
    if report.diagnostics:
        _assert_located(report.diagnostics, text)
    if kind == "unknown-key":
        _, positions = load(text, "program.yml")
        where = positions.key(path)
        assert any(d.code == "PF003" and d.location == where for d in report.diagnostics), (where, report.diagnostics)
    if not report.errors:
        assert report.pages is not None and report.loaded is not None


@WHOLE_CHECK
@given(st.sampled_from(VALUE_PATHS), yaml_values)
def test_any_value_anywhere_through_the_whole_check(workdir: Path, path: tuple, value: Any) -> None:
    """The same as a "replace" mutation, but every example replaces one value: more coverage of page generation."""
    data = _copy()
    _at(data, path[:-1])[path[-1]] = value
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:  # pragma: no cover - safe_dump handles every value the strategy makes
        assume(False)
    (workdir / "program.yml").write_text(text, encoding="utf-8")
    report = check_project(workdir, workdir / "program.yml", workdir / "content")
    if report.diagnostics:
        _assert_located(report.diagnostics, text)
