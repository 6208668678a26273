"""The configuration stage for MkDocs: mkdocs.yml as MkDocs reads it, converted into the core's ProjectConfig.

The plugin converts the config MkDocs hands it; the command line reads mkdocs.yml with MkDocs'
own loader (INHERIT, ``!ENV``, relative paths, plugin options: all as MkDocs means them) and
converts the same way. Whatever MkDocs refuses becomes one located PF020 per problem.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from program_portal import siteconfig
from program_portal.checks import published
from program_portal.codes import BAD_EPOCH, SITE_CONFIG
from program_portal.diagnostics import Diagnostic, Location, error, warning
from program_portal.options import ProjectConfig, SiteSettings, parse_options
from program_portal.render.outputs import epoch_problem

PLUGIN = "program-portal"
_CONFIG_VALUE = re.compile(r"^Config value '(?P<key>[^']+)': ")
_YAML_MARK = re.compile(r' in "[^"]*", line (?P<line>\d+), column (?P<column>\d+)')


def site_settings(config: Any) -> SiteSettings:
    """What the intranet review looks at, from a validated MkDocsConfig."""
    return SiteSettings(
        theme={**{key: config.theme[key] for key in ("font", "logo", "favicon") if key in config.theme},
               "dirs": [str(d) for d in getattr(config.theme, "dirs", [])]},  # where the theme's own files are
        extra=dict(config.extra),
        repo_url=config.repo_url,
        extra_css=list(config.extra_css),
        extra_javascript=list(config.extra_javascript),
        markdown_extensions=list(config.markdown_extensions),
        mdx_configs=dict(config.mdx_configs),
        plugins=list(config.plugins),
    )


def refused_config(config: Any) -> list[Diagnostic]:
    """What :mod:`program_portal.siteconfig` refuses in the file MkDocs read (none when trusted)."""
    if not config.config_file_path or siteconfig.trusted():
        return []
    return siteconfig.review(Path(config.config_file_path).resolve())


def project_config(config: Any, options: Any, problems: list[Diagnostic] | None = None, *, review: bool = True) -> ProjectConfig:
    """A validated MkDocsConfig and the plugin's raw options, as the core's ProjectConfig.

    ``review``: also report what :mod:`program_portal.siteconfig` refuses in the file. MkDocs has read
    it by now (the plugin's case under ``mkdocs build``; ``program-portal build`` reviewed it before),
    so this cannot stop its code; it fails the build, the same as ``check``, unless the configuration
    is trusted (:func:`program_portal.siteconfig.trusted`: ``--trusted-config``, or
    ``PROGRAM_PORTAL_TRUSTED_CONFIG=1`` outside CI).
    """
    config_path = Path(config.config_file_path).resolve() if config.config_file_path else None
    refused: list[Diagnostic] = []
    if review and config_path is not None and not siteconfig.trusted():
        refused = siteconfig.review(config_path)
        problems = [*refused, *(problems or [])]
    root = config_path.parent if config_path else Path.cwd()
    config_file = config_path.name if config_path else "mkdocs.yml"
    parsed, found = parse_options(dict(options) if options is not None else {}, config_file)
    return ProjectConfig(
        root=root,
        docs_dir=Path(config.docs_dir),
        options=parsed,
        config_file=config_file,
        site_url=config.site_url or None,
        settings=site_settings(config),
        problems=[*(problems or []), *found, *epoch_problems()],
        shown_settings={key: config.get(key) for key in published.SETTINGS},
        config_path=config_path,
        custom_dir=config.theme.custom_dir,
        theme_language=theme_language(config),
        usable=not refused,  # refused: the same messages as check, nothing after them
        theme_dirs=tuple(str(d) for d in config.theme.dirs),
        static_templates=tuple(sorted(str(t) for t in config.theme.static_templates)),
    )


def theme_language(config: Any) -> str | None:
    """``theme.language`` as mkdocs.yml (and what it INHERITs) sets it, or None: Material's default is no setting."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config.config_file_path or "mkdocs.yml", "rb") as f:
            raw = yaml_load(f) or {}
    except Exception:  # noqa: BLE001 - unreadable here means MkDocs already read it another way: no setting
        return None
    theme = raw.get("theme") if isinstance(raw, dict) else None
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language) if language is not None else None


def epoch_problems() -> list[Diagnostic]:
    """SOURCE_DATE_EPOCH must be a Unix time a date can hold (MkDocs, ICS, Word and PDF all use it)."""
    problem = epoch_problem(os.environ.get("SOURCE_DATE_EPOCH"))
    return [error(BAD_EPOCH, problem, Location("SOURCE_DATE_EPOCH"))] if problem else []


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _locate(config_file: Path, message: str) -> Location:
    """The line of the top-level key a MkDocs message names (``Config value 'plugins': ...``), else line 1."""
    name = config_file.name
    match = _CONFIG_VALUE.match(message)
    if match:
        try:
            text = config_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return Location(name)
        key = re.escape(match["key"].split(".")[0])
        if found := re.search(rf"^{key}[ \t]*:", text, re.M):
            return Location(name, text.count("\n", 0, found.start()) + 1, 1)
    return Location(name)


def load_project_config(config_file: Path | None, *, trusted: bool = False) -> ProjectConfig:
    """mkdocs.yml read by MkDocs' own loader, as a ProjectConfig (its problems located, never raised).

    The file and what it INHERITs are reviewed first (:mod:`program_portal.siteconfig`): MkDocs'
    loader constructs YAML tags and imports hooks, so a refused file never reaches it unless the
    caller says the configuration is ``trusted``. Without a config file: the current directory,
    ``content/`` and the default options.
    """
    if config_file is None:
        candidate = Path("mkdocs.yml")
        config_file = candidate if candidate.is_file() else None
    if config_file is None:
        parsed, found = parse_options({}, "mkdocs.yml")
        return ProjectConfig(Path.cwd(), Path.cwd() / "content", parsed, problems=[*found, *epoch_problems()])
    if not siteconfig.trusted(trusted) and (refused := siteconfig.review(config_file)):
        root = config_file.resolve().parent
        return ProjectConfig(root, root / "content", problems=refused, config_file=config_file.name, usable=False)
    from mkdocs.config import load_config

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file))
    except BaseException as exc:  # noqa: BLE001 - ConfigurationError, Abort (a SystemExit), YAML and OS errors
        if isinstance(exc, KeyboardInterrupt):
            raise
        problems = [error(SITE_CONFIG, r.getMessage(), _locate(config_file, r.getMessage())) for r in collect.records if r.levelno >= logging.ERROR]
        if not problems:
            message = _one_line(exc) or type(exc).__name__
            where = _YAML_MARK.search(message)
            location = Location(config_file.name, int(where["line"]), int(where["column"])) if where else Location(config_file.name)
            problems = [error(SITE_CONFIG, _YAML_MARK.sub("", message) if where else message, location)]
        root = config_file.resolve().parent
        return ProjectConfig(root, root / "content", problems=problems, config_file=config_file.name, usable=False)
    finally:
        logger.removeHandler(collect)
    warnings = [warning(SITE_CONFIG, r.getMessage(), _locate(config_file, r.getMessage())) for r in collect.records if r.levelno == logging.WARNING]
    plugin = config.plugins.get(PLUGIN)
    return project_config(config, plugin.config if plugin is not None else {}, warnings, review=False)  # reviewed above, or trusted


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
