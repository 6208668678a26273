"""Shared helpers for browser tests: build a site, serve it on 127.0.0.1, drive Debian's Chromium.

Typical use in a test module (``site`` and ``chromium`` are session fixtures in conftest.py:
the example program built once per run and served on 127.0.0.1, and one headless Chromium)::

    from browser_support import open_browser

    pytestmark = pytest.mark.browser

    def test_something(site, chromium):
        with open_browser(chromium) as browser:
            page = browser.open(site.url("templates/"))
            ...
            assert browser.external_requests() == []
            assert browser.console_errors == []

A module that needs another build defines its own ``site`` fixture with :func:`build_site` and
:func:`serve`.

Nothing here reaches the network: the server listens on 127.0.0.1 only, and Chromium is
launched with background networking, component updates and sync switched off. Every
request the page makes is recorded, so a test can assert that none left 127.0.0.1 and
that none was made after a given moment.

Deterministic on a loaded machine (load average 20 on 2 cores), with no time window anywhere:

- every http(s) request goes through a route (``context.route("**/*")``) and is recorded there,
  at the moment it is made and before it can be answered, never from an event that may arrive late;
- :meth:`Browser.open` waits for what the page must load, not for a quiet moment on the network
  (``networkidle``: 500 ms with nothing in flight, which a late request misses): the ``load``
  event, the page's icon (Chromium fetches ``<link rel=icon>`` by itself, once per navigation,
  after ``load``), Material's search index (fetched once scripts run), and ``document.fonts.ready``;
- no transition or animation runs (reduced motion, and a constructed style sheet injected before
  any page script), so what a test reads or axe measures is the final state;
- timeouts hold on a loaded machine (:data:`TIMEOUT`), for actions, navigations and ``expect()``.
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
STILL_ARGS = (
    "--force-color-profile=srgb",
    "--disable-partial-raster",
    "--disable-lcd-text",
    "--disable-threaded-animation",
    "--disable-threaded-scrolling",
    "--disable-checker-imaging",
    "--run-all-compositor-stages-before-draw",
)
"""Extra switches for screenshots compared pixel by pixel: every tile rastered whole, in sRGB, before it is
drawn (Chromium's own deterministic-rendering switches), so the same page gives the same pixels."""
TIMEOUT = 60_000
"""Milliseconds for any Playwright action, wait or ``expect()`` (Playwright's defaults, 30 s and 5 s for
``expect()``, are for an idle machine); a concrete condition that holds returns at once, so a long
timeout costs nothing on a passing test."""
DEFAULT_EPOCH = "1790000000"  # 2026-09-21: a fixed SOURCE_DATE_EPOCH for reproducible test builds


def no_network_wrapper() -> tuple[str, ...] | None:
    """A command prefix that runs a process with no network at all (``unshare -n``: a network
    namespace of its own), or None where that is not allowed (not root, no unshare)."""
    import shutil

    if shutil.which("unshare") is None:
        return None
    try:
        ok = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return None
    return ("unshare", "-n") if ok else None


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
    wrapper: tuple[str, ...] = (),
) -> Path:
    """``mkdocs build --strict`` of ``project`` into ``site_dir`` in a subprocess; returns ``site_dir``.

    ``cache_dir`` sets ``PROGRAM_PORTAL_CACHE_DIR`` (the downloads' disk cache), so several test
    modules building the same program share generated documents. ``wrapper``: a command that
    runs the build (``NO_NETWORK``: in a network namespace of its own, with no network).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    if cache_dir is not None:
        env["PROGRAM_PORTAL_CACHE_DIR"] = str(cache_dir)
    result = subprocess.run(
        [*wrapper, sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / config_file), "-d", str(site_dir)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return site_dir


def page_types(project: Path = REPO) -> dict[str, str]:
    """One URL path (``use_directory_urls: true``) for every kind of page the portal generates.

    Read from the project's ``program.yml`` and ``content/``: home, overview, policies, each
    track's guide, the template index, the first contract, agenda, checklist and form template,
    the calendar, the first ordinary page under ``content/about/`` (or any ordinary page),
    and the 404 page.
    """
    import yaml

    program = yaml.safe_load((project / "program.yml").read_text(encoding="utf-8"))
    pages = {"home": "", "program": "program/", "policies": "program/policies/"}
    for track in program.get("tracks", []):
        pages[f"guide {track['id']}"] = f"guides/{track['id']}/"
    pages["templates"] = "templates/"
    for kind in ("contract", "agenda", "checklist", "form"):
        found = [t["id"] for t in program.get("templates", []) if t.get("kind") == kind]
        if found:
            pages[kind] = f"templates/{found[0]}/"
    if program.get("sessions"):
        pages["calendar"] = "calendar/"
    pages["at a glance"] = "at-a-glance/"  # extensions: the program on one page, one page per role
    if program.get("roles"):
        pages[f"role {program['roles'][0]['id']}"] = f"roles/{program['roles'][0]['id']}/"
    bodies = {t.get("body") for t in [*program.get("tracks", []), *program.get("templates", [])]} - {None}
    content = project / "content"
    ordinary = [
        md.relative_to(content).as_posix()
        for md in sorted(content.rglob("*.md"))
        if md.relative_to(content).as_posix() not in bodies and md.name not in ("index.md", "README.md")
    ]
    ordinary.sort(key=lambda rel: (not rel.startswith("about/"), rel))
    if ordinary:
        pages["ordinary page"] = ordinary[0][: -len(".md")] + "/"
    pages["404"] = "404.html"
    return pages


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


# An init script (open_browser(record_csp=True)) that keeps every Content-Security-Policy
# violation the page reports, for Browser.csp_violations().
CSP_RECORDER = """
window.__ppCspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__ppCspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
}, true);
"""


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
    blocked: list[str] = field(default_factory=list)
    """With ``open_browser(block_outside=True)``: every request that was stopped for leaving 127.0.0.1."""

    java_script: bool = True
    finished: set[str] = field(default_factory=set)
    """Every URL whose request was answered (``requestfinished``), for :meth:`open`."""

    def open(self, url: str, *, wait_until: str = "load", page: object | None = None) -> object:
        """Go to ``url`` (in ``page``, by default the session's) and return once the page has loaded all it
        must: see :func:`wait_for_page_loads`. After it, any request is one the page made later."""
        page = self.page if page is None else page
        self.finished.clear()  # what this navigation fetches, not what an earlier page did
        page.goto(url, wait_until=wait_until)  # type: ignore[attr-defined]
        wait_for_page_loads(self, page)
        return page

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

    def csp_violations(self) -> list[str]:
        """With ``open_browser(record_csp=True)``: the violations the current page reported (plus
        console messages about the Content Security Policy, which also cover frames)."""
        found = list(self.page.evaluate("() => window.__ppCspViolations || []"))  # type: ignore[attr-defined]
        return found + [m for m in self.console_errors if "Content Security Policy" in m]

    def storage(self) -> dict[str, object]:
        """What the page keeps: localStorage and sessionStorage sizes and document.cookie.

        Material's ``__palette`` entry (the colour scheme the reader picked with the palette toggle,
        never anything the reader typed; tests/test_look.py checks what it holds) is not counted.
        """
        return self.page.evaluate(  # type: ignore[attr-defined]
            "() => ({local: Object.keys(window.localStorage).filter(k => !/(^|[.])__palette$/.test(k)).length,"
            " session: window.sessionStorage.length, cookie: document.cookie})"
        )


# An init script (every context): no transition or animation, before any page script runs. A
# constructed style sheet (adoptedStyleSheets) is CSSOM, not an inline style: the portal's CSP
# (style-src 'self') stays as it is, and a CSP violation would still be seen by record_csp.
NO_MOTION = """
(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; "
    + "scroll-behavior: auto !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
})();
"""

# Run in the page: every web font loaded, every animation the page started (Web Animations API)
# finished, then two frames painted, so what is read or drawn next is the final state.
_STILL = """async () => {
  await document.fonts.ready;
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return document.fonts.status;
}"""

# Before a screenshot that is compared with another: no caret and nothing focused as well.
_SETTLE = """async () => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; "
    + "caret-color: transparent !important; scroll-behavior: auto !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
}"""


def still(page: object) -> None:
    """Wait, on concrete conditions (no clock), until the page is drawn in its final state: fonts
    loaded, animations finished, two frames painted since."""
    status = page.evaluate(_STILL)  # type: ignore[attr-defined]
    assert status == "loaded", f"fonts not loaded: {status}"


def settle(page: object) -> None:
    """Make the page still, deterministically (no waiting on the clock): no transition, animation or
    caret, nothing focused, every web font loaded and two frames painted since."""
    page.evaluate(_SETTLE)  # type: ignore[attr-defined]
    still(page)


# What a loaded page fetches by itself after the load event: the icon it declares (Chromium fetches
# it, every navigation, once the page has loaded; Playwright never reports /favicon.ico) and
# Material's search index (fetched once its scripts run, when the page has the search form).
_AFTER_LOAD = """() => {
  const same = (u) => { try { const url = new URL(u, location.href); return url.origin === location.origin
    && !/[/]favicon[.]ico$/.test(url.pathname) ? url.href.split("#")[0] : null; } catch (e) { return null; } };
  const icon = document.querySelector("link[rel~=icon]");
  let index = null;
  const config = document.getElementById("__config");
  if (config && document.forms.namedItem("search")) {
    try { index = same(new URL("search/search_index.json", new URL(JSON.parse(config.textContent).base, location.href)).href); }
    catch (e) { index = null; }
  }
  return {icon: icon && icon.getAttribute("href") ? same(icon.href) : null, index: index};
}"""


def wait_for_page_loads(browser: Browser, page: object) -> None:
    """Return once ``page`` (after ``load``) has fetched and received what it fetches by itself (its
    icon; the search index, with scripts on) and its fonts are ready. Each is a request waited for by
    its URL, not a quiet moment on the network, so none lands after a test's ``mark()``."""
    if urlsplit(page.url).scheme not in ("http", "https"):  # type: ignore[attr-defined]
        return
    found = page.evaluate(_AFTER_LOAD)  # type: ignore[attr-defined]
    expected = [found["icon"]] + ([found["index"]] if browser.java_script else [])
    for target in filter(None, expected):
        if target not in browser.finished:
            page.wait_for_event("requestfinished", predicate=lambda r, t=target: r.url == t)  # type: ignore[attr-defined]
    if browser.java_script:
        status = page.evaluate("async () => { await document.fonts.ready; return document.fonts.status; }")  # type: ignore[attr-defined]
        assert status == "loaded", f"fonts not loaded: {status}"


def search(page: object, query: str, *, attempts: int = 3, timeout: float = TIMEOUT) -> object:
    """Type ``query`` into Material's search and return the result items (a Locator, at least one).

    Material reads the search field on keyup (and shortly after focus), not on input: a bare
    ``fill`` is missed now and then, so the field is filled and then sees a keyup (End). A
    query sent before the search index is ready is tried again.
    """
    field = page.locator("input[name=query]")  # type: ignore[attr-defined]
    for attempt in range(attempts):
        field.fill(query)
        field.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", state="attached", timeout=timeout)  # type: ignore[attr-defined]
            break
        except Exception:
            if attempt == attempts - 1:
                raise
            field.fill("")
            field.press("End")
    return page.locator(".md-search-result__item")  # type: ignore[attr-defined]


@contextlib.contextmanager
def launch_chromium(extra_args: tuple[str, ...] = ()) -> Iterator[object]:
    """Headless Debian Chromium through Playwright (a ``playwright`` Browser), closed afterwards.

    Launching takes about a second: a test module can launch once (``scope="module"``) and
    pass it to :func:`open_browser` for a fresh context per test. ``extra_args``: more switches
    (``STILL_ARGS`` for screenshots that are compared).
    """
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def open_browser(
    chromium: object | None = None,
    *,
    viewport: tuple[int, int] = (1280, 900),
    java_script: bool = True,
    timezone_id: str | None = None,
    locale: str | None = None,
    block_outside: bool = False,
    record_csp: bool = False,
    still: bool = False,
) -> Iterator[Browser]:
    """A fresh browser context with one page that records requests and console errors.

    ``chromium``: a Browser from :func:`launch_chromium` (one is launched and closed here when None).
    ``timezone_id``/``locale``: the reader's time zone (``America/New_York``) and language.
    ``block_outside``: stop every http(s)/ws request to a host other than 127.0.0.1 (listed in
    ``Browser.blocked``), as a closed intranet would. ``record_csp``: keep CSP violations.
    ``still``: for screenshots to compare: reduced motion, a device scale factor of 1 (see :func:`settle`).
    """
    options = {
        "viewport": viewport,
        "java_script": java_script,
        "timezone_id": timezone_id,
        "locale": locale,
        "block_outside": block_outside,
        "record_csp": record_csp,
        "still": still,
    }
    if chromium is None:
        with launch_chromium() as launched, open_browser(launched, **options) as session:  # type: ignore[arg-type]
            yield session
        return
    extra: dict[str, object] = {}
    if timezone_id:
        extra["timezone_id"] = timezone_id
    if locale:
        extra["locale"] = locale
    if still:
        extra.update(device_scale_factor=1, color_scheme="light")
    context = chromium.new_context(  # type: ignore[attr-defined]
        viewport={"width": viewport[0], "height": viewport[1]},
        service_workers="block",
        java_script_enabled=java_script,
        reduced_motion="reduce",
        **extra,
    )
    try:
        context.set_default_timeout(TIMEOUT)
        context.set_default_navigation_timeout(TIMEOUT)
        context.add_init_script(NO_MOTION)
        if record_csp:
            context.add_init_script(CSP_RECORDER)
        session = Browser(page=None, context=context, java_script=java_script)

        def record(route: object) -> None:
            """Every http(s) request, recorded when it is made (it waits here until it is), and, with
            ``block_outside``, stopped when it leaves 127.0.0.1."""
            request = route.request  # type: ignore[attr-defined]
            parts = urlsplit(request.url)
            if parts.scheme not in ("http", "https"):  # file: (test_offline): recorded from the event
                route.continue_()  # type: ignore[attr-defined]
                return
            session.requests.append(Request(request.url, request.method, request.resource_type, time.monotonic()))
            if block_outside and parts.hostname != "127.0.0.1":
                session.blocked.append(request.url)
                route.abort("blockedbyclient")  # type: ignore[attr-defined]
            else:
                route.continue_()  # type: ignore[attr-defined]

        def other(request: object) -> None:
            """Requests that are not http(s) (file:, ws:), recorded from the event."""
            if urlsplit(request.url).scheme not in ("http", "https"):  # type: ignore[attr-defined]
                session.requests.append(Request(request.url, request.method, request.resource_type, time.monotonic()))  # type: ignore[attr-defined]

        context.route("**/*", record)
        context.on("request", other)
        context.on("requestfinished", lambda request: session.finished.add(request.url))
        page = context.new_page()
        session.page = page
        page.on("console", lambda message: session.console_errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: session.page_errors.append(str(error)))
        yield session
    finally:
        context.close()
