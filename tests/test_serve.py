"""Live preview: ``mkdocs serve`` rebuilds when program.yml or a body file changes, and survives a broken program."""

from __future__ import annotations

import html
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Project, env

TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Project):
        self.project = project
        self.port = _free_port()
        self.log_path = project.root.parent / f"serve-{self.port}.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=project.root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env(),
        )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def get(self, path: str, timeout: float = 5) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError, TimeoutError):
            return None

    def wait_for(self, predicate: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"mkdocs serve exited while waiting for {what}:\n{self.output()}"
            if predicate():
                return
            time.sleep(0.3)
        pytest.fail(f"timed out after {timeout} s waiting for {what}:\n{self.output()}")

    def wait_for_page(self, path: str, text: str, timeout: float = TIMEOUT) -> None:
        self.wait_for(lambda: text in (self.get(path) or ""), f"{text!r} on {path}", timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


@pytest.fixture
def server(make_project) -> Iterator[Server]:
    project = make_project("small")
    running = Server(project)
    try:
        running.wait_for_page("/program/", "Small Programme", timeout=60)
        yield running
    finally:
        running.stop()


def _touch_later(path: Path) -> None:
    """Make sure the watcher sees a new modification time even on coarse file systems."""
    stat = path.stat()
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_serve_rebuilds_when_program_yml_changes(server: Server) -> None:
    server.project.edit("program.yml", "title: Small Programme", "title: Renamed Programme")
    _touch_later(server.project.path("program.yml"))
    server.wait_for_page("/program/", "Renamed Programme")
    assert "Renamed Programme" in (server.get("/") or "")  # placeholders in ordinary pages follow too


def test_serve_rebuilds_when_a_body_file_changes(server: Server) -> None:
    server.project.edit("content/guides/pairs.md", "meet every two weeks", "meet every fortnight")
    server.wait_for_page("/guides/pairs/", "Pair mentoring meet every fortnight")


def test_broken_program_is_reported_and_the_server_keeps_running(server: Server) -> None:
    server.project.edit("program.yml", "    mentor: mentor\n", "    mentor: mentr\n")
    _touch_later(server.project.path("program.yml"))
    located = f"{server.project.at('mentr')}: error PF008: unknown role 'mentr' (did you mean 'mentor'?)"
    server.wait_for(lambda: located in server.output(), "the located error in the log")
    assert "Traceback" not in server.output()
    assert server.proc.poll() is None
    # the browser gets the located message instead of a request that hangs, on the page it had open
    shown = html.escape(located)
    server.wait_for(lambda: shown in (server.get("/program/") or ""), "the located error on /program/")
    assert "livereload" in (server.get("/program/") or "")  # the page reloads itself when the file is fixed
    assert shown in (server.get("/") or "")
    # fixed again: the server picks it up and serves the new content
    server.project.edit("program.yml", "    mentor: mentr\n", "    mentor: mentor\n")
    server.project.edit("program.yml", "title: Small Programme", "title: Mended Programme")
    _touch_later(server.project.path("program.yml"))
    server.wait_for_page("/program/", "Mended Programme")
    assert "Traceback" not in server.output()


def test_serve_started_with_a_broken_program_shows_the_messages(make_project) -> None:
    project = make_project("small")
    project.edit("program.yml", "  timezone: Europe/London\n", "  timezone: Europe/Londn\n")
    running = Server(project)
    try:
        located = f"{project.at('Europe/Londn')}: error PF010: unknown time zone 'Europe/Londn'"
        running.wait_for(lambda: html.escape(located) in (running.get("/") or ""), "the located error on /", timeout=60)
        project.edit("program.yml", "  timezone: Europe/Londn\n", "  timezone: Europe/London\n")
        _touch_later(project.path("program.yml"))
        running.wait_for_page("/program/", "Small Programme")
        assert "Traceback" not in running.output()
    finally:
        running.stop()
