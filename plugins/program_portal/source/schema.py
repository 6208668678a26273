"""The JSON Schema of program.yml, generated from the model (shipped as program.schema.json)."""

from __future__ import annotations

import json

from program_portal.source.model import Program

SCHEMA_ID = "https://program-portal.invalid/program.schema.json"


def schema() -> dict:
    data = Program.model_json_schema(mode="validation", by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "program.yml (program portal format, version 1)",
        **{k: v for k, v in data.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(schema(), indent=2, sort_keys=True) + "\n"
