"""The MkDocs adapter: wires MkDocs events to the core pipeline (:mod:`program_portal.build`), and nothing else.

on_config converts MkDocs' config (:mod:`.mkdocs_config`), runs the pipeline (load, check,
generate) and points ``site_dir`` at a staging directory; on_files hands MkDocs the generated
pages and files; on_page_read_source hands it each content page as the core rendered it;
on_post_build swaps the staging directory in as site/, on_build_error throws it away. So a
failure anywhere leaves site/ as it was. In ``mkdocs serve`` a broken program is shown as a
page of located messages, and the preview comes back when it is fixed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url, is_error_template
from urllib.parse import urlsplit

import material

from program_portal import build, preview, publish
from program_portal.adapters.mkdocs_config import project_config, refused_config
from program_portal.checks import published, theme as theme_check
from program_portal.codes import OUTPUT_FAILED
from program_portal.diagnostics import Diagnostic, Location, error
from program_portal.paths import SCRIPTS, STYLESHEETS
from program_portal.render import compiled, csp, look, sanitize, theme_sandbox
from program_portal.render.outputs import MARKDOWN_EXTENSIONS
from program_portal.i18n import check as language_check
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



class PortalConfig(base.Config):
    """The options as written; :func:`program_portal.options.parse_options` types and validates them."""

    program = c.Type(object, default="program.yml")
    disable_checks = c.Type(object, default=[])
    paper = c.Type(object, default="a4")
    cache = c.Type(object, default=True)
    cache_dir = c.Type(object, default=".cache/program-portal")
    jobs = c.Type(object, default=0)


class DownloadFile(File):
    """A generated file that MkDocs copies as is, even when it ends in ``.md``."""

    def is_documentation_page(self) -> bool:
        return False


class PendingDownload(DownloadFile):
    """A download still rendering while MkDocs builds the pages: on_post_build writes it (build.collect)."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


class ProgramPortalPlugin(BasePlugin[PortalConfig]):
    def __init__(self) -> None:
        self.report: build.Report | None = None
        self.output: build.Output | None = None
        self.failure: build.Report | None = None  # mkdocs serve: the problems shown instead of the preview
        self.user_nav = False
        self.serving = False
        self.site_dir: str | None = None
        self.staging: Path | None = None
        self.previous_pages: set[str] = set()  # serve: where the error page goes, so the open page reloads
        self.watch: Path | None = None
        self.root = Path.cwd()
        self.project: build.ProjectConfig | None = None
        self.late: list[Diagnostic] = []  # privacy findings in the built HTML (on_post_page), raised in on_post_build
        self.seen: Any = None
        self.theme_env: theme_sandbox.ThemeSandbox | None = None  # on_env: the theme's sandboxed environment

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        if dirty:
            log.warning("with --dirty, generated pages may be stale after program.yml changes; restart without --dirty if in doubt")

    @event_priority(100)  # before Material's search, whose on_config renders theme.language's template
    def _review_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if refused := refused_config(config):  # the same messages as check; nothing else runs
            raise PluginError("\n".join(map(str, refused)))
        return config

    @event_priority(100)  # before any plugin asks the theme for its environment (search's on_config does)
    def _on_config_sandbox(self, config: MkDocsConfig) -> MkDocsConfig:
        """Theme templates render in Jinja's sandbox, also where a plugin asks the theme for its environment."""
        if not getattr(config.theme.get_env, "program_portal_sandboxed", False):
            root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
            code = compiled.theme_cache(root, enabled=self.config.cache, cache_dir=self.config.cache_dir)  # sealed
            config.theme.get_env = theme_sandbox.sandboxed_factory(config.theme.get_env, root=root, refusal=_refusal, bytecode_cache=code)  # type: ignore[method-assign]
        return config

    def _on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = project_config(config, self.config)
        build.abandon(self.report)  # serve: a rebuild started before the last one was collected
        report = build.run(project, overlap=True)  # the missing documents render while MkDocs builds the pages
        self.watch, self.root, self.project = project.program, project.root, project
        for key, value in sanitize.site_settings(dict(config)).items():  # settings printed as HTML: text only
            config[key] = value
        for key, value in report.review.theme_changes.items():
            config.theme[key] = value
        config.extra.update(report.review.extra_changes)
        config.extra.update(look.extra_changes(report.portal, project.source_date_epoch))  # the footer line
        if config.theme.get("palette"):  # printed unescaped by the theme: text only
            config.theme["palette"] = look.palette(config.theme["palette"])
        self.report, self.output, self.failure = report, None, None
        if report.failed(config.strict):
            lines = "\n".join(str(d) for d in (report.diagnostics if report.errors else report.warnings))
            if not report.errors:
                lines += f"\n{len(report.warnings)} program-design warning(s) with --strict: nothing was built"
            build.abandon(report)
            if not self.serving:
                raise PluginError(lines)
            log.error(lines)
            self.failure = report
        else:
            for warning in report.warnings:
                log.warning(str(warning))
            self.output = report.output
        if project.theme_language is None and report.loaded is not None:  # Material's own words follow the program
            config.theme["language"] = language_check.material_language(report.loaded.program.program.language) or "en"
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
        for css in STYLESHEETS:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in (*SCRIPTS, preview.SCRIPT) if self.serving else SCRIPTS:  # serve: the live-reload script file
            if js not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(js)
        # publish: build into a staging directory beside site_dir; on_post_build swaps it in
        self.site_dir = config.site_dir
        try:
            self.staging = publish.staging_dir(Path(config.site_dir))
        except OSError as exc:
            raise PluginError(str(error(OUTPUT_FAILED, f"cannot write beside site_dir {config.site_dir}: {exc.strerror or exc}", Location(project.config_file)))) from None
        config.site_dir = str(self.staging)
        publish.log_as_target(logging.getLogger("mkdocs.commands.build"), self.staging, Path(self.site_dir))  # "Building documentation to directory: site"
        return config

    on_config = CombinedEvent(_review_config, _on_config_sandbox, _on_config)  # type: ignore[assignment]

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.serving:  # never in a built site
            for path, data in preview.files().items():
                files.append(DownloadFile.generated(config, path, content=data))
        if self.failure is not None:  # serve: nothing to preview but the error page (on_post_build)
            return Files([f for f in files if not f.is_documentation_page()])
        assert self.report and self.report.loaded and self.output
        generated = self.output.pages
        for body in self.report.loaded.bodies:
            if existing := files.get_file_from_path(body):
                files.remove(existing)
        for src, markdown in generated.pages.items():
            if existing := files.get_file_from_path(src):
                files.remove(existing)
            files.append(File.generated(config, src, content=markdown, inclusion=InclusionLevel.INCLUDED))
        for path, data in self.output.files.items():
            if existing := files.get_file_from_path(path):
                files.remove(existing)
            files.append(DownloadFile.generated(config, path, content=data))
        for path in self.output.pending_paths:
            if existing := files.get_file_from_path(path):
                files.remove(existing)
            files.append(PendingDownload.generated(config, path, content=b""))
        if not self.user_nav:
            own = [f.src_uri for f in files.documentation_pages() if f.src_uri not in generated.pages]
            config.nav = navigation(generated, own)
        return files

    @event_priority(-100)  # after the plugins that add filters or globals: the sandbox gets them too
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """The theme's templates (a project's custom_dir too) render in Jinja's sandbox (render/theme_sandbox.py)."""
        self.theme_env = theme_sandbox.sandboxed(env, root=self.root, refusal=_refusal)
        return self.theme_env

    def on_pre_template(self, template: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        """An ``extra_templates`` file (MkDocs compiles it with plain Jinja; the review refuses the setting) in the sandbox too."""
        if isinstance(template.environment, theme_sandbox.ThemeSandbox) or self.theme_env is None:
            return template
        path = Path(config.docs_dir) / template_name
        return theme_sandbox.sandboxed_template(self.theme_env, path.read_text(encoding="utf-8-sig"), template_name, str(path))

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A content page as the core rendered it (placeholders done once, in the pipeline)."""
        if self.output is None or (rendered := self.output.content.get(page.file.src_uri)) is None:
            return None
        return rendered.text

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
        if self.serving:
            self.previous_pages.add(page.file.dest_uri)
        if self.output is not None and self.report is not None:  # privacy backstop on the built HTML
            file = Path(page.file.abs_src_path).relative_to(self.root).as_posix() if page.file.abs_src_path else page.file.src_uri
            self.seen = self.seen or published.html_seen(self.report)
            self.late += published.scan_html(self.report, output, file, page.file.dest_uri, self.seen)
            self.late += theme_check.page_load_problems(output, file=file, page_url=page.url, template=page.meta.get("template") or "main.html", allowed=theme_check.allowed_scripts(tuple(config.theme.dirs), config.theme.custom_dir, serving=self.serving), reported=self.late)
        return self._policy(output, get_relative_url(".", page.url), config)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        base_url = urlsplit(config.site_url or "/").path if is_error_template(template_name) else get_relative_url(".", template_name)
        if is_error_template(template_name) and self.output is not None:  # the 404 page loads only the theme's and the portal's scripts
            self.late += theme_check.page_load_problems(output_content, file=theme_check.template_file(template_name, config.theme.custom_dir, self.root), page_url="", template=template_name, allowed=theme_check.allowed_scripts(tuple(config.theme.dirs), config.theme.custom_dir, serving=self.serving), reported=self.late, site_path=base_url or "/")
        return self._policy(output_content, base_url, config)

    @event_priority(-100)  # after every other plugin has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        late, self.late, self.seen = self.late, [], None
        if late:  # before anything is published: on_build_error discards the staging directory
            raise PluginError("\n".join(str(d) for d in late))
        if self.staging is None or self.site_dir is None:
            return
        if self.output is not None and self.report is not None and self.output.pending is not None:
            paths = self.output.pending_paths
            if not build.collect(self.report):  # the downloads rendered meanwhile, written before publishing
                raise PluginError("\n".join(str(d) for d in self.report.errors))
            for path in paths:
                target = self.staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.output.files[path])
        if self.failure is not None:
            page = preview.error_page(self.failure.errors or self.failure.warnings, base_url=urlsplit(config.site_url or "/").path or "/",
                                      site_name=config.site_name or "")
            for dest in {"index.html", "404.html", *self.previous_pages}:
                target = self.staging / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(page)
        elif config.strict and _strict_warnings():
            return  # MkDocs aborts right after this event: on_build_error discards the staging directory
        for path in self.staging.rglob("*.html"):  # any HTML another plugin or hook wrote gets the policy too
            if path.is_file() and not path.is_symlink():
                text = path.read_text(encoding="utf-8", errors="replace")
                if not csp.has_policy(text):
                    path.write_text(csp.add_policy(text), encoding="utf-8")
        try:
            publish.swap(self.staging, Path(self.site_dir))
        except OSError as exc:
            raise PluginError(str(error(OUTPUT_FAILED, f"cannot replace site_dir {self.site_dir}: {exc.strerror or exc}", Location(Path(config.config_file_path or "mkdocs.yml").name)))) from None
        config.site_dir, self.staging = self.site_dir, None
        if self.output is not None and self.project is not None:  # the built pages' scan kept for the next build
            build.remember(self.project, prune=True)

    def on_build_error(self, *, error: Exception) -> None:
        build.abandon(self.report)  # no helper keeps rendering
        publish.discard(self.staging)
        self.staging = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.watch is not None:
            server.watch(str(self.watch))
        if config.theme.custom_dir and os.path.isdir(config.theme.custom_dir):  # overrides/ (MkDocs watches it only with --watch-theme)
            server.watch(config.theme.custom_dir)
        return server


def _refusal(diagnostic: Diagnostic) -> PluginError:
    return PluginError(str(diagnostic))


def _strict_warnings() -> bool:
    """Whether MkDocs counted warnings it will abort on with ``--strict`` (after on_post_build)."""
    return any(
        isinstance(handler, utils.CountHandler) and handler.get_counts()
        for handler in logging.getLogger("mkdocs").handlers
    )
