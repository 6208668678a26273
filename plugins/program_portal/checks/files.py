"""Files come from inside the project: refuse symlinks that lead out of it, and special files.

A build publishes every file under docs_dir, so a symlink ``content/env.txt ->
/proc/self/environ`` would publish the build machine's environment (CI's secrets), and a FIFO
would hang the build. :func:`unsafe_files` looks at ``program.yml``, docs_dir and every entry
under it **without opening any of them** (``lstat`` and ``readlink`` only) and returns one
located error (``PV005``, line 1 column 1 of the file) for each:

* a symlink whose target lies outside docs_dir (for ``program.yml``: outside the project), or
  that leads nowhere, or a symlinked folder that contains itself (a loop);
* a file that is not a regular file or folder: a FIFO, a socket, a character or block device
  (directly or as the target of a symlink);
* docs_dir itself when it lies outside the project.

Both ``program-portal check`` and ``mkdocs build`` run it first, before anything is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from program_portal.codes import UNSAFE_FILE
from program_portal.diagnostics import Diagnostic, Location, error

MAX_ENTRIES = 100_000
"""A docs_dir with more entries than this is refused (a build would never finish anyway)."""


def _kind(mode: int) -> str | None:
    """What a special file is, or None for a regular file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _name(path: str, root: str) -> str:
    """``path`` relative to the project, without following a symlink at its end."""
    rel = os.path.relpath(path, root)
    return Path(rel).as_posix() if not rel.startswith("..") else Path(path).as_posix()


def _problem(path: str, boundary: str, boundary_name: str) -> str | None:
    """Why the entry at ``path`` (not followed) may not be read, or None."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or exc}"
    if not stat.S_ISLNK(st.st_mode):
        kind = _kind(st.st_mode)
        return f"is {kind}; only regular files are read and published, remove it" if kind else None
    try:
        target = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return f"is a symlink that leads nowhere (to '{os.readlink(path) if os.path.islink(path) else '?'}'); remove it"
    if not _inside(target, boundary):
        return f"is a symlink that leads out of {boundary_name} (to '{os.readlink(path)}'); only files inside it are read and published"
    try:
        target_mode = os.stat(target).st_mode
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or exc}"
    if kind := _kind(target_mode):
        return f"is a symlink to {kind}; only regular files are read and published, remove it"
    if stat.S_ISDIR(target_mode) and _inside(os.path.realpath(os.path.dirname(path)), target):
        return "is a symlink to a folder that contains it (a loop); remove it"
    return None


def unsafe_files(root: Path, program_path: Path, docs_dir: Path) -> list[Diagnostic]:
    """One ``PV005`` error per unsafe file: ``program.yml``, docs_dir and everything under docs_dir."""
    root_real = os.path.realpath(root)
    found: list[Diagnostic] = []

    def refuse(path: str, message: str) -> None:
        found.append(error(UNSAFE_FILE, message, Location(_name(path, root_real))))

    program = os.path.join(os.path.realpath(program_path.parent), program_path.name)
    if os.path.lexists(program):
        # A program named on the command line may live anywhere; a symlink must not lead out of the project.
        boundary = root_real if os.path.islink(program) else os.path.dirname(program)
        if problem := _problem(program, boundary, "the project"):
            refuse(program, f"the program {problem}")
    docs = os.path.abspath(docs_dir)
    if not os.path.lexists(docs):
        return found
    docs_real = os.path.realpath(docs)
    if not _inside(docs_real, root_real):
        found.append(error(UNSAFE_FILE, f"docs_dir '{docs_dir}' leads out of the project ({root_real}); keep the pages inside it", Location("mkdocs.yml")))
        return found
    if not os.path.isdir(docs_real):
        return found
    found += unsafe_tree(root, Path(docs_real), "docs_dir")
    return found


def unsafe_tree(root: Path, folder: Path, boundary_name: str = "") -> list[Diagnostic]:
    """One ``PV005`` error per unsafe entry under ``folder`` (nothing is opened; symlinked folders are not followed)."""
    root_real = os.path.realpath(root)
    top = os.path.realpath(folder)
    boundary_name = boundary_name or _name(top, root_real)
    found: list[Diagnostic] = []
    entries = 0
    for current, dirs, files in os.walk(top, followlinks=False):
        for name in sorted(dirs + files):
            entries += 1
            path = os.path.join(current, name)
            if problem := _problem(path, top, boundary_name):
                found.append(error(UNSAFE_FILE, problem, Location(_name(path, root_real))))
        # os.walk does not descend into symlinked folders; their targets are inside and walked anyway.
        if entries > MAX_ENTRIES:
            found.append(error(UNSAFE_FILE, f"{boundary_name} holds more than {MAX_ENTRIES} files and folders", Location(_name(top, root_real))))
            break
    return found
