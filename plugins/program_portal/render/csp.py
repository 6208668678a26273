"""A Content-Security-Policy for every published HTML file: only the site's own origin, no form submission.

The policy goes into a ``<meta http-equiv>`` tag (a static intranet site has no say over
response headers). Its ``script-src`` belongs to the portal, never to the page: ``'self'``
(the portal's and the theme's script files) plus the SHA-256 hashes of the inline scripts the
theme ships, computed from the theme's own templates rendered for the page's ``base_url``
(:func:`theme_scripts`). Whatever inline script a page happens to contain (an injected one,
one from a project's template override) is not listed, so the browser does not run it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)
# Only a plain path may go into the theme's scripts as ``extra.scope`` (Material writes it into a
# JavaScript string): anything else is not rendered, so a script carrying it gets no hash.
_SAFE_SCOPE = re.compile(r"[A-Za-z0-9/._~-]*")
# The partials that hold Material's inline scripts (partials/javascripts/*.html).
THEME_SCRIPT_PARTIALS = "partials/javascripts"

# The offline pack (file://): Chrome runs no Web Worker from a file: page, so Material's
# search worker runs through the iframe-worker shim (npm iframe-worker 1.0.4, shim/index.js,
# pinned in package.json, listed in extra.polyfills by mkdocs.offline.yml). The shim writes
# an about:blank iframe whose first script is inline; that iframe inherits this page's
# policy, so the script is allowed by its hash (nothing else is relaxed: 'self' already
# covers the file: scripts). Its text is the shim's two helper functions (as
# Function.prototype.toString gives them) and the worker URL, which is the theme's worker
# file (named in its base.html) relative to the page. test_offline.py fails if a new shim differs.
_IFRAME_WORKER_BOOTSTRAP = (
    'postMessage=function c(s,n){parent.postMessage(s,n||"*")};'
    "importScripts=function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{"
    'let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())};'
    'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:"%s",error}))})'
)
_WORKER = re.compile(r"[\"'](assets/javascripts/workers/search\.[0-9a-f]+\.min\.js)[\"']")


def token(body: str) -> str:
    """The CSP hash source of one inline script's text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script in ``html`` that a browser would run (not data blocks)."""
    found = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if re.search(r"\ssrc\s*=", attrs, re.I):
            continue
        kind = re.search(r"\stype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.I)
        if kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript"):
            continue
        found.append(match.group("body"))
    return found


@lru_cache(maxsize=256)
def _rendered_theme_scripts(template_dir: str, base_url: str, scope: str | None, features: tuple[str, ...]) -> tuple[str, ...]:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    folder = Path(template_dir) / THEME_SCRIPT_PARTIALS
    if not folder.is_dir():
        return ()
    # Material's own partials (never a project's custom_dir), still in the sandbox: templates run no code
    env = ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(template_dir), autoescape=False)
    extra = {"scope": scope} if scope is not None else {}
    context = {"base_url": base_url, "config": {"extra": extra}, "features": list(features)}
    scripts: list[str] = []
    for partial in sorted(folder.glob("*.html")):
        text = env.get_template(f"{THEME_SCRIPT_PARTIALS}/{partial.name}").render(context)
        scripts += inline_scripts(text)
    worker = _WORKER.search((Path(template_dir) / "base.html").read_text(encoding="utf-8")) if (Path(template_dir) / "base.html").is_file() else None
    if worker:
        url = worker.group(1) if base_url in ("", ".") else f"{base_url.rstrip('/')}/{worker.group(1)}"
        scripts.append(_IFRAME_WORKER_BOOTSTRAP % url)
    return tuple(scripts)


def theme_scripts(template_dir: str | Path | None, *, base_url: str, extra: Mapping[str, Any] | None = None,
                  features: Iterable[str] = ()) -> list[str]:
    """The inline scripts the theme ships, as its templates write them on a page at ``base_url``.

    ``template_dir``: the theme's own template folder (Material's ``templates``), never a
    project's override folder. Includes the offline pack's iframe-worker bootstrap.
    """
    if template_dir is None:
        return []
    scope = (extra or {}).get("scope")
    safe_scope = scope if isinstance(scope, str) and _SAFE_SCOPE.fullmatch(scope) else None
    return list(_rendered_theme_scripts(str(template_dir), base_url, safe_scope, tuple(str(f) for f in features)))


def policy(scripts: Iterable[str] = ()) -> str:
    """The policy: script files from the site itself, and the given inline scripts by hash."""
    hashes = list(dict.fromkeys(token(body) for body in scripts))
    sources = " ".join(["'self'", *hashes])
    return (
        "default-src 'self'; "
        f"script-src {sources}; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "media-src 'self'; "
        "worker-src 'self'; "
        "frame-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'none'"
    )


def meta_tag(scripts: Iterable[str] = ()) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts)}">'


def has_policy(html: str) -> bool:
    """Whether the document's ``<head>`` already holds this module's policy (text in the body does not count)."""
    head = html.split("</head>", 1)[0] if "</head>" in html else html[:4096]
    return '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src ' in head


def add_policy(html: str, scripts: Iterable[str] = ()) -> str:
    """``html`` with the policy's meta tag placed before anything that loads (right after the charset).

    Always added, whatever the page's text says; a document without a ``<head>`` gets one at
    the start, so no published HTML goes without the policy.
    """
    tag = meta_tag(scripts)
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        doctype = re.match(r"\s*<!doctype[^>]*>", html, re.I)
        at = doctype.end() if doctype else 0
        return html[:at] + tag + "\n" + html[at:]
    return html[: anchor.end()] + "\n    " + tag + html[anchor.end() :]
