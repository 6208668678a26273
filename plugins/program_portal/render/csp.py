"""A Content-Security-Policy for every page: only the site's own origin, no form submission.

The policy goes into a ``<meta http-equiv>`` tag (a static intranet site has no say over
response headers); the theme's inline scripts are allowed by their SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(r"\stype=[\"']?(application/json|application/ld\+json|text/template)", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)


# The offline pack (file://): Chrome runs no Web Worker from a file: page, so Material's
# search worker runs through the iframe-worker shim (npm iframe-worker 1.0.4, shim/index.js,
# pinned in package.json, listed in extra.polyfills by mkdocs.offline.yml). The shim writes
# an about:blank iframe whose first script is inline; that iframe inherits this page's
# policy, so the script is allowed by its hash (nothing else is relaxed: 'self' already
# covers the file: scripts). Its text is the shim's two helper functions (as
# Function.prototype.toString gives them) and the worker URL from Material's __config.
# Only pages that load the shim get the hash; test_offline.py fails if a new shim differs.
_IFRAME_WORKER_SHIM = re.compile(r"<script\s[^>]*src=[\"'][^\"']*iframe-worker[^\"']*[\"']", re.I)
_MATERIAL_CONFIG = re.compile(r'<script id="__config" type="application/json">(?P<json>.*?)</script>', re.S)
_IFRAME_WORKER_BOOTSTRAP = (
    'postMessage=function c(s,n){parent.postMessage(s,n||"*")};'
    "importScripts=function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{"
    'let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())};'
    'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:"%s",error}))})'
)


def _token(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"


def _iframe_worker_hashes(html: str) -> list[str]:
    if not _IFRAME_WORKER_SHIM.search(html) or not (match := _MATERIAL_CONFIG.search(html)):
        return []
    try:
        config = json.loads(match.group("json"))
    except ValueError:
        return []
    worker = config.get("search") if isinstance(config, dict) else None
    return [_token(_IFRAME_WORKER_BOOTSTRAP % worker)] if isinstance(worker, str) else []


def _hashes(html: str) -> list[str]:
    found = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if re.search(r"\ssrc=", attrs, re.I) or _DATA_TYPE.search(attrs):
            continue
        token = _token(match.group("body"))
        if token not in found:
            found.append(token)
    for token in _iframe_worker_hashes(html):
        if token not in found:
            found.append(token)
    return found


def policy(html: str) -> str:
    """The policy for one page: its own inline scripts by hash, everything else from 'self' only."""
    scripts = " ".join(["'self'", *_hashes(html)])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
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


def add_policy(html: str) -> str:
    """``html`` with the policy's meta tag placed before anything that loads (right after the charset)."""
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n    " + tag + html[anchor.end() :]
