"""``program-portal``: check a program, export its generated pages, print its JSON Schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from program_portal import build, publish
from program_portal.adapters.mkdocs_config import load_project_config
from program_portal.codes import OUTPUT_FAILED
from program_portal.diagnostics import Location, error


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
    project = load_project_config(config_file)
    if program is not None:
        project.program_path = program.resolve()
    report = build.run(project)
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
    project = load_project_config(config_file)
    project.site_url = None  # links in the exported calendars are relative to wherever the pages are published
    report = build.run(project)
    for diagnostic in report.diagnostics:
        click.echo(str(diagnostic), err=True)
    if report.failed(strict=False) or report.output is None:
        sys.exit(1)
    output = report.output
    written = {src: text.encode("utf-8") for src, text in output.pages.pages.items()}
    written.update({src: page.text.encode("utf-8") for src, page in output.content.items()})
    tree = {**written, **output.files, "nav.json": (json.dumps(output.pages.nav, indent=2) + "\n").encode("utf-8")}
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / "nav.json").is_file():
        message = "this directory is not empty and holds no earlier export (nav.json); export replaces the whole directory, choose a new one"
        click.echo(str(error(OUTPUT_FAILED, message, Location(str(outdir)))), err=True)
        sys.exit(1)
    try:
        publish.write_tree(outdir, tree)
    except OSError as exc:
        click.echo(str(error(OUTPUT_FAILED, f"cannot write the export: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else ""), Location(str(outdir)))), err=True)
        sys.exit(1)
    click.echo(f"wrote {len(written)} pages and {len(output.files)} files to {outdir}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of program.yml (what program.schema.json holds)."""
    from program_portal.source.schema import schema_text

    click.echo(schema_text(), nl=False)
