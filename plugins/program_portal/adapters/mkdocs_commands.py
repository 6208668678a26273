"""``program-portal build`` and ``serve``: MkDocs' own build and live preview, run in-process after the review.

``mkdocs build`` reads mkdocs.yml with MkDocs' loader before any plugin runs: YAML tags are
constructed and ``hooks:`` imported then, so the plugin's review (which still fails the build)
comes too late to stop them. These commands review the file and what it INHERITs first
(:mod:`program_portal.siteconfig`) and hand it to MkDocs only when nothing is refused.

``mkdocs serve`` loads the configuration again on every change (``mkdocs.commands.serve``'s
``get_config`` calls ``load_config``): ``serve`` here makes that name, in this process only, a
loader that reviews first, so an edit that adds a hook while the server runs is refused too,
and the server keeps serving the last good build.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Callable

from program_portal import siteconfig
from program_portal.diagnostics import Diagnostic


class Refused(Exception):
    """The review refused the configuration: its located problems."""

    def __init__(self, problems: list[Diagnostic]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def reviewed(config_file: Path, trusted: bool) -> None:
    """Raise :class:`Refused` unless the configuration is trusted or the review finds nothing."""
    if siteconfig.trusted(trusted):
        siteconfig.trust_command_line()  # the plugin in this process skips its review too
        return
    if problems := siteconfig.review(config_file):
        raise Refused(problems)


def _log_to_stderr() -> None:
    """MkDocs' messages as ``mkdocs build`` prints them (its CLI sets up the same handler)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_program_portal", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._program_portal = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def build(config_file: Path, *, trusted: bool, strict: bool, site_dir: Path | None) -> None:
    """Review, then ``mkdocs build`` in this process (MkDocs' Abort on failure: exit 1 with its message)."""
    reviewed(config_file, trusted)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    _log_to_stderr()
    options: dict[str, Any] = {"strict": strict or None}
    if site_dir is not None:
        options["site_dir"] = str(site_dir)
    config = load_config(config_file=str(config_file), **options)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def reviewing_loader(load_config: Callable[..., Any], trusted: bool) -> Callable[..., Any]:
    """``load_config`` that reviews the file first, each time it is called (every reload of serve)."""

    def load(config_file: str | None = None, **kwargs: Any) -> Any:
        if config_file is not None and not siteconfig.trusted(trusted):
            if problems := siteconfig.review(Path(config_file)):
                from mkdocs.exceptions import Abort

                # serve prints an Abort's message (no traceback) and keeps the last good build
                raise Abort("\n".join(map(str, problems)) + "\nthe configuration was refused: nothing was rebuilt")
        return load_config(config_file=config_file, **kwargs)

    return load


def serve(config_file: Path, *, trusted: bool, strict: bool, dev_addr: str | None) -> None:
    """Review, then ``mkdocs serve`` in this process, reviewing again on every reload."""
    reviewed(config_file, trusted)
    from mkdocs.commands import serve as mkdocs_serve

    _log_to_stderr()
    mkdocs_serve.load_config = reviewing_loader(mkdocs_serve.load_config, trusted)  # this process only
    mkdocs_serve.serve(config_file=str(config_file), dev_addr=dev_addr, strict=strict or None, livereload=True)


def dev_address(address: str | None, port: int | None) -> str | None:
    """``-a HOST:PORT`` with ``--port`` replacing its port (127.0.0.1 when only a port is given)."""
    if port is None:
        return address
    host = address.rsplit(":", 1)[0] if address else "127.0.0.1"
    return f"{host}:{port}"
