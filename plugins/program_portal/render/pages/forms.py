"""The body of a ``form`` template: sections of questions, for the web page and the Markdown download.

``target="html"`` (the page, and the standalone page the Word and PDF downloads are made from):
every question is one raw HTML block with a real control and a label that is never cut:

- ``text`` and ``date``: ``<label>`` + ``<input type="text|date">``; ``long-text``: ``<textarea>``;
- ``choice``, ``scale`` (1 to 5) and ``yes-no``: a ``<fieldset>`` whose ``<legend>`` is the
  question, with one radio button per option.

The help line is tied to its control with ``aria-describedby``. Field names are ``q-<id>``
(identifiers, the same in every language). ``target="markdown"``: plain Markdown, a bold
question, its help line, ``Answer: ________`` and task-list boxes for the options.
"""

from __future__ import annotations

from html import escape

from program_portal.render import markdown as mdtext
from program_portal.render.placeholders import Target
from program_portal.source import model as m

DEFAULT_LINES = 4
SCALE = ("1", "2", "3", "4", "5")
CHOICE_TYPES = frozenset({"choice", "scale", "yes-no"})


def options(portal: object, q: m.FormQuestion) -> list[str]:
    """The options a question offers, as the reader sees them (translated for yes-no)."""
    if q.type == "choice":
        return list(q.options)
    if q.type == "scale":
        return list(SCALE)
    if q.type == "yes-no":
        lang = portal.language  # type: ignore[attr-defined]
        return [lang.text("form.yes"), lang.text("form.no")]
    return []


def _scale_hint(portal: object, q: m.FormQuestion) -> str:
    lang = portal.language  # type: ignore[attr-defined]
    return lang.text("form.scale", low=q.low or lang.text("form.scale-low"), high=q.high or lang.text("form.scale-high"))


def form(portal: object, t: m.FormTemplate, src: str | None, target: Target, body: str) -> list[str]:
    lang = portal.language  # type: ignore[attr-defined]
    out: list[str] = []
    if t.audience:
        who = lang.list([portal.role(src, r) for r in t.audience])  # type: ignore[attr-defined]
        out.append(f"**{lang.md('form.for')}{lang.md('punct.colon')}** {who}\n")
    if body:
        out.append(body)
    for section in t.sections:
        out.append(f"## {mdtext.text(section.title)}\n")
        if section.help:
            out.append(f"{mdtext.inline(section.help)}\n")
        for q in section.questions:
            out.append(_markdown(portal, q) if target == "markdown" else _html(portal, q))
    return out


def question_html(portal: object, q: m.FormQuestion) -> str:
    """One question as the page's raw HTML block (also an agenda's notes fields)."""
    return _html(portal, q)


def _html(portal: object, q: m.FormQuestion) -> str:
    lang = portal.language  # type: ignore[attr-defined]
    ident = f"pp-q-{q.id}"
    name = f"q-{q.id}"
    question = escape(q.question)
    helps = []
    if q.help:
        helps.append(mdtext.inline_html(q.help))
    if q.type == "scale":
        helps.append(escape(_scale_hint(portal, q)))
    help_html = f'<p class="pp-help" id="{ident}-help">{" ".join(helps)}</p>' if helps else ""
    described = f' aria-describedby="{ident}-help"' if helps else ""
    if q.type in CHOICE_TYPES:
        lines = [
            f'<fieldset class="pp-question pp-question--{q.type}" data-pp-question="{q.id}" data-pp-type="{q.type}"{described}>',
            f'<legend class="pp-question-text">{question}</legend>',
        ]
        if help_html:
            lines.append(help_html)
        lines.append(f'<div class="pp-options pp-options--{q.type}">')
        for n, option in enumerate(options(portal, q), start=1):
            value = escape(option, quote=True)
            lines.append(
                f'<label class="pp-option" for="{ident}-{n}"><input type="radio" class="pp-choice" id="{ident}-{n}" '
                f'name="{name}" value="{value}" autocomplete="off" data-pp-label="{question}"> <span>{escape(option)}</span></label>'
            )
        lines.append("</div>")
        lines.append("</fieldset>\n")
        return "\n".join(lines)
    attrs = (
        f'id="{ident}" name="{name}" autocomplete="off" data-pp-label="{question}"{described}'
    )
    if q.type == "long-text":
        control = f'<textarea class="pp-blank pp-blank--area pp-answer" rows="{q.lines or DEFAULT_LINES}" {attrs}></textarea>'
    elif q.type == "date":
        control = (
            f'<input type="date" class="pp-blank pp-answer pp-answer--date" {attrs}>'
            f' <span class="pp-date-hint" aria-hidden="true">{lang.attr("form.date-hint")}</span>'
        )
    else:
        control = f'<input type="text" class="pp-blank pp-answer" {attrs}>'
    lines = [
        f'<div class="pp-question pp-question--{q.type}" data-pp-question="{q.id}" data-pp-type="{q.type}">',
        f'<label class="pp-question-text" for="{ident}">{question}</label>',
    ]
    if help_html:
        lines.append(help_html)
    lines += [control, "</div>\n"]
    return "\n".join(lines)


def _markdown(portal: object, q: m.FormQuestion) -> str:
    lang = portal.language  # type: ignore[attr-defined]
    out = [f"**{mdtext.text(q.question)}**\n"]
    helps = [mdtext.inline(q.help)] if q.help else []
    if q.type == "scale":
        helps.append(mdtext.text(_scale_hint(portal, q)))
    if helps:
        out.append(" ".join(helps) + "\n")
    if q.type in CHOICE_TYPES:
        out.append("".join(f"- [ ] {mdtext.text(option)}\n" for option in options(portal, q)))
    elif q.type == "date":
        out.append(f"{lang.md('form.answer')}{lang.md('punct.colon')} ________ ({lang.md('form.date-hint')})\n")
    else:
        out.append(f"{lang.md('form.answer')}{lang.md('punct.colon')} ________________________________\n")
    return "\n".join(out)
