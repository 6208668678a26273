"""Extensions: ``/at-a-glance/`` (the program on one page, also the printable PDF) and ``/roles/<id>/``.

Both are built from program.yml alone. The promises are the program's policies of the kinds
that protect participants (confidentiality, the assessment firewall, employment protection,
the no-fault exit) as the model holds them, with the contracts whose clauses carry them.
"""

from __future__ import annotations

from program_portal.paths import AT_A_GLANCE, AT_A_GLANCE_PDF, CALENDAR, PACK, POLICIES, TEMPLATES, guide_src, role_src
from program_portal.render import markdown as mdtext
from program_portal.render.pages import visual
from program_portal.render.pages.portal import Portal
from program_portal.source import model as m

PROMISE_KINDS = ("confidentiality", "assessment-firewall", "employment-protection", "no-fault-exit")


def promises(portal: Portal) -> list[m.Policy]:
    """The policies that are promises to participants, in PROMISE_KINDS order."""
    return sorted((p for p in portal.program.policies if p.kind in PROMISE_KINDS), key=lambda p: PROMISE_KINDS.index(p.kind))


def _carried_by(portal: Portal, policy: m.Policy) -> list[str]:
    """The ids of the contracts with a clause for ``policy``."""
    return [t.id for t in portal.program.templates
            if isinstance(t, m.ContractTemplate) and any(isinstance(c, m.PolicyClause) and c.policy == policy.id for c in t.clauses)]


def _promise_list(portal: Portal, src: str | None) -> str:
    """The promises as a list; ``src`` None: plain text (the PDF)."""
    lang = portal.language
    items = []
    for policy in promises(portal):
        title = portal.policy(src, policy.id) if src else mdtext.text(policy.title)
        line = f"**{title}**"
        if policy.summary:
            line += f": {mdtext.inline(policy.summary)}"
        contracts = _carried_by(portal, policy)
        if contracts:
            line += " " + lang.md("glance.promise-in", contracts=portal.joined([portal.template(src, t) for t in contracts]))
        items.append(line)
    return mdtext.bullet_list(items)


def _timeline(portal: Portal, src: str) -> str:
    """The phase timeline from render/pages/visual.py when this build has it, else ''."""
    timeline = getattr(visual, "phase_timeline", None)
    return timeline(portal, src, None) if timeline else ""


def _phase_table(portal: Portal) -> str:
    """The phases as a table (the PDF: the timeline's bars need the site's style sheet)."""
    lang = portal.language
    rows = [[f"**{mdtext.text(p.title)}**", portal.week_range(p), mdtext.inline(p.summary or "")] for p in portal.program.phases]
    return mdtext.table([lang.md(f"glance.phase-{k}") for k in ("name", "when", "what")], rows)


def at_a_glance(portal: Portal, *, standalone: bool = False) -> str:
    """The page (``standalone``: the PDF's Markdown, no links to other pages, phases as a table)."""
    info, lang, program = portal.info, portal.language, portal.program
    src: str | None = None if standalone else AT_A_GLANCE
    out = [f"# {lang.md('glance.title', program=mdtext.text(info.title))}\n"]
    if info.summary:
        out.append(f"{mdtext.inline(info.summary)}\n")
    facts = [[lang.md("overview.runs"), mdtext.text(lang.day_range(info.starts, info.ends))]]
    if info.organisation:
        facts.insert(0, [lang.md("overview.organisation"), mdtext.text(info.organisation)])
    if info.contact:
        facts.append([lang.md("overview.contact"), mdtext.email_or_text(info.contact)])
    out.append(mdtext.facts(facts, lang.md("punct.colon")))
    if not standalone:
        out.append(f"[{lang.md('glance.pdf')}]({mdtext._relative(AT_A_GLANCE_PDF, 'at-a-glance')}){{ .md-button }}\n")
    if info.objectives:
        out.append(f"## {lang.md('glance.purpose')}\n\n" + mdtext.bullet_list([mdtext.inline(o) for o in info.objectives]))

    if program.tracks:
        out.append(f"## {lang.md('glance.tracks')}\n")
        items = []
        for track in program.tracks:
            title = portal.track(src, track.id)
            what = [lang.md(f"format.{track.format}")]
            if track.duration_months:
                what.append(portal.months(track.duration_months))
            line = f"**{title}** ({', '.join(what)})"
            if track.summary:
                line += f": {mdtext.inline(track.summary)}"
            items.append(line)
        out.append(mdtext.bullet_list(items))

    if program.roles:
        out.append(f"## {lang.md('glance.roles')}\n")
        items = []
        for role in program.roles:
            title = mdtext.link(AT_A_GLANCE, role_src(role.id), mdtext.text(role.title)) if src else mdtext.text(role.title)
            line = f"**{title}**"
            if role.summary:
                line += f": {mdtext.inline(role.summary)}"
            if role.time_commitment:
                line += " " + lang.md("glance.time", commitment=mdtext.text(role.time_commitment))
            items.append(line)
        out.append(mdtext.bullet_list(items))

    if program.phases:
        out.append(f"## {lang.md('glance.timeline')}\n")
        timeline = "" if standalone else _timeline(portal, AT_A_GLANCE)
        out.append(timeline or _phase_table(portal))

    if promises(portal):
        out.append(f"## {lang.md('glance.promises')}\n")
        out.append(_promise_list(portal, src))

    if program.templates:
        out.append(f"## {lang.md('glance.templates')}\n")
        kinds = sorted({t.kind for t in program.templates}, key=m.TEMPLATE_KINDS.index)
        what = portal.joined([lang.md(f"template-kind.{k}") for k in kinds])
        if src:
            where = lang.md("glance.templates-here", templates=mdtext.link(AT_A_GLANCE, TEMPLATES, lang.md("nav.all-templates")),
                            pack=f"[{lang.md('templates.zip')}]({mdtext._relative(PACK, 'at-a-glance')})")
        else:
            where = lang.md("glance.templates-portal")
        out.append(lang.md("glance.templates-text", count=lang.number(len(program.templates)), kinds=what) + " " + where + "\n")
    return "\n".join(out)


def role_concerns(portal: Portal, role: m.Role) -> dict[str, list[str]]:
    """What concerns ``role``, from program.yml: its tracks, templates and sessions (ids)."""
    program = portal.program
    tracks = [t.id for t in program.tracks if role.id in (t.mentor, t.mentee, t.host)]
    templates = []
    for t in program.templates:
        if isinstance(t, m.ContractTemplate) and role.id in t.parties:
            templates.append(t.id)
        elif isinstance(t, m.ChecklistTemplate) and t.audience == role.id:
            templates.append(t.id)
        elif isinstance(t, m.AgendaTemplate) and any(i.lead == role.id for i in t.items):
            templates.append(t.id)
    sessions = [s.id for s in program.sessions if s.host == role.id or role.id in s.audience]
    return {"tracks": tracks, "templates": templates, "sessions": sessions}


def role_page(portal: Portal, role: m.Role) -> str:
    src, lang = role_src(role.id), portal.language
    program = portal.program
    concerns = role_concerns(portal, role)
    out = [f"# {lang.md('role-page.title', role=mdtext.text(role.title))}\n"]
    line = f"*{lang.md(f'role-kind.{role.kind}')}*"
    if role.time_commitment:
        line += " · " + lang.md("overview.time", commitment=mdtext.text(role.time_commitment))
    out.append(line + "\n")
    if role.summary:
        out.append(f"{mdtext.inline(role.summary)}\n")
    if role.responsibilities:
        out.append(f"## {lang.md('role-page.duties')}\n\n" + mdtext.bullet_list([mdtext.inline(r) for r in role.responsibilities]))
    if concerns["tracks"]:
        out.append(f"## {lang.md('role-page.guides')}\n")
        items = []
        for track_id in concerns["tracks"]:
            track = portal.tracks[track_id]
            key = next(k for k in ("mentor", "mentee", "host") if getattr(track, k) == role.id)
            label = {"mentor": "overview.mentor-in", "mentee": "overview.mentee-in", "host": "overview.host-of"}[key]
            items.append(visual.capitalised(lang.md(label, track=mdtext.link(src, guide_src(track_id), mdtext.text(track.title)))))
        out.append(mdtext.bullet_list(items))
    if concerns["templates"]:
        out.append(f"## {lang.md('role-page.templates')}\n")
        items = []
        for template_id in concerns["templates"]:
            template = portal.templates[template_id]
            link = portal.template(src, template_id)
            if isinstance(template, m.ContractTemplate):
                items.append(visual.capitalised(lang.md("overview.signs", template=link)))
            elif isinstance(template, m.AgendaTemplate):
                items.append(visual.capitalised(lang.md("overview.leads-items", template=link)))
            else:
                items.append(visual.capitalised(lang.md("overview.uses", template=link)))
        out.append(mdtext.bullet_list(items))
    if concerns["sessions"]:
        out.append(f"## {lang.md('role-page.sessions')}\n")
        items = []
        for session in (s for s in program.sessions if s.id in concerns["sessions"]):
            line = f"**{mdtext.link(src, CALENDAR, mdtext.text(session.title))}**"
            rhythm = getattr(visual, "series_rhythm", None)
            if rhythm:
                line += f": {mdtext.text(visual.capitalised(rhythm(portal, session)))}"
            if session.host == role.id:
                line += " " + lang.md("role-page.you-host")
            items.append(line)
        out.append(mdtext.bullet_list(items))
    if promises(portal):
        out.append(f"## {lang.md('role-page.promises')}\n")
        out.append(_promise_list(portal, src))
        out.append(mdtext.link(src, POLICIES, visual.capitalised(lang.md("overview.policies-link"))) + "\n")
    out.append(mdtext.link(src, AT_A_GLANCE, lang.md("role-page.glance", program=mdtext.text(portal.info.title))) + "\n")
    return "\n".join(out)
