"""The download cache on disk, parallel rendering and live-preview reuse (issue 11), with real builds."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from conftest import Project, env

EPOCH = "1800000000"


def cache_entries(directory: Path) -> dict[str, int]:
    """Cache files by name, with their modification times."""
    return {p.name: p.stat().st_mtime_ns for p in directory.glob("??/*") if p.is_file()}


def site_digest(project: Project) -> dict[str, str]:
    site = project.path("site")
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}


def test_the_cache_lives_beside_mkdocs_yml_is_reused_and_pruned(project: Project) -> None:
    first = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert first.ok, first
    cache = project.path(".cache/program-portal")
    entries = cache_entries(cache)
    assert entries, "a build keeps its downloads in .cache/program-portal/"
    site = site_digest(project)

    second = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert second.ok, second
    assert cache_entries(cache) == entries, "a warm build reads the cache and writes nothing"
    assert site_digest(project) == site

    project.edit("program.yml", "title: Mentoring agreement", "title: Our mentoring agreement")
    third = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert third.ok, third
    after = cache_entries(cache)
    kept = set(after) & set(entries)
    assert kept and all(after[name] == entries[name] for name in kept), "documents of other templates are reused"
    gone = set(entries) - set(after)
    new = set(after) - set(entries)
    # the agreement's .docx and .pdf, the at-a-glance PDF (its promises name the agreement), and what is
    # keyed by the whole program.yml: the calendars, the generated pages, the download sources, the
    # at-a-glance source and the rendered texts the privacy scan reads (render/kept.py): replaced, and the
    # old entries pruned
    assert len(gone) == len(new) == 8


def test_cache_options_move_it_or_switch_it_off(make_project) -> None:
    moved = make_project("full")
    moved.write("mkdocs.yml", moved.read("mkdocs.yml").replace("  - program-portal", "  - program-portal:\n      cache_dir: build-cache"))
    result = moved.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert result.ok, result
    assert cache_entries(moved.path("build-cache")) and not moved.path(".cache").exists(), sorted(p.as_posix() for p in moved.path(".cache").rglob("*"))[:5]

    off = make_project("full")
    off.write("mkdocs.yml", off.read("mkdocs.yml").replace("  - program-portal", "  - program-portal:\n      cache: false"))
    result = off.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
    assert result.ok, result
    assert not off.path(".cache").exists()
    assert site_digest(off) == site_digest(moved), "the cache changes no byte of the site"


def test_parallel_rendering_gives_the_same_bytes_as_serial(project: Project) -> None:
    import gc

    from program_portal.render.downloads import DownloadCache, build_downloads
    from program_portal.render.pages.portal import Portal

    portal = Portal(project.report().loaded)
    stamp = datetime(2027, 1, 1, tzinfo=timezone.utc)
    serial_cache, parallel_cache = DownloadCache(), DownloadCache()
    serial = build_downloads(portal, dtstamp=stamp, cache=serial_cache, jobs=1)
    parallel = build_downloads(portal, dtstamp=stamp, cache=parallel_cache, jobs=2)
    assert serial == parallel
    assert gc.get_freeze_count() == 0, "the build's objects are frozen only while the helpers are forked"
    assert sorted(serial_cache.generated) == sorted(parallel_cache.generated)
    assert len(parallel_cache.generated) == 2 * len(portal.program.templates) + 1  # + the at-a-glance PDF


def test_a_rebuild_reuses_the_program_until_program_yml_or_a_body_changes(project: Project) -> None:
    first = project.report()
    assert not first.errors and first.loaded is not None
    again = project.report()
    assert again.loaded is first.loaded and again.pages is first.pages, "nothing changed: reused"

    project.write("content/extra.md", "# Extra\n\nA new page.\n")
    with_page = project.report()
    assert with_page.loaded is first.loaded and "extra.md" in with_page.content

    body = next(iter(first.loaded.bodies))
    project.write(f"content/{body}", project.read(f"content/{body}") + "\nOne more line.\n")
    edited = project.report()
    assert edited.loaded is not first.loaded and "One more line." in edited.loaded.bodies[body]

    project.edit("program.yml", "title: Mentoring agreement", "title: Our mentoring agreement")
    retitled = project.report()
    assert retitled.loaded is not edited.loaded
    assert "Our mentoring agreement" in "".join(retitled.pages.pages.values())

    project.edit("program.yml", "version: 1", "version: 2")
    broken = project.report()
    assert broken.errors, "a bad edit is reported, not hidden by an earlier result"


def test_pruning_removes_only_what_the_cache_wrote(tmp_path: Path) -> None:
    from program_portal.render.downloads.cache import DownloadCache

    stale, kept = "ab" + "0" * 62, "ab" + "1" * 62
    for rel in (f"ab/{stale}", f"ab/{kept}", "ab/notes.md", f"cd/{stale}", "xy/report.docx", "ab.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("designer's file")
    assert DownloadCache(tmp_path).prune(keep={kept}) == 1
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["ab.txt", f"ab/{kept}", "ab/notes.md", f"cd/{stale}", "xy/report.docx"]


def test_a_parallel_build_publishes_the_same_bytes_as_a_serial_one(make_project) -> None:
    """The whole site under SOURCE_DATE_EPOCH, downloads rendered in this process (jobs: 1) and in helpers (jobs: 2)."""
    sites = []
    for jobs in (1, 2):
        project = make_project("full")
        project.write("mkdocs.yml", project.read("mkdocs.yml").replace("  - program-portal", f"  - program-portal:\n      jobs: {jobs}"))
        result = project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="")
        assert result.ok, result
        sites.append(site_digest(project))
    serial, parallel = sites
    assert any(path.endswith(".pdf") for path in serial) and any(path.endswith(".docx") for path in serial)
    assert serial == parallel


def test_helpers_started_from_a_process_with_threads_give_the_same_bytes(project: Project) -> None:
    """As in ``mkdocs serve`` (a file watcher and a server thread): no fork of a threaded process; the
    documents rendered by the fork server's helpers are those of a serial build, in the same order."""
    import threading

    from program_portal.render.downloads import DownloadCache, build_downloads, parallel

    portal = project.report().portal
    stamp = datetime(2027, 1, 1, tzinfo=timezone.utc)
    serial = build_downloads(portal, dtstamp=stamp, cache=DownloadCache(), jobs=1)
    stop = threading.Event()
    watcher = threading.Thread(target=stop.wait, daemon=True)
    watcher.start()
    try:
        assert parallel._context().get_start_method() != "fork", "a process with threads is never forked"
        threaded = build_downloads(portal, dtstamp=stamp, cache=DownloadCache(), jobs=2)
    finally:
        stop.set()
        watcher.join()
    assert list(threaded) == list(serial), "the same files in the same order"
    assert threaded == serial


def test_the_pdf_style_is_shared_and_a_document_does_not_depend_on_the_ones_before(project: Project) -> None:
    """One font configuration and style sheet per process: a document rendered after others has the bytes
    it has alone in a fresh process."""
    import subprocess
    import sys

    from program_portal.render.downloads import pdf, sources
    from program_portal.render.downloads.document import parse

    portal = project.report().portal
    docs = [pdf.html_document(pdf.prepare(parse(s.standalone)), title=s.title, program_title="P", organisation="O",
                              lang="en", paper="a4", created=datetime(2027, 1, 1, tzinfo=timezone.utc)) for s in sources(portal)]
    assert len(docs) >= 2
    after_others = [pdf.render(html) for html in docs]
    assert pdf.shared_style() is pdf.shared_style()
    script = "import sys; from program_portal.render.downloads import pdf; sys.stdout.buffer.write(pdf.render(sys.stdin.read()))"
    alone = subprocess.run([sys.executable, "-c", script], input=docs[-1].encode(), capture_output=True, check=True).stdout
    assert alone == after_others[-1]


def test_a_parallel_render_leaves_no_temporary_files(project: Project, tmp_path: Path) -> None:
    """Helpers end without exit handlers: what they keep in temporary files (the PDF fonts) is removed all the same."""
    import os
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    script = (
        "from datetime import datetime, timezone\n"
        "from pathlib import Path\n"
        "from program_portal.build import check_project\n"
        "from program_portal.render.downloads import DownloadCache, build_downloads\n"
        "if __name__ == '__main__':\n"
        f"    root = Path({str(project.root)!r})\n"
        "    report = check_project(root, root / 'program.yml', root / 'content', files=False)\n"
        "    build_downloads(report.portal, dtstamp=datetime(2027, 1, 1, tzinfo=timezone.utc), cache=DownloadCache(), jobs=2)\n"
    )
    (tmp_path / "render.py").write_text(script, encoding="utf-8")
    subprocess.run([sys.executable, str(tmp_path / "render.py")], env={**os.environ, "TMPDIR": str(scratch)}, check=True, timeout=300)
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_check_leaves_nothing_in_the_cache_and_a_rebuild_keeps_every_entry(project: Project, tmp_path: Path) -> None:
    """``check`` reads the cache a build left but writes nothing there (only a build prunes it); a live-preview
    rebuild in the same process reuses what it derived from memory and keeps it on disk for the next build."""
    assert project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="").ok
    cache = project.path(".cache/program-portal")
    entries = cache_entries(cache)
    project.edit("program.yml", "title: Mentoring agreement", "title: Our mentoring agreement")
    assert project.check(PROGRAM_PORTAL_CACHE_DIR="").ok
    assert cache_entries(cache) == entries, "check wrote to the cache"

    assert project.build("--strict", SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR="").ok
    entries = cache_entries(cache)
    # a build, then a rebuild in the same process after an edit of content/index.md, as mkdocs serve does
    child = Path(__file__).resolve().parents[1] / "benchmarks" / "child.py"
    proc = subprocess.run([sys.executable, str(child), str(project.root), "rebuild"], capture_output=True, text=True,
                          env=env(SOURCE_DATE_EPOCH=EPOCH, PROGRAM_PORTAL_CACHE_DIR=""), timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert set(cache_entries(cache)) == set(entries), "the rebuild dropped (or added) cache entries"
