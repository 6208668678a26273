"""``/guides/<track>/``: the framework guide of one track."""

from __future__ import annotations

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.render.placeholders import Blanks, values
from program_portal.render.pages import sessions as session_pages
from program_portal.render.pages import visual
from program_portal.paths import guide_src
from program_portal.render.pages.portal import Portal


def guide(portal: Portal, track: m.Track) -> str:
    src = guide_src(track.id)
    lang = portal.language
    out = [f"# {mdtext.text(track.title)}\n"]
    if track.summary:
        out.append(f"{mdtext.inline(track.summary)}\n")
    facts = [[lang.md("guide.format"), lang.md(f"format.{track.format}")]]
    for key in ("mentor", "mentee", "host"):
        role_id = getattr(track, key)
        if role_id:
            facts.append([lang.md(f"guide.{key}"), portal.role(src, role_id)])
    if track.cadence:
        facts.append([lang.md("guide.meetings"), portal.cadence_text(track)])
    if track.duration_months:
        facts.append([lang.md("guide.length"), portal.months(track.duration_months)])
    out.append(mdtext.facts(facts, lang.md("punct.colon")))

    body = portal.body(track.body, Blanks("html"), track=values(track))
    if body:
        out.append(body)

    if track.domains:
        out.append(f"## {lang.md('guide.domains')}\n")
        out.append(mdtext.bullet_list([
            lang.md("guide.domain-line", domain=portal.domain(src, d), scope=lang.md(f"scope.{portal.domains[d].scope}.short"))
            for d in track.domains
        ]))
    timeline = visual.phase_timeline(portal, src, track)  # only this track's phases, sessions and templates
    if timeline:
        out.append(f"## {lang.md('guide.timeline')}\n")
        out.append(timeline)
    if track.templates:
        out.append(f"## {lang.md('guide.templates')}\n")
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
        out.append(f"## {lang.md('guide.sessions')}\n")
        out.append(session_pages.occurrence_list(portal, src, sessions))
    if track.format != "group" and track.cadence:
        out.append(session_pages.cadence_planner(portal, track))
    if sessions or (track.format != "group" and track.cadence):
        out.append(session_pages.browser_labels(portal))
    return "\n".join(out)
