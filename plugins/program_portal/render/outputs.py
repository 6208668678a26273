"""The files a build adds beside the pages: calendars, downloads and the portal's own CSS and JavaScript."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from program_portal.render.pages.portal import Portal
from program_portal.stages import stage
from program_portal.render.site import calendar_files, dtstamp_from_epoch

ASSET_DIR = "assets/program-portal"
STYLESHEETS = (f"{ASSET_DIR}/portal.css", f"{ASSET_DIR}/a11y.css", f"{ASSET_DIR}/print.css")
SCRIPTS = (f"{ASSET_DIR}/portal.js", f"{ASSET_DIR}/fillin.js")
ASSET_FILES = ("portal.css", "a11y.css", "print.css", "portal.js", "fillin.js")


def assets(paper: str = "a4") -> dict[str, bytes]:
    """The portal's stylesheets and scripts, shipped inside the package (print.css on ``paper``)."""
    package = resources.files("program_portal") / "assets"
    out = {f"{ASSET_DIR}/{name}": (package / name).read_bytes() for name in ASSET_FILES}
    if paper == "letter":
        out[f"{ASSET_DIR}/print.css"] = out[f"{ASSET_DIR}/print.css"].replace(b"size: A4;", b"size: letter;")
    return out


def files(
    portal: Portal, options: Mapping[str, Any], *, site_url: str | None, epoch: str | None, cache: Any = None, prune: bool = False
) -> dict[str, bytes]:
    """Every generated non-page file, by site-relative path.

    ``cache``: the download cache (default: the process-wide one); ``prune``: remove the disk
    cache entries this build did not use; ``options["jobs"]``: processes rendering downloads.
    """
    from program_portal import incremental

    paper = str(options.get("paper") or "a4")
    jobs = int(options.get("jobs") or 0)
    directory = getattr(cache, "directory", None)
    key = ("files", paper, jobs, site_url, epoch, str(directory), id(cache))
    if portal.extra_context:  # pages made with extra context: not the adapter's, nothing to reuse
        return _files(portal, paper, jobs, site_url, epoch, cache, prune)
    return dict(incremental.reuse(portal.loaded, key, lambda: _files(portal, paper, jobs, site_url, epoch, cache, prune)))


def _files(
    portal: Portal, paper: str, jobs: int, site_url: str | None, epoch: str | None, cache: Any, prune: bool
) -> dict[str, bytes]:
    from program_portal.render.downloads import build_downloads, process_stamp

    out = assets(paper)
    with stage("ics"):
        out.update(_calendars(portal, dtstamp_from_epoch(epoch), site_url, cache))
    # Without SOURCE_DATE_EPOCH the documents carry the date the process first made them, so that
    # `mkdocs serve` rebuilds produce the same bytes and reuse the cache.
    reproducible = bool(epoch and epoch.strip().isdigit())
    with stage("downloads"):
        dtstamp = dtstamp_from_epoch(epoch) if reproducible else process_stamp()
        out.update(build_downloads(portal, paper=paper, dtstamp=dtstamp, cache=cache, jobs=jobs, prune=prune))
    return out


def _calendars(portal: Portal, dtstamp: Any, site_url: str | None, cache: Any) -> dict[str, bytes]:
    """The .ics files, kept in the download cache: they depend only on program.yml, the site URL,
    DTSTAMP and the calendar code and libraries (so a warm build does not even import icalendar)."""
    import json

    from program_portal.render.downloads.cache import calendar_versions, default_cache

    cache = cache if cache is not None else default_cache()
    key = cache.key("ics", calendar_versions(), portal.loaded.source, site_url or "", dtstamp.isoformat())
    data = cache.lookup(key, count=False)
    if data is not None:
        return {name: text.encode("latin-1") for name, text in json.loads(data).items()}
    files = calendar_files(portal, dtstamp=dtstamp, site_url=site_url)
    cache.store(key, json.dumps({name: blob.decode("latin-1") for name, blob in files.items()}).encode("ascii"))
    return files
