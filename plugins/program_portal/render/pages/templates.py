"""``/templates/`` and ``/templates/<id>/``: contract, agenda and checklist templates.

The same function writes the web page (``target="html"``: blanks become inputs,
checklist items checkboxes, names link to their pages) and the Markdown download
(``target="markdown"``: blanks ``________ (label)``, plain names).
"""

from __future__ import annotations

from html import escape

from program_portal.render import markdown as mdtext
from program_portal.source import model as m
from program_portal.render.placeholders import Blanks, Target, blank_html, values
from program_portal.paths import MATCHING, TEMPLATES, template_src
from program_portal.render.pages.portal import TEMPLATE_KINDS, Portal
from program_portal.render.pages import forms
from program_portal.render.pages.sessions import browser_labels

SIGNATURE_FIELDS = ("name", "signature", "date")


def index(portal: Portal, downloads: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The list of every template, grouped by kind. ``downloads`` maps a template id to (label, href) pairs."""
    lang = portal.language
    out = [f"# {lang.md('templates.title')}\n", lang.md("templates.intro") + "\n"]
    for kind in TEMPLATE_KINDS:
        label = lang.md(f"template-kind.{kind}")
        templates = [t for t in portal.program.templates if t.kind == kind]
        if not templates:
            continue
        out.append(f"## {label}\n")
        rows = []
        for t in templates:
            row = [portal.template(TEMPLATES, t.id), mdtext.inline(t.summary or ""), _audience(portal, TEMPLATES, t)]
            if downloads is not None:
                row.append(" · ".join(f"[{lbl}]({href})" for lbl, href in downloads.get(t.id, [])))
            rows.append(row)
        header = [lang.md("templates.template"), lang.md("templates.purpose"), lang.md("templates.for")]
        header += [lang.md("templates.download")] if downloads is not None else []
        out.append(mdtext.table(header, rows))
    if downloads is not None and "*" in downloads:
        out.append(" · ".join(f"[{lbl}]({href}){{ .md-button download }}" for lbl, href in downloads["*"]) + "\n")
    return "\n".join(out)


def _audience(portal: Portal, src: str | None, t: m.TemplateBase) -> str:
    if isinstance(t, m.ContractTemplate):
        return portal.joined([portal.role(src, r) for r in t.parties])
    if isinstance(t, m.AgendaTemplate):
        leads = sorted({i.lead for i in t.items if i.lead != "both"}, key=list(portal.roles).index)
        return portal.language.list([portal.role(src, r) for r in leads]) if leads else ""
    if isinstance(t, m.ChecklistTemplate) and t.audience:
        return portal.role(src, t.audience)
    if isinstance(t, m.FormTemplate) and t.audience:
        return portal.language.list([portal.role(src, r) for r in t.audience])
    return ""


def page(
    portal: Portal,
    t: m.TemplateBase,
    target: Target = "html",
    downloads: list[tuple[str, str]] | None = None,
    *,
    standalone: bool = False,
) -> str:
    """The Markdown of one template.

    ``target="html"``: the web page (blanks are inputs, names link to their pages, a toolbar
    with ``downloads``). ``standalone=True``: a document on its own (no links, no toolbar,
    the program named under the title), the source of the PDF and Word downloads; with
    ``target="markdown"`` (always standalone) the Markdown download.
    """
    standalone = standalone or target == "markdown"
    src = None if standalone else template_src(t.id)
    index = portal.loaded.program.templates.index(t)
    blanks = Blanks(target)
    out = [f"# {mdtext.text(t.title)}\n"]
    if standalone:
        out.append(f"*{mdtext.text(portal.info.title)}*" + (f" · {mdtext.text(portal.info.organisation)}" if portal.info.organisation else "") + "\n")
    if t.summary:
        out.append(f"{mdtext.inline(t.summary)}\n")
    body = portal.body(t.body, blanks, template=values(t))
    if target == "markdown":  # read outside MkDocs: no admonition syntax
        body = mdtext.plain_admonitions(body)
    matching = portal.program.matching
    if src and matching and t.id in matching.templates:  # the intake form, the program office's checklist
        guide = mdtext.link(src, MATCHING, portal.language.md("matching.title"))
        out.append(portal.language.md("matching.see-also", guide=guide) + "\n")
    if not standalone:
        fillable = isinstance(t, (m.FormTemplate, m.AgendaTemplate))
        out.append(_toolbar(portal, downloads or [], save=t.id if fillable else None))
    if isinstance(t, m.ContractTemplate):
        out += _contract(portal, t, src, blanks, index, body)
    elif isinstance(t, m.AgendaTemplate):
        out += _agenda(portal, t, src, target, body)
    elif isinstance(t, m.ChecklistTemplate):
        out += _checklist(portal, t, src, target, body)
    elif isinstance(t, m.FormTemplate):
        out += forms.form(portal, t, src, target, body)
    return "\n".join(part for part in out if part)


def _toolbar(portal: Portal, downloads: list[tuple[str, str]], *, fields: bool = True, save: str | None = None) -> str:
    """Downloads and the print button; on a page with something to type the privacy note; on a form
    (``save``: its id, the name of the saved file) the buttons that save a filled copy."""
    lang = portal.language
    links = " ".join(f'[{label}]({href}){{ .md-button download="{href.rpartition("/")[2]}" }}' for label, href in downloads)
    buttons = f'<button type="button" class="md-button md-button--primary pp-print" data-pp-print hidden>{lang.attr("templates.print")}</button>\n\n'
    if save:
        no_answer = lang.attr("form.no-answer")
        buttons += "".join(
            f'<button type="button" class="md-button pp-save" data-pp-save="{fmt}" data-pp-file="{save}-filled" data-pp-no-answer="{no_answer}" hidden>{lang.attr(f"form.save-{fmt}")}</button>\n\n'
            for fmt in ("md", "docx")
        )
    note = f'<p class="pp-privacy-note">{lang.attr("templates.privacy")}</p>\n' if fields else ""
    if save:
        note += f'<p class="pp-privacy-note pp-save-note" data-pp-save-note hidden>{lang.attr("form.save-note")}</p>\n'
    return f'<div class="pp-toolbar" markdown="1">\n\n{links}\n\n{buttons}</div>\n\n{note}'



def _contract(portal: Portal, t: m.ContractTemplate, src: str | None, blanks: Blanks, index: int, body: str) -> list[str]:
    lang = portal.language
    out = []
    if body:
        out.append(body)
    parties = portal.joined([portal.role(src, r) for r in t.parties])
    out.append(f"## {lang.md('contract.parties')}\n\n{lang.md('contract.between', parties=parties)}\n")
    for n, clause in enumerate(t.clauses, start=1):
        if isinstance(clause, m.PolicyClause):
            policy = portal.policies[clause.policy]
            out.append(f"## {n}. {mdtext.text(policy.title)}\n")
            if policy.summary:
                out.append(f"{mdtext.inline(policy.summary)}\n")
            out.append(mdtext.bullet_list([mdtext.inline(r) for r in policy.rules]))
            if src:
                out.append(lang.md("contract.see-policy", policy=portal.policy(src, policy.id)) + "\n")
        else:
            text = portal.inline_text(clause.text, blanks, "templates", index, "clauses", n - 1, "text")
            out.append(f"## {n}. {mdtext.text(clause.title)}\n\n{text}\n")
    out.append(f"## {lang.md('contract.signatures')}\n")
    for role_id in t.parties:
        title = portal.roles[role_id].title
        rows = []
        for field in SIGNATURE_FIELDS:
            if blanks.target == "html":  # the field's name stays the same in every language (an identifier)
                caption = lang.text("contract.field", role=title, field=lang.text(f"contract.{field}.field"))
                cell = blank_html(blanks.field_name(f"{role_id} {field}"), caption)
            else:
                cell = "________"
            rows.append([lang.md(f"contract.{field}"), cell])
        table = mdtext.table([portal.role(src, role_id), lang.md("contract.to-fill-in")], rows)
        if blanks.target == "html":  # one block that print and PDF keep on one page
            table = f'<div class="pp-signature" markdown="1">\n\n{table}\n</div>\n'
        out.append(table)
    return out


def _clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"


NOTES_LINES = 3


def _notes(portal: Portal, target: Target, name: str, label: str) -> str:
    """A notes field: a long-text question on the page and in Word and PDF, ``Label: ________`` in Markdown."""
    if target == "markdown":
        return f"{mdtext.text(label)}{portal.language.md('punct.colon')} ________________________________\n"
    return forms.question_html(portal, m.FormQuestion(id=name, type="long-text", question=label, lines=NOTES_LINES))


def _agenda(portal: Portal, t: m.AgendaTemplate, src: str | None, target: Target, body: str) -> list[str]:
    """The agenda, with a notes field for the preparation, each item and the follow-up."""
    lang = portal.language
    out = [f"**{lang.md('agenda.length')}{lang.md('punct.colon')}** {portal.duration(t.minutes)}\n"]
    if t.preparation:
        out.append(f"## {lang.md('agenda.before')}\n\n" + mdtext.bullet_list([mdtext.inline(p) for p in t.preparation]))
        out.append(_notes(portal, target, "notes-preparation", lang.text("agenda.notes-preparation")))
    rows, clock = [], 0
    for item in t.items:
        rows.append([_clock(clock), mdtext.text(lang.minutes(item.minutes)), mdtext.text(item.topic), portal.role(src, item.lead), mdtext.inline(item.notes or "")])
        clock += item.minutes
    header = [lang.md(f"agenda.{k}") for k in ("time", "item-length", "topic", "lead", "notes")]
    out.append(f"## {lang.md('agenda.agenda')}\n\n" + mdtext.table(header, rows))
    out.append(lang.md("agenda.ends", time=_clock(clock)) + "\n")
    for n, item in enumerate(t.items, start=1):
        out.append(_notes(portal, target, f"notes-{n}", lang.text("agenda.notes-for", item=item.topic)))
    if t.follow_up:
        out.append(f"## {lang.md('agenda.after')}\n\n" + mdtext.bullet_list([mdtext.inline(f) for f in t.follow_up]))
        out.append(_notes(portal, target, "notes-follow-up", lang.text("agenda.notes-follow-up")))
    if body:
        out.append(body)
    return out


def checklist_groups(t: m.ChecklistTemplate) -> list[tuple[str | None, list[m.ChecklistItem]]]:
    """Items by group, groups in order of first appearance (ungrouped items first)."""
    groups: dict[str | None, list[m.ChecklistItem]] = {}
    for item in t.items:
        groups.setdefault(item.group, []).append(item)
    return sorted(groups.items(), key=lambda g: g[0] is not None)


def _checklist(portal: Portal, t: m.ChecklistTemplate, src: str | None, target: Target, body: str) -> list[str]:
    lang = portal.language
    mark_md = f"*{lang.md('checklist.required')}*"
    out = []
    if t.audience:
        out.append(f"**{lang.md('checklist.for')}{lang.md('punct.colon')}** {portal.role(src, t.audience)}\n")
    required = sum(item.required for item in t.items)
    if required:
        out.append(lang.md("checklist.required-note", required=mark_md) + "\n")
    if body:
        out.append(body)
    n = 0
    for group, items in checklist_groups(t):
        if group:
            out.append(f"## {mdtext.text(group)}\n")
        if target == "markdown":
            out.append("".join(f"- [ ] {mdtext.inline(i.text)}{' ' + mark_md if i.required else ''}\n" for i in items))
            continue
        lines = ['<ul class="pp-checklist">']
        for item in items:
            n += 1
            req = ' data-pp-required="true"' if item.required else ""
            mark = f' <em class="pp-required">{lang.attr("checklist.required")}</em>' if item.required else ""
            lines.append(
                f'<li><input type="checkbox" class="pp-check" id="pp-item-{n}" name="item-{n}"{req}>'
                f' <label for="pp-item-{n}">{mdtext.inline_html(item.text)}{mark}</label></li>'
            )
        lines.append("</ul>\n")
        out.append("\n".join(lines))
    if target == "html" and src is not None:  # the live tally is for the web page only
        out.append(f'<p class="pp-tally" role="status" aria-live="polite" data-pp-tally data-pp-total="{len(t.items)}" data-pp-required-total="{required}"></p>\n')
        out.append(browser_labels(portal))
    return out
