"""``program-portal``: check a program, export its generated pages, print its JSON Schema."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from program_portal import build
from program_portal.codes import OUTPUT_FAILED
from program_portal.diagnostics import Location, error
from program_portal.adapters.mkdocs_config import load_project_config
from program_portal.review import formats


@click.group()
@click.version_option(package_name="program-portal")
def main() -> None:
    """Publish a mentoring program: check it, export its pages, get its schema."""


@main.command()
@click.argument("program", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on program-design warnings too.")
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="mkdocs.yml to read docs_dir and plugin options from.")
@click.option("--trusted-config", is_flag=True, help="Skip the review of mkdocs.yml (YAML tags, hooks, INHERIT): only for a configuration a maintainer has read; never for a pull request.")
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="text", show_default=True, help="Output for people (text) or for CI: GitHub annotations, GitLab Code Quality, SARIF 2.1.0, JSON.")
def check(program: Path | None, strict: bool, config_file: Path | None, trusted_config: bool, fmt: str) -> None:
    """Validate PROGRAM (default: the plugin's `program`, or program.yml) and run the program-design checks."""
    project = load_project_config(config_file, trusted=trusted_config)
    if program is not None:
        project.program_path = program.resolve()
    report = build.run(project)
    click.echo(formats.render(fmt, report.diagnostics, formats.path_prefix(project.root, Path.cwd())), nl=False)
    errors, warnings = len(report.errors), len(report.warnings)
    summary = f"{errors} error(s), {warnings} warning(s)"
    if report.failed(strict):
        click.echo(summary + (" (--strict)" if strict and not errors else ""), err=True)
        sys.exit(1)
    click.echo(f"ok: {summary}" if warnings else "ok: no problems found", err=True)


@main.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--trusted-config", is_flag=True, help="Skip the review of mkdocs.yml (YAML tags, hooks, INHERIT): only for a configuration a maintainer has read; never for a pull request.")
@click.option("--watch", is_flag=True, help="Export again whenever program.yml, docs_dir or mkdocs.yml changes (Ctrl-C stops).")
def export(outdir: Path, config_file: Path | None, trusted_config: bool, watch: bool) -> None:
    """Write a project to OUTDIR that Zensical, ProperDocs and MkDocs build without the plugin."""
    from program_portal import export as exporter

    config_file = config_file or (Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None)
    source = exporter.Source(load_project_config(config_file, trusted=trusted_config), config_file.resolve() if config_file else None)
    if not watch:
        try:
            ok = _echo_export(exporter.export_project(source, outdir), outdir)
        except exporter.ExportError as exc:
            ok = _echo_export(exc, outdir)
        sys.exit(0 if ok else 1)
    click.echo(f"watching {source.program.name}, {source.docs_dir.name}/ and the configuration; Ctrl-C stops", err=True)
    try:
        exporter.export_and_watch(source, outdir, report=lambda r: _echo_export(r, outdir))
    except KeyboardInterrupt:
        pass


def _echo_export(result: object, outdir: Path) -> bool:
    """One line per problem or note, then a summary, on stderr; whether the export was written."""
    from program_portal import export as exporter

    if isinstance(result, exporter.ExportError):
        click.echo(str(error(OUTPUT_FAILED, str(result), Location(str(outdir)))), err=True)
        return False
    assert isinstance(result, exporter.ExportResult)
    for line in [*map(str, result.diagnostics), *result.notes]:
        click.echo(line, err=True)
    if result.failed:
        click.echo(f"nothing exported: {sum(d.is_error for d in result.diagnostics)} error(s)", err=True)
        return False
    click.echo(f"exported {result.pages} pages and {result.files} files to {outdir} ({result.written} written, {result.removed} removed)", err=True)
    return True


@main.command()
def schema() -> None:
    """Print the JSON Schema of program.yml (what program.schema.json holds)."""
    from program_portal.source.schema import schema_text

    click.echo(schema_text(), nl=False)


def _side_report(label: str, root: Path):
    """The pipeline on one side of ``diff``; located errors prefixed with the side, exit 2."""
    project = load_project_config(root / "mkdocs.yml")
    project.options = dataclasses.replace(project.options, cache=False)  # a side's work tree is not written to
    report = build.run(project)
    if report.errors or report.loaded is None:
        for diagnostic in report.errors:
            click.echo(f"{label}: {diagnostic}", err=True)
        sys.exit(2)
    return report


@main.command()
@click.argument("base")
@click.argument("head")
def diff(base: str, head: str) -> None:
    """What the change from BASE to HEAD does, as Markdown for a pull request (exit 1 when something visible changes).

    BASE and HEAD are each a project directory (holding mkdocs.yml) or a git revision of the repository here.
    """
    from contextlib import ExitStack

    from program_portal.review import diff as review, revisions

    with ExitStack() as stack:
        reports = []
        for label, spec in (("base", base), ("head", head)):
            try:
                root = stack.enter_context(revisions.project(spec, Path.cwd()))
            except revisions.SideError as exc:
                click.echo(f"{label}: error: {exc}", err=True)
                sys.exit(2)
            reports.append(_side_report(label, root))
        markdown, changed = review.report(reports[0], reports[1], base, head)
    click.echo(markdown, nl=False)
    sys.exit(1 if changed else 0)
