"""``/program/`` (the overview) and ``/program/policies/``."""

from __future__ import annotations

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.paths import CALENDAR, POLICIES, PROGRAM, guide_src
from program_portal.render.pages import visual
from program_portal.render.pages.portal import Portal


def _role_uses(portal: Portal, role: m.Role) -> list[str]:
    """Where a role appears, as links from the overview page."""
    lang = portal.language
    uses: list[str] = []
    for track in portal.program.tracks:
        for key in ("mentor", "mentee", "host"):
            if getattr(track, key) == role.id:
                label = {"mentor": "overview.mentor-in", "mentee": "overview.mentee-in", "host": "overview.host-of"}[key]
                uses.append(lang.md(label, track=portal.track(PROGRAM, track.id)))
    for template in portal.program.templates:
        link = portal.template(PROGRAM, template.id)
        if isinstance(template, m.ContractTemplate) and role.id in template.parties:
            uses.append(lang.md("overview.signs", template=link))
        elif isinstance(template, m.AgendaTemplate) and any(i.lead == role.id for i in template.items):
            uses.append(lang.md("overview.leads-items", template=link))
        elif isinstance(template, m.ChecklistTemplate) and template.audience == role.id:
            uses.append(lang.md("overview.uses", template=link))
    hosted = [s for s in portal.program.sessions if s.host == role.id]
    if hosted:
        calendar = mdtext.link(PROGRAM, CALENDAR, lang.md("overview.calendar-link"))
        uses.append(lang.md("overview.hosts-sessions", len(hosted), count=lang.number(len(hosted)), calendar=calendar))
    return uses


def overview(portal: Portal) -> str:
    info = portal.info
    lang = portal.language
    out = [f"# {mdtext.text(info.title)}\n"]
    if info.summary:
        out.append(f"{mdtext.inline(info.summary)}\n")
    runs = mdtext.text(lang.day_range(info.starts, info.ends))
    facts = [[lang.md("overview.runs"), runs], [lang.md("overview.timezone"), mdtext.text(info.timezone)]]
    if info.organisation:
        facts.insert(0, [lang.md("overview.organisation"), mdtext.text(info.organisation)])
    if info.contact:
        facts.append([lang.md("overview.contact"), mdtext.email_or_text(info.contact)])
    out.append(mdtext.facts(facts, lang.md("punct.colon")))
    if info.objectives:
        out.append(f"## {lang.md('overview.objectives')}\n\n" + mdtext.bullet_list([mdtext.inline(o) for o in info.objectives]))

    if portal.program.phases:
        out.append(f"## {lang.md('overview.timeline')}\n")
        out.append(visual.phase_timeline(portal, PROGRAM))
        for phase in portal.program.phases:
            out.append(f"### {mdtext.text(phase.title)} {{ #phase-{phase.id} }}\n")
            out.append(f"*{portal.week_range(phase)}*\n")
            if phase.summary:
                out.append(f"{mdtext.inline(phase.summary)}\n")
            if phase.activities:
                out.append(mdtext.bullet_list([mdtext.inline(a) for a in phase.activities]))
            if phase.templates:
                templates = portal.joined([portal.template(PROGRAM, t) for t in phase.templates])
                out.append(lang.md("overview.phase-templates", templates=templates) + "\n")

    if portal.program.tracks:
        out.append(f"## {lang.md('overview.tracks')}\n")
        rows = []
        for track in portal.program.tracks:
            rows.append([
                mdtext.link(PROGRAM, guide_src(track.id), mdtext.text(track.title)),
                lang.md(f"format.{track.format}"),
                mdtext.inline(track.summary or ""),
                "" if track.format == "group" else portal.cadence_text(track),
                portal.months(track.duration_months) if track.duration_months else "",
            ])
        header = [lang.md(f"overview.{k}") for k in ("track", "format", "what", "meetings", "length")]
        out.append(mdtext.table(header, rows))

    if portal.program.roles:
        out.append(f"## {lang.md('overview.roles')}\n")
        for role in portal.program.roles:
            out.append(f"### {mdtext.text(role.title)} {{ #role-{role.id} }}\n")
            line = f"*{lang.md(f'role-kind.{role.kind}')}*"
            if role.time_commitment:
                line += " · " + lang.md("overview.time", commitment=mdtext.text(role.time_commitment))
            if not role.one_to_one:
                line += " · " + lang.md("overview.group-host")
            out.append(line + "\n")
            if role.summary:
                out.append(f"{mdtext.inline(role.summary)}\n")
            if role.responsibilities:
                out.append(mdtext.bullet_list([mdtext.inline(r) for r in role.responsibilities]))
            uses = _role_uses(portal, role)
            if uses:
                out.append(lang.md("overview.in-program", uses="; ".join(uses)) + "\n")

    if portal.program.domains:
        out.append(f"## {lang.md('overview.domains')}\n")
        out.append(lang.md("overview.domains-intro") + "\n")
        for domain in portal.program.domains:
            out.append(f"### {mdtext.text(domain.title)} {{ #domain-{domain.id} }}\n")
            out.append(f"*{lang.md(f'scope.{domain.scope}')}.*\n")
            if domain.summary:
                out.append(f"{mdtext.inline(domain.summary)}\n")
            tracks = [portal.track(PROGRAM, t.id) for t in portal.program.tracks if domain.id in t.domains]
            if tracks:
                out.append(lang.md("overview.covered-by", tracks=portal.joined(tracks)) + "\n")
    if portal.program.policies:
        out.append(f"## {lang.md('overview.policies')}\n")
        link = mdtext.link(PROGRAM, POLICIES, lang.md("overview.policies-link"))
        policies = portal.joined([portal.policy(PROGRAM, p.id) for p in portal.program.policies])
        out.append(lang.md("overview.policies-intro", link=link, policies=policies) + "\n")
    return "\n".join(out)


def policies(portal: Portal) -> str:
    lang = portal.language
    out = [f"# {lang.md('policies.title')}\n", lang.md("policies.intro", program=mdtext.text(portal.info.title)) + "\n"]
    for policy in portal.program.policies:
        out.append(f"## {mdtext.text(policy.title)} {{ #{policy.id} }}\n")
        out.append(f"*{lang.md(f'policy-kind.{policy.kind}')}*\n")
        if policy.summary:
            out.append(f"{mdtext.inline(policy.summary)}\n")
        out.append(mdtext.bullet_list([mdtext.inline(r) for r in policy.rules]))
        used = [
            portal.template(POLICIES, t.id)
            for t in portal.program.templates
            if isinstance(t, m.ContractTemplate) and any(isinstance(c, m.PolicyClause) and c.policy == policy.id for c in t.clauses)
        ]
        if used:
            out.append(lang.md("policies.part-of", templates=portal.joined(used)) + "\n")
    return "\n".join(out)
