"""The MkDocs adapter: wires MkDocs events to the core, and nothing else.

on_config validates everything before MkDocs cleans ``site/`` (so a failing build
leaves it untouched), on_files adds the generated pages and files, on_page_markdown
renders placeholders in the designer's own pages, on_serve watches program.yml.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, is_error_template
from urllib.parse import urlsplit

import material

from program_portal.render import csp, sanitize
from program_portal.checks import intranet
from program_portal.render import outputs
from program_portal.diagnostics import ProgramError
from program_portal.render.pages.portal import Portal
from program_portal.render.placeholders import Blanks, render
from program_portal.build import Report, check_project
from program_portal.render.site import navigation

log = get_plugin_logger(__name__)


def _sanitize_titles(item: Any) -> None:
    """Section and link titles print as HTML in the theme: text only (page titles: on_page_content)."""
    if getattr(item, "is_section", False) or getattr(item, "is_link", False):
        item.title = sanitize.title(item.title or "")
    if getattr(item, "is_link", False):
        item.url = sanitize.link_target(item.url or "")
    for child in getattr(item, "children", None) or []:
        _sanitize_titles(child)

MARKDOWN_EXTENSIONS = ("attr_list", "md_in_html", "tables", "admonition", "toc")


class PortalConfig(base.Config):
    program = c.Type(str, default="program.yml")
    disable_checks = c.ListOfItems(c.Type(str), default=[])
    paper = c.Choice(("a4", "letter"), default="a4")


class DownloadFile(File):
    """A generated file that MkDocs copies as is, even when it ends in ``.md``."""

    def is_documentation_page(self) -> bool:
        return False


class ProgramPortalPlugin(BasePlugin[PortalConfig]):
    def __init__(self) -> None:
        self.report: Report | None = None
        self.portal: Portal | None = None
        self.user_nav = False
        self.root = Path.cwd()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if dirty:
            log.warning("with --dirty, generated pages may be stale after program.yml changes; restart without --dirty if in doubt")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        report = check_project(
            self.root, self.root / self.config.program, Path(config.docs_dir), self.config.disable_checks, site_url=config.site_url
        )
        review = intranet.review(
            config_file=Path(config.config_file_path or "mkdocs.yml").name,
            theme={key: config.theme[key] for key in ("font", "logo", "favicon") if key in config.theme},
            extra=config.extra,
            repo_url=config.repo_url,
            extra_css=config.extra_css,
            extra_javascript=config.extra_javascript,
            markdown_extensions=config.markdown_extensions,
            mdx_configs=config.mdx_configs,
            plugins=list(config.plugins),
        )
        report.add(review.diagnostics)
        for key, value in sanitize.site_settings(dict(config)).items():
            config[key] = value
        for key, value in review.theme_changes.items():
            config.theme[key] = value
        config.extra.update(review.extra_changes)
        if report.errors:
            raise PluginError("\n".join(str(d) for d in report.diagnostics))
        if config.strict and report.warnings:
            lines = "\n".join(str(d) for d in report.warnings)
            raise PluginError(f"{lines}\n{len(report.warnings)} program-design warning(s) with --strict: nothing was built")
        for warning in report.warnings:
            log.warning(str(warning))
        self.report = report
        assert report.loaded is not None  # no error, so the program loaded
        self.portal = Portal(report.loaded)
        self.user_nav = config.nav is not None
        for ext in MARKDOWN_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        # The plugin's theme partials (accessibility fixes): after the project's custom_dir, so
        # its overrides/ still wins, and before Material's own templates.
        theme_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "theme")
        if theme_dir not in config.theme.dirs:
            custom = config.theme.custom_dir
            first = bool(custom and config.theme.dirs and os.path.abspath(config.theme.dirs[0]) == os.path.abspath(custom))
            config.theme.dirs.insert(1 if first else 0, theme_dir)
        for css in outputs.STYLESHEETS:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in outputs.SCRIPTS:
            if js not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(js)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.report and self.report.loaded and self.report.pages
        generated = self.report.pages
        for body in self.report.loaded.bodies:
            if existing := files.get_file_from_path(body):
                files.remove(existing)
        for src, markdown in generated.pages.items():
            if existing := files.get_file_from_path(src):
                files.remove(existing)
            files.append(File.generated(config, src, content=markdown, inclusion=InclusionLevel.INCLUDED))
        assert self.portal
        for path, data in outputs.files(self.portal, self.config, site_url=config.site_url, epoch=os.environ.get("SOURCE_DATE_EPOCH")).items():
            if existing := files.get_file_from_path(path):
                files.remove(existing)
            files.append(DownloadFile.generated(config, path, content=data))
        if not self.user_nav:
            own = [f.src_uri for f in files.documentation_pages() if f.src_uri not in generated.pages]
            config.nav = navigation(generated, own)
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.report and self.report.pages and self.portal
        if page.file.src_uri in self.report.pages.pages:
            return markdown
        file = Path(page.file.abs_src_path).relative_to(self.root).as_posix() if page.file.abs_src_path else page.file.src_uri
        try:
            return render(markdown, file=file, context=self.portal.context(), blanks=Blanks("html"))
        except ProgramError as exc:
            raise PluginError("\n".join(str(d) for d in exc.diagnostics)) from None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The trust boundary: the page body as HTML, with only the allow-list kept (render/sanitize.py)."""
        sanitize.front_matter(page.meta)
        page.title = sanitize.title(page.title or "")
        return sanitize.page(html)

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        for item in nav.items if nav else []:
            _sanitize_titles(item)
        return nav

    def _policy(self, output: str, base_url: str, config: MkDocsConfig) -> str:
        theme_dir = os.path.join(os.path.dirname(os.path.abspath(material.__file__)), "templates") if config.theme.name == "material" else None
        scripts = csp.theme_scripts(theme_dir, base_url=base_url, extra=config.extra, features=config.theme.get("features") or ())
        return csp.add_policy(output, scripts)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._policy(output, get_relative_url(".", page.url), config)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        base_url = urlsplit(config.site_url or "/").path if is_error_template(template_name) else get_relative_url(".", template_name)
        return self._policy(output_content, base_url, config)

    @event_priority(-100)  # after the other plugins and hooks have written their files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Any HTML file another plugin wrote gets the policy too (with no inline script allowed)."""
        for path in Path(config.site_dir).rglob("*.html"):
            if path.is_file() and not path.is_symlink():
                text = path.read_text(encoding="utf-8", errors="replace")
                if not csp.has_policy(text):
                    path.write_text(csp.add_policy(text), encoding="utf-8")

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / self.config.program))
        return server
