"""``program-portal``: check a program, export its generated pages, print its JSON Schema."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from program_portal.checks import intranet
from program_portal.build import check_project


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as ``!!python/name:`` and ``!ENV``."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# ``!!python/name:material.extensions.emoji.to_svg`` -> "material.extensions.emoji.to_svg"
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix.partition(":")[2])


@dataclass
class Settings:
    """What the CLI needs from mkdocs.yml."""

    root: Path
    docs_dir: Path
    options: dict[str, Any]
    review: intranet.Review
    theme_language: str | None = None  # as mkdocs.yml sets it
    config_file: str = "mkdocs.yml"


def _plugin_names(plugins: Any) -> list[str]:
    if isinstance(plugins, dict):
        return [str(k) for k in plugins]
    return [next(iter(p)) if isinstance(p, dict) and p else str(p) for p in plugins or []]


def _extensions(data: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    names, configs = [], {}
    for ext in data.get("markdown_extensions") or []:
        if isinstance(ext, dict) and ext:
            name, conf = next(iter(ext.items()))
            names.append(str(name))
            configs[str(name)] = conf or {}
        else:
            names.append(str(ext))
    return names, configs


def _check_options(config_file: Path, options: Any) -> None:
    """The plugin options as MkDocs would accept them, or a one-line error (never a traceback)."""
    if not isinstance(options, dict):
        raise click.ClickException(f"{config_file}: the options of plugin 'program-portal' must be a mapping (program, disable_checks)")
    if not isinstance(options.get("program", ""), str):
        raise click.ClickException(f"{config_file}: program-portal option 'program' must be a file name")
    disabled = options.get("disable_checks") or []
    if not isinstance(disabled, list) or not all(isinstance(code, str) for code in disabled):
        raise click.ClickException(f"{config_file}: program-portal option 'disable_checks' must be a list of codes, e.g. [PD007]")


def _mkdocs_settings(config_file: Path | None) -> Settings:
    """docs_dir, plugin options and the intranet review from mkdocs.yml (defaults when there is none)."""
    if config_file is None:
        candidate = Path("mkdocs.yml")
        config_file = candidate if candidate.is_file() else None
    if config_file is None:
        return Settings(Path.cwd(), Path.cwd() / "content", {}, intranet.Review())
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise click.ClickException(f"cannot read {config_file}: {exc}") from None
    if not isinstance(data, dict):
        raise click.ClickException(f"{config_file}: expected a mapping of settings (site_name, docs_dir, plugins, ...)")
    root = config_file.resolve().parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    options: dict[str, Any] = {}
    plugins = data.get("plugins") or []
    for plugin in plugins.items() if isinstance(plugins, dict) else plugins:
        if isinstance(plugin, tuple) and plugin[0] == "program-portal":
            options = plugin[1] or {}
        elif isinstance(plugin, dict) and "program-portal" in plugin:
            options = plugin["program-portal"] or {}
    _check_options(config_file, options)
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    names, configs = _extensions(data)
    review = intranet.review(
        config_file=config_file.name,
        theme=theme,
        extra=data.get("extra") or {},
        repo_url=data.get("repo_url"),
        extra_css=data.get("extra_css") or [],
        extra_javascript=[s.get("path") if isinstance(s, dict) else s for s in data.get("extra_javascript") or []],
        markdown_extensions=names,
        mdx_configs=configs,
        plugins=_plugin_names(plugins),
    )
    language = theme.get("language")
    return Settings(root, docs_dir, options, review, str(language) if language is not None else None, config_file.name)


@click.group()
@click.version_option(package_name="program-portal")
def main() -> None:
    """Publish a mentoring program: check it, export its pages, get its schema."""


@main.command()
@click.argument("program", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on program-design warnings too.")
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="mkdocs.yml to read docs_dir and plugin options from.")
def check(program: Path | None, strict: bool, config_file: Path | None) -> None:
    """Validate PROGRAM (default: the plugin's `program`, or program.yml) and run the program-design checks."""
    settings = _mkdocs_settings(config_file)
    options = settings.options
    program_path = program.resolve() if program else settings.root / str(options.get("program", "program.yml"))
    report = check_project(settings.root, program_path, settings.docs_dir, options.get("disable_checks") or [],
                           theme_language=settings.theme_language, config_file=settings.config_file)
    report.add(settings.review.diagnostics)
    for diagnostic in report.diagnostics:
        click.echo(str(diagnostic))
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{errors} error(s), {warnings} warning(s)"
    if report.failed(strict):
        click.echo(summary + (" (--strict)" if strict and not errors else ""), err=True)
        sys.exit(1)
    click.echo(f"ok: {summary}" if warnings else "ok: no problems found", err=True)


@main.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def export(outdir: Path, config_file: Path | None) -> None:
    """Write the generated pages (Markdown), downloads and calendars to OUTDIR, for any static-site generator."""
    from program_portal.render import outputs
    from program_portal.render.pages.portal import Portal

    settings = _mkdocs_settings(config_file)
    options = settings.options
    report = check_project(
        settings.root, settings.root / str(options.get("program", "program.yml")), settings.docs_dir, options.get("disable_checks") or []
    )
    for diagnostic in report.diagnostics:
        click.echo(str(diagnostic), err=True)
    if report.errors or not report.pages or not report.loaded:
        sys.exit(1)
    written = dict(report.pages.pages)
    written.update({src: page.text for src, page in report.content.items()})
    files = outputs.files(Portal(report.loaded), options, site_url=None, epoch=os.environ.get("SOURCE_DATE_EPOCH"))
    for path, text in written.items():
        target = outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, data in files.items():
        target = outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (outdir / "nav.json").write_text(json.dumps(report.pages.nav, indent=2) + "\n", encoding="utf-8")
    click.echo(f"wrote {len(written)} pages and {len(files)} files to {outdir}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of program.yml (what program.schema.json holds)."""
    from program_portal.source.schema import schema_text

    click.echo(schema_text(), nl=False)
