"""``program-portal diff BASE HEAD``: what a change does to the portal, as Markdown for a pull-request comment.

Computed from the two loaded programs and their generated pages, never from a text diff
of YAML: sessions and occurrences that move (expanded with
:func:`~program_portal.calendar.occurrences.expand`, local times before and after),
tracks added, removed or changed (format, roles, domains, cadence,
length, templates, guide text), templates whose downloads change and the clauses, items and agenda lines that changed,
policies that changed and the agreements that carry them, pages added, removed or
changed, and warnings introduced or fixed. Nothing is said about what did not change.
Every designer's text goes through :func:`.comment.text`. The read model of each side is the
one the pipeline built (``Report.portal``), never a second one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

from program_portal.build import Report
from program_portal.calendar.occurrences import Occurrence, expand
from program_portal.paths import url_of
from program_portal.review import comment
from program_portal.review.comment import code, text
from program_portal.source import model as m

TEMPLATE_KINDS = {"contract": "agreement", "agenda": "agenda", "checklist": "checklist", "form": "form"}


@dataclass(frozen=True)
class Entry:
    """One line of a list in a template or policy: matched by ``key``, changed when ``content`` differs."""

    key: Any
    content: Any
    shown: str  # escaped Markdown
    detail: str = "its wording changed"  # said when the change does not show in ``shown``


def list_changes(what: str, before: Sequence[Entry], after: Sequence[Entry]) -> list[str]:
    """``what added/removed/changed: ...`` lines for two versions of a list, in order."""
    out: list[str] = []
    matcher = SequenceMatcher(a=[e.key for e in before], b=[e.key for e in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = before[i1:i2], after[j1:j2]
        if tag == "equal":
            out += [_changed(what, a, b) for a, b in zip(old, new) if a.content != b.content]
        elif tag == "replace" and len(old) == len(new):
            out += [f"{what} changed: {a.shown} → {b.shown}" for a, b in zip(old, new)]
        else:
            out += [f"{what} removed: {a.shown}" for a in old]
            out += [f"{what} added: {b.shown}" for b in new]
    return out


def _changed(what: str, a: Entry, b: Entry) -> str:
    return f"{what} changed: {b.shown}: {b.detail}" if a.shown == b.shown else f"{what} changed: {a.shown} → {b.shown}"


def field_changes(fields: Sequence[tuple[str, Any, Any]]) -> list[str]:
    return [f"{label}: {text(a) if a not in (None, '') else '*none*'} → {text(b) if b not in (None, '') else '*none*'}"
            for label, a, b in fields if a != b]


# -- sessions ---------------------------------------------------------------------------------


def occurrences(program: m.Program, session: m.Session) -> list[Occurrence]:
    return expand(session.start, program.session_timezone(session), session.minutes, session.repeat, session.except_, program.program.ends)


def when(o: Occurrence) -> str:
    """``Thu 4 Feb 2027, 12:00–13:00 GMT`` (local time in the session's zone)."""
    start, end = o.start, o.end
    days = (end.date() - start.date()).days
    later = f" (+{days} day{'s' if days > 1 else ''})" if days else ""
    return f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M}–{end:%H:%M}{later} {text(start.tzname() or '')}".rstrip()


def _instant(o: Occurrence) -> tuple[datetime, datetime]:
    """When it takes place: aware datetimes compare (and hash) as instants, whatever their zone."""
    return (o.start, o.end)


def occurrence_changes(before: list[Occurrence], after: list[Occurrence]) -> tuple[list[tuple[Occurrence, Occurrence]], list[Occurrence], list[Occurrence]]:
    """(moved pairs, removed, added).

    Occurrences in both stay. Of the rest, one on the same local date before and after has
    moved; what is left moved too when as many are left on each side (a series shifted to
    another day), and is otherwise removed or added.
    """
    common = Counter(map(_instant, before)) & Counter(map(_instant, after))
    left_common, right_common = Counter(common), Counter(common)
    old = [o for o in before if not _take(left_common, _instant(o))]
    new = [o for o in after if not _take(right_common, _instant(o))]
    pairs: list[tuple[Occurrence, Occurrence]] = []
    new_by_date: dict[Any, list[Occurrence]] = {}
    for o in new:
        new_by_date.setdefault(o.start.date(), []).append(o)
    rest_old = []
    for o in old:
        same_day = new_by_date.get(o.start.date())
        if same_day:
            pairs.append((o, same_day.pop(0)))
        else:
            rest_old.append(o)
    paired = {id(b) for _, b in pairs}
    rest_new = [o for o in new if id(o) not in paired]
    if len(rest_old) == len(rest_new):
        pairs += zip(rest_old, rest_new)
        rest_old, rest_new = [], []
    pairs.sort(key=lambda pair: pair[0].start)
    return pairs, rest_old, rest_new


def _take(counter: Counter[Any], key: Any) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _session_fields(program: m.Program, s: m.Session) -> list[tuple[str, Any]]:
    roles = {r.id: r.title for r in program.roles}
    templates = {t.id: t.title for t in program.templates}
    tracks = {t.id: t.title for t in program.tracks}
    return [
        ("title", s.title),
        ("summary", s.summary),
        ("time zone", program.session_timezone(s)),
        ("host", roles.get(s.host, s.host)),
        ("location", s.location),
        ("track", tracks.get(s.track or "", s.track)),
        ("agenda", templates.get(s.agenda or "", s.agenda)),
        ("audience", ", ".join(roles.get(r, r) for r in s.audience)),
    ]


def _series(occ: list[Occurrence]) -> str:
    if not occ:
        return "no occurrences"
    if len(occ) == 1:
        return f"1 occurrence: {when(occ[0])}"
    return f"{len(occ)} occurrences, {when(occ[0])} to {when(occ[-1])}"


def sessions_section(base: m.Program, head: m.Program) -> list[str]:
    old, new = {s.id: s for s in base.sessions}, {s.id: s for s in head.sessions}
    out: list[str] = []
    for sid, s in new.items():
        if sid not in old:
            out.append(f"#### Added: {text(s.title)} ({code(sid)})\n\n{_series(occurrences(head, s))}.\n")
    for sid, s in old.items():
        if sid not in new:
            out.append(f"#### Removed: {text(s.title)} ({code(sid)})\n\n{_series(occurrences(base, s))} no longer take place.\n")
    for sid, s in new.items():
        if sid not in old:
            continue
        before, after = occurrences(base, old[sid]), occurrences(head, s)
        moved, removed, added = occurrence_changes(before, after)
        lines = field_changes([(label, a, b) for (label, a), (_, b) in zip(_session_fields(base, old[sid]), _session_fields(head, s))])
        if not (moved or removed or added or lines):
            continue
        part = [f"#### {text(s.title)} ({code(sid)})\n"]
        if moved:
            part.append(f"{len(moved)} of {len(before)} occurrence{'s' if len(before) != 1 else ''} move:\n")
            part.append(comment.table(["before", "after"], [[when(a), when(b)] for a, b in moved]))
        part += [f"- occurrence removed: {when(o)}" for o in removed]
        part += [f"- occurrence added: {when(o)}" for o in added]
        part += [f"- {line}" for line in lines]
        out.append("\n".join(part) + "\n")
    return out


# -- tracks -----------------------------------------------------------------------------------

def _cadence(t: m.Track) -> str | None:
    if t.cadence is None:
        return None
    every = "every week" if t.cadence.every_weeks == 1 else f"every {t.cadence.every_weeks} weeks"
    return f"{every}, {t.cadence.minutes} min"


def _track_fields(program: m.Program, t: m.Track) -> list[tuple[str, Any]]:
    roles = {r.id: r.title for r in program.roles}
    domains = {d.id: d.title for d in program.domains}
    templates = {x.id: x.title for x in program.templates}
    return [
        ("title", t.title),
        ("format", t.format),
        ("summary", t.summary),
        ("mentor", roles.get(t.mentor or "", t.mentor)),
        ("mentee", roles.get(t.mentee or "", t.mentee)),
        ("host", roles.get(t.host or "", t.host)),
        ("domains", ", ".join(domains.get(d, d) for d in t.domains)),
        ("cadence", _cadence(t)),
        ("length (months)", t.duration_months),
        ("templates", ", ".join(templates.get(x, x) for x in t.templates)),
    ]


def tracks_section(base: Report, head: Report) -> list[str]:
    """Tracks added, removed, and what changed in the others (their fields and guide text)."""
    pa, pb = base.loaded.program, head.loaded.program  # type: ignore[union-attr]
    old, new = {t.id: t for t in pa.tracks}, {t.id: t for t in pb.tracks}
    out = [f"- added: **{text(t.title)}** ({code(tid)}, {t.format})" for tid, t in new.items() if tid not in old]
    out += [f"- removed: **{text(t.title)}** ({code(tid)}, {t.format}); its page is gone" for tid, t in old.items() if tid not in new]
    changed = []
    for tid, t in new.items():
        if tid not in old:
            continue
        a = old[tid]
        lines = field_changes([(label, x, y) for (label, x), (_, y) in zip(_track_fields(pa, a), _track_fields(pb, t))])
        body_a = base.loaded.bodies.get(a.body) if a.body else None  # type: ignore[union-attr]
        body_b = head.loaded.bodies.get(t.body) if t.body else None  # type: ignore[union-attr]
        if (a.body, body_a) != (t.body, body_b):
            lines.append(f"guide text ({comment.literal(t.body or a.body or '')}) changed")
        if lines:
            changed.append(f"#### {text(t.title)} ({code(tid)})\n\n" + "".join(f"- {line}\n" for line in lines))
    return (["\n".join(out) + "\n"] if out else []) + changed


# -- templates and policies -------------------------------------------------------------------


def _policy_content(p: m.Policy) -> tuple[Any, ...]:
    return (p.kind, p.title, p.summary, tuple(p.rules))


def _clauses(program: m.Program, t: m.ContractTemplate) -> list[Entry]:
    policies = {p.id: p for p in program.policies}
    out = []
    for n, clause in enumerate(t.clauses, start=1):
        if isinstance(clause, m.PolicyClause):
            policy = policies[clause.policy]
            shown = f"**{n}. {text(policy.title)}** (policy {code(policy.id)})"
            out.append(Entry(("policy", clause.policy), _policy_content(policy), shown, "the policy changed (see Policies)"))
        else:
            out.append(Entry(("text", clause.title), clause.text, f"**{n}. {text(clause.title)}**: {text(clause.text, 120)}"))
    return out


def _agenda_items(program: m.Program, t: m.AgendaTemplate) -> list[Entry]:
    roles = {r.id: r.title for r in program.roles} | {"both": "Both"}
    return [
        Entry(i.topic, (i.minutes, i.lead, i.notes), f"{i.minutes} min {text(i.topic)} (lead: {text(roles.get(i.lead, i.lead))})", "its notes changed")
        for i in t.items
    ]


def _checklist_items(t: m.ChecklistTemplate) -> list[Entry]:
    return [
        Entry(i.text, (i.group, i.required), text(i.text, 120) + (" *(required)*" if i.required else "") + (f" [{text(i.group)}]" if i.group else ""))
        for i in t.items
    ]


def _questions(t: m.FormTemplate) -> list[Entry]:
    """A form's questions, keyed by id: a changed wording, type, help or option is a change of that question."""
    return [
        Entry(q.id, (s.title, q.question, q.type, q.help, tuple(q.options), q.lines, q.low, q.high),
              f"{text(q.question, 120)} ({q.type}{': ' + text(', '.join(q.options), 120) if q.options else ''}) [{text(s.title)}]")
        for s in t.sections
        for q in s.questions
    ]


def _lines(values: Sequence[str]) -> list[Entry]:
    return [Entry(v, v, text(v, 120)) for v in values]


def template_changes(base: Report, head: Report, a: m.TemplateBase, b: m.TemplateBase) -> list[str]:
    """What changed inside one template (kept the same id)."""
    pa, pb = base.loaded.program, head.loaded.program  # type: ignore[union-attr]
    out = field_changes([("kind", a.kind, b.kind), ("title", a.title, b.title), ("summary", a.summary, b.summary)])
    if isinstance(a, m.ContractTemplate) and isinstance(b, m.ContractTemplate):
        roles_a, roles_b = {r.id: r.title for r in pa.roles}, {r.id: r.title for r in pb.roles}
        out += field_changes([("parties", ", ".join(roles_a[r] for r in a.parties), ", ".join(roles_b[r] for r in b.parties))])
        out += list_changes("clause", _clauses(pa, a), _clauses(pb, b))
    elif isinstance(a, m.AgendaTemplate) and isinstance(b, m.AgendaTemplate):
        out += field_changes([("length (minutes)", a.minutes, b.minutes)])
        out += list_changes("preparation", _lines(a.preparation), _lines(b.preparation))
        out += list_changes("agenda line", _agenda_items(pa, a), _agenda_items(pb, b))
        out += list_changes("follow-up", _lines(a.follow_up), _lines(b.follow_up))
    elif isinstance(a, m.ChecklistTemplate) and isinstance(b, m.ChecklistTemplate):
        out += field_changes([("audience", a.audience, b.audience)])
        out += list_changes("item", _checklist_items(a), _checklist_items(b))
    elif isinstance(a, m.FormTemplate) and isinstance(b, m.FormTemplate):
        out += field_changes([("filled in by", ", ".join(a.audience), ", ".join(b.audience))])
        out += list_changes("question", _questions(a), _questions(b))
    body_a = base.loaded.bodies.get(a.body) if a.body else None  # type: ignore[union-attr]
    body_b = head.loaded.bodies.get(b.body) if b.body else None  # type: ignore[union-attr]
    if (a.body, body_a) != (b.body, body_b):
        out.append(f"body text ({comment.literal(b.body or a.body or '')}) changed")
    return out


def templates_section(base: Report, head: Report, downloads: tuple[dict[str, Any], dict[str, Any]]) -> list[str]:
    old = {t.id: t for t in base.loaded.program.templates}  # type: ignore[union-attr]
    new = {t.id: t for t in head.loaded.program.templates}  # type: ignore[union-attr]
    out = [f"- added: **{text(t.title)}** ({code(tid)}, {TEMPLATE_KINDS[t.kind]})" for tid, t in new.items() if tid not in old]
    out += [f"- removed: **{text(t.title)}** ({code(tid)}, {TEMPLATE_KINDS[t.kind]}); its downloads are gone" for tid, t in old.items() if tid not in new]
    changed = []
    for tid, t in new.items():
        if tid not in old:
            continue
        lines = template_changes(base, head, old[tid], t)
        downloads_change = downloads[0].get(tid) != downloads[1].get(tid)
        if not lines and downloads_change:
            lines = ["wording taken from the program (its title or organisation) changed"]
        if lines:
            status = ": the downloads (Word, PDF, Markdown) change" if downloads_change else ""
            changed.append(f"#### {text(t.title)} ({code(tid)}){status}\n\n" + "".join(f"- {line}\n" for line in lines))
    return (["\n".join(out) + "\n"] if out else []) + changed


def _carriers(program: m.Program, policy_id: str) -> str:
    found = [
        f"**{text(t.title)}** (clause {n})"
        for t in program.templates
        if isinstance(t, m.ContractTemplate)
        for n, c in enumerate(t.clauses, start=1)
        if isinstance(c, m.PolicyClause) and c.policy == policy_id
    ]
    return "carried by " + ", ".join(found) if found else "no agreement carries it"


def policies_section(base: m.Program, head: m.Program) -> list[str]:
    old, new = {p.id: p for p in base.policies}, {p.id: p for p in head.policies}
    out = []
    for pid, p in new.items():
        if pid not in old:
            out.append(f"- added: **{text(p.title)}** ({code(pid)}); {_carriers(head, pid)}")
    for pid, p in old.items():
        if pid not in new:
            out.append(f"- removed: **{text(p.title)}** ({code(pid)}); it was {_carriers(base, pid)}")
    for pid, p in new.items():
        if pid in old and _policy_content(old[pid]) != _policy_content(p):
            a = old[pid]
            lines = field_changes([("kind", a.kind, p.kind), ("title", a.title, p.title), ("summary", a.summary, p.summary)])
            lines += list_changes("rule", _lines(a.rules), _lines(p.rules))
            out.append(f"- changed: **{text(p.title)}** ({code(pid)}); {_carriers(head, pid)}\n" + "".join(f"  - {line}\n" for line in lines).rstrip("\n"))
    return ["\n".join(out) + "\n"] if out else []


# -- pages and warnings -----------------------------------------------------------------------


def pages(report: Report) -> dict[str, str]:
    """Every page of the site by source path: the generated ones and the designer's own."""
    out = dict(report.pages.pages) if report.pages else {}
    out.update({src: page.text for src, page in report.content.items()})
    return out


def _page(src: str) -> str:
    return f"{comment.literal('/' + url_of(src))} ({comment.literal(src)})"


def pages_section(base: Report, head: Report) -> tuple[list[str], list[str]]:
    """(pages added or removed, pages whose text changes)."""
    old, new = pages(base), pages(head)
    lines = [f"- added: {_page(src)}" for src in new if src not in old]
    lines += [f"- removed: {_page(src)}" for src in old if src not in new]
    changed = [comment.literal("/" + url_of(src)) for src in new if src in old and old[src] != new[src]]
    return (["\n".join(lines) + "\n"] if lines else []), ([", ".join(changed) + "\n"] if changed else [])


def warnings_section(base: Report, head: Report) -> list[str]:
    def key(d: Any) -> tuple[str, str]:
        return (d.code, d.message)

    before, after = Counter(map(key, base.warnings)), Counter(map(key, head.warnings))
    introduced, fixed = after - before, before - after
    out = []
    for label, diagnostics, wanted in (("introduced", head.warnings, introduced), ("fixed", base.warnings, fixed)):
        for d in diagnostics:
            if wanted[key(d)] > 0:
                wanted[key(d)] -= 1
                out.append(f"- {label}: {code(d.code)} at {comment.literal(str(d.location))}: {text(d.message, 300)}")
    return ["\n".join(out) + "\n"] if out else []


# -- the report -------------------------------------------------------------------------------


def report(base: Report, head: Report, base_name: str, head_name: str) -> tuple[str, bool]:
    """(the Markdown, whether anything visible changed). Both reports must have loaded without errors."""
    from program_portal.render.downloads import sources

    assert base.portal is not None and head.portal is not None, "the pipeline builds the read model of each side"
    assert base.loaded is not None and head.loaded is not None
    downloads = tuple({s.template_id: (s.standalone, s.markdown) for s in sources(r.portal)} for r in (base, head))  # type: ignore[arg-type]
    added_removed, changed_pages = pages_section(base, head)
    sections = [
        ("Sessions", sessions_section(base.loaded.program, head.loaded.program)),
        ("Tracks", tracks_section(base, head)),
        ("Templates", templates_section(base, head, downloads)),  # type: ignore[arg-type]
        ("Policies", policies_section(base.loaded.program, head.loaded.program)),
        ("Pages added or removed", added_removed),
        ("Warnings", warnings_section(base, head)),
        ("Pages whose text changes", changed_pages),
    ]
    title = f"## Program portal: {text(base_name, 80)} → {text(head_name, 80)}\n"
    body = [f"### {name}\n\n" + "\n".join(parts) for name, parts in sections if parts]
    if not body:
        return f"{comment.MARKER}\n{title}\nNo visible change to the portal.\n", False
    markdown = re.sub(r"\n{3,}", "\n\n", f"{comment.MARKER}\n{title}\n" + "\n".join(body))
    return comment.cut(markdown), True
