"""Cold builds: the missing documents render in helper processes while MkDocs builds the pages (issue 17).

The plugin starts them in on_config (build.run(overlap=True)) and writes them into the staging
directory in on_post_build (build.collect), before site/ is swapped in. A build that fails in
between stops them: no helper outlives the build, site/ stays as it was.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from conftest import Project, tree_digest

EPOCH = "1800000000"
MAIN = '{% extends "base.html" %}\n{% block content %}\n{{ super() }}\n{{ "{0.__class__.__mro__}".format(config) }}\n{% endblock %}\n'


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (a build's helpers carry their build's environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ:
            found.append(int(entry.name))
    return found


def test_a_build_failing_after_on_config_leaves_no_helper_and_the_site_untouched(make_project, tmp_path: Path) -> None:
    """The theme refuses a page while the documents are rendering (an empty cache): the build fails with
    its one message, the previous site/ is kept, and no helper process is left."""
    project = make_project("full")
    project.write("mkdocs.yml", project.read("mkdocs.yml").replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    project.write("overrides/.keep", "")
    first = project.build(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert first.ok, first
    before = tree_digest(project.path("site"))
    project.write("overrides/main.html", MAIN)
    marker = f"pp-overlap-{os.getpid()}-{tmp_path.name}"
    cache = tmp_path / "empty-cache"
    result = project.build(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR=str(cache), PP_TEST_MARKER=marker)
    assert not result.ok, result
    assert "overrides/main.html:4:1" in result.output and "Traceback" not in result.output, result.output
    assert tree_digest(project.path("site")) == before, "the previous site/ changed"
    assert _processes_with(marker) == [], "a helper process outlived the failed build"


def test_abandon_stops_the_helpers_of_a_run_that_will_not_be_published(project: Project) -> None:
    """The core alone: run(overlap=True) leaves the documents rendering; abandon() ends every helper at once."""
    from program_portal import build
    from program_portal.render.downloads import DownloadCache, start_downloads

    portal = project.report().portal
    pending = start_downloads(portal, dtstamp=datetime(2027, 1, 1, tzinfo=timezone.utc), cache=DownloadCache(), jobs=2)
    processes = list(pending._rendering._pool._processes.values())
    assert pending.running and processes
    pending.cancel()
    assert not pending.running
    assert not any(p.is_alive() for p in processes)
    pending.cancel()  # more than once: nothing happens
    assert build.abandon(None) is None


def test_check_renders_no_document(project: Project, tmp_path: Path) -> None:
    """``program-portal check`` runs every check but renders no Word or PDF file (nor caches one)."""
    cache = tmp_path / "cache"
    result = project.check(PROGRAM_PORTAL_CACHE_DIR=str(cache))
    assert result.ok, result
    documents = [p for p in cache.rglob("*") if p.is_file() and p.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")]
    assert documents == [], "check rendered documents"


def test_a_build_whose_checks_fail_stops_the_documents_it_started(make_project, tmp_path: Path) -> None:
    """The documents start rendering as soon as program.yml is loaded, before the checks: a check that fails
    later still fails the build with its own message alone, keeps site/, leaves no helper and stores no
    document in the cache (nothing of a refused program is kept)."""
    project = make_project("full")
    first = project.build(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert first.ok, first
    before = tree_digest(project.path("site"))
    project.write("content/contact.md", "# Contact\n\nWrite to jane.doe@corp.example about your mentor.\n")
    marker = f"pp-overlap-checks-{os.getpid()}-{tmp_path.name}"
    cache = tmp_path / "empty-cache"
    result = project.build(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR=str(cache), PP_TEST_MARKER=marker)
    assert not result.ok, result
    assert result.diagnostics() == [d for d in result.diagnostics() if "PV001" in d] and result.diagnostics(), result.output
    assert tree_digest(project.path("site")) == before, "the previous site/ changed"
    assert _processes_with(marker) == [], "a helper process outlived the failed build"
    documents = [p for p in cache.rglob("*") if p.is_file() and p.read_bytes()[32:36] in (b"%PDF", b"PK\x03\x04")]
    assert documents == [], "a document of the refused build was kept"


def test_a_broken_template_body_is_reported_once(project: Project) -> None:
    """The downloads, started early, meet the same broken placeholder as the template's page: one message."""
    project.write("content/templates/agreement.md", "## How to use this agreement\n\nFill in {{ template.title }\n")
    result = project.build(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert not result.ok, result
    [line] = result.diagnostics()
    assert line.startswith("content/templates/agreement.md:3:") and "PF015" in line, result.output
