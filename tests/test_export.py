"""``program-portal export``: the exported project built by Zensical, ProperDocs and MkDocs, without the plugin.

The example is exported once (fixed SOURCE_DATE_EPOCH) and built by each engine in a
subprocess where ``import program_portal`` fails (a stand-in package that raises comes
first on PYTHONPATH) and, where the machine allows it, with no network at all. Each build
must publish exactly the pages and files of the plugin build (theme files aside: each engine
ships its own theme), the downloads and calendars byte for byte, and the
Content-Security-Policy on every page.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml

from browser_support import DEFAULT_EPOCH, REPO, build_site, no_network_wrapper
from conftest import CLI, Project, cli, env
from program_portal.export.theme import ZENSICAL_SEARCH_STYLE

BIN = Path(sys.executable).parent
ENGINES = {
    "zensical": ["zensical", "build"],
    "properdocs": ["properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", "site-properdocs"],
    "mkdocs": ["mkdocs", "build", "--strict", "-d", "site-mkdocs"],
}
SITE_DIRS = {"zensical": "site", "properdocs": "site-properdocs", "mkdocs": "site-mkdocs"}
# What each engine's theme ships (bundles, search index, sitemap) and the export's own theme
# scripts: not compared. Everything else (pages, downloads, calendars, the portal's CSS and
# JavaScript, the designer's files) must be the same set.
THEME_FILE = re.compile(r"^(assets/(javascripts|stylesheets|images)/|assets/program-portal/theme/|search/|search\.json$|sitemap\.xml(\.gz)?$)")
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]+)">')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
# Elements that make the browser fetch (a canonical link is only an address).
EXTERNAL_LOAD = re.compile(r"<(?:(?:script|img|iframe|source)\b[^>]*\ssrc|link\b(?![^>]*rel=\"(?:canonical|alternate)\")[^>]*\shref)=\"(?:https?:)?//", re.I)


def published(site: Path) -> dict[str, str]:
    """Every published file but the theme's, with the SHA-256 of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not THEME_FILE.match(p.relative_to(site).as_posix())
    }


def differences(plugin: set[str], export: set[str]) -> str:
    return f"only in the plugin build: {sorted(plugin - export)}\nonly in the export build: {sorted(export - plugin)}"


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "download-cache"  # shared with the other modules that build the example
    cache.mkdir(exist_ok=True)
    return cache


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    return build_site(REPO, tmp_path_factory.mktemp("plugin-site"), cache_dir=cache_dir)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("export") / "portal"
    result = cli(REPO, "export", str(out), SOURCE_DATE_EPOCH=DEFAULT_EPOCH, PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.ok, result
    return out


@pytest.fixture(scope="module")
def without_plugin(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PYTHONPATH on which ``import program_portal`` fails: the engines must not need it."""
    poison = tmp_path_factory.mktemp("no-plugin")
    (poison / "program_portal").mkdir()
    (poison / "program_portal" / "__init__.py").write_text("raise ImportError('the export must build without program-portal')\n")
    return str(poison)


@pytest.fixture(scope="module")
def built(exported: Path, without_plugin: str) -> dict[str, Path]:
    """The export built by each engine, without the plugin (and without any network where possible)."""
    wrapper = no_network_wrapper() or ()
    sites = {}
    for engine, command in ENGINES.items():
        result = subprocess.run(
            [*wrapper, str(BIN / command[0]), *command[1:]], cwd=exported, capture_output=True, text=True, timeout=300,
            env=env(PYTHONPATH=without_plugin, SOURCE_DATE_EPOCH=DEFAULT_EPOCH),
        )
        output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
        assert result.returncode == 0, f"{engine} build failed:\n{output}"
        if engine == "zensical":
            assert "No issues found" in output, output
        sites[engine] = exported / SITE_DIRS[engine]
    return sites


def test_exported_configuration_applies_the_intranet_rules(exported: Path) -> None:
    config = yaml.safe_load((exported / "mkdocs.yml").read_text(encoding="utf-8"))
    source = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == source["site_name"] and config["site_url"] == source["site_url"]
    assert config["theme"]["font"] is False and config["extra"]["generator"] is False
    assert config["theme"]["palette"] == source["theme"]["palette"] and config["theme"]["language"] == "en"
    assert config["theme"]["custom_dir"] == "overrides" and config["docs_dir"] == "docs" and config["theme"]["variant"] == "classic"
    assert "!templates/" in config["exclude_docs"].splitlines()
    assert "program-portal" not in str(config["plugins"]) and config["hooks"] == ["hooks/markdown_downloads.py"]
    assert config["nav"][0] == {"Home": "index.md"} and {"Calendar": "calendar/index.md"} in config["nav"]
    assert {"attr_list", "md_in_html", "tables", "admonition"} <= {next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]}
    assert "assets/program-portal/fillin.js" in config["extra_javascript"]
    # The designer's pages arrive with their placeholders rendered.
    home = (exported / "docs" / "index.md").read_text(encoding="utf-8")
    assert "{{" not in home and "Leadership Mentoring" in home


@pytest.mark.slow
@pytest.mark.parametrize("engine", list(ENGINES))
def test_each_engine_publishes_the_plugin_builds_pages_and_files(built: dict[str, Path], plugin_site: Path, engine: str) -> None:
    plugin, export = published(plugin_site), published(built[engine])
    assert set(export) == set(plugin), f"{engine}: {len(export)} files, plugin build {len(plugin)}\n" + differences(set(plugin), set(export))
    files = [p for p in plugin if p.startswith("downloads/") or p.endswith(".ics")]
    assert len(files) > 30 and any(p.endswith(".md") for p in files)
    changed = [p for p in files if plugin[p] != export[p]]
    assert changed == [], f"{engine}: downloads or calendars differ from the plugin build: {changed}"
    assert sum(p.endswith(".html") for p in export) == sum(p.endswith(".html") for p in plugin) > 20


@pytest.mark.slow
@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_page_has_the_policy_and_loads_nothing_from_elsewhere(built: dict[str, Path], plugin_site: Path, engine: str) -> None:
    site = built[engine]
    plugin_policy = CSP_META.search((plugin_site / "404.html").read_text(encoding="utf-8"))
    assert plugin_policy
    # The plugin's policy, less the hashes of inline scripts: the export's pages have none.
    expected = re.sub(r" 'sha256-[^']+'", "", html.unescape(plugin_policy.group("policy")))
    assert "script-src 'self';" in expected
    # ... and one style element allowed by its hash: the search dialog of Zensical's bundle.
    expected = expected.replace("style-src 'self'", f"style-src 'self' {ZENSICAL_SEARCH_STYLE}")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        match = CSP_META.search(text)
        assert match, f"{engine}: {rel} has no Content-Security-Policy"
        assert html.unescape(match.group("policy")) == expected, f"{engine}: {rel}: another policy"
        assert text.index("Content-Security-Policy") < text.index("<script"), f"{engine}: {rel}: a script before the policy"
        assert INLINE_SCRIPT.findall(text) == [], f"{engine}: {rel}: inline script the policy would block"
        assert EXTERNAL_LOAD.findall(text) == [], f"{engine}: {rel}: loads from another host"


@pytest.mark.slow
@pytest.mark.parametrize("engine", list(ENGINES))
def test_download_links_reach_the_published_files(built: dict[str, Path], engine: str) -> None:
    site = built[engine]
    checked = 0
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        base = "http://portal.test/" + rel
        for href in re.findall(r'href="([^"]*downloads/[^"]*)"', page.read_text(encoding="utf-8")):
            target = unquote(urljoin(base, href.strip())).removeprefix("http://portal.test/")
            assert (site / target).is_file(), f"{engine}: {rel} links to {href!r}, which is not published"
            checked += 1
    assert checked > 40


def test_export_refuses_a_directory_that_is_not_an_export(project: Project, tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = cli(project.root, "export", str(out), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "is not empty and holds no previous export" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    inside = cli(project.root, "export", str(project.path("content/out")))
    assert inside.returncode == 1 and "must not be inside docs_dir" in inside.stderr


def test_export_again_removes_what_is_gone_and_nothing_else(project: Project, tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "out"
    assert cli(project.root, "export", str(out), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir)).ok
    assert (out / "docs" / "about" / "faq.md").is_file()
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("a build")
    project.remove("content/about/faq.md")
    result = cli(project.root, "export", str(out), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.ok, result
    assert not (out / "docs" / "about").exists()
    assert (out / "site" / "index.html").read_text() == "a build"


def test_export_of_refused_site_settings_writes_nothing(project: Project, tmp_path: Path, cache_dir: Path) -> None:
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("extra:\n", "extra:\n  analytics:\n    provider: google\n    property: G-X\n"))
    out = tmp_path / "out"
    result = cli(project.root, "export", str(out), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.returncode == 1 and "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if "PV004" in line] == [
        "mkdocs.yml:1:1: error PV004: extra.analytics is not allowed: the portal records nothing about its readers; remove it"
    ]
    assert not out.exists()


def test_export_keeps_yaml_tags_and_copies_the_designers_theme_files(project: Project, tmp_path: Path, cache_dir: Path) -> None:
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n")
                  + "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
                  + "copyright: !ENV [PORTAL_COPYRIGHT, 'Fixture Org']\n")
    project.write("overrides/partials/copyright.html", "<p>ours</p>\n")
    project.write("content/images/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    untrusted = tmp_path / "untrusted"  # the export is built without the portal's sandbox: a repository's template needs trust
    result = cli(project.root, "export", str(untrusted), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.ok, result
    assert not (untrusted / "overrides" / "partials" / "copyright.html").exists()
    assert "overrides/partials/copyright.html is not exported: the exported project is built without the portal's theme sandbox" in result.output
    out = tmp_path / "out"
    result = cli(project.root, "export", "--trusted-config", str(out), PROGRAM_PORTAL_CACHE_DIR=str(cache_dir))
    assert result.ok, result
    text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "emoji_generator: !!python/name:material.extensions.emoji.to_svg" in text
    assert "copyright: !ENV" in text and "PORTAL_COPYRIGHT" in text
    assert (out / "overrides" / "partials" / "copyright.html").read_text() == "<p>ours</p>\n"
    assert (out / "docs" / "images" / "logo.svg").is_file()
    build = subprocess.run([str(BIN / "mkdocs"), "build", "--strict"], cwd=out, capture_output=True, text=True, timeout=300, env=env())
    assert build.returncode == 0, build.stderr
    assert "<p>ours</p>" in (out / "site" / "index.html").read_text(encoding="utf-8")


def test_watch_exports_again_and_zensical_serve_shows_the_edit(project: Project, tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "out"
    page = out / "docs" / "program" / "index.md"
    port = free_port()
    watcher = subprocess.Popen([CLI, "export", str(out), "--watch"], cwd=project.root, env=env(PROGRAM_PORTAL_CACHE_DIR=str(cache_dir)),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = None
    try:
        assert wait_for(lambda: (out / "mkdocs.yml").is_file() and "Fixture Mentoring Programme" in page.read_text(encoding="utf-8"), 120), "no first export"
        server = subprocess.Popen([str(BIN / "zensical"), "serve", "-a", f"127.0.0.1:{port}"], cwd=out, env=env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        served = f"http://127.0.0.1:{port}/program/"
        assert wait_for(lambda: "Fixture Mentoring Programme" in fetch(served), 60), "zensical serve did not start"

        project.edit("program.yml", "title: Fixture Mentoring Programme", "title: Renamed Mentoring Programme")
        assert wait_for(lambda: "Renamed Mentoring Programme" in page.read_text(encoding="utf-8"), 120), "no export after the edit"
        assert wait_for(lambda: "Renamed Mentoring Programme" in fetch(served), 60), "zensical serve still shows the old title"

        project.write("content/about/new.md", "# A new page\n\nFor {{ program.title }}.\n")
        new = out / "docs" / "about" / "new.md"
        assert wait_for(lambda: new.is_file() and "For Renamed Mentoring Programme." in new.read_text(encoding="utf-8"), 120)
        assert "about/new.md" in (out / "mkdocs.yml").read_text(encoding="utf-8")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        watcher.terminate()
        output = watcher.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    assert output.count("exported ") >= 3, output


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    from urllib.request import ProxyHandler, build_opener

    try:
        with build_opener(ProxyHandler({})).open(url, timeout=5) as response:  # 127.0.0.1, never a proxy
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    """Poll ``condition`` every 0.2 s for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass  # a file being replaced
        time.sleep(0.2)
    return False


# -- the Zensical build in Chromium --------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("engine", ["zensical", "properdocs"])
def test_build_fills_in_tallies_plans_and_stays_local(built: dict[str, Path], engine: str) -> None:
    from playwright.sync_api import expect

    from browser_support import launch_chromium, open_browser, search, serve

    program = yaml.safe_load((REPO / "program.yml").read_text(encoding="utf-8"))
    contract = next(t["id"] for t in program["templates"] if t["kind"] == "contract")
    checklist = next(t["id"] for t in program["templates"] if t["kind"] == "checklist")
    with serve(built[engine]) as server, launch_chromium() as chromium:
        with open_browser(chromium, block_outside=True, record_csp=True, timezone_id="America/New_York") as browser:
            page = browser.open(server.url(f"templates/{contract}/"))
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
            # the theme's bootstrap, shipped as a file instead of an inline script, ran
            assert page.evaluate("() => typeof __md_get === 'function' && __md_scope.pathname") == "/"
            mark = browser.mark()
            blanks = page.locator(".pp-blank")
            assert blanks.count() > 3
            for n in range(blanks.count()):
                blanks.nth(n).click()
                page.keyboard.type(f"Typed {n}")
                assert blanks.nth(n).input_value() == f"Typed {n}"
            assert browser.requests_since(mark) == []

            page = browser.open(server.url(f"templates/{checklist}/"))
            boxes, tally = page.locator("input.pp-check"), page.locator("[data-pp-tally]")
            total = boxes.count()
            assert total > 0
            expect(tally).to_have_text(re.compile(f"^0 of {total} checked"))
            boxes.nth(0).check()
            expect(tally).to_have_text(re.compile(f"^1 of {total} checked"))

            page = browser.open(server.url("calendar/"))
            expect(page.locator(".pp-localtime").first).to_be_attached()  # a New York reader sees local times

            page = browser.open(server.url("guides/executive/"))
            planner = page.locator("[data-pp-planner]")
            planner.locator("input[type=date]").fill("2027-02-01")
            planner.locator("input[type=time]").fill("09:30")
            expect(planner.locator(".pp-planner-dates time").nth(3)).to_be_attached()
            assert planner.get_by_role("button", name="Download these dates (.ics)").is_enabled()

            page = browser.open(server.url(""))
            if engine == "zensical":  # its own search dialog (styles in a shadow root, allowed by hash)
                page.keyboard.press("/")
                page.keyboard.type("mentor")
                expect(page.get_by_text(re.compile(r"^\d+ results$"))).to_be_visible()
            else:
                assert search(page, "mentor").count() > 0

            assert browser.blocked == [] and browser.external_requests() == []
            assert browser.csp_violations() == []
            assert browser.console_errors == [] and browser.page_errors == []
            # Nothing the reader typed is kept. Both themes write the colour scheme (the example has a
            # palette with a light/dark toggle) to localStorage on every load, and nothing else.
            kept = page.evaluate("() => ({keys: Object.keys(localStorage), all: JSON.stringify({...localStorage, ...sessionStorage})})")
            assert kept["keys"] == ["/.__palette"], kept
            assert "Typed" not in kept["all"] and browser.storage()["session"] == 0 and browser.storage()["cookie"] == ""
