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


from program_portal.render.pages import guides, program, sessions, templates
from program_portal.paths import CALENDAR, PACK, POLICIES, PROGRAM, TEMPLATES, download_path, guide_src, template_src
from program_portal.render.pages.portal import TEMPLATE_KIND_LABELS, Portal

NavItem = str | dict[str, Any]


@dataclass
class GeneratedPages:
    """Generated Markdown pages by docs-relative source path, in navigation order."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)


def generate_pages(portal: Portal, *, site_url: str | None = None, downloads: bool = True) -> GeneratedPages:
    """Every page of spec section 6. Raises ProgramError for a bad placeholder in a body or clause."""
    out = GeneratedPages()
    links = download_links(portal) if downloads else {}
    pages = [
        (PROGRAM, portal.info.title, program.overview(portal)),
        (POLICIES, "Policies", program.policies(portal)),
        *((guide_src(t.id), t.title, guides.guide(portal, t)) for t in portal.program.tracks),
        (TEMPLATES, "Templates", templates.index(portal, links if downloads else None)),
        *((template_src(t.id), t.title, templates.page(portal, t, "html", links.get(t.id))) for t in portal.program.templates),
        (CALENDAR, "Calendar", sessions.calendar_page(portal)),
    ]
    for src, title, markdown in pages:
        out.pages[src] = with_title(title, markdown)

    out.nav = [
        {"Program": [{"Overview": PROGRAM}, {"Policies": POLICIES}]},
    ]
    if portal.program.tracks:
        out.nav.append({"Guides": [{nav_title(t.title): guide_src(t.id)} for t in portal.program.tracks]})
    template_nav: list[NavItem] = [{"All templates": TEMPLATES}]
    for kind, label in TEMPLATE_KIND_LABELS.items():
        group = [{nav_title(t.title): template_src(t.id)} for t in portal.program.templates if t.kind == kind]
        if group:
            template_nav.append({label: group})
    out.nav.append({"Templates": template_nav})
    out.nav.append({"Calendar": CALENDAR})
    return out


DOWNLOAD_FORMATS = (("docx", "Word"), ("pdf", "PDF"), ("md", "Markdown"))


def nav_title(title: str) -> str:
    """Themes print navigation and page titles as HTML: a title from program.yml must arrive escaped."""
    return html.escape(title, quote=False)


def with_title(title: str, markdown: str) -> str:
    """The page with its (escaped) title in YAML front matter, as MkDocs and other generators read it."""
    return f"---\ntitle: {json.dumps(nav_title(title), ensure_ascii=False)}\n---\n\n{markdown}"


def download_links(portal: Portal) -> dict[str, list[tuple[str, str]]]:
    """Per template, the (label, link relative to ``templates/``) of each download; ``*``: the whole pack."""
    links = {
        t.id: [(label, f"../{download_path(t.id, ext)}") for ext, label in DOWNLOAD_FORMATS] for t in portal.program.templates
    }
    if portal.program.templates:
        links["*"] = [("Download every template (.zip)", f"../{PACK}")]
    return links


def navigation(generated: GeneratedPages, content_srcs: list[str]) -> list[NavItem]:
    """The site navigation: home, the generated sections, then the designer's own pages by folder."""
    nav: list[NavItem] = []
    rest = [s for s in content_srcs if s not in ("index.md", "README.md")]
    if len(rest) != len(content_srcs):
        nav.append({"Home": "index.md" if "index.md" in content_srcs else "README.md"})
    nav += generated.nav
    folders: dict[str, list[NavItem]] = {}
    for src in rest:
        path = PurePosixPath(src)
        if len(path.parts) == 1:
            nav.append(src)
        else:
            folders.setdefault(path.parts[0], []).append(src)
    for folder, srcs in folders.items():
        nav.append({folder.replace("-", " ").replace("_", " ").capitalize(): srcs})
    return nav
