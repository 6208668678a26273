"""Pass 1 of validation: the structure of program.yml (keys, types, id patterns) through the pydantic models.

Turns pydantic's errors into located PF003/PF004/PF005/PF006 messages that name the YAML
key or value and what is allowed there. Pass 2 (references and values) is in :mod:`.loader`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from program_portal.source import model as m
from program_portal.diagnostics import Diagnostic, did_you_mean, error
from program_portal.codes import UNKNOWN_KEY, MISSING_KEY, BAD_VALUE, BAD_ID, BAD_DATE, LIMIT
from program_portal.source.yamlfile import Path, Positions

LIST_MODELS: dict[str, type[BaseModel]] = {
    "roles": m.Role,
    "domains": m.Domain,
    "tracks": m.Track,
    "phases": m.Phase,
    "policies": m.Policy,
    "sessions": m.Session,
}
SINGULAR = {
    "roles": "role",
    "domains": "domain",
    "tracks": "track",
    "phases": "phase",
    "policies": "policy",
    "templates": "template",
    "sessions": "session",
    "clauses": "clause",
    "items": "item",
    "sections": "section",
    "questions": "question",
    "criteria": "criterion",
    "steps": "step",
}


def _model_for(path: Path, data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at YAML ``path``."""

    def get(p: Path) -> Any:
        value = data
        for part in p:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    match path:
        case ():
            return m.Program
        case ("program",):
            return m.ProgramInfo
        case ("privacy",):
            return m.Privacy
        case ("matching",):
            return m.Matching
        case ("matching", "criteria", int()):
            return m.MatchingCriterion
        case ("matching", "steps", int()):
            return m.MatchingStep
        case ("tracks", int(), "cadence"):
            return m.Cadence
        case ("templates", int()):
            kind = (get(path) or {}).get("kind") if isinstance(get(path), dict) else None
            return m.TEMPLATE_CLASSES.get(kind) if isinstance(kind, str) else None
        case ("templates", int() as i, "clauses", int()):
            item = get(path)
            return m.PolicyClause if isinstance(item, dict) and "policy" in item else m.TextClause
        case ("templates", int(), "sections", int()):
            return m.FormSection
        case ("templates", int(), "sections", int(), "questions", int()):
            return m.FormQuestion
        case ("templates", int() as i, "items", int()):
            template = get(("templates", i))
            kind = template.get("kind") if isinstance(template, dict) else None
            return m.AgendaItem if kind == "agenda" else m.ChecklistItem
        case (str() as name, int()) if name in LIST_MODELS:
            return LIST_MODELS[name]
    return None


def _keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _yaml_path(loc: tuple[Any, ...]) -> Path:
    """Drop the union tags pydantic puts into error locations."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        prev2 = loc[i - 2] if i >= 2 else None
        if isinstance(loc[i - 1] if i else None, int) and (
            (prev2 == "templates" and part in m.TEMPLATE_KINDS) or (prev2 == "clauses" and part in ("policy", "text"))
        ):
            continue
        out.append(part)
    return tuple(out)


def _describe(path: Path, data: Any) -> str:
    """``role 'mentor'`` or ``templates item 3`` for the mapping at ``path``."""
    if not path:
        return "program.yml"
    if isinstance(path[-1], int) and len(path) >= 2:
        if str(path[-2]) not in SINGULAR:
            return f"entry {path[-1] + 1} of '{path[-2]}'"
        name = SINGULAR[str(path[-2])]
        item: Any = data
        for part in path:
            try:
                item = item[part]
            except (KeyError, IndexError, TypeError):
                item = None
                break
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"{name} '{item['id']}'"
        return f"{name} {path[-1] + 1} of '{path[-2]}'"
    return f"'{path[-1]}'"


_TYPE_MESSAGES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "dict_type": "expected a mapping of keys to values",
    "greater_than": "expected a whole number above 0",
    "less_than_equal": "expected a whole number no larger than {le}",
    "string_too_short": "must not be empty",
}


def _shown(value: object, limit: int = 80) -> str:
    """A designer's value in a message: at most ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"



#: Words designers write for a key of the format: the hint names the key they meant, where spelling
#: alone would suggest another one ('duration' looks like 'location', but means 'minutes').
KEY_SYNONYMS = {
    "duration": "minutes", "length": "minutes", "mins": "minutes", "time": "minutes",
    "date": "start", "datetime": "start", "when": "start", "starts": "start", "start_time": "start", "begin": "start",
    "place": "location", "room": "location", "venue": "location", "where": "location",
    "tz": "timezone", "time_zone": "timezone", "zone": "timezone",
    "rrule": "repeat", "recurrence": "repeat", "recurs": "repeat",
    "exceptions": "except", "exdate": "except", "skip": "except",
    "name": "title", "description": "summary",
}

def _structure_error(err: dict[str, Any], data: Any, positions: Positions) -> Diagnostic:
    path = _yaml_path(tuple(err["loc"]))
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        parent = path[:-1]
        model = _model_for(parent, data)
        allowed = _keys(model) if model else []
        message = f"unknown key '{key}' in {_describe(parent, data)}"
        other_kinds = [k for k, cls in m.TEMPLATE_CLASSES.items() if key in _keys(cls)]
        if model in m.TEMPLATE_CLASSES.values() and other_kinds:
            message += f": '{key}' belongs to {' and '.join(other_kinds)} templates"
        else:
            synonym = KEY_SYNONYMS.get(key.lower())
            message += f" (did you mean '{synonym}'?)" if synonym in allowed else did_you_mean(key, allowed)
            if allowed:
                message += f"; allowed keys: {', '.join(allowed)}"
        return error(UNKNOWN_KEY, message, positions.key(path))
    if kind in ("missing", "union_tag_not_found"):
        key = str(path[-1]) if kind == "missing" else "kind"
        parent = path[:-1] if kind == "missing" else path
        return error(MISSING_KEY, f"missing required key '{key}' in {_describe(parent, data)}", positions.value(parent))
    if kind == "union_tag_invalid":
        kinds = ", ".join(m.TEMPLATE_KINDS)
        tag = err.get("ctx", {}).get("tag")
        hint = did_you_mean(tag, m.TEMPLATE_KINDS)
        return error(BAD_VALUE, f"template kind '{tag}' is not one of {kinds}{hint}", positions.value((*path, "kind")))
    loc = positions.value(path)
    where = f"'{path[-1]}'" if path and isinstance(path[-1], str) else _describe(path, data)
    if kind == "string_pattern_mismatch":
        return error(
            BAD_ID,
            f"{where}: '{_shown(value)}' is not a valid id; use lower-case letters, digits and hyphens, starting with a letter or digit",
            loc,
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        if value is None:
            return error(BAD_VALUE, f"{where}: no value given; expected one of {', '.join(choices)}", loc)
        return error(
            BAD_VALUE,
            f"{where}: '{_shown(value)}' is not one of {', '.join(choices)}{did_you_mean(value, choices)}",
            loc,
        )
    if kind in ("value_error", "date_type", "date_parsing", "date_from_datetime_inexact", "datetime_type"):
        message = str(err.get("ctx", {}).get("error") or err["msg"]).removeprefix("Value error, ")
        return error(BAD_DATE, f"{where}: {message}", loc)
    if kind in ("too_short", "too_long") and path and path[-1] == "weeks":
        return error(BAD_VALUE, "'weeks': expected [first, last], two week numbers", loc)
    if kind == "too_long":
        return error(LIMIT, f"{where}: at most {err.get('ctx', {}).get('max_length')} entries (this list has {len(value) if isinstance(value, list) else 'more'})", loc)
    if kind == "string_too_long":
        return error(LIMIT, f"{where}: at most {err.get('ctx', {}).get('max_length')} characters (this has {len(value) if isinstance(value, str) else 'more'})", loc)
    if kind in ("one_line", "control_character"):
        return error(BAD_VALUE, f"{where}: {err['msg']}", loc)
    if kind == "too_short":
        return error(BAD_VALUE, f"{where}: needs at least {err.get('ctx', {}).get('min_length', 1)} entry", loc)
    message = _TYPE_MESSAGES[kind].format(**err.get("ctx", {})) if kind in _TYPE_MESSAGES else err["msg"]
    return error(BAD_VALUE, f"{where}: {message}", loc)


def _unique_errors(exc: ValidationError) -> Iterator[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        key = (tuple(err["loc"]), err["type"])
        if key not in seen:
            seen.add(key)
            yield dict(err)


def structure_errors(exc: ValidationError, data: Any, positions: Positions) -> list[Diagnostic]:
    """One located message per problem pydantic found (duplicates dropped)."""
    return [_structure_error(e, data, positions) for e in _unique_errors(exc)]


def unusable_starts(exc: ValidationError) -> set[int] | None:
    """The sessions whose ``start`` alone failed pass 1 (malformed or missing), or None if anything else did.

    Those errors leave the rest of the program sound: pass 2 can still run, with a stand-in start for
    those sessions and every check that needs the real one skipped, so that a malformed ``start`` does
    not hide the session's other errors (an unknown host, a repeat rule that is not RFC 5545...).
    """
    found: set[int] = set()
    for err in _unique_errors(exc):
        match _yaml_path(tuple(err["loc"])):
            case ("sessions", int() as i, "start"):
                found.add(i)
            case _:
                return None
    return found
