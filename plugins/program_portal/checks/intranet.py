"""Closed-intranet guarantees for the site configuration (spec section 1, principle 5).

The portal must make no request to any other host and store nothing about its readers.
:func:`review` looks at the generator's settings (given as plain values, so this works
for any generator) and says what to change (web fonts off, no generator link) and what
to refuse (analytics) or warn about (anything the theme would load from elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from program_portal.diagnostics import Diagnostic, Location, error, warning
from program_portal.codes import EXTERNAL_RESOURCE, ANALYTICS


# Material plugins that download from the internet while building.
NETWORK_PLUGINS = {
    "material/privacy": "downloads external assets while building",
    "privacy": "downloads external assets while building",
    "material/social": "downloads fonts while building",
    "social": "downloads fonts while building",
}
API_HOSTS = ("github.com", "gitlab.com")


@dataclass
class Review:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    theme_changes: dict[str, Any] = field(default_factory=dict)
    extra_changes: dict[str, Any] = field(default_factory=dict)


def is_external(url: object) -> bool:
    """Whether ``url`` points at another host (``https://...``, ``//host/...``)."""
    if not isinstance(url, str):
        return False
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or parsed.scheme in ("http", "https")


def review(
    *,
    config_file: str,
    theme: Mapping[str, Any],
    extra: Mapping[str, Any],
    repo_url: str | None,
    extra_css: Iterable[Any],
    extra_javascript: Iterable[Any],
    markdown_extensions: Iterable[str],
    mdx_configs: Mapping[str, Any],
    plugins: Iterable[str],
) -> Review:
    out = Review()
    here = Location(config_file)

    def warn(message: str) -> None:
        out.diagnostics.append(warning(EXTERNAL_RESOURCE, message, here))

    if theme.get("font") not in (False, None):
        warn("theme.font loads web fonts from Google's servers; the portal turns it off (set 'font: false')")
    out.theme_changes["font"] = False
    out.extra_changes["generator"] = False
    if extra.get("analytics"):
        out.diagnostics.append(
            error(ANALYTICS, "extra.analytics is not allowed: the portal records nothing about its readers; remove it", here)
        )
    if repo_url and any(host in (urlparse(repo_url).hostname or "") for host in API_HOSTS):
        warn(f"repo_url {repo_url} makes every reader's browser call the {urlparse(repo_url).hostname} API; remove it or point it at an intranet host")
    for key in ("logo", "favicon"):
        if is_external(theme.get(key)):
            warn(f"theme.{key} loads from another host ({theme.get(key)}); ship the file in docs_dir instead")
    for polyfill in extra.get("polyfills") or []:
        if is_external(polyfill):
            warn(f"extra.polyfills loads {polyfill} from another host; list a local copy (the offline plugin adds unpkg.com otherwise)")
    for kind, items in (("extra_css", extra_css), ("extra_javascript", extra_javascript)):
        for item in items:
            path = str(getattr(item, "path", item))
            if is_external(path):
                warn(f"{kind} loads {path} from another host; ship a local copy")
    extensions = list(markdown_extensions)
    if "pymdownx.emoji" in extensions:
        generator = (mdx_configs.get("pymdownx.emoji") or {}).get("emoji_generator")
        name = f"{getattr(generator, '__module__', '')}.{getattr(generator, '__name__', '')}" if callable(generator) else str(generator)
        if not name.startswith("material."):
            warn("pymdownx.emoji loads emoji images from a CDN; set emoji_generator: !!python/name:material.extensions.emoji.to_svg")
    fences = (mdx_configs.get("pymdownx.superfences") or {}).get("custom_fences") or []
    if any(isinstance(f, Mapping) and f.get("name") == "mermaid" for f in fences):
        warn("Mermaid diagrams make Material load mermaid.js from a CDN; remove the mermaid fence")
    for name in plugins:
        if name in NETWORK_PLUGINS:
            warn(f"the '{name}' plugin {NETWORK_PLUGINS[name]}; the portal builds and works without the internet, remove it")
    return out
