"""A read-only view of a validated program for page generation: lookups, page paths and cross-links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from program_portal.paths import POLICIES, PROGRAM, guide_src, template_src
from program_portal.calendar.occurrences import Occurrence, session_occurrences
from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.diagnostics import ProgramError
from program_portal.source.loader import LoadedProgram
from program_portal.render.placeholders import Blanks, Target, render, split_front_matter, values
from program_portal.i18n.language import Language

from program_portal.source.model import TEMPLATE_KINDS  # the one list, re-exported for the pages


@dataclass
class Portal:
    """Everything page generators need to know about one program."""

    loaded: LoadedProgram
    extra_context: Mapping[str, Any] = field(default_factory=dict)
    offline: bool = False  # the offline pack (file://): no feed a calendar program could subscribe to
    cache: Any = None  # the download cache, where derived texts are kept between builds (render/kept.py); None: none

    @property
    def program(self) -> m.Program:
        return self.loaded.program

    @property
    def info(self) -> m.ProgramInfo:
        return self.loaded.program.program

    @cached_property
    def download_sources(self) -> list[Any]:
        """Each template's download sources (:func:`program_portal.render.downloads.sources`), made once
        (kept between builds and live-preview rebuilds in :attr:`cache`: render/kept.py)."""
        from program_portal.render.downloads import make_sources

        return make_sources(self)

    @cached_property
    def language(self) -> Language:
        """Labels and CLDR formats in the program's language (``labels:`` overrides first)."""
        return Language(self.info.language, self.program.labels)

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

    @cached_property
    def _occurrences(self) -> dict[str, list[Occurrence]]:
        return {}

    def occurrences(self, session: m.Session) -> list[Occurrence]:
        """Every occurrence of ``session``, expanded once per build."""
        if session.id not in self._occurrences:
            self._occurrences[session.id] = session_occurrences(self.program, session)
        return self._occurrences[session.id]

    # -- links --------------------------------------------------------------

    def role(self, src: str | None, role_id: str) -> str:
        """The role's title, linked to its entry on the overview (plain text when ``src`` is None)."""
        if role_id == "both":
            return self.language.md("role.both")
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
        """A list in running text, in the program's language (``none`` when empty)."""
        return self.language.list(links) if links else self.language.md("list.none")

    # -- dates --------------------------------------------------------------

    def week_start(self, week: int) -> date:
        return self.info.starts + timedelta(weeks=week - 1)

    def week_range(self, phase: m.Phase) -> str:
        return self.weeks_span(*phase.weeks)

    def weeks_span(self, first: int, last: int) -> str:
        """``Weeks 1–3 (11 Jan – 31 Jan 2027)``: weeks counted from program.starts."""
        start, end = self.week_start(first), self.week_start(last) + timedelta(days=6)
        lang = self.language
        if first == last:
            weeks = lang.md("time.week", week=lang.number(first))
        else:
            weeks = lang.md("time.weeks", first=lang.number(first), last=lang.number(last))
        return f"{weeks} ({mdtext.text(lang.day_range(start, end))})"

    def duration(self, minutes: int) -> str:
        return mdtext.text(self.language.duration(minutes))

    def cadence_text(self, track: m.Track) -> str:
        """``1 hr every 4 weeks``: a track's meeting rhythm."""
        lang = self.language
        if track.cadence is None:
            return lang.md("cadence.not-set")
        weeks = track.cadence.every_weeks
        every = lang.md("cadence.every-week") if weeks == 1 else lang.md("cadence.every", weeks=mdtext.text(lang.weeks(weeks)))
        return lang.md("cadence.line", duration=self.duration(track.cadence.minutes), every=every)

    def cadence_text_short(self, track: m.Track) -> str:
        """``45 min, every 2 weeks``: the planner's rhythm."""
        assert track.cadence is not None
        lang = self.language
        weeks = track.cadence.every_weeks
        every = lang.md("cadence.weekly") if weeks == 1 else lang.md("cadence.every", weeks=mdtext.text(lang.weeks(weeks)))
        return lang.md("cadence.short", duration=self.duration(track.cadence.minutes), every=every)

    def months(self, count: int) -> str:
        return mdtext.text(self.language.months(count))

    # -- bodies -------------------------------------------------------------

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"program": values(self.info), **self.extra_context, **extra}

    def body(self, body: str | None, blanks: Blanks, **extra: Any) -> str:
        """A track's or template's body file, placeholders rendered, front matter dropped."""
        if body is None:
            return ""
        text = self.loaded.bodies[body]
        blanks.unnamed = self.language.text("document.field")
        _, content, offset = split_front_matter(text)
        file = self.loaded.body_location(body).file
        return render(content, file=file, context=self.context(**extra), blanks=blanks, line_offset=offset, language=self.language).strip() + "\n"

    def inline_text(self, text: str, blanks: Blanks, *path: str | int) -> str:
        """A clause ``text`` from program.yml: inline Markdown with placeholders, HTML escaped."""
        blanks.unnamed = self.language.text("document.field")
        try:
            rendered = render(mdtext.inline(text, braces=False), file=self.loaded.file, context=self.context(), blanks=blanks, language=self.language)
        except ProgramError as exc:  # point at the value in program.yml, not a line inside it
            location = self.loaded.at(*path)
            raise ProgramError([type(d)(d.severity, d.code, d.message, location) for d in exc.diagnostics]) from None
        return mdtext.after_placeholders(rendered)


