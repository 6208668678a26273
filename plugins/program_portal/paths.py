"""Every path and URL the portal writes or links to, in one place.

Page sources are docs-relative Markdown paths (``templates/agreement.md``), as MkDocs and
``program-portal export`` see them; files are site-relative paths (``downloads/agreement.pdf``);
URLs are site-relative with directory URLs (``templates/agreement/``) unless absolute.
"""

from __future__ import annotations

from collections.abc import Iterable

# -- generated pages (docs-relative sources) ------------------------------------------------
PROGRAM = "program/index.md"
POLICIES = "program/policies.md"
TEMPLATES = "templates/index.md"
CALENDAR = "calendar/index.md"
AT_A_GLANCE = "at-a-glance/index.md"  # extension: the program on one page (and one printable PDF)
MATCHING = "program/matching.md"  # extension: the matching guide, only with ``matching:`` in program.yml

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def guide_src(track_id: str) -> str:
    return f"guides/{track_id}.md"


def role_src(role_id: str) -> str:
    """Extension: ``/roles/<role-id>/``, what concerns one role."""
    return f"roles/{role_id}.md"


def template_src(template_id: str) -> str:
    return f"templates/{template_id}.md"


def generated_page_sources(track_ids: Iterable[str], template_ids: Iterable[str], role_ids: Iterable[str] = (), *, matching: bool = False) -> list[str]:
    """Every generated page (spec section 6, then the extensions), in navigation order."""
    program = [PROGRAM, POLICIES, *([MATCHING] if matching else [])]
    return [*program, *(guide_src(t) for t in track_ids), TEMPLATES, *(template_src(t) for t in template_ids), CALENDAR,
            AT_A_GLANCE, *(role_src(r) for r in role_ids)]


def url_of(src: str) -> str:
    """The site-relative URL (``program/policies/``) of a page source with ``use_directory_urls``."""
    stem = next((src[: -len(x)] for x in MARKDOWN_SUFFIXES if src.endswith(x)), src)
    if stem == "index" or stem.endswith("/index") or stem == "README" or stem.endswith("/README"):
        stem = stem.rpartition("/")[0]
        return f"{stem}/" if stem else ""
    return f"{stem}/"


def absolute_url(site_url: str | None, src: str) -> str | None:
    """The page's absolute URL under ``site_url`` (None without a site_url)."""
    return f"{site_url.rstrip('/')}/{url_of(src)}" if site_url else None


# -- generated files (site-relative) ----------------------------------------------------------
DOWNLOAD_EXTENSIONS = ("docx", "pdf", "md")
PACK = "downloads/templates.zip"
AT_A_GLANCE_PDF = "downloads/at-a-glance.pdf"  # extension: the at-a-glance page, printable (A4 or Letter)

ASSET_DIR = "assets/program-portal"
ASSET_FILES = ("portal.css", "a11y.css", "print.css", "visual.css", "portal.js", "fillin.js", "calendar.js", "forms.js")
STYLESHEETS = (f"{ASSET_DIR}/portal.css", f"{ASSET_DIR}/a11y.css", f"{ASSET_DIR}/visual.css", f"{ASSET_DIR}/print.css")
SCRIPTS = (f"{ASSET_DIR}/portal.js", f"{ASSET_DIR}/fillin.js", f"{ASSET_DIR}/calendar.js", f"{ASSET_DIR}/forms.js")
# Live preview only (``mkdocs serve``): never in a built site (preview.py)
PREVIEW_FILES = ("preview-reload.js", "preview.css")
PREVIEW_SCRIPT = f"{ASSET_DIR}/preview-reload.js"
PREVIEW_STYLESHEET = f"{ASSET_DIR}/preview.css"


def asset_path(name: str) -> str:
    return f"{ASSET_DIR}/{name}"


def download_path(template_id: str, extension: str) -> str:
    return f"downloads/{template_id}.{extension}"


def pack_member(template_id: str, extension: str) -> str:
    """A file's name inside the zip pack (under the pack's top folder)."""
    return f"{template_id}.{extension}"


def ics_name(session_or_program_id: str) -> str:
    """``calendar/<program-id>.ics`` (the feed) or ``calendar/<session-id>.ics`` (one series)."""
    return f"calendar/{session_or_program_id}.ics"


def generated_file_paths(program_id: str, session_ids: Iterable[str], template_ids: Iterable[str]) -> set[str]:
    """The site paths of every generated non-page file except the assets (a designer's file there would be replaced)."""
    paths = {ics_name(program_id), AT_A_GLANCE_PDF} | {ics_name(s) for s in session_ids}
    templates = list(template_ids)
    paths |= {download_path(t, ext) for t in templates for ext in DOWNLOAD_EXTENSIONS}
    if templates:
        paths.add(PACK)
    return paths
