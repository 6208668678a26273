"""``/program/matching/`` (extension): how mentors and mentees are matched, by role, never by name."""

from __future__ import annotations

from program_portal.paths import MATCHING
from program_portal.render import markdown as mdtext
from program_portal.render.pages.portal import Portal
from program_portal.source import model as m


def _when(portal: Portal, step: m.MatchingStep) -> str:
    """``Weeks 1–3 (…)`` and/or the phase, linked to the timeline."""
    parts = []
    if step.weeks:
        parts.append(portal.weeks_span(*step.weeks))
    if step.phase:
        phase = next(p for p in portal.program.phases if p.id == step.phase)
        parts.append(portal.language.md("matching.in-phase", phase=portal.phase(MATCHING, phase)))
    return " · ".join(parts)


def guide(portal: Portal) -> str:
    matching = portal.program.matching
    assert matching is not None
    lang = portal.language
    out = [f"# {lang.md('matching.title')}\n"]
    if matching.summary:
        out.append(f"{mdtext.inline(matching.summary)}\n")
    out.append(lang.md("matching.privacy") + "\n")
    out.append(mdtext.facts([[lang.md("matching.decides"), portal.role(MATCHING, matching.decides)]], lang.md("punct.colon")))
    out.append(f"## {lang.md('matching.criteria')}\n")
    out.append(mdtext.bullet_list([
        f"**{mdtext.text(c.title)}**" + (f": {mdtext.inline(c.summary)}" if c.summary else "") for c in matching.criteria
    ]))
    out.append(f"## {lang.md('matching.steps')}\n")
    for n, step in enumerate(matching.steps, 1):
        out.append(f"### {lang.number(n)}. {mdtext.text(step.title)} {{ #step-{n} }}\n")
        line = lang.md("matching.owner", role=portal.role(MATCHING, step.owner))
        when = _when(portal, step)
        out.append(f"*{line}*" + (f" · {when}" if when else "") + "\n")
        if step.summary:
            out.append(f"{mdtext.inline(step.summary)}\n")
    if matching.templates:
        templates = portal.joined([portal.template(MATCHING, t) for t in matching.templates])
        out.append(f"## {lang.md('matching.templates')}\n\n{templates}\n")
    return "\n".join(out)
