"""program.yml -> a validated :class:`~program_portal.source.model.Program`, or located errors.

Two passes: the structure (keys, types, id patterns) through the pydantic models, then
everything that relates values to each other: unique ids, every cross reference, time
zones, dates, RRULEs and body files. Nothing here raises anything but
:class:`~program_portal.diagnostics.ProgramError`.
"""

from __future__ import annotations

import posixpath
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from program_portal.source import model as m
from program_portal.calendar import occurrences
from program_portal.diagnostics import Diagnostic, Location, ProgramError, did_you_mean, error
from program_portal.codes import YAML_SYNTAX, UNKNOWN_KEY, MISSING_KEY, BAD_VALUE, DUPLICATE_ID, UNKNOWN_REFERENCE, WRONG_KIND, BAD_TIMEZONE, BAD_DATE, BAD_RRULE, START_IN_GAP, MISSING_BODY, BAD_VERSION, RESERVED_ID, LIMIT, FORM_QUESTION
from program_portal.source.structure import SINGULAR, structure_errors, unusable_starts
from program_portal.source.textlimits import MAX_BODY, markdown_problems
from program_portal.source.yamlfile import Path, Positions, load
from program_portal.i18n import check as language_check


FORMAT_VERSION = 1
MAX_YEARS = 10  # a program's length, and how far outside it a session may fall (each year is a calendar's time-zone rules)
MAX_DOWNLOAD_TEXT = 200_000  # every template's text and body together: about 20 s of Word and PDF rendering
MAX_OCCURRENCES = occurrences.MAX_OCCURRENCES

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
# Pass 2 (pass 1, the structure, is in structure.py): references and values


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_problem(name: str) -> str | None:
    """None for an IANA time zone name this machine knows, else a message with a hint."""
    if name in _timezones():
        return None
    return f"unknown time zone '{name}'; use an IANA name like Europe/London{did_you_mean(name, _timezones())}"


class _Semantics:
    def __init__(self, program: m.Program, positions: Positions, root: FsPath, docs_dir: FsPath, *, no_start: frozenset[int] = frozenset()):
        self.p = program
        self.no_start = no_start  # sessions whose start failed pass 1: a stand-in, checks that need it skipped
        self.pos = positions
        self.root = root
        self.docs_dir = docs_dir
        self.problems: list[Diagnostic] = []
        self.bodies: dict[str, str] = {}
        self.work = occurrences.Work()  # one budget for every series of the program

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
        elif p.program.ends > _years_later(p.program.starts, MAX_YEARS):
            self.fail(LIMIT, f"the program runs from {p.program.starts} to {p.program.ends}; at most {MAX_YEARS} years", "program", "ends")
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
        self.matching()

    def matching(self) -> None:
        """The matching guide names roles, phases and templates by id only."""
        mt = self.p.matching
        if mt is None:
            return
        self.ref(mt.decides, "roles", "matching", "decides")
        for i, step in enumerate(mt.steps):
            self.ref(step.owner, "roles", "matching", "steps", i, "owner")
            self.ref(step.phase, "phases", "matching", "steps", i, "phase")
            if step.weeks and step.weeks[1] < step.weeks[0]:
                self.fail(BAD_VALUE, f"'weeks': the last week ({step.weeks[1]}) comes before the first ({step.weeks[0]})", "matching", "steps", i, "weeks")
        self.refs(mt.templates, "templates", "matching", "templates")

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
                text = target.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                self.fail(MISSING_BODY, f"cannot read body file {relative_name(target, self.root)}: {exc}", *path)
                return
            if limits := markdown_problems(text, relative_name(target, self.root), max_length=MAX_BODY):
                self.problems += limits
                return
            self.bodies[FsPath(body).as_posix()] = text

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
        total = 0
        for i, t in enumerate(self.p.templates):
            self.body(t.body, "templates", i, "body")
            total += len(t.model_dump_json()) + len(self.bodies.get(FsPath(t.body).as_posix(), "") if t.body else "")
            if total > MAX_DOWNLOAD_TEXT:
                self.fail(LIMIT, f"the templates up to '{t.id}' have more than {MAX_DOWNLOAD_TEXT} characters of text, "
                          "more than their Word and PDF documents are made for; shorten them or split the program", "templates", i, "id")
                total = -(10**9)  # one message
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
            elif isinstance(t, m.FormTemplate):
                self.refs(t.audience, "roles", "templates", i, "audience")
                self.form(i, t)

    def form(self, i: int, t: m.FormTemplate) -> None:
        """Question ids unique in the form; each question's keys fit its type (PF035)."""
        seen: dict[str, tuple[int, int]] = {}
        for j, section in enumerate(t.sections):
            for k, q in enumerate(section.questions):
                where = ("templates", i, "sections", j, "questions", k)
                if q.id in seen:
                    first = self.pos.value(("templates", i, "sections", *seen[q.id][:1], "questions", seen[q.id][1], "id"))
                    self.fail(DUPLICATE_ID, f"duplicate question id '{q.id}' in form '{t.id}' (first used at line {first.line})", *where, "id")
                else:
                    seen[q.id] = (j, k)
                if q.type == "choice":
                    if len(q.options) < 2:
                        self.fail(FORM_QUESTION, f"question '{q.id}' is a choice: give 'options', at least two", *where, *(("options",) if q.options else ("type",)))
                    repeated = sorted({o for o in q.options if q.options.count(o) > 1})
                    if repeated:
                        n = len(q.options) - 1 - q.options[::-1].index(repeated[0])
                        self.fail(FORM_QUESTION, f"question '{q.id}': the option '{repeated[0]}' is given twice", *where, "options", n)
                elif q.options:
                    self.fail(FORM_QUESTION, f"question '{q.id}' is of type {q.type}: only a choice has 'options'"
                              + (" (yes-no has its own two)" if q.type == "yes-no" else " (a scale runs from 1 to 5)" if q.type == "scale" else ""),
                              *where, "options")
                if q.lines is not None and q.type != "long-text":
                    self.fail(FORM_QUESTION, f"question '{q.id}' is of type {q.type}: only long-text has 'lines'", *where, "lines")
                for key in ("low", "high"):
                    if getattr(q, key) is not None and q.type != "scale":
                        self.fail(FORM_QUESTION, f"question '{q.id}' is of type {q.type}: only a scale has '{key}'", *where, key)

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
            if i in self.no_start:  # the start is reported already: the rule's own syntax is still checked
                if s.repeat is not None:
                    try:
                        occurrences.parse_rrule(s.repeat)
                    except ValueError as exc:
                        self.fail(BAD_RRULE, f"invalid repeat rule: {exc}", "sessions", i, "repeat")
                continue
            if occurrences.start_is_in_gap(s.start, tz):
                self.fail(
                    START_IN_GAP,
                    f"start {s.start:%Y-%m-%dT%H:%M} does not exist in {tz}: the clocks go forward then (daylight-saving gap)",
                    "sessions", i, "start",
                )
            if s.repeat is not None and (problem := occurrences.rrule_error(s.repeat, s.start, tz, work=self.work)):
                self.fail(BAD_RRULE, f"invalid repeat rule: {problem}", "sessions", i, "repeat")
            else:
                self.series(i, s, tz)

    def series(self, i: int, s: m.Session, tz: str) -> None:
        """A series small enough to publish, whose every date the pages and calendars can compute."""
        where = ("sessions", i, "repeat" if s.repeat is not None else "start")
        try:
            dates = [o.start.date() for o in occurrences.session_occurrences(self.p, s, work=self.work)]
            info = self.p.program
            first, last = _years_later(info.starts, -MAX_YEARS), _years_later(info.ends, MAX_YEARS)
            if outside := [d for d in dates if not first <= d <= last]:
                self.fail(BAD_DATE, f"session '{s.id}' has a date ({outside[0]}) more than {MAX_YEARS} years outside the program "
                          f"({info.starts} to {info.ends}); calendars are made for the years around it", *where)
        except occurrences.SeriesError as exc:
            self.fail(BAD_RRULE, str(exc), *where)
        except (ValueError, OverflowError) as exc:
            self.fail(BAD_RRULE, f"the dates of this session cannot be worked out: {exc}", *where)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years, day=min(day.day, 28))
    except ValueError:
        return date.max if years > 0 else date.min


# ---------------------------------------------------------------------------


def validate(data: Any, positions: Positions, *, root: FsPath, docs_dir: FsPath) -> tuple[m.Program, dict[str, str]]:
    """Validate parsed YAML data; returns the program and the text of its body files."""
    if not isinstance(data, dict):
        raise ProgramError([error(BAD_VALUE, "program.yml must be a mapping with keys like 'version' and 'program'", positions.value(()))])
    try:
        program = m.Program.model_validate(data)
    except ValidationError as exc:
        problems = structure_errors(exc, data, positions)
        raise ProgramError(problems + _despite_bad_starts(exc, data, positions, root, docs_dir)) from None
    semantics = _Semantics(program, positions, root, docs_dir)
    semantics.run()
    if semantics.problems:
        raise ProgramError(semantics.problems)
    return program, semantics.bodies


_STAND_IN_START = "2000-01-01T12:00"


def _despite_bad_starts(exc: ValidationError, data: dict[str, Any], positions: Positions, root: FsPath, docs_dir: FsPath) -> list[Diagnostic]:
    """Pass 2's problems when pass 1 failed only on sessions' ``start``: those sessions get a stand-in
    start (never published: the program still fails) so their other errors are reported too."""
    bad = unusable_starts(exc)
    if not bad:
        return []
    sessions = list(data["sessions"])
    for i in bad:
        sessions[i] = {**sessions[i], "start": _STAND_IN_START}
    try:
        program = m.Program.model_validate({**data, "sessions": sessions})
    except ValidationError:
        return []
    semantics = _Semantics(program, positions, root, docs_dir, no_start=frozenset(bad))
    semantics.run()
    return semantics.problems


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
