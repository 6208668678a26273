"""The configuration stage: the plugin's options, typed and validated once, and the site settings the core needs.

The adapters only convert into these: the MkDocs plugin from its ``Config`` (whose fields
accept anything, so that every problem is reported here, in one located message), the
command line from the same ``Config`` after reading mkdocs.yml with MkDocs' own loader.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from program_portal.checks.design import CHECKS
from program_portal.codes import SITE_CONFIG, UNKNOWN_CHECK
from program_portal.diagnostics import Diagnostic, Location, error

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")
NAMES = ("program", "disable_checks", "paper", "cache", "cache_dir", "jobs")


@dataclass(frozen=True)
class Options:
    """The ``program-portal`` plugin options (mkdocs.yml ``plugins: - program-portal: ...``)."""

    program: str = "program.yml"
    disable_checks: tuple[str, ...] = ()
    paper: Paper = "a4"
    cache: bool = True  # keep downloads on disk between builds
    cache_dir: str = ".cache/program-portal"  # relative to mkdocs.yml; PROGRAM_PORTAL_CACHE_DIR wins
    jobs: int = 0  # processes rendering downloads on a cold build; 0: one per core


def parse_options(raw: Any, config_file: str) -> tuple[Options, list[Diagnostic]]:
    """``raw`` (the options as written) as :class:`Options`, and a located error for each bad one (defaults stand in)."""
    here = Location(config_file)
    problems: list[Diagnostic] = []

    def bad(message: str, code: str = SITE_CONFIG) -> None:
        problems.append(error(code, message, here))

    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        bad(f"the options of plugin 'program-portal' must be a mapping ({', '.join(NAMES)}), not {_kind(raw)}")
        return Options(), problems
    program = raw.get("program", "program.yml")
    if not isinstance(program, str) or not program.strip():
        bad(f"program-portal option 'program' must be a file name, not {_kind(program)}")
        program = "program.yml"
    disabled = raw.get("disable_checks") or []
    if not isinstance(disabled, list | tuple) or not all(isinstance(code, str) for code in disabled):
        bad("program-portal option 'disable_checks' must be a list of codes, e.g. [PD007]")
        disabled = []
    for code in disabled:
        if code not in CHECKS:
            bad(f"disable_checks: unknown check '{code}' (known: {min(CHECKS)} to {max(CHECKS)})", UNKNOWN_CHECK)
    paper = raw.get("paper", "a4")
    if paper not in PAPERS:
        bad(f"program-portal option 'paper' must be one of {', '.join(PAPERS)}, not {paper!r}")
        paper = "a4"
    cache = raw.get("cache", True)
    if not isinstance(cache, bool):
        bad(f"program-portal option 'cache' must be true or false, not {_kind(cache)}")
        cache = True
    cache_dir = raw.get("cache_dir", Options.cache_dir)
    if not isinstance(cache_dir, str) or not cache_dir.strip():
        bad(f"program-portal option 'cache_dir' must be a folder name, not {_kind(cache_dir)}")
        cache_dir = Options.cache_dir
    jobs = raw.get("jobs", 0)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or not 0 <= jobs <= 64:
        bad("program-portal option 'jobs' must be a whole number from 0 (one per core) to 64")
        jobs = 0
    return Options(program, tuple(c for c in disabled if c in CHECKS), paper, cache, cache_dir, jobs), problems


def _kind(value: Any) -> str:
    return repr(value) if isinstance(value, str | int | float | bool) or value is None else f"a {type(value).__name__}"


OFFLINE_PLUGINS = ("offline", "material/offline")


@dataclass
class SiteSettings:
    """The generator's settings the intranet review looks at (plain values, any generator)."""

    theme: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    repo_url: str | None = None
    extra_css: list[Any] = field(default_factory=list)
    extra_javascript: list[Any] = field(default_factory=list)
    markdown_extensions: list[str] = field(default_factory=list)
    mdx_configs: dict[str, Any] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)


@dataclass
class ProjectConfig:
    """Everything the pipeline needs to know before it reads program.yml.

    ``config_file`` is the name diagnostics use for the configuration (``mkdocs.yml``);
    ``problems`` holds what was wrong with it (reported with everything else).
    """

    root: Path
    docs_dir: Path
    options: Options = field(default_factory=Options)
    config_file: str = "mkdocs.yml"
    site_url: str | None = None
    settings: SiteSettings | None = None  # None: no site configuration to review (a bare check)
    problems: list[Diagnostic] = field(default_factory=list)
    program_path: Path | None = None  # overrides options.program (``program-portal check PROGRAM``)
    usable: bool = True  # False: the configuration could not be read at all, so nothing after it runs
    shown_settings: dict[str, Any] = field(default_factory=dict)  # settings printed on pages (the privacy scan reads them)
    config_path: Path | None = None  # the configuration file itself (to locate a finding in it)
    custom_dir: str | None = None  # the theme's override folder: its files are published too
    theme_language: str | None = None  # theme.language as the configuration sets it (None: not set)
    theme_dirs: tuple[str, ...] = ()  # the theme's folders (custom_dir first): a content file may not shadow their files
    static_templates: tuple[str, ...] = ()  # the theme's templates rendered at their own path (404.html, sitemap.xml)
    source_date_epoch: str | None = field(default_factory=lambda: os.environ.get("SOURCE_DATE_EPOCH"))

    @property
    def offline(self) -> bool:
        """Built as the offline pack (Material's offline plugin): opened from a file share, not served."""
        return self.settings is not None and any(str(p) in OFFLINE_PLUGINS for p in self.settings.plugins)

    @property
    def program(self) -> Path:
        return self.program_path if self.program_path is not None else self.root / self.options.program
