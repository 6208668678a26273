"""``program-portal``: check a program, export its generated pages, print its JSON Schema."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from .project import check_project


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as ``!!python/name:`` and ``!ENV``."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _mkdocs_settings(config_file: Path | None) -> tuple[Path, Path, dict[str, Any]]:
    """``(root, docs_dir, plugin options)`` from mkdocs.yml, or defaults when there is none."""
    if config_file is None:
        candidate = Path("mkdocs.yml")
        config_file = candidate if candidate.is_file() else None
    if config_file is None:
        return Path.cwd(), Path.cwd() / "content", {}
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise click.ClickException(f"cannot read {config_file}: {exc}") from None
    root = config_file.resolve().parent
    docs_dir = root / str(data.get("docs_dir", "docs"))
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and "program-portal" in plugin:
            options = plugin["program-portal"] or {}
    return root, docs_dir, options


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
    root, docs_dir, options = _mkdocs_settings(config_file)
    program_path = program.resolve() if program else root / str(options.get("program", "program.yml"))
    report = check_project(root, program_path, docs_dir, options.get("disable_checks") or [])
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
    from . import outputs
    from .pages.portal import Portal

    root, docs_dir, options = _mkdocs_settings(config_file)
    report = check_project(root, root / str(options.get("program", "program.yml")), docs_dir, options.get("disable_checks") or [])
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
    from .schema import schema_text

    click.echo(schema_text(), nl=False)
