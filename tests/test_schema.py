"""The JSON Schema shipped for editors (program.schema.json): up to date, valid, and in step with the loader."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import FIXTURES, REPO, cli
from program_portal.source.schema import schema, schema_text

SHIPPED = REPO / "program.schema.json"


class EditorLoader(yaml.SafeLoader):
    """Reads YAML as an editor's language server does (YAML 1.2): an unquoted 2027-01-11 stays a string."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _errors(data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(data)]


def test_shipped_schema_is_up_to_date() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), "run: program-portal schema > program.schema.json"


def test_cli_prints_the_schema(tmp_path) -> None:
    result = cli(tmp_path, "schema")
    assert result.ok, result
    assert result.stdout == schema_text()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)


def test_example_program_points_editors_at_the_schema() -> None:
    first = (REPO / "program.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=program.schema.json"


@pytest.mark.parametrize("path", [REPO / "program.yml", FIXTURES / "full" / "program.yml"], ids=["example", "fixture"])
def test_program_validates_against_the_schema(path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
    assert _errors(data) == []


def _fixture() -> dict[str, Any]:
    return yaml.load((FIXTURES / "full" / "program.yml").read_text(encoding="utf-8"), Loader=EditorLoader)


def _set(data: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, value, fragment",
    [
        (("roles", 0, "mentee_name"), "Jane", "Additional properties are not allowed ('mentee_name' was unexpected)"),
        (("roles", 1, "id"), "Mentor_1", "does not match"),
        (("roles", 1, "kind"), "boss", "is not one of"),
        (("templates", 3, "minutes"), 30, "is not valid under any of the given schemas"),  # minutes on a checklist
        (("tracks", 0, "duration_months"), "nine", "is not valid under any of the given schemas"),
        (("program", "starts"), "2027-02-30", "is not a 'date'"),
        (("sessions", 0, "except"), ["soon"], "is not a 'date'"),
        (("templates", 0, "clauses", 1, "title"), "x", "is not valid under any of the given schemas"),
        (("phases", 0, "weeks"), [1, 2, 3], "is too long"),
        (("templates", 2, "items"), [], "is not valid under any of the given schemas"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(path: tuple, value: Any, fragment: str) -> None:
    errors = _errors(_set(_fixture(), path, value))
    assert any(fragment in e for e in errors), errors


def test_missing_required_key_is_rejected() -> None:
    data = _fixture()
    del data["program"]["timezone"]
    assert any("'timezone' is a required property" in e for e in _errors(data))


def test_checklist_item_may_be_a_plain_string_or_a_mapping() -> None:
    data = _fixture()
    items = data["templates"][3]["items"]
    assert isinstance(items[0], dict) and isinstance(items[1], str)
    assert _errors(data) == []
