"""The export's theme override (custom_dir ``overrides/``) and its Content-Security-Policy.

``main.html`` puts the policy's ``<meta>`` first in every page's ``<head>``; the theme's
inline scripts (partials/javascripts/) become files under ``assets/program-portal/theme/``, so
that the policy allows scripts from the site itself and nothing inline. The templates use only
what MkDocs' Jinja2 and Zensical's MiniJinja both understand (extends, block, super, include,
if, the ``url`` and ``d`` filters). The Material-specific accessibility partials of the plugin
are not exported: Zensical's templates differ and would break.
"""

from __future__ import annotations

import html
from importlib import resources

from program_portal.render import csp

POLICY_MARK = "@@POLICY@@"
# Zensical 0.0.73's search dialog (its "modern" bundle) styles its shadow root with one <style>
# element whose text is a constant of the bundle; this is that text's hash, so the policy allows
# that element and no other inline style. Chromium names the hash when it blocks the element:
# tests/test_export.py fails on any violation, so a new Zensical bundle shows up there.
ZENSICAL_SEARCH_STYLE = "'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='"


def _files_root():  # type: ignore[no-untyped-def]
    return resources.files("program_portal") / "export" / "files"


def _walk(node, prefix: str = "") -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    out: dict[str, bytes] = {}
    for child in node.iterdir():
        name = f"{prefix}{child.name}"
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            out.update(_walk(child, name + "/"))
        else:
            out[name] = child.read_bytes()
    return out


def shipped_scripts() -> dict[str, bytes]:
    """The theme scripts the export ships (what the policy must allow), by OUTDIR-relative path."""
    return {rel: data for rel, data in theme_files().items() if rel.endswith(".js")}


def content_security_policy() -> str:
    """The policy for every exported page: the one place the export uses :mod:`program_portal.render.csp`.

    The export's pages carry no inline script (the theme's are shipped as files), so the
    policy is the plugin's for a page without one: scripts, styles, fonts... from the site only,
    plus the style element of Zensical's search dialog (by hash).
    """
    policy = csp.policy()  # no inline script allowed
    return policy.replace("style-src 'self'", f"style-src 'self' {ZENSICAL_SEARCH_STYLE}", 1)


def theme_files() -> dict[str, bytes]:
    """``overrides/...`` (templates, theme scripts) and ``hooks/...``, with the policy written in."""
    files = _walk(_files_root())
    main = "overrides/main.html"
    files[main] = files[main].replace(POLICY_MARK.encode(), html.escape(content_security_policy(), quote=True).encode("utf-8"))
    return files
