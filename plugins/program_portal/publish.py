"""The publish stage: output is written to a staging directory beside its target, which replaces the target
only when everything succeeded. A failure anywhere before that leaves the previous output as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path



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


class _TargetName(logging.Filter):
    """Log records that name the staging directory name its target instead (what is published)."""

    def __init__(self) -> None:
        super().__init__()
        self.staging: str | None = None
        self.target = ""

    def filter(self, record: logging.LogRecord) -> bool:
        if self.staging:
            message = record.getMessage()
            if self.staging in message:
                record.msg, record.args = message.replace(self.staging, self.target), ()
        return True


_TARGET_NAME = _TargetName()


def log_as_target(logger: logging.Logger, staging: Path, target: Path) -> None:
    """From now on, ``logger``'s messages name ``target`` where they would name ``staging``."""
    _TARGET_NAME.staging, _TARGET_NAME.target = str(staging), os.path.abspath(target)
    if _TARGET_NAME not in logger.filters:
        logger.addFilter(_TARGET_NAME)
