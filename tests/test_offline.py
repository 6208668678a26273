"""The offline pack (``make offline``): a zip of the portal that works from a file share.

The module runs the real Makefile target into a temporary directory (without letting it
reinstall the virtualenv or node_modules that other tests are using), unzips the pack and
opens it from ``file://`` in headless Chromium: pages render with the portal's styles and
scripts, every local link and download exists and downloads, search returns results, and
the browser requests nothing but ``file:`` URLs (no CSP violation, no console error).

It needs GNU make and the npm package iframe-worker (package.json; ``npm ci``): without them
the tests skip, except in CI, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_support import DEFAULT_EPOCH, REPO, Browser, launch_chromium, no_network_wrapper, open_browser, page_types, require_chromium, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHIM = REPO / "node_modules" / "iframe-worker" / "shim" / "index.js"
# A file share has no server to answer a missing page: the pack leaves out 404.html, whose
# links start at the server's root (/assets/...).
PAGES = {kind: path for kind, path in page_types(REPO).items() if kind != "404"}
SEEN = {"pages": 0, "requests": 0, "violations": 0}
BUILT_WITHOUT_NETWORK: list[bool] = []


def need(condition: bool, message: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: not skipping)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``make offline`` into a temporary directory; returns the zip."""
    require_chromium()
    need(shutil.which("make") is not None, "the offline pack is built by `make offline`: GNU make is missing")
    need(SHIM.is_file(), "the offline pack needs npm's iframe-worker (package.json): run `npm ci`")
    out = tmp_path_factory.mktemp("offline")
    venv = Path(sys.prefix)
    cache = tmp_path_factory.getbasetemp() / "download-cache"
    cache.mkdir(exist_ok=True)
    wrapper = no_network_wrapper() or ()  # where allowed, prove the build needs no network
    result = subprocess.run(
        [
            *wrapper,
            "make", "--no-print-directory",
            "-o", f"{venv}/.installed", "-o", "node_modules/.package-lock.json",  # use what is installed, install nothing
            "offline", f"VENV={venv}", f"OFFLINE_DIR={out}",
        ],
        cwd=REPO,
        env={**os.environ, "SOURCE_DATE_EPOCH": DEFAULT_EPOCH, "PROGRAM_PORTAL_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, f"make offline failed:\n{result.stdout}\n{result.stderr}"
    zipped = out / "portal-offline.zip"
    assert zipped.is_file(), result.stdout
    BUILT_WITHOUT_NETWORK.append(bool(wrapper))
    return zipped


@pytest.fixture(scope="module")
def unpacked(pack: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("file-share")
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(target)
    return target / "portal-offline"


@pytest.fixture(scope="module")
def chromium(unpacked: Path):
    with launch_chromium() as launched:
        yield launched


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(f"\n[test_offline] pages checked: {SEEN['pages']}, requests seen: {SEEN['requests']}, violations found: {SEEN['violations']}")


def offline_path(root: Path, url_path: str) -> Path:
    """The file a ``use_directory_urls: true`` path becomes with ``use_directory_urls: false``."""
    if url_path == "":
        return root / "index.html"
    if url_path.endswith("/"):
        index = root / url_path / "index.html"
        return index if index.is_file() else root / (url_path.rstrip("/") + ".html")
    return root / url_path


def not_file_requests(browser: Browser) -> list[str]:
    return [r.url for r in browser.requests if urlsplit(r.url).scheme not in ("file", "data", "blob", "about")]


def check(browser: Browser, what: str) -> None:
    found = [f"not a file: request: {u}" for u in not_file_requests(browser)]
    found += [f"blocked: {u}" for u in browser.blocked]
    found += [f"CSP: {v}" for v in browser.csp_violations()]
    found += [f"console: {m}" for m in browser.console_errors if "Content Security Policy" not in m]
    found += [f"page error: {e}" for e in browser.page_errors]
    SEEN["pages"] += 1
    SEEN["requests"] += len(browser.requests)
    SEEN["violations"] += len(found)
    assert found == [], f"{what}: " + "\n".join(found)


def test_the_zip_is_reproducible_in_shape(pack: Path) -> None:
    """Fixed timestamps (SOURCE_DATE_EPOCH), sorted entries, one top folder, the shim inside."""
    with zipfile.ZipFile(pack) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert all(n.startswith("portal-offline/") for n in names)
    assert names == sorted(names, key=lambda n: n.split("/")), "entries in a stable (sorted) order"
    stamp = time.gmtime(int(DEFAULT_EPOCH))[:6]
    assert {i.date_time for i in infos} == {stamp}
    for required in ("index.html", "search/search_index.js", "assets/vendor/iframe-worker/shim.js", "assets/vendor/iframe-worker/LICENSE"):
        assert f"portal-offline/{required}" in names, required
    assert "portal-offline/404.html" not in names


def test_the_pack_was_built_without_a_network(pack: Path) -> None:
    if not BUILT_WITHOUT_NETWORK[0]:
        pytest.skip("cannot cut the build off the network here (unshare -n needs root): built normally")
    assert pack.stat().st_size > 0


def test_no_page_links_to_the_internet(unpacked: Path) -> None:
    shim = "assets/vendor/iframe-worker/shim.js"
    for html in unpacked.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "fonts.googleapis" not in text, html
        assert shim in text, f"{html}: the local iframe-worker shim is not loaded"


@pytest.mark.parametrize("kind", list(PAGES), ids=list(PAGES))
def test_every_page_type_renders_from_file(unpacked: Path, chromium: object, kind: str) -> None:
    path = offline_path(unpacked, PAGES[kind])
    assert path.is_file(), path
    with open_browser(chromium, record_csp=True, block_outside=True) as browser:
        page = browser.open(path.as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        assert page.locator("article h1").count() == 1
        assert page.locator(".md-header").evaluate("e => getComputedStyle(e).backgroundColor") not in ("", "rgba(0, 0, 0, 0)")
        links = page.evaluate("() => Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'), e => e.href || e.src)")
        missing = []
        for url in {u.split("#")[0] for u in links if u.startswith("file:")}:
            target = Path(unquote(urlsplit(url).path))
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(url)
        assert missing == [], f"{kind}: links to missing files: {sorted(missing)}"
        if kind in ("contract", "checklist"):
            assert page.locator(".pp-blank, input.pp-check").count() > 0
        if kind == "checklist":
            boxes, tally = page.locator("input.pp-check"), page.locator("[data-pp-tally]")
            boxes.first.check()
            assert tally.inner_text().startswith(f"1 of {boxes.count()} checked")
        check(browser, kind)


def test_a_download_link_downloads_from_the_share(unpacked: Path, chromium: object) -> None:
    with open_browser(chromium, record_csp=True, block_outside=True) as browser:
        page = browser.open(offline_path(unpacked, PAGES["contract"]).as_uri(), wait_until="load")
        link = page.locator(".pp-toolbar a[href$='.docx']").first
        href = link.get_attribute("href")
        target = (offline_path(unpacked, PAGES["contract"]).parent / href).resolve()
        assert target.is_file() and target.stat().st_size > 0, target
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == target.name
        assert Path(download.path()).read_bytes() == target.read_bytes()
        check(browser, "download")


def test_search_works_from_file(unpacked: Path, chromium: object) -> None:
    with open_browser(chromium, record_csp=True, block_outside=True) as browser:
        page = browser.open((unpacked / "index.html").as_uri(), wait_until="load")
        items = search(page, "agreement")
        assert items.count() > 0
        first = items.first.locator("a").first
        href = first.get_attribute("href")
        assert href.startswith("file://") and ".html" in href, href
        first.click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and page.locator("article h1").count() == 1
        check(browser, "search")
