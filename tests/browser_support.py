"""Shared helpers for browser tests: build a site, serve it on 127.0.0.1, drive Debian's Chromium.

Typical use in a test module::

    from browser_support import build_site, launch_chromium, open_browser, require_chromium, serve

    pytestmark = pytest.mark.browser

    @pytest.fixture(scope="module")
    def site(tmp_path_factory):
        require_chromium()
        root = build_site(EXAMPLE, tmp_path_factory.mktemp("site"))
        with serve(root) as server:
            yield server

    @pytest.fixture(scope="module")
    def chromium():
        with launch_chromium() as launched:
            yield launched

    def test_something(site, chromium):
        with open_browser(chromium) as browser:
            page = browser.open(site.url("templates/"))
            ...
            assert browser.external_requests() == []
            assert browser.console_errors == []

Nothing here reaches the network: the server listens on 127.0.0.1 only, and Chromium is
launched with background networking, component updates and sync switched off. Every
request the page makes is recorded, so a test can assert that none left 127.0.0.1 and
that none was made after a given moment.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEFAULT_EPOCH = "1790000000"  # 2026-09-21: a fixed SOURCE_DATE_EPOCH for reproducible test builds


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require_chromium() -> None:
    """Skip when Debian's Chromium or Playwright is missing, unless in CI, where it is a failure."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(str(CHROMIUM))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if missing:
        message = f"browser tests need {' and '.join(missing)}"
        if in_ci():
            pytest.fail(message + " (CI is set: not skipping)")
        pytest.skip(message)


def build_site(
    project: Path,
    site_dir: Path,
    *,
    config_file: str = "mkdocs.yml",
    epoch: str | None = DEFAULT_EPOCH,
    cache_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 300,
) -> Path:
    """``mkdocs build --strict`` of ``project`` into ``site_dir`` in a subprocess; returns ``site_dir``.

    ``cache_dir`` sets ``PROGRAM_PORTAL_CACHE_DIR`` (the downloads' disk cache), so several test
    modules building the same program share generated documents.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    if cache_dir is not None:
        env["PROGRAM_PORTAL_CACHE_DIR"] = str(cache_dir)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / config_file), "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    served: list[str]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.served.append(self.path)
        super().do_GET()


@dataclass
class Server:
    """A static server for one directory on 127.0.0.1; ``served`` lists every path it was asked for."""

    root: Path
    port: int
    served: list[str]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Server]:
    """Serve ``root`` with :mod:`http.server` on 127.0.0.1 on a free port, in a thread."""
    served: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"served": served})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, name="test-static-server", daemon=True)
    thread.start()
    try:
        yield Server(root, httpd.server_address[1], served)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@dataclass
class Request:
    url: str
    method: str
    resource_type: str
    at: float


@dataclass
class Browser:
    """One Chromium context and page, with every request and console error recorded."""

    page: object
    context: object
    requests: list[Request] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def open(self, url: str, *, wait_until: str = "networkidle") -> object:
        self.page.goto(url, wait_until=wait_until)  # type: ignore[attr-defined]
        return self.page

    def mark(self) -> int:
        """A bookmark in the request log (use with :meth:`requests_since`)."""
        return len(self.requests)

    def requests_since(self, mark: int) -> list[Request]:
        return self.requests[mark:]

    def external_requests(self, allowed_hosts: tuple[str, ...] = ("127.0.0.1",)) -> list[str]:
        """Requests to any host but ``allowed_hosts`` (``data:``/``blob:`` URLs are not requests to a host)."""
        out = []
        for request in self.requests:
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in allowed_hosts:
                out.append(request.url)
        return out

    def storage(self) -> dict[str, object]:
        """What the page keeps: localStorage and sessionStorage sizes and document.cookie."""
        return self.page.evaluate(  # type: ignore[attr-defined]
            "() => ({local: window.localStorage.length, session: window.sessionStorage.length, cookie: document.cookie})"
        )


@contextlib.contextmanager
def launch_chromium() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (a ``playwright`` Browser), closed afterwards.

    Launching takes about a second: a test module can launch once (``scope="module"``) and
    pass it to :func:`open_browser` for a fresh context per test.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def open_browser(
    chromium: object | None = None, *, viewport: tuple[int, int] = (1280, 900), java_script: bool = True
) -> Iterator[Browser]:
    """A fresh browser context with one page that records requests and console errors.

    ``chromium``: a Browser from :func:`launch_chromium` (one is launched and closed here when None).
    """
    if chromium is None:
        with launch_chromium() as launched, open_browser(launched, viewport=viewport, java_script=java_script) as session:
            yield session
        return
    context = chromium.new_context(  # type: ignore[attr-defined]
        viewport={"width": viewport[0], "height": viewport[1]},
        service_workers="block",
        java_script_enabled=java_script,
    )
    try:
        page = context.new_page()
        session = Browser(page=page, context=context)
        context.on(
            "request",
            lambda request: session.requests.append(Request(request.url, request.method, request.resource_type, time.monotonic())),
        )
        page.on("console", lambda message: session.console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: session.page_errors.append(str(error)))
        yield session
    finally:
        context.close()
