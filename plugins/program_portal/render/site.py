"""The generated Markdown pages (spec section 6) and the site navigation.

Generator-neutral: the MkDocs plugin hands them to MkDocs, ``program-portal export`` writes
them to a folder for any other static-site generator. The files beside them are in
:mod:`program_portal.render.outputs`; every path is in :mod:`program_portal.paths`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any


from program_portal.render import kept
from program_portal.render.pages import glance, guides, matching, program, sessions, templates
from program_portal.paths import AT_A_GLANCE, CALENDAR, MATCHING, PACK, POLICIES, PROGRAM, TEMPLATES, download_path, guide_src, role_src, template_src
from program_portal.render.pages.portal import TEMPLATE_KINDS, Portal

NavItem = str | dict[str, Any]


@dataclass
class GeneratedPages:
    """Generated Markdown pages by docs-relative source path, in navigation order."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)
    home: str = "Home"  # the home page's navigation title, in the program's language


def generate_pages(portal: Portal, *, site_url: str | None = None, downloads: bool = True, cache: Any = None) -> GeneratedPages:
    """Every page of spec section 6. Raises ProgramError for a bad placeholder in a body or clause.
    ``cache``: the download cache, where the pages of the same inputs are kept between builds (:mod:`.kept`)."""
    return kept.kept(cache, "pages", portal.loaded, (site_url or "", str(portal.offline), str(downloads)),
                     lambda: _generate(portal, site_url=site_url, downloads=downloads), _encode, _decode)


def _encode(pages: GeneratedPages) -> dict[str, Any]:
    return {"pages": list(pages.pages.items()), "nav": pages.nav, "home": pages.home}


def _decode(data: dict[str, Any]) -> GeneratedPages:
    pages = dict(kept.strings(item, 2) for item in data["pages"])
    nav = [_nav_item(item) for item in data["nav"]]
    if not isinstance(data["home"], str):
        raise ValueError("not the kept shape")
    return GeneratedPages(pages, nav, data["home"])


def _nav_item(item: Any) -> NavItem:
    """A navigation entry as kept: a source path, or {title: path or entries}."""
    if isinstance(item, str):
        return item
    if not isinstance(item, dict) or len(item) != 1:
        raise ValueError("not the kept shape")
    ((title, value),) = item.items()
    if not isinstance(value, (str, list)):
        raise ValueError("not the kept shape")
    return {title: value if isinstance(value, str) else [_nav_item(v) for v in value]}


def _generate(portal: Portal, *, site_url: str | None, downloads: bool) -> GeneratedPages:
    out = GeneratedPages()
    label = portal.language.text
    links = download_links(portal) if downloads else {}
    pages = [
        (PROGRAM, portal.info.title, program.overview(portal)),
        (POLICIES, label("policies.title"), program.policies(portal)),
        *([(MATCHING, label("matching.title"), matching.guide(portal))] if portal.program.matching else []),
        *((guide_src(t.id), t.title, guides.guide(portal, t)) for t in portal.program.tracks),
        (TEMPLATES, label("templates.title"), templates.index(portal, links if downloads else None)),
        *((template_src(t.id), t.title, templates.page(portal, t, "html", links.get(t.id))) for t in portal.program.templates),
        (CALENDAR, label("calendar.title"), sessions.calendar_page(portal)),
        (AT_A_GLANCE, label("glance.title", program=portal.info.title), glance.at_a_glance(portal)),
        *((role_src(r.id), label("role-page.title", role=r.title), glance.role_page(portal, r)) for r in portal.program.roles),
    ]
    for src, title, markdown in pages:
        out.pages[src] = with_title(title, markdown)

    def nav(id: str) -> str:
        return nav_title(label(id))

    # the overview first: with Material's navigation.indexes it is the section's own page ("Programme")
    program_nav: list[NavItem] = [{nav("nav.overview"): PROGRAM}, {nav("nav.glance"): AT_A_GLANCE}, {nav("nav.policies"): POLICIES}]
    if portal.program.matching:
        program_nav.append({nav("matching.title"): MATCHING})
    out.nav = [{nav("nav.program"): program_nav}]
    if portal.program.roles:
        out.nav.append({nav("nav.roles"): [{nav_title(r.title): role_src(r.id)} for r in portal.program.roles]})
    if portal.program.tracks:
        out.nav.append({nav("nav.guides"): [{nav_title(t.title): guide_src(t.id)} for t in portal.program.tracks]})
    template_nav: list[NavItem] = [{nav("nav.all-templates"): TEMPLATES}]
    for kind in TEMPLATE_KINDS:
        group = [{nav_title(t.title): template_src(t.id)} for t in portal.program.templates if t.kind == kind]
        if group:
            template_nav.append({nav(f"template-kind.{kind}"): group})
    out.nav.append({nav("nav.templates"): template_nav})
    out.nav.append({nav("nav.calendar"): CALENDAR})
    out.home = nav("nav.home")
    return out


DOWNLOAD_FORMATS = (("docx", "templates.word"), ("pdf", "templates.pdf"), ("md", "templates.markdown"))  # label ids


def nav_title(title: str) -> str:
    """Themes print navigation and page titles as HTML: a title from program.yml must arrive escaped."""
    return html.escape(title, quote=False)


def with_title(title: str, markdown: str) -> str:
    """The page with its (escaped) title in YAML front matter, as MkDocs and other generators read it."""
    return f"---\ntitle: {json.dumps(nav_title(title), ensure_ascii=False)}\n---\n\n{markdown}"


def download_links(portal: Portal) -> dict[str, list[tuple[str, str]]]:
    """Per template, the (label, link relative to ``templates/``) of each download; ``*``: the whole pack."""
    md = portal.language.md
    links = {
        t.id: [(md(label), f"../{download_path(t.id, ext)}") for ext, label in DOWNLOAD_FORMATS] for t in portal.program.templates
    }
    if portal.program.templates:
        links["*"] = [(md("templates.zip"), f"../{PACK}")]
    return links


def navigation(generated: GeneratedPages, content_srcs: list[str]) -> list[NavItem]:
    """The site navigation: home, the generated sections, then the designer's own pages by folder."""
    nav: list[NavItem] = []
    rest = [s for s in content_srcs if s not in ("index.md", "README.md")]
    if len(rest) != len(content_srcs):
        nav.append({generated.home: "index.md" if "index.md" in content_srcs else "README.md"})
    nav += generated.nav
    folders: dict[str, list[NavItem]] = {}
    for src in rest:
        path = PurePosixPath(src)
        if len(path.parts) == 1:
            nav.append(src)
        else:
            folders.setdefault(path.parts[0], []).append(src)
    for folder, srcs in folders.items():
        nav.append({nav_title(folder.replace("-", " ").replace("_", " ").capitalize()): srcs})
    return nav
