"""Property: ``program-portal check`` and a real ``mkdocs build`` agree on any input (issue 8).

Hypothesis mutates the ``small`` fixture (program.yml values, keys and ids; a content page;
the plugin's options) and runs both tools on the result: the same pass or fail, the same
located lines, no traceback. Every example is two real subprocesses, so the count is modest;
raise it for a longer hunt with ``CHECK_BUILD_EXAMPLES=200``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, Project

EXAMPLES = int(os.environ.get("CHECK_BUILD_EXAMPLES", "10"))
SMALL = FIXTURES / "small"
DATA = yaml.safe_load((SMALL / "program.yml").read_text(encoding="utf-8"))
MKDOCS = (SMALL / "mkdocs.yml").read_text(encoding="utf-8")


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            out.append((*prefix, key))
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.append((*prefix, index))
            out += _paths(item, (*prefix, index))
    return out


VALUE_PATHS = _paths(DATA)
ID_PATHS = [p for p in VALUE_PATHS if p[-1] == "id"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10**6), st.sampled_from(["", "x", "mentor", "mentr", "2027-13-01", "Europe/Londn",
    "FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;UNTIL=20270101", "{{ program.nope }}", "{{ program.title }}", "a@example.org",
    "+44 20 7946 0958", "<script>x</script>", "guides/pairs.md", "guides/none.md", "line\nbreak"]),
    st.text(max_size=12),
)
yaml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "title", "x"]), inner, max_size=2), max_leaves=4)

PAGE_EDITS = ["", "\n{{ program.title }}\n", "\n{{ program.nope }}\n", "\n{% for %}\n", "\nWrite to jane@example.org\n",
              "\nCall +44 20 7946 0958\n", "\n{{ blank('name') }}\n", "FRONT:- a\n", "FRONT:title: Home\n", "FRONT:[unclosed\n"]
OPTIONS = ["", "      paper: letter\n", "      paper: legal\n", "      disable_checks: [PD001, PD042]\n", "      program: other.yml\n"]


def _at(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    data = yaml.safe_load(yaml.safe_dump(DATA))
    kind = draw(st.sampled_from(["none", "delete", "replace", "rename-id"]))
    if kind == "delete":
        path = draw(st.sampled_from(VALUE_PATHS))
        del _at(data, path[:-1])[path[-1]]
    elif kind == "replace":
        path = draw(st.sampled_from(VALUE_PATHS))
        _at(data, path[:-1])[path[-1]] = draw(yaml_values)
    elif kind == "rename-id":
        path = draw(st.sampled_from(ID_PATHS))
        _at(data, path[:-1])[path[-1]] = draw(st.sampled_from([_at(DATA, draw(st.sampled_from(ID_PATHS))), "Bad Id", "index", "small-2027"]))
    return {
        "program": data,
        "page": draw(st.sampled_from(PAGE_EDITS)),
        "option": draw(st.sampled_from(OPTIONS)),
        "strict": draw(st.booleans()),
    }


def _write(root: Path, example: dict[str, Any]) -> Project:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(SMALL, root)
    project = Project(root)
    project.write("program.yml", yaml.safe_dump(example["program"], sort_keys=False, allow_unicode=True))
    page = example["page"]
    index = project.read("content/index.md")
    if page.startswith("FRONT:"):
        project.write("content/index.md", f"---\n{page.removeprefix('FRONT:')}---\n{index}")
    else:
        project.write("content/index.md", index + page)
    if example["option"]:
        project.write("mkdocs.yml", MKDOCS.replace("      disable_checks: [PD001]\n", example["option"]))
    return project


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(example=projects())
def test_check_and_build_agree(tmp_path: Path, example: dict[str, Any]) -> None:
    project = _write(tmp_path / "project", example)
    args = ["--strict"] if example["strict"] else []
    check, build = project.check(*args), project.build(*args)
    assert "Traceback" not in check.output + build.output, (check, build)
    assert check.ok == build.ok, (check, build)
    assert check.diagnostics() == build.diagnostics(), (check, build)
    if not check.ok:
        assert check.diagnostics(), check
