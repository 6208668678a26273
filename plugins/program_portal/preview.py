"""Live preview: what ``mkdocs serve`` adds to the site it serves, and never to a built site.

MkDocs' development server appends an inline live-reload script to every HTML page it serves.
The portal's policy (:mod:`.render.csp`) runs no inline script the portal did not ship, and the
injected one carries a new epoch and request id on every response, so no hash can allow it.
Instead, in serve mode only, the site gets one more script *file* (allowed by ``script-src
'self'``, like the portal's other scripts): it reads the epoch from the blocked script's text and
asks the server the same question MkDocs' script asks, reloading the page after a rebuild. The
policy itself is the same as in a built site.

A program that cannot be built is shown as :func:`error_page`: the located messages on a page
styled by its own stylesheet file (an inline ``<style>`` would be blocked by the policy too),
which reloads itself when the program is fixed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from importlib import resources

from program_portal.diagnostics import Diagnostic
from program_portal.paths import PREVIEW_FILES, PREVIEW_SCRIPT, PREVIEW_STYLESHEET, asset_path

SCRIPT = PREVIEW_SCRIPT
STYLESHEET = PREVIEW_STYLESHEET


def files() -> dict[str, bytes]:
    """The files serve mode adds (site path -> bytes): the reload script and the error page's stylesheet."""
    package = resources.files("program_portal") / "assets"
    return {asset_path(name): (package / name).read_bytes() for name in PREVIEW_FILES}


def error_page(diagnostics: Iterable[Diagnostic], *, base_url: str = "/", site_name: str = "",
               title: str = "The portal cannot be built") -> bytes:
    """The page shown instead of the preview while the program has errors: every located message, listed.

    ``base_url``: the site's path on the server (``/``, or the path of ``site_url``), so the same page
    finds its stylesheet and script from any URL it replaces.
    """
    found = list(diagnostics)
    base = base_url if base_url.endswith("/") else base_url + "/"
    errors = sum(1 for d in found if d.is_error)
    warnings = len(found) - errors
    items = "\n".join(f'<li class="{html.escape(d.severity)}"><code>{html.escape(str(d))}</code></li>' for d in found)
    counts = f"{errors} error(s), {warnings} warning(s)"
    header = f'<header class="pp-preview-header"><p>{html.escape(site_name)}</p></header>\n' if site_name else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{html.escape(base + STYLESHEET)}">\n'
        "</head>\n<body>\n"
        f"{header}<main>\n<h1>{html.escape(title)}</h1>\n"
        f'<p class="pp-preview-status" role="status">{counts}. Fix them and save: this page reloads by itself '
        "and the preview comes back.</p>\n"
        f'<ul class="pp-preview-messages">\n{items}\n</ul>\n</main>\n'
        f'<script src="{html.escape(base + SCRIPT)}"></script>\n'
        "</body>\n</html>\n"
    ).encode("utf-8")
