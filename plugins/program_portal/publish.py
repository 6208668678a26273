"""The publish stage: output is written to a staging directory beside its target, which replaces the target
only when everything succeeded. A failure anywhere before that leaves the previous output as it was.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from program_portal.diagnostics import Diagnostic


def staging_dir(target: Path) -> Path:
    """A new empty directory beside ``target`` (same file system, so the swap is a rename)."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))


def swap(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target`` (two renames; the old output is removed afterwards)."""
    target = Path(os.path.abspath(target))
    old = None
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(staging, target)
    except OSError:
        if old is not None:  # put the previous output back
            os.replace(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    # tempfile.mkdtemp makes a 0700 directory; the published one gets the usual permissions
    target.chmod(0o777 & ~_umask())
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_tree(target: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) as the whole of ``target``, atomically. Raises OSError."""
    staging = staging_dir(target)
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        swap(staging, target)
    except BaseException:
        discard(staging)
        raise


def error_page(diagnostics: Iterable[Diagnostic], *, title: str = "The portal cannot be built") -> bytes:
    """A self-contained page listing the located messages (``mkdocs serve`` shows it instead of the preview)."""
    items = "\n".join(
        f'<li class="{d.severity}"><code>{html.escape(str(d))}</code></li>' for d in diagnostics
    )
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "li{margin:.5rem 0}code{white-space:pre-wrap;word-break:break-word}.error code{color:#b00020}"
        ".warning code{color:#7a4d00}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        "<p>Fix these problems and save: this page reloads by itself and the preview comes back.</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    ).encode("utf-8")
