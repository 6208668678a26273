"""The one way the export writes: only inside OUTDIR, only files it owns, nothing stale left behind.

OUTDIR must be empty, missing, or a previous export (it has the manifest
``.program-portal-export``). Every path is checked before anything is written: no
absolute path, no ``..``, no symbolic link on the way. A file whose bytes did not change
is not rewritten (so ``zensical serve`` rebuilds only what an edit touched), and files a
previous export wrote that this one does not are removed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

MANIFEST = ".program-portal-export"


class ExportError(Exception):
    """A problem that stops the export, as one line for the reader."""


def _check_relative(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or "\\" in rel or any(part in ("", ".", "..") for part in rel.split("/")):
        raise ExportError(f"refusing to write {rel!r}: not a plain path inside the output directory")
    if PurePosixPath(rel).parts[0] == MANIFEST:
        raise ExportError(f"refusing to write {rel!r}: reserved for the export's manifest")
    return path


class Writer:
    """Collects the export's files by OUTDIR-relative path, then writes them all with :meth:`commit`."""

    def __init__(self, outdir: Path):
        self.outdir = Path(os.path.abspath(outdir))
        self.files: dict[str, bytes] = {}

    def add(self, rel: str, data: bytes | str) -> None:
        _check_relative(rel)
        if rel in self.files:
            raise ExportError(f"two files of the export would be written to {rel}")
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    def add_all(self, prefix: str, files: Mapping[str, bytes | str]) -> None:
        for rel, data in files.items():
            self.add(f"{prefix}/{rel}" if prefix else rel, data)

    # -- writing ---------------------------------------------------------------------------

    def previous(self) -> set[str]:
        """What the previous export wrote, or an error when OUTDIR holds anything else."""
        out = self.outdir
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            raise ExportError(f"{out}: the output directory must be a directory, not a file or a link")
        if not out.exists():
            return set()
        manifest = out / MANIFEST
        if not manifest.is_file() or manifest.is_symlink():
            if any(out.iterdir()):
                raise ExportError(f"{out} is not empty and holds no previous export; choose a new or empty directory")
            return set()
        try:
            listed = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ExportError(f"{manifest}: unreadable manifest of a previous export ({exc}); remove the directory") from None
        if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
            raise ExportError(f"{manifest}: not the manifest of a previous export; remove the directory")
        return {p for p in listed if self._safe_target(p, must_exist=False) is not None}

    def _safe_target(self, rel: str, *, must_exist: bool) -> Path | None:
        """``OUTDIR/rel`` when no part of it is a symbolic link and it stays inside OUTDIR, else None."""
        try:
            _check_relative(rel)
        except ExportError:
            return None
        target = self.outdir
        for part in PurePosixPath(rel).parts:
            target = target / part
            if target.is_symlink():
                return None
        if must_exist and not target.exists():
            return None
        resolved = Path(os.path.realpath(target))
        if resolved != Path(os.path.realpath(self.outdir)) / rel:
            return None
        return target

    def commit(self) -> tuple[int, int]:
        """Write every file (unchanged ones are left alone), remove stale ones; returns (written, removed)."""
        stale = self.previous() - set(self.files)
        self.outdir.mkdir(parents=True, exist_ok=True)
        written = 0
        for rel, data in sorted(self.files.items()):
            target = self._safe_target(rel, must_exist=False)
            if target is None:
                raise ExportError(f"refusing to write {rel}: a symbolic link in the output directory points elsewhere")
            if target.is_dir():
                raise ExportError(f"cannot write {rel}: a directory of that name is in the way")
            if target.is_file() and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(target, data)
            written += 1
        removed = 0
        for rel in sorted(stale):
            target = self._safe_target(rel, must_exist=True)
            if target is not None and target.is_file():
                target.unlink()
                removed += 1
                _prune_empty(target.parent, self.outdir)
        _atomic_write(self.outdir / MANIFEST, (json.dumps(sorted(self.files), indent=1) + "\n").encode("utf-8"))
        return written, removed


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _prune_empty(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
