"""Sealed cache files: what a build keeps on disk is reused only if this user's builds wrote it.

The disk cache (``.cache/program-portal/`` beside mkdocs.yml) sits inside the project, and a pull
request can add files there (``git add -f``): a forged entry named by a document's key would be
published as that document, and a forged privacy result would hide an address. So every file the
cache writes is sealed with a MAC (keyed BLAKE2b) under a key that lives outside the project, in this
user's cache folder (``$XDG_CACHE_HOME/program-portal/cache-key``, else
``~/.cache/program-portal/cache-key``), made on first use with 256 random bits and mode 0600.
A file whose seal does not verify is a miss: the work is done again.

The key is not used when it would be inside the project (a project at the home folder), when it is
not a regular file owned by this user and readable by no one else, or when it cannot be made: then
nothing on disk is trusted (the cache works in memory only). Pure Python, no MkDocs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

KEY_NAME = "cache-key"
TAG_SIZE = 32  # bytes of the MAC
_KEYS: dict[str, bytes | None] = {}

__all__ = ["KEY_NAME", "cache_key", "fingerprint", "key_file", "read_sealed", "seal", "unseal", "write_sealed"]


def key_file() -> Path | None:
    """Where this user's cache key is kept (None without a home folder)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not home or home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "program-portal" / KEY_NAME


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return True


def _read_key(path: Path) -> bytes | None:
    """The key in ``path`` if it is this user's private regular file, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            return None
        data = os.read(fd, 256)
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) >= 32 else None


def _make_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return _read_key(path)  # another build made it first
    except OSError:
        return None
    key = secrets.token_bytes(32)
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
    finally:
        os.close(fd)
    return _read_key(path)


def cache_key(root: str | os.PathLike[str] | None) -> bytes | None:
    """This user's cache key, made on first use; None when there is none that a project cannot write.

    ``root``: the project (the folder of mkdocs.yml); a key inside it is never used."""
    path = key_file()
    if path is None:
        return None
    if root is not None and _inside(path, Path(root)):
        return None
    name = str(path)
    if name not in _KEYS:
        key = _read_key(path)
        if key is None and not path.exists() and not path.is_symlink():
            key = _make_key(path)
        _KEYS[name] = key
    return _KEYS[name]


def _tag(key: bytes, context: bytes, data: bytes) -> bytes:
    mac = hashlib.blake2b(key=key[:64], digest_size=TAG_SIZE)  # keyed BLAKE2b: a MAC (RFC 7693), faster than HMAC-SHA256
    mac.update(len(context).to_bytes(8, "big"))
    mac.update(context)
    mac.update(data)
    return mac.digest()


def seal(key: bytes, context: str, data: bytes) -> bytes:
    """``data`` with its seal in front; ``context`` (the entry's name) is sealed with it, so a sealed
    file copied under another name does not verify."""
    return _tag(key, context.encode("utf-8"), data) + data


def unseal(key: bytes, context: str, blob: bytes) -> bytes | None:
    """The data of a file :func:`seal` made for ``context`` with ``key``, or None."""
    if len(blob) < TAG_SIZE:
        return None
    tag, data = blob[:TAG_SIZE], blob[TAG_SIZE:]
    return data if hmac.compare_digest(tag, _tag(key, context.encode("utf-8"), data)) else None


def read_sealed(path: Path, key: bytes | None, context: str, limit: int) -> bytes | None:
    """The data of the sealed file at ``path`` (a regular file, not a link, at most ``limit`` bytes), or None."""
    if key is None:
        return None
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return None
        return unseal(key, context, path.read_bytes())
    except OSError:
        return None


def write_sealed(path: Path, key: bytes | None, context: str, data: bytes) -> None:
    """``data`` sealed into ``path``, atomically (nothing when there is no key or the folder cannot be written)."""
    if key is None:
        return
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, prefix=".tmp-") as handle:
            handle.write(seal(key, context, data))
        os.replace(handle.name, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def fingerprint(files: Iterable[Path], *parts: str | bytes) -> str:
    """A hash of the code in ``files`` and of ``parts`` (versions): what a cached result was computed with,
    named in its seal or key so that another version of the code never finds it."""
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
