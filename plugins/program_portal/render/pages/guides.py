"""``/guides/<track>/``: the framework guide of one track."""

from __future__ import annotations

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.render.placeholders import Blanks, values
from program_portal.render.pages import sessions as session_pages
from program_portal.paths import guide_src
from program_portal.render.pages.portal import FORMAT_LABELS, SCOPE_LABELS, Portal, cadence_text


def guide(portal: Portal, track: m.Track) -> str:
    src = guide_src(track.id)
    out = [f"# {mdtext.text(track.title)}\n"]
    if track.summary:
        out.append(f"{mdtext.inline(track.summary)}\n")
    facts = [["Format", FORMAT_LABELS[track.format]]]
    for key, label in (("mentor", "Mentor"), ("mentee", "Mentee"), ("host", "Host")):
        role_id = getattr(track, key)
        if role_id:
            facts.append([label, portal.role(src, role_id)])
    if track.cadence:
        facts.append(["Meetings", cadence_text(track)])
    if track.duration_months:
        facts.append(["Length", f"{track.duration_months} months"])
    out.append(mdtext.facts(facts))

    body = portal.body(track.body, Blanks("html"), track=values(track))
    if body:
        out.append(body)

    if track.domains:
        out.append("## Mentoring domains\n")
        out.append(mdtext.bullet_list([
            f"{portal.domain(src, d)}: {SCOPE_LABELS[portal.domains[d].scope].split(':')[0].lower()}" for d in track.domains
        ]))
    if portal.program.phases:
        out.append("## Timeline\n")
        rows = [[portal.week_range(p), portal.phase(src, p), portal.joined([portal.template(src, t) for t in p.templates])]
                for p in portal.program.phases]
        out.append(mdtext.table(["When", "Phase", "Templates"], rows))
    if track.templates:
        out.append("## Templates\n")
        items = []
        for t in track.templates:
            template = portal.templates[t]
            line = portal.template(src, t)
            if template.summary:
                line += f": {mdtext.inline(template.summary)}"
            items.append(line)
        out.append(mdtext.bullet_list(items))
    sessions = [s for s in portal.program.sessions if s.track == track.id]
    if sessions:
        out.append("## Group sessions\n")
        out.append(session_pages.occurrence_list(portal, src, sessions))
    if track.format != "group" and track.cadence:
        out.append(session_pages.cadence_planner(portal, track))
    return "\n".join(out)
