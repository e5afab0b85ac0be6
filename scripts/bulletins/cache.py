"""A content-addressed store of build results kept between builds (``.cache/bulletins/``).

An entry is immutable: its name is the sha256 of everything its value was computed from
(callers list those parts; :meth:`Store.key` adds the cache format, the package's version
and source code, Python's and the libraries' versions), so a stale entry is never read:
a changed input is a different name. Entries are written to a temporary file and renamed
into place, so readers (and the two language processes, which write at the same time)
see a whole entry or none; each carries its key and a checksum of its value, and one that
does not match (truncated, garbage) is ignored, removed and recomputed by the caller.

Bounded: a hit refreshes the entry's mtime; after a build, :meth:`Store.prune` removes the
least recently used entries once the store holds more than twice what that build used."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

FORMAT = 1  # bump when the layout or the entry format changes
DIR = Path(".cache/bulletins")  # in the project; git-ignored
MAGIC = b"bulletins-cache\n"
KEEP_FACTOR = 2  # prune down to this many times what the last build used
LIBRARIES = ("markdown", "nh3", "markupsafe", "pyyaml", "jsonschema", "fastjsonschema", "babel", "mkdocs",
             "properdocs", "mkdocs-material", "feedgen")


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def code_fingerprint() -> str:
    """The package's version and source, Python's and the libraries' versions: what every
    cached result also depends on."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name in ("bulletins", *LIBRARIES):
        digest.update(f"{name}={_version(name)}\0".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".html", ".yml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Store:
    """Entries under ``folder/v<FORMAT>/<2 hex>/<key>``; get/put bytes by key."""

    def __init__(self, folder: Path, code: str | None = None):
        self.folder = Path(folder)
        self.entries = self.folder / f"v{FORMAT}"
        self.code = code if code is not None else code_fingerprint()

    def key(self, kind: str, *parts: str | bytes) -> str:
        """The sha256 of the store's fingerprint, ``kind`` and ``parts`` (each length-prefixed)."""
        digest = hashlib.sha256(self.code.encode() + b"\0" + kind.encode() + b"\0")
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            digest.update(b"%d\0" % len(data) + data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The value stored under ``key``, or None (absent, or not whole: then removed)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = MAGIC + key.encode() + b"\n"
        value = data[len(head) + 64:]
        if data[:len(head)] != head or data[len(head):len(head) + 64] != hashlib.sha256(value).hexdigest().encode():
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        return value

    def put(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key``: written beside, then renamed into place. A store
        that cannot be written (read-only, disk full) is not an error: the build goes on."""
        path = self._path(key)
        temporary = path.with_name(f".tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(MAGIC + key.encode() + b"\n" + hashlib.sha256(value).hexdigest().encode() + value)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def prune(self, since: float) -> tuple[int, int]:
        """Keep what was used since ``since`` (a time.time()); remove older entries, least
        recently used first, while the store holds more than KEEP_FACTOR times that; remove
        other formats' folders and temporary files older than ``since`` (a killed build's).
        Returns (entries removed, bytes kept)."""
        for old in self.folder.glob("v*"):
            if old != self.entries and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        used, unused = 0, []
        for path in self.entries.glob("*/*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.name.startswith(".tmp-"):
                if stat.st_mtime < since - 60:
                    with contextlib.suppress(OSError):
                        path.unlink()
            elif stat.st_mtime >= since:
                used += stat.st_size
            else:
                unused.append((stat.st_mtime, stat.st_size, path))
        total = used + sum(size for _, size, _ in unused)
        removed = 0
        for _, size, path in sorted(unused):
            if total <= KEEP_FACTOR * used:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                removed += 1
        return removed, total

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def fingerprint(value) -> str:
    """The sha256 of a value's ``repr``: for the model's dataclasses (every field shown,
    containers in their order, no object addresses) two values have the same fingerprint
    only when they are equal, so it stands for the value in a key. Made once per build for
    each bulletin (:func:`bulletin_digests`), it lets a key cover the bulletins a page or
    a feed shows without hashing them again for each."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def bulletin_digests(bulletins) -> dict[str, str]:
    """Bulletin id → :func:`fingerprint` of the bulletin (≈ 0.5 ms each)."""
    return {b.id: fingerprint(b) for b in bulletins}


def build_start() -> float:
    """A time to prune against: a little before now, for filesystems whose timestamps are coarse."""
    return time.time() - 2
