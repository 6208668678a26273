"""Program-design checks PD001-PD010 (spec section 5): warnings that ``--strict`` turns into failures."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from program_portal.source import model as m
from program_portal import codes
from program_portal.diagnostics import Diagnostic, warning
from program_portal.source.loader import LoadedProgram
from program_portal.calendar.occurrences import session_occurrences

CONTRACT_POLICY_KINDS = ("confidentiality", "assessment-firewall", "employment-protection", "no-fault-exit")

Check = Callable[[LoadedProgram], Iterator[Diagnostic]]


def pd001(lp: LoadedProgram) -> Iterator[Diagnostic]:
    roles = {r.id: r.kind for r in lp.program.roles}
    contracts = [(i, t) for i, t in enumerate(lp.program.templates) if isinstance(t, m.ContractTemplate)]
    for _, t in contracts:
        if {"sponsor", "mentor", "mentee"} <= {roles.get(p) for p in t.parties}:
            return
    where = lp.at("templates", contracts[0][0], "parties") if contracts else lp.positions.key(("templates",))
    yield warning(
        codes.PD001,
        "no contract template is signed by a sponsor, a mentor and a mentee (parties with roles of kind sponsor, mentor and mentee)",
        where,
    )


def pd002(lp: LoadedProgram) -> Iterator[Diagnostic]:
    kinds = {p.id: p.kind for p in lp.program.policies}
    for i, t in enumerate(lp.program.templates):
        if not isinstance(t, m.ContractTemplate):
            continue
        covered = {kinds.get(c.policy) for c in t.clauses if isinstance(c, m.PolicyClause)}
        missing = [k for k in CONTRACT_POLICY_KINDS if k not in covered]
        if missing:
            where = lp.positions.key(("templates", i, "clauses")) if t.clauses else lp.at("templates", i, "id")
            yield warning(
                codes.PD002,
                f"contract '{t.id}' has no {{policy: ...}} clause of kind {', '.join(missing)}",
                where,
            )


def pd003(lp: LoadedProgram) -> Iterator[Diagnostic]:
    roles = {r.id: r for r in lp.program.roles}
    for i, t in enumerate(lp.program.tracks):
        role = roles.get(t.mentor or "")
        if t.format != "group" and role and (role.kind == "executive" or not role.one_to_one):
            why = "an executive" if role.kind == "executive" else "marked one_to_one: false"
            yield warning(
                codes.PD003,
                f"role '{role.id}' is {why} but mentors one to one in track '{t.id}'; let it host group sessions instead",
                lp.at("tracks", i, "mentor"),
            )


def pd004(lp: LoadedProgram) -> Iterator[Diagnostic]:
    for i, t in enumerate(lp.program.tracks):
        if t.format != "group" and t.cadence is None:
            yield warning(codes.PD004, f"{t.format} track '{t.id}' has no cadence (how often and how long pairs meet)", lp.at("tracks", i, "id"))


def pd005(lp: LoadedProgram) -> Iterator[Diagnostic]:
    with_sessions = {s.track for s in lp.program.sessions}
    for i, t in enumerate(lp.program.tracks):
        if t.format == "group" and t.id not in with_sessions:
            yield warning(codes.PD005, f"group track '{t.id}' has no sessions (no session names it as its track)", lp.at("tracks", i, "id"))


def pd006(lp: LoadedProgram) -> Iterator[Diagnostic]:
    for i, t in enumerate(lp.program.templates):
        if isinstance(t, m.AgendaTemplate):
            total = sum(item.minutes for item in t.items)
            if total != t.minutes:
                yield warning(
                    codes.PD006,
                    f"agenda '{t.id}': its items add up to {total} minutes, not the {t.minutes} it says",
                    lp.at("templates", i, "minutes"),
                )


def pd007(lp: LoadedProgram) -> Iterator[Diagnostic]:
    for i, t in enumerate(lp.program.templates):
        if isinstance(t, m.AgendaTemplate) and not t.preparation:
            yield warning(codes.PD007, f"agenda '{t.id}' has no preparation (what to do before the meeting)", lp.at("templates", i, "id"))


def pd008(lp: LoadedProgram) -> Iterator[Diagnostic]:
    info = lp.program.program
    for i, s in enumerate(lp.program.sessions):
        outside = [o.start.date() for o in session_occurrences(lp.program, s) if not info.starts <= o.start.date() <= info.ends]
        if not info.starts <= s.start.date() <= info.ends:
            yield warning(codes.PD008, f"session '{s.id}' starts on {s.start.date()}, outside the program ({info.starts} to {info.ends})", lp.at("sessions", i, "start"))
        elif outside:
            dates = ", ".join(str(d) for d in outside[:3]) + (" ..." if len(outside) > 3 else "")
            yield warning(
                codes.PD008,
                f"session '{s.id}' has {len(outside)} date(s) after the program ends on {info.ends}: {dates}",
                lp.at("sessions", i, "repeat"),
            )


def pd009(lp: LoadedProgram) -> Iterator[Diagnostic]:
    listed = {d for t in lp.program.tracks for d in t.domains}
    for i, d in enumerate(lp.program.domains):
        if d.id not in listed:
            yield warning(codes.PD009, f"domain '{d.id}' is not listed by any track", lp.at("domains", i, "id"))
    used = {c.policy for t in lp.program.templates if isinstance(t, m.ContractTemplate) for c in t.clauses if isinstance(c, m.PolicyClause)}
    for i, p in enumerate(lp.program.policies):
        if p.id not in used:
            yield warning(codes.PD009, f"policy '{p.id}' is not used by any contract clause", lp.at("policies", i, "id"))


def pd010(lp: LoadedProgram) -> Iterator[Diagnostic]:
    """A phase runs in whole weeks counted from ``program.starts``: its last day is the last day of its last week."""
    info = lp.program.program
    for i, p in enumerate(lp.program.phases):
        last = info.starts + timedelta(weeks=p.weeks[1], days=-1)
        if last > info.ends:
            yield warning(
                codes.PD010,
                f"phase '{p.id}' ends on {last} (the last day of week {p.weeks[1]}), after the program ends on {info.ends}"
                + (f"; end it by week {full} or move program.ends" if (full := ((info.ends - info.starts).days + 1) // 7) >= p.weeks[0] else ""),
                lp.at("phases", i, "weeks", 1),
            )


CHECKS: dict[str, Check] = {
    codes.PD001: pd001,
    codes.PD002: pd002,
    codes.PD003: pd003,
    codes.PD004: pd004,
    codes.PD005: pd005,
    codes.PD006: pd006,
    codes.PD007: pd007,
    codes.PD008: pd008,
    codes.PD009: pd009,
    codes.PD010: pd010,
}


def run_checks(lp: LoadedProgram, disabled: Iterable[str] = ()) -> list[Diagnostic]:
    """Every program-design warning, except those switched off with ``disable_checks``."""
    off = set(disabled)
    return [d for code, check in CHECKS.items() if code not in off for d in check(lp)]
