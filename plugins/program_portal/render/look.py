"""The program's look in the theme: the footer line, and the palette settings the theme prints unescaped.

Material prints ``theme.palette`` values (``media``, ``scheme``, ``primary``, ``accent``,
``toggle.name``) into HTML attributes as they are, and includes ``toggle.icon`` as a template
path. Like the other settings the theme prints (:func:`program_portal.render.sanitize.site_settings`),
they become text here; an icon name that is not a plain icon path falls back to Material's own.
The logo, favicon and stylesheets are checked in :mod:`program_portal.checks.look`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any

from program_portal.render.footer import footer_html

FOOTER_KEY = "program_portal_footer"
"""``config.extra`` key the portal's ``partials/copyright.html`` prints (always set by the portal)."""
_ICON = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}(?:/[a-z0-9][a-z0-9_-]{0,80}){1,2}")
DEFAULT_ICON = "material/brightness-4"


def extra_changes(portal: Any, source_date_epoch: str | None) -> dict[str, str]:
    """``config.extra`` as the portal sets it: the footer line, or nothing when there is no program.

    A ``program_portal_footer`` written in mkdocs.yml is always replaced: it is printed as HTML.
    """
    if portal is None:
        return {FOOTER_KEY: ""}
    return {FOOTER_KEY: footer_html(portal.language, portal.info.contact, source_date_epoch)}


def _text(value: Any) -> Any:
    return escape(value, quote=True) if isinstance(value, str) else value


def palette(value: Any) -> Any:
    """``theme.palette`` with every value the theme prints as text (one scheme, or a list of them)."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "toggle" and isinstance(item, Mapping):
                icon = item.get("icon")
                out[key] = {
                    **{k: _text(v) for k, v in item.items() if k != "icon"},
                    "icon": icon if isinstance(icon, str) and _ICON.fullmatch(icon) else DEFAULT_ICON,
                }
            else:
                out[key] = _text(item)
        return out
    if isinstance(value, list):
        return [palette(item) for item in value]
    return _text(value)
