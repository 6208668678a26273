"""``/program/`` (the overview) and ``/program/policies/``."""

from __future__ import annotations

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.render.pages.portal import (
    FORMAT_LABELS,
    POLICIES,
    PROGRAM,
    SCOPE_LABELS,
    Portal,
    cadence_text,
    format_day,
    guide_src,
)

ROLE_KIND_LABELS = {
    "mentee": "Mentee",
    "mentor": "Mentor",
    "sponsor": "Sponsor",
    "line-manager": "Line manager",
    "program-office": "Program office",
    "executive": "Executive",
    "other": "Other",
}
POLICY_KIND_LABELS = {
    "confidentiality": "Confidentiality",
    "assessment-firewall": "Assessment firewall",
    "employment-protection": "Employment protection",
    "no-fault-exit": "No-fault exit",
    "conflict-of-interest": "Conflict of interest",
    "raising-concerns": "Raising concerns",
    "other": "Other",
}


def _role_uses(portal: Portal, role: m.Role) -> list[str]:
    """Where a role appears, as links from the overview page."""
    uses: list[str] = []
    for track in portal.program.tracks:
        for key, label in (("mentor", "mentor in"), ("mentee", "mentee in"), ("host", "host of")):
            if getattr(track, key) == role.id:
                uses.append(f"{label} {portal.track(PROGRAM, track.id)}")
    for template in portal.program.templates:
        link = portal.template(PROGRAM, template.id)
        if isinstance(template, m.ContractTemplate) and role.id in template.parties:
            uses.append(f"signs the {link}")
        elif isinstance(template, m.AgendaTemplate) and any(i.lead == role.id for i in template.items):
            uses.append(f"leads items of the {link}")
        elif isinstance(template, m.ChecklistTemplate) and template.audience == role.id:
            uses.append(f"uses the {link}")
    hosted = [s for s in portal.program.sessions if s.host == role.id]
    if hosted:
        uses.append(f"hosts {len(hosted)} group session series ({mdtext.link(PROGRAM, 'calendar/index.md', 'calendar')})")
    return uses


def overview(portal: Portal) -> str:
    info = portal.info
    out = [f"# {mdtext.text(info.title)}\n"]
    if info.summary:
        out.append(f"{mdtext.inline(info.summary)}\n")
    facts = [["Runs", f"{format_day(info.starts)} – {format_day(info.ends)}"], ["Time zone", mdtext.text(info.timezone)]]
    if info.organisation:
        facts.insert(0, ["Organisation", mdtext.text(info.organisation)])
    if info.contact:
        facts.append(["Contact", mdtext.email_or_text(info.contact)])
    out.append(mdtext.facts(facts))
    if info.objectives:
        out.append("## Objectives\n\n" + mdtext.bullet_list([mdtext.inline(o) for o in info.objectives]))

    if portal.program.phases:
        out.append("## Timeline\n")
        for phase in portal.program.phases:
            out.append(f"### {mdtext.text(phase.title)} {{ #phase-{phase.id} }}\n")
            out.append(f"*{portal.week_range(phase)}*\n")
            if phase.summary:
                out.append(f"{mdtext.inline(phase.summary)}\n")
            if phase.activities:
                out.append(mdtext.bullet_list([mdtext.inline(a) for a in phase.activities]))
            if phase.templates:
                out.append("Templates: " + portal.joined([portal.template(PROGRAM, t) for t in phase.templates]) + "\n")

    if portal.program.tracks:
        out.append("## Tracks\n")
        rows = []
        for track in portal.program.tracks:
            rows.append([
                mdtext.link(PROGRAM, guide_src(track.id), mdtext.text(track.title)),
                FORMAT_LABELS[track.format],
                mdtext.inline(track.summary or ""),
                "" if track.format == "group" else cadence_text(track),
                f"{track.duration_months} months" if track.duration_months else "",
            ])
        out.append(mdtext.table(["Track", "Format", "What it is", "Meetings", "Length"], rows))

    if portal.program.roles:
        out.append("## Roles\n")
        for role in portal.program.roles:
            out.append(f"### {mdtext.text(role.title)} {{ #role-{role.id} }}\n")
            kind = ROLE_KIND_LABELS[role.kind]
            line = f"*{kind}*"
            if role.time_commitment:
                line += f" · Time: {mdtext.text(role.time_commitment)}"
            if not role.one_to_one:
                line += " · Hosts group sessions; mentors no one one to one"
            out.append(line + "\n")
            if role.summary:
                out.append(f"{mdtext.inline(role.summary)}\n")
            if role.responsibilities:
                out.append(mdtext.bullet_list([mdtext.inline(r) for r in role.responsibilities]))
            uses = _role_uses(portal, role)
            if uses:
                out.append("In this program: " + "; ".join(uses) + ".\n")

    if portal.program.domains:
        out.append("## Mentoring domains\n")
        out.append("The domain is what a mentoring relationship is about. Mentor and mentee agree theirs at the start.\n")
        for domain in portal.program.domains:
            out.append(f"### {mdtext.text(domain.title)} {{ #domain-{domain.id} }}\n")
            out.append(f"*{SCOPE_LABELS[domain.scope]}.*\n")
            if domain.summary:
                out.append(f"{mdtext.inline(domain.summary)}\n")
            tracks = [portal.track(PROGRAM, t.id) for t in portal.program.tracks if domain.id in t.domains]
            if tracks:
                out.append("Covered by: " + ", ".join(tracks) + ".\n")
    if portal.program.policies:
        out.append("## Policies\n")
        out.append(
            "The rules that protect everyone in the program are on the "
            + mdtext.link(PROGRAM, POLICIES, "policies page")
            + ": "
            + ", ".join(portal.policy(PROGRAM, p.id) for p in portal.program.policies)
            + ".\n"
        )
    return "\n".join(out)


def policies(portal: Portal) -> str:
    out = ["# Policies\n", f"The rules of {mdtext.text(portal.info.title)}. Every agreement in the program refers to them.\n"]
    for policy in portal.program.policies:
        out.append(f"## {mdtext.text(policy.title)} {{ #{policy.id} }}\n")
        out.append(f"*{POLICY_KIND_LABELS[policy.kind]}*\n")
        if policy.summary:
            out.append(f"{mdtext.inline(policy.summary)}\n")
        out.append(mdtext.bullet_list([mdtext.inline(r) for r in policy.rules]))
        used = [
            portal.template(POLICIES, t.id)
            for t in portal.program.templates
            if isinstance(t, m.ContractTemplate) and any(isinstance(c, m.PolicyClause) and c.policy == policy.id for c in t.clauses)
        ]
        if used:
            out.append(f"Part of: {', '.join(used)}.\n")
    return "\n".join(out)

