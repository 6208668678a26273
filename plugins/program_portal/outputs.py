"""The files a build adds beside the pages: calendars, downloads and the portal's own CSS and JavaScript."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from .pages.portal import Portal
from .site import calendar_files, dtstamp_from_epoch

ASSET_DIR = "assets/program-portal"
STYLESHEETS = (f"{ASSET_DIR}/portal.css",)
SCRIPTS = (f"{ASSET_DIR}/portal.js",)


def assets() -> dict[str, bytes]:
    """The portal's stylesheet and script, shipped inside the package."""
    package = resources.files("program_portal") / "assets"
    return {f"{ASSET_DIR}/{name}": (package / name).read_bytes() for name in ("portal.css", "portal.js")}


def files(portal: Portal, options: Mapping[str, Any], *, site_url: str | None, epoch: str | None) -> dict[str, bytes]:
    """Every generated non-page file, by site-relative path."""
    out = assets()
    out.update(calendar_files(portal, dtstamp=dtstamp_from_epoch(epoch), site_url=site_url))
    return out
