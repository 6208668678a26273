"""program.yml -> a validated :class:`~program_portal.source.model.Program`, or located errors.

Two passes: the structure (keys, types, id patterns) through the pydantic models, then
everything that relates values to each other: unique ids, every cross reference, time
zones, dates, RRULEs and body files. Nothing here raises anything but
:class:`~program_portal.diagnostics.ProgramError`.
"""

from __future__ import annotations

import posixpath
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path as FsPath
from typing import Any

from dateutil.rrule import rrulestr
from pydantic import BaseModel, ValidationError

from program_portal.source import model as m
from program_portal.calendar import occurrences
from program_portal.diagnostics import Diagnostic, Location, ProgramError, did_you_mean, error
from program_portal.codes import YAML_SYNTAX, UNKNOWN_KEY, MISSING_KEY, BAD_VALUE, BAD_ID, DUPLICATE_ID, UNKNOWN_REFERENCE, WRONG_KIND, BAD_TIMEZONE, BAD_DATE, BAD_RRULE, START_IN_GAP, MISSING_BODY, BAD_VERSION, RESERVED_ID
from program_portal.source.yamlfile import Path, Positions, load
from program_portal.i18n import check as language_check


FORMAT_VERSION = 1
MAX_OCCURRENCES = 1000  # a session series on the calendar: daily for almost three years

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
}


@dataclass
class LoadedProgram:
    """A program that passed validation, with where each of its values stands."""

    program: m.Program
    positions: Positions
    path: FsPath
    root: FsPath
    docs_dir: FsPath
    bodies: dict[str, str] = field(default_factory=dict)  # docs-relative path -> Markdown text
    source: str = ""  # the text of program.yml that was validated (read once)

    @property
    def file(self) -> str:
        return self.positions.file

    def at(self, *path: str | int) -> Location:
        return self.positions.value(tuple(path))

    def body_location(self, body: str) -> Location:
        return Location(relative_name(self.docs_dir / body, self.root))


def relative_name(path: FsPath, root: FsPath) -> str:
    """``path`` as designers see it: relative to the project directory, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------------------
# Pass 1: structure


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
        case ("tracks", int(), "cadence"):
            return m.Cadence
        case ("templates", int()):
            kind = (get(path) or {}).get("kind") if isinstance(get(path), dict) else None
            return m.TEMPLATE_CLASSES.get(kind) if isinstance(kind, str) else None
        case ("templates", int() as i, "clauses", int()):
            item = get(path)
            return m.PolicyClause if isinstance(item, dict) and "policy" in item else m.TextClause
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
            message += did_you_mean(key, allowed)
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
            f"{where}: '{value}' is not a valid id; use lower-case letters, digits and hyphens, starting with a letter or digit",
            loc,
        )
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        if value is None:
            return error(BAD_VALUE, f"{where}: no value given; expected one of {', '.join(choices)}", loc)
        return error(
            BAD_VALUE,
            f"{where}: '{value}' is not one of {', '.join(choices)}{did_you_mean(value, choices)}",
            loc,
        )
    if kind in ("value_error", "date_type", "date_parsing", "date_from_datetime_inexact", "datetime_type"):
        message = str(err.get("ctx", {}).get("error") or err["msg"]).removeprefix("Value error, ")
        return error(BAD_DATE, f"{where}: {message}", loc)
    if kind in ("too_short", "too_long") and path and path[-1] == "weeks":
        return error(BAD_VALUE, "'weeks': expected [first, last], two week numbers", loc)
    if kind == "too_short":
        return error(BAD_VALUE, f"{where}: needs at least {err.get('ctx', {}).get('min_length', 1)} entry", loc)
    message = _TYPE_MESSAGES[kind].format(**err.get("ctx", {})) if kind in _TYPE_MESSAGES else err["msg"]
    return error(BAD_VALUE, f"{where}: {message}", loc)


# ---------------------------------------------------------------------------
# Pass 2: references and values


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_problem(name: str) -> str | None:
    """None for an IANA time zone name this machine knows, else a message with a hint."""
    if name in _timezones():
        return None
    return f"unknown time zone '{name}'; use an IANA name like Europe/London{did_you_mean(name, _timezones())}"


class _Semantics:
    def __init__(self, program: m.Program, positions: Positions, root: FsPath, docs_dir: FsPath):
        self.p = program
        self.pos = positions
        self.root = root
        self.docs_dir = docs_dir
        self.problems: list[Diagnostic] = []
        self.bodies: dict[str, str] = {}

    def fail(self, code: str, message: str, *path: str | int) -> None:
        self.problems.append(error(code, message, self.pos.value(tuple(path))))

    def run(self) -> None:
        p = self.p
        if p.version != FORMAT_VERSION:
            self.fail(BAD_VERSION, f"unsupported format version {p.version}; this portal reads version {FORMAT_VERSION}", "version")
        if problem := timezone_problem(p.program.timezone):
            self.fail(BAD_TIMEZONE, problem, "program", "timezone")
        if p.program.ends < p.program.starts:
            self.fail(BAD_DATE, f"program ends ({p.program.ends}) before it starts ({p.program.starts})", "program", "ends")
        for name in ("roles", "domains", "tracks", "phases", "policies", "templates", "sessions"):
            self.unique(name, getattr(p, name))
        for i, t in enumerate(p.templates):
            if t.id == "index":
                self.fail(RESERVED_ID, "the template id 'index' is reserved (it is the /templates/ page)", "templates", i, "id")
        for i, s in enumerate(p.sessions):
            if s.id == p.program.id:
                self.fail(RESERVED_ID, f"session id '{s.id}' equals the program id (both name a calendar file)", "sessions", i, "id")
        self.problems += language_check.program_problems(p.program.language, p.labels, self.pos.value, self.pos.key)
        self.tracks()
        self.phases()
        self.templates()
        self.sessions()

    def unique(self, name: str, items: Iterable[Any]) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                first = self.pos.value((name, seen[item.id], "id"))
                self.fail(DUPLICATE_ID, f"duplicate {SINGULAR[name]} id '{item.id}' (first used at line {first.line})", name, i, "id")
            else:
                seen[item.id] = i

    def ref(self, value: str | None, name: str, *path: str | int, extra: Iterable[str] = ()) -> None:
        """Check that ``value`` is the id of an item of list ``name`` (or one of ``extra``)."""
        if value is None:
            return
        ids = [item.id for item in getattr(self.p, name)] + list(extra)
        if value not in ids:
            self.fail(UNKNOWN_REFERENCE, f"unknown {SINGULAR[name]} '{value}'{did_you_mean(value, ids)}", *path)

    def refs(self, values: list[str], name: str, *path: str | int) -> None:
        for j, value in enumerate(values):
            self.ref(value, name, *path, j)

    def body(self, body: str | None, *path: str | int) -> None:
        if body is None:
            return
        plain = posixpath.normpath(body.replace("\\", "/"))
        try:
            target = (self.docs_dir / body).resolve()
            docs = self.docs_dir.resolve()
            is_file = docs in target.parents and target.is_file()
        except (OSError, ValueError) as exc:  # a NUL character, a name too long for the file system...
            self.fail(MISSING_BODY, f"body '{body}' is not a usable file name: {getattr(exc, 'strerror', None) or exc}", *path)
            return
        if body.startswith("/") or (docs not in target.parents):
            self.fail(MISSING_BODY, f"body '{body}' must be a path inside docs_dir ({relative_name(docs, self.root)})", *path)
        elif plain != body:
            self.fail(MISSING_BODY, f"body '{body}': write the path plainly, relative to docs_dir: '{plain}'", *path)
        elif not body.endswith(".md"):
            self.fail(MISSING_BODY, f"body '{body}' must be a Markdown file ending in .md", *path)
        elif not is_file:
            self.fail(MISSING_BODY, f"body file not found: {relative_name(target, self.root)}", *path)
        else:
            try:
                self.bodies[FsPath(body).as_posix()] = target.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                self.fail(MISSING_BODY, f"cannot read body file {relative_name(target, self.root)}: {exc}", *path)

    def tracks(self) -> None:
        for i, t in enumerate(self.p.tracks):
            pairs = t.format in ("one-to-one", "reverse")
            for key in ("mentor", "mentee"):
                if pairs and getattr(t, key) is None:
                    self.fail(MISSING_KEY, f"missing required key '{key}' in track '{t.id}' ({t.format} tracks name a {key} role)", "tracks", i)
                elif not pairs and getattr(t, key) is not None:
                    self.problems.append(error(UNKNOWN_KEY, f"'{key}' is not a key of a group track (a group has a 'host')", self.pos.key(("tracks", i, key))))
            if t.format == "group" and t.host is None:
                self.fail(MISSING_KEY, f"missing required key 'host' in track '{t.id}' (group tracks name a host role)", "tracks", i)
            elif pairs and t.host is not None:
                self.problems.append(error(UNKNOWN_KEY, f"'host' is not a key of a {t.format} track (it has a 'mentor' and a 'mentee')", self.pos.key(("tracks", i, "host"))))
            for key in ("mentor", "mentee", "host"):
                self.ref(getattr(t, key), "roles", "tracks", i, key)
            self.refs(t.domains, "domains", "tracks", i, "domains")
            self.refs(t.templates, "templates", "tracks", i, "templates")
            self.body(t.body, "tracks", i, "body")

    def phases(self) -> None:
        for i, ph in enumerate(self.p.phases):
            first, last = ph.weeks
            if last < first:
                self.fail(BAD_VALUE, f"'weeks': the last week ({last}) comes before the first ({first})", "phases", i, "weeks")
            self.refs(ph.templates, "templates", "phases", i, "templates")

    def templates(self) -> None:
        for i, t in enumerate(self.p.templates):
            self.body(t.body, "templates", i, "body")
            if isinstance(t, m.ContractTemplate):
                self.refs(t.parties, "roles", "templates", i, "parties")
                for j, clause in enumerate(t.clauses):
                    if isinstance(clause, m.PolicyClause):
                        self.ref(clause.policy, "policies", "templates", i, "clauses", j, "policy")
            elif isinstance(t, m.AgendaTemplate):
                for j, item in enumerate(t.items):
                    self.ref(item.lead, "roles", "templates", i, "items", j, "lead", extra=["both"])
            elif isinstance(t, m.ChecklistTemplate):
                self.ref(t.audience, "roles", "templates", i, "audience")

    def sessions(self) -> None:
        kinds = {t.id: t.kind for t in self.p.templates}
        for i, s in enumerate(self.p.sessions):
            self.ref(s.host, "roles", "sessions", i, "host")
            self.ref(s.track, "tracks", "sessions", i, "track")
            self.ref(s.agenda, "templates", "sessions", i, "agenda")
            if s.agenda in kinds and kinds[s.agenda] != "agenda":
                self.fail(WRONG_KIND, f"'agenda' must name an agenda template; '{s.agenda}' is a {kinds[s.agenda]}", "sessions", i, "agenda")
            self.refs(s.audience, "roles", "sessions", i, "audience")
            tz = self.p.session_timezone(s)
            if s.timezone is not None and (problem := timezone_problem(s.timezone)):
                self.fail(BAD_TIMEZONE, problem, "sessions", i, "timezone")
                continue
            if tz not in _timezones():
                continue
            if occurrences.start_is_in_gap(s.start, tz):
                self.fail(
                    START_IN_GAP,
                    f"start {s.start:%Y-%m-%dT%H:%M} does not exist in {tz}: the clocks go forward then (daylight-saving gap)",
                    "sessions", i, "start",
                )
            if s.repeat is not None and (problem := occurrences.rrule_error(s.repeat, s.start, tz)):
                self.fail(BAD_RRULE, f"invalid repeat rule: {problem}", "sessions", i, "repeat")
            else:
                self.series(i, s, tz)

    def series(self, i: int, s: m.Session, tz: str) -> None:
        """A series small enough to publish, whose every date the pages and calendars can compute."""
        where = ("sessions", i, "repeat" if s.repeat is not None else "start")
        try:
            if s.repeat is not None:
                parts = occurrences.parse_rrule(s.repeat)
                bounded = "COUNT" in parts or "UNTIL" in parts
                rule = rrulestr(occurrences.format_rrule(parts), dtstart=s.start.replace(tzinfo=occurrences.zone(tz), fold=0))
                count = 0
                for start in rule:
                    if not bounded and count and start.date() > self.p.program.ends:
                        break
                    count += 1
                    if count > MAX_OCCURRENCES:
                        self.fail(BAD_RRULE, f"the series has more than {MAX_OCCURRENCES} occurrences; use a smaller COUNT or an earlier UNTIL", *where)
                        return
            occurrences.expand(s.start, tz, s.minutes, s.repeat, s.except_, self.p.program.ends)
        except (ValueError, OverflowError) as exc:
            self.fail(BAD_RRULE, f"the dates of this session cannot be worked out: {exc}", *where)


# ---------------------------------------------------------------------------


def validate(data: Any, positions: Positions, *, root: FsPath, docs_dir: FsPath) -> tuple[m.Program, dict[str, str]]:
    """Validate parsed YAML data; returns the program and the text of its body files."""
    if not isinstance(data, dict):
        raise ProgramError([error(BAD_VALUE, "program.yml must be a mapping with keys like 'version' and 'program'", positions.value(()))])
    try:
        program = m.Program.model_validate(data)
    except ValidationError as exc:
        raise ProgramError([_structure_error(e, data, positions) for e in _unique_errors(exc)]) from None
    semantics = _Semantics(program, positions, root, docs_dir)
    semantics.run()
    if semantics.problems:
        raise ProgramError(semantics.problems)
    return program, semantics.bodies


def _unique_errors(exc: ValidationError) -> Iterator[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    for err in exc.errors(include_url=False):
        key = (tuple(err["loc"]), err["type"])
        if key not in seen:
            seen.add(key)
            yield dict(err)


def load_program(path: FsPath, *, root: FsPath, docs_dir: FsPath) -> LoadedProgram:
    """Read and validate ``path``. Raises :class:`ProgramError` (only) on any problem."""
    name = relative_name(path, root)
    try:
        raw = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the name
        message = getattr(exc, "strerror", None) or str(exc)
        raise ProgramError([error(YAML_SYNTAX, f"cannot read the program: {message}", Location(name))]) from None
    data, positions = load(raw, name)
    program, bodies = validate(data, positions, root=root, docs_dir=docs_dir)
    # load() succeeded, so the bytes are valid UTF-8: keep the very text that was validated
    return LoadedProgram(program, positions, path, root, docs_dir, bodies, source=raw.decode("utf-8-sig"))
