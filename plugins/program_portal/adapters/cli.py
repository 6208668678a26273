"""``program-portal``: check a program, export its generated pages, print its JSON Schema."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from program_portal import build, siteconfig
from program_portal.codes import OUTPUT_FAILED
from program_portal.diagnostics import Location, error
from program_portal.adapters.mkdocs_config import load_project_config
from program_portal.review import formats


TRUSTED_CONFIG = click.option(
    "--trusted-config", is_flag=True,
    help="Skip the review of mkdocs.yml (YAML tags, hooks, plugins, extensions, paths): only for a configuration "
         "a maintainer has read; never for a pull request. Under CI (CI set) only this flag trusts, not "
         "PROGRAM_PORTAL_TRUSTED_CONFIG.")


def _note_ignored_trust() -> None:
    from program_portal import siteconfig

    if note := siteconfig.ignored_trust_note():
        click.echo(note, err=True)


@click.group()
@click.version_option(package_name="program-portal")
def main() -> None:
    """Publish a mentoring program: check it, export its pages, get its schema."""


@main.command()
@click.argument("program", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail on program-design warnings too.")
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="mkdocs.yml to read docs_dir and plugin options from.")
@TRUSTED_CONFIG
@click.option("--format", "fmt", type=click.Choice(formats.FORMATS), default="text", show_default=True, help="Output for people (text) or for CI: GitHub annotations, GitLab Code Quality, SARIF 2.1.0, JSON.")
def check(program: Path | None, strict: bool, config_file: Path | None, trusted_config: bool, fmt: str) -> None:
    """Validate PROGRAM (default: the plugin's `program`, or program.yml) and run the program-design checks."""
    project = load_project_config(config_file, trusted=trusted_config)
    if program is not None:
        project.program_path = program.resolve()
    report = build.run(project, documents=False)  # every check, no document rendered
    if not project.usable:
        _note_ignored_trust()
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
@TRUSTED_CONFIG
@click.option("--watch", is_flag=True, help="Export again whenever program.yml, docs_dir or mkdocs.yml changes (Ctrl-C stops).")
def export(outdir: Path, config_file: Path | None, trusted_config: bool, watch: bool) -> None:
    """Write a project to OUTDIR that Zensical, ProperDocs and MkDocs build without the plugin."""
    from program_portal import export as exporter

    config_file = config_file or (Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None)
    source = exporter.Source(load_project_config(config_file, trusted=trusted_config), config_file.resolve() if config_file else None,
                             trusted=siteconfig.trusted(trusted_config))
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


def _config_file(config_file: Path | None) -> Path:
    if config_file is None and not Path("mkdocs.yml").is_file():
        raise click.UsageError("no mkdocs.yml here: run in the project's folder or give --config-file")
    return config_file or Path("mkdocs.yml")


def _refused(exc: Exception) -> None:
    """The review's located problems, a summary, exit 1: MkDocs never read the file."""
    for problem in exc.problems:  # type: ignore[attr-defined]
        click.echo(str(problem), err=True)
    _note_ignored_trust()
    click.echo(f"nothing built: {len(exc.problems)} error(s) in the site configuration", err=True)  # type: ignore[attr-defined]
    sys.exit(1)


@main.command("build")
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="mkdocs.yml (default: the one here).")
@click.option("--strict", "-s", is_flag=True, help="Fail on warnings too (MkDocs' and the portal's).")
@click.option("--site-dir", "-d", type=click.Path(file_okay=False, path_type=Path), help="Where to build (default: site_dir, site/).")
@TRUSTED_CONFIG
def build_command(config_file: Path | None, strict: bool, site_dir: Path | None, trusted_config: bool) -> None:
    """Review mkdocs.yml, then build the portal with MkDocs (what `mkdocs build` does, after the review)."""
    from program_portal.adapters import mkdocs_commands

    try:
        mkdocs_commands.build(_config_file(config_file), trusted=trusted_config, strict=strict, site_dir=site_dir)
    except mkdocs_commands.Refused as exc:
        _refused(exc)


@main.command("serve")
@click.option("--config-file", "-f", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="mkdocs.yml (default: the one here).")
@click.option("--dev-addr", "-a", metavar="<IP:PORT>", help="Address to serve on (default: 127.0.0.1:8000, or dev_addr).")
@click.option("--port", "-p", type=click.IntRange(1, 65535), help="Port to serve on (replaces the port of --dev-addr).")
@click.option("--strict", "-s", is_flag=True, help="Fail on warnings too.")
@TRUSTED_CONFIG
def serve_command(config_file: Path | None, dev_addr: str | None, port: int | None, strict: bool, trusted_config: bool) -> None:
    """Review mkdocs.yml, then serve the portal with live preview; every reload is reviewed again."""
    from program_portal.adapters import mkdocs_commands

    try:
        mkdocs_commands.serve(_config_file(config_file), trusted=trusted_config, strict=strict,
                              dev_addr=mkdocs_commands.dev_address(dev_addr, port))
    except mkdocs_commands.Refused as exc:
        _refused(exc)


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
