"""A read-only view of a validated program for page generation: lookups, page paths and cross-links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.diagnostics import ProgramError
from program_portal.source.loader import LoadedProgram
from program_portal.render.placeholders import Blanks, Target, render, split_front_matter, values

PROGRAM = "program/index.md"
POLICIES = "program/policies.md"
TEMPLATES = "templates/index.md"
CALENDAR = "calendar/index.md"

FORMAT_LABELS = {"one-to-one": "One-to-one mentoring", "reverse": "Reverse mentoring", "group": "Group mentoring"}
TEMPLATE_KIND_LABELS = {"contract": "Agreements", "agenda": "Session agendas", "checklist": "Checklists"}
TEMPLATE_KIND_SINGULAR = {"contract": "agreement", "agenda": "session agenda", "checklist": "checklist"}
SCOPE_LABELS = {"shared": "Shared domain: both have experience here; the mentor extends what the mentee knows",
                "additional": "Additional domain: new to the mentee; the mentor adds knowledge and perspective"}


def guide_src(track_id: str) -> str:
    return f"guides/{track_id}.md"


def template_src(template_id: str) -> str:
    return f"templates/{template_id}.md"


@dataclass
class Portal:
    """Everything page generators need to know about one program."""

    loaded: LoadedProgram
    extra_context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def program(self) -> m.Program:
        return self.loaded.program

    @property
    def info(self) -> m.ProgramInfo:
        return self.loaded.program.program

    @cached_property
    def roles(self) -> dict[str, m.Role]:
        return {r.id: r for r in self.program.roles}

    @cached_property
    def domains(self) -> dict[str, m.Domain]:
        return {d.id: d for d in self.program.domains}

    @cached_property
    def tracks(self) -> dict[str, m.Track]:
        return {t.id: t for t in self.program.tracks}

    @cached_property
    def policies(self) -> dict[str, m.Policy]:
        return {p.id: p for p in self.program.policies}

    @cached_property
    def templates(self) -> dict[str, m.TemplateBase]:
        return {t.id: t for t in self.program.templates}

    # -- links --------------------------------------------------------------

    def role(self, src: str | None, role_id: str) -> str:
        """The role's title, linked to its entry on the overview (plain text when ``src`` is None)."""
        if role_id == "both":
            return "Both"
        title = mdtext.text(self.roles[role_id].title)
        return mdtext.link(src, PROGRAM, title, f"role-{role_id}") if src else title

    def domain(self, src: str | None, domain_id: str) -> str:
        title = mdtext.text(self.domains[domain_id].title)
        return mdtext.link(src, PROGRAM, title, f"domain-{domain_id}") if src else title

    def policy(self, src: str | None, policy_id: str) -> str:
        title = mdtext.text(self.policies[policy_id].title)
        return mdtext.link(src, POLICIES, title, policy_id) if src else title

    def template(self, src: str | None, template_id: str) -> str:
        title = mdtext.text(self.templates[template_id].title)
        return mdtext.link(src, template_src(template_id), title) if src else title

    def track(self, src: str | None, track_id: str) -> str:
        title = mdtext.text(self.tracks[track_id].title)
        return mdtext.link(src, guide_src(track_id), title) if src else title

    def phase(self, src: str | None, phase: m.Phase) -> str:
        title = mdtext.text(phase.title)
        return mdtext.link(src, PROGRAM, title, f"phase-{phase.id}") if src else title

    def joined(self, links: list[str]) -> str:
        return ", ".join(links) if links else "none"

    # -- dates --------------------------------------------------------------

    def week_start(self, week: int) -> date:
        return self.info.starts + timedelta(weeks=week - 1)

    def week_range(self, phase: m.Phase) -> str:
        first, last = phase.weeks
        start, end = self.week_start(first), self.week_start(last) + timedelta(days=6)
        weeks = f"Week {first}" if first == last else f"Weeks {first}–{last}"
        return f"{weeks} ({format_day(start)} – {format_day(end)})"

    # -- bodies -------------------------------------------------------------

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"program": values(self.info), **self.extra_context, **extra}

    def body(self, body: str | None, blanks: Blanks, **extra: Any) -> str:
        """A track's or template's body file, placeholders rendered, front matter dropped."""
        if body is None:
            return ""
        text = self.loaded.bodies[body]
        _, content, offset = split_front_matter(text)
        file = self.loaded.body_location(body).file
        return render(content, file=file, context=self.context(**extra), blanks=blanks, line_offset=offset).strip() + "\n"

    def inline_text(self, text: str, blanks: Blanks, *path: str | int) -> str:
        """A clause ``text`` from program.yml: inline Markdown with placeholders, HTML escaped."""
        try:
            rendered = render(mdtext.inline(text, braces=False), file=self.loaded.file, context=self.context(), blanks=blanks)
        except ProgramError as exc:  # point at the value in program.yml, not a line inside it
            location = self.loaded.at(*path)
            raise ProgramError([type(d)(d.severity, d.code, d.message, location) for d in exc.diagnostics]) from None
        return mdtext.after_placeholders(rendered)


def format_day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{minutes} min"


def cadence_text(track: m.Track) -> str:
    if track.cadence is None:
        return "not set"
    weeks = track.cadence.every_weeks
    every = "every week" if weeks == 1 else f"every {weeks} weeks"
    return f"{format_minutes(track.cadence.minutes)} {every}"
