"""One language's search index, built in parts and merged into one Pagefind bundle.

Why this way (Pagefind 1.5; the numbers are in bench/README.md, "Search that scales"):

- Pagefind holds every page it indexes until it writes its bundle, about 0.45 MB a page
  (3.9 GB for the 10,000 pages of a language, both languages at once), and has no
  incremental mode: one more bulletin re-indexed everything.
- Its browser API can merge bundles (``mergeIndex``), but a merged bundle is not free for
  the reader: each one is a ``PagefindInstance`` that loads its own entry file, metadata
  and filter files, and, for every word searched, its own index chunk (Pagefind cuts
  chunks at about 20,000 postings, so each bundle's chunk holding "dong" also carries
  its neighbours). A bundle per year would make the first search grow with the years.

So the reader gets one bundle per language, as from one Pagefind run, but Pagefind never
sees more than one part of the pages at a time: ``pages/search.py`` cuts the searchable
pages into parts (the bulletins of a year, the other pages); Pagefind indexes each part
alone, in its own short-lived process, fed page by page in our order through its service
protocol; the parts are merged here. Pages are numbered part after part; Pagefind writes a
word's postings page by page, each page as the difference from the previous one, so a
word's postings in the bundle are its postings in each part one after the other, only the
first of each part rewritten; filters are joined; fragments (a page's text and metadata)
are copied; index chunks are cut again. Each part is kept in the build cache (cache.py)
under the bytes of the pages it indexes, so a build runs Pagefind only on the parts whose
pages changed, and restores the others.

The format (gzip of ``pagefind_dcd`` + CBOR, minimal-length heads; Pagefind 1.5.2):
``pagefind.<name>.pf_meta`` = [version, pages [[fragment, word count]], chunks [[from, to,
name]], filters [[filter, name]], sorts [], metadata fields [sorted names]];
``index/<name>.pf_index`` = [[[word, postings, [[form with diacritics, postings]]]]] with
postings = [[page delta, [positions], [metadata positions]]] (a negative number in the
metadata positions is -1 - the index of a field in the metadata's list);
``filter/<name>.pf_filter`` = [filter, [[value, [pages]]]]. A file is read and written
with the few CBOR types it uses; a word's postings are kept as bytes, never decoded.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import hashlib
import itertools
import json
import pickle
import re
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, field
from pathlib import Path

from .cache import Store

MAGIC = b"pagefind_dcd"
# An index chunk is cut once it holds this many bytes (before gzip): the first search loads
# the chunk of each word searched, and the metadata lists every chunk (≈ 25 bytes each).
CHUNK_BYTES = 24_000


# --- CBOR, the subset Pagefind writes ------------------------------------------------------

def cbor_head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError("CBOR integer too large")


def cbor_encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unexpected CBOR value")
    if isinstance(value, int):
        return cbor_head(0, value) if value >= 0 else cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return cbor_head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return cbor_head(3, len(data)) + data
    if isinstance(value, list):
        return cbor_head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise ValueError(f"unexpected CBOR value {type(value).__name__}")


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, value, index after the head) of the CBOR head at ``i``."""
    major, info = data[i] >> 5, data[i] & 31
    if info < 24:
        return major, info, i + 1
    if info > 27:
        raise ValueError("unsupported CBOR head")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[i + 1:i + 1 + size], "big"), i + 1 + size


def cbor_decode(data: bytes, i: int = 0):
    major, n, i = _head(data, i)
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        chunk = data[i:i + n]
        return (chunk if major == 2 else chunk.decode("utf-8")), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = cbor_decode(data, i)
            items.append(item)
        return items, i
    raise ValueError("unsupported CBOR type")


def read_file(data: bytes):
    """The CBOR value of a Pagefind file (gzipped or not), checked to read back to the same bytes."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if not data.startswith(MAGIC):
        raise ValueError("not a Pagefind file")
    raw = data[len(MAGIC):]
    value, end = cbor_decode(raw)
    if end != len(raw) or cbor_encode(value) != raw:
        raise ValueError("a Pagefind file that does not read back to the same bytes")
    return value


def pack(value=None, raw: bytes | None = None, level: int = 9) -> bytes:
    """A Pagefind file: gzip (no timestamp) of the magic and the CBOR of ``value`` (or ``raw``)."""
    return gzip.compress(MAGIC + (cbor_encode(value) if raw is None else raw), compresslevel=level, mtime=0)


# A CBOR integer, positive or negative, of 1, 2, 3 or 5 bytes; an array of up to 255 of
# them; a page of a word's postings, [page delta, [positions], [metadata positions]]. A
# part's postings are read with these (in C), never decoded one number at a time.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38].|[\x19\x39]..|[\x1a\x3a]....)"
_ARRAY = (rb"(?:" + b"|".join(re.escape(bytes([0x80 + n])) + _INT + b"{%d}" % n for n in range(24))
          + rb"|\x98(?:" + b"|".join(re.escape(bytes([n])) + _INT + b"{%d}" % n for n in range(24, 256)) + rb"))")
_PAGE = re.compile(rb"\x83(" + _INT + rb")" + _ARRAY + _ARRAY, re.S)


@functools.cache
def _ints(n: int) -> re.Pattern:
    return re.compile(_INT + b"{%d}" % n, re.S)


def _skip_ints(data: bytes, i: int) -> int:
    """The index after the array of integers at ``i``."""
    _, n, i = _head(data, i)
    return _ints(n).match(data, i).end()


def _uint(encoded: bytes) -> int:
    return encoded[0] if len(encoded) == 1 else int.from_bytes(encoded[1:], "big")


# --- a part: what Pagefind wrote for some of the pages ----------------------------------------

@dataclass
class Postings:
    """A word's postings in one part, as bytes: ``count`` pages, the first at ``first``, the
    last at ``last`` (page numbers of the part); ``tail`` is everything after the first
    page's number (its positions, then the other pages, each a difference)."""

    count: int
    first: int
    last: int
    tail: bytes


def read_postings(data: bytes, i: int) -> tuple[Postings, int]:
    _, count, i = _head(data, i)
    if not count:
        return Postings(0, 0, 0, b""), i
    deltas, end = [], i
    for match in itertools.islice(_PAGE.finditer(data, i), count):
        if match.start() != end:
            break
        deltas.append(match.group(1))
        end = match.end()
    if len(deltas) == count:
        first = _uint(deltas[0])
        return Postings(count, first, sum(map(_uint, deltas)), data[i + 1 + len(deltas[0]):end]), end
    page = first = start = 0  # a page with 256 positions or more: one number at a time
    for number in range(count):
        _, delta, j = _head(data, i + 1)  # i: the page's array head, always 3 items
        if number == 0:
            first, start = delta, j
        page += delta
        i = _skip_ints(data, _skip_ints(data, j))  # positions, metadata positions
    return Postings(count, first, page, data[start:i]), i


@dataclass
class Word:
    postings: Postings
    forms: dict[str, Postings]  # the word as written, with its diacritics


@dataclass
class Part:
    """One part's index, ready to merge: its pages (fragment name, word count), its
    fragments, its words, its filters (value → pages), its metadata fields and the
    WebAssembly its language needs (Pagefind's stemmer for French: "fr"; none: None)."""

    pages: list[tuple[str, int]]
    fragments: dict[str, bytes]
    words: dict[str, Word]
    filters: dict[str, dict[str, list[int]]]
    fields: list[str]
    version: str
    include_characters: list
    wasm: str | None

    @classmethod
    def read(cls, files: dict[str, bytes], lang: str) -> Part:
        """A part from the files of Pagefind's bundle for it (one language)."""
        entry = json.loads(files["pagefind-entry.json"])
        languages = entry["languages"]
        if not languages:
            return cls([], {}, {}, {}, [], entry["version"], entry.get("include_characters", []), None)
        if list(languages) != [lang]:
            raise ValueError(f"a search part in {lang} has pages in {sorted(languages)}")
        meta = read_file(files[f"pagefind.{languages[lang]['hash']}.pf_meta"])
        version, pages, chunks, filters, sorts, fields = meta
        if sorts:
            raise ValueError("sorted search results are not supported by the merge")
        words: dict[str, Word] = {}
        for _, _, name in chunks:
            data = gzip.decompress(files[f"index/{name}.pf_index"])[len(MAGIC):]
            _, _, i = _head(data, 0)  # [words]
            _, n, i = _head(data, i)
            for _ in range(n):
                _, _, i = _head(data, i)  # [word, postings, forms]
                word, i = cbor_decode(data, i)
                postings, i = read_postings(data, i)
                forms = {}
                _, m, i = _head(data, i)
                for _ in range(m):
                    _, _, i = _head(data, i)  # [form, postings]
                    form, i = cbor_decode(data, i)
                    forms[form], i = read_postings(data, i)
                words[word] = Word(postings, forms)
        part_filters = {}
        for _, file in filters:
            filter_name, values = read_file(files[f"filter/{file}.pf_filter"])
            part_filters[filter_name] = {value: list(numbers) for value, numbers in values}
        fragments = {name: files[f"fragment/{name}.pf_fragment"] for name, _ in pages}
        return cls([(name, count) for name, count in pages], fragments, words, part_filters, fields, version,
                   entry.get("include_characters", []), languages[lang].get("wasm"))

    def dumps(self) -> bytes:
        """The part as plain values (no class of this module: the cache outlives its name)."""
        words = {word: (astuple(w.postings), {form: astuple(p) for form, p in w.forms.items()})
                 for word, w in self.words.items()}
        value = (self.pages, self.fragments, words, self.filters, self.fields, self.version,
                 self.include_characters, self.wasm)
        return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    @classmethod
    def loads(cls, data: bytes) -> Part:
        pages, fragments, words, filters, fields, version, include_characters, wasm = pickle.loads(
            zlib.decompress(data))
        words = {word: Word(Postings(*postings), {form: Postings(*p) for form, p in forms.items()})
                 for word, (postings, forms) in words.items()}
        return cls(pages, fragments, words, filters, fields, version, include_characters, wasm)


# --- the merge ---------------------------------------------------------------------------

def _remap(postings: Postings, fields: list[int]) -> Postings:
    """The postings with their metadata fields renumbered (``fields``: part's index → bundle's)."""
    if not postings.count:
        return postings
    data = cbor_head(4, postings.count) + cbor_head(4, 3) + cbor_head(0, postings.first) + postings.tail
    out, i = [], 1 if postings.count < 24 else len(cbor_head(4, postings.count))
    for _ in range(postings.count):
        _, delta, j = _head(data, i + 1)
        k = _skip_ints(data, j)
        meta, i = cbor_decode(data, k)
        meta = [-1 - fields[-1 - v] if v < 0 else v for v in meta]
        out.append(cbor_head(4, 3) + cbor_head(0, delta) + data[j:k] + cbor_encode(meta))
    joined = b"".join(out)
    start = len(cbor_head(4, 3) + cbor_head(0, postings.first))
    return Postings(postings.count, postings.first, postings.last, joined[start:])


@dataclass
class _Joined:
    """A word's postings across parts, being joined."""

    count: int = 0
    last: int = -1
    chunks: list[bytes] = field(default_factory=list)

    def add(self, postings: Postings, offset: int) -> None:
        if not postings.count:
            return
        delta = offset + postings.first - max(self.last, 0)
        self.chunks += [cbor_head(4, 3), cbor_head(0, delta), postings.tail]
        self.count += postings.count
        self.last = offset + postings.last

    def encode(self) -> bytes:
        return cbor_head(4, self.count) + b"".join(self.chunks)


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest prefixes that still tell ``a`` (the end of a chunk) from ``b`` (the
    start of the next), as Pagefind names its chunks' ranges."""
    common = 0
    for x, y in zip(b, a):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def _name(lang: str, data: bytes, taken: Iterable[str] = (), length: int = 7) -> str:
    digest = hashlib.sha256(data).hexdigest()
    taken = set(taken)
    while f"{lang}_{digest[:length]}" in taken:
        length += 1
    return f"{lang}_{digest[:length]}"


def merge(parts: list[Part], lang: str) -> dict[str, bytes]:
    """The files of one bundle (entry, metadata, index chunks, filters, fragments) holding
    every page of ``parts``, numbered part after part."""
    parts = [p for p in parts if p.pages]
    if not parts:
        return {}
    fields = sorted({f for p in parts for f in p.fields})
    pages: list[list] = []
    fragments: dict[str, bytes] = {}
    offsets = []
    for part in parts:
        offsets.append(len(pages))
        for name, count in part.pages:
            data = part.fragments[name]
            if name in fragments and fragments[name] != data:  # Pagefind's short names may meet across parts
                name = _name(lang, data, fragments, 16)
            fragments[name] = data
            pages.append([name, count])
    remaps = [None if p.fields == fields else [fields.index(f) for f in p.fields] for p in parts]
    words: dict[str, tuple[_Joined, dict[str, _Joined]]] = {}
    for word in sorted({w for p in parts for w in p.words}):
        joined, forms = _Joined(), {}
        for part, offset, remap in zip(parts, offsets, remaps):
            found = part.words.get(word)
            if found is None:
                continue
            joined.add(_remap(found.postings, remap) if remap else found.postings, offset)
            for form, postings in found.forms.items():
                forms.setdefault(form, _Joined()).add(_remap(postings, remap) if remap else postings, offset)
        words[word] = (joined, forms)
    files: dict[str, bytes] = {}
    chunks, current, size = [], [], 0
    for word, (joined, forms) in words.items():
        encoded = (cbor_head(4, 3) + cbor_encode(word) + joined.encode() + cbor_head(4, len(forms))
                   + b"".join(cbor_head(4, 2) + cbor_encode(form) + j.encode() for form, j in forms.items()))
        current.append((word, encoded))
        size += len(encoded)
        if size >= CHUNK_BYTES:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    ranges = [[chunk[0][0], chunk[-1][0]] for chunk in chunks]
    for before, after in zip(ranges, ranges[1:]):
        before[1], after[0] = _prefixes(before[1], after[0])
    index = []
    for (start, end), chunk in zip(ranges, chunks):
        raw = cbor_head(4, 1) + cbor_head(4, len(chunk)) + b"".join(encoded for _, encoded in chunk)
        name = _name(lang, raw, (n for _, _, n in index))
        files[f"index/{name}.pf_index"] = pack(raw=raw, level=6)  # 1 % larger than 9, 3× faster
        index.append([start, end, name])
    filters = []
    for filter_name in sorted({f for p in parts for f in p.filters}):
        values: dict[str, list[int]] = {}
        for part, offset in zip(parts, offsets):
            for value, numbers in part.filters.get(filter_name, {}).items():
                values.setdefault(value, []).extend(offset + n for n in numbers)
        value = [filter_name, [[v, sorted(values[v])] for v in sorted(values)]]
        name = _name(lang, cbor_encode(value), (n for _, n in filters))
        files[f"filter/{name}.pf_filter"] = pack(value)
        filters.append([filter_name, name])
    meta = [parts[0].version, pages, index, filters, [], fields]
    meta_name = _name(lang, cbor_encode(meta), length=10)
    files[f"pagefind.{meta_name}.pf_meta"] = pack(meta)
    files.update((f"fragment/{name}.pf_fragment", data) for name, data in fragments.items())
    entry = {"version": parts[0].version,
             "languages": {lang: {"hash": meta_name, "wasm": parts[0].wasm, "page_count": len(pages)}},
             "include_characters": parts[0].include_characters}
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files


# --- Pagefind, one part at a time --------------------------------------------------------

def pagefind_version() -> str:
    import importlib.metadata

    return importlib.metadata.version("pagefind")


@functools.cache
def pagefind_executable() -> str:
    """The Pagefind binary, found as ``python -m pagefind`` finds it (``PAGEFIND_BINARY_PATH``,
    else the ``pagefind_bin`` package): started directly, each part saves a Python that
    would only look for it (0.4 s of CPU; 52 parts at 10,000 bulletins)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise RuntimeError("the Pagefind binary is missing: install the locked requirements (requirements.lock)")
    return str(found)


def index_pages(lang: str, pages: Iterable[tuple[str, Path]]) -> dict[str, bytes]:
    """Pagefind's bundle (path → bytes) for ``pages`` ((URL inside the language, HTML
    file) each, indexed in that order), from one ``pagefind --service`` process (the
    binary of the ``pagefind`` package). Its protocol: requests and answers are base64
    JSON, each ended by ','; what Pagefind's own Python client sends, without that
    client's 0.1 s wait for each answer."""
    process = subprocess.Popen([pagefind_executable(), "--service"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    failure: list[BaseException] = []

    def send():
        requests = itertools.chain(
            [{"type": "NewIndex", "config": {"force_language": lang}}],
            ({"type": "AddFile", "index_id": 0, "url": url, "file_path": None,
              "file_contents": path.read_text(encoding="utf-8")} for url, path in pages),
            [{"type": "GetFiles", "index_id": 0}])
        try:
            for number, payload in enumerate(requests, 1):
                message = json.dumps({"message_id": number, "payload": payload}).encode("utf-8")
                process.stdin.write(base64.b64encode(message) + b",")
            process.stdin.flush()
        except BaseException as exc:  # noqa: BLE001 - reported by the reader below
            failure.append(exc)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        for answer in _answers(process.stdout):
            payload = answer.get("payload", {})
            if payload.get("type") == "Error":
                raise RuntimeError(f"pagefind: {payload.get('message')}")
            if payload.get("type") == "GetFiles":
                return {f["path"]: base64.b64decode(f["content"]) for f in payload["files"]}
        raise RuntimeError(f"pagefind stopped without writing its index{': ' + repr(failure[0]) if failure else ''}")
    finally:
        process.kill()  # done, or failed: a write the sender is blocked in fails too
        sender.join()
        with contextlib.suppress(OSError):
            process.stdin.close()
        process.wait()


def _answers(stream) -> Iterator[dict]:
    """Pagefind's answers on ``stream``, decoded, as they come."""
    pending = bytearray()
    while True:
        data = stream.read1(1 << 20)
        if not data:
            return
        start = len(pending)
        pending += data
        end = pending.find(b",", start)
        while end >= 0:
            yield json.loads(base64.b64decode(pending[:end]))
            del pending[:end + 1]
            end = pending.find(b",")


# --- the bundle of a language -------------------------------------------------------------

_INDEX_FILE = re.compile(r"pagefind-entry\.json|pagefind\..*\.pf_meta|(index|filter|fragment)/.*")


def _part_key(store: Store, lang: str, version: str, pages: list[tuple[str, Path]]) -> str:
    """A part's cache key: Pagefind's version, the language and every page's URL and bytes."""
    digest = hashlib.sha256()
    for url, path in pages:
        digest.update(url.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return store.key("search-part", version, lang, digest.hexdigest())


def write_bundle(site_dir: Path, lang: str, parts: dict[str, list[str]], store: Store | None) -> dict:
    """Index the pages of ``parts`` (a part's name → the URLs of its pages inside the
    language's folder, e.g. "bulletins/<id>/") and write the bundle to ``site_dir/pagefind``:
    each part restored from ``store`` when its pages have not changed, else indexed by
    Pagefind (and stored). Returns how many parts and pages were indexed."""
    version = pagefind_version()
    loaded, assets, indexed = [], None, {"parts": 0, "pages": 0}
    for urls in parts.values():
        pages = [("/" + url, site_dir / url / "index.html") for url in urls]
        key = _part_key(store, lang, version, pages) if store is not None else None
        part = None
        cached = store.get(key) if key else None
        if cached is not None:
            try:
                part = Part.loads(cached)
            except Exception:  # noqa: BLE001 - an entry from an older format is recomputed
                part = None
        if part is None:
            files = index_pages(lang, pages)
            part = Part.read(files, lang)
            assets = {path: data for path, data in files.items() if not _INDEX_FILE.fullmatch(path)}
            indexed["parts"] += 1
            indexed["pages"] += len(pages)
            if key:
                store.put(key, part.dumps())
        loaded.append(part)
    if not loaded:
        return indexed
    assets_key = store.key("search-assets", version, lang) if store is not None else None  # French has its own wasm
    fresh = assets is not None
    if assets is None:  # every part came from the cache: so do Pagefind's scripts, if they are there
        cached = store.get(assets_key) if assets_key else None
        with contextlib.suppress(Exception):  # absent, or from an older format: Pagefind writes them again
            assets = pickle.loads(cached)
    if assets is None:
        assets, fresh = {path: data for path, data in index_pages(lang, []).items()
                         if not _INDEX_FILE.fullmatch(path)}, True
    if assets_key and fresh:
        store.put(assets_key, pickle.dumps(assets, protocol=pickle.HIGHEST_PROTOCOL))
    bundle = site_dir / "pagefind"
    for path, data in sorted({**assets, **merge(loaded, lang)}.items()):
        target = bundle / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return indexed


def start_search(site_dir: Path, lang: str, parts: dict[str, list[str]], store: Store | None) -> subprocess.Popen:
    """:func:`write_bundle` in a process of its own (``python -m bulletins.search_bundles``),
    so that it runs beside the renderer (which writes the feeds meanwhile) and its memory
    is returned when it ends."""
    job = {"site_dir": str(site_dir), "lang": lang, "parts": list(parts.items()),
           "cache": str(store.folder) if store else None, "code": store.code if store else None}
    process = subprocess.Popen([sys.executable, "-m", "bulletins.search_bundles"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with contextlib.suppress(BrokenPipeError):  # a process that died at once says why in finish_search
        process.stdin.write(json.dumps(job))
        process.stdin.close()
    return process


def finish_search(process: subprocess.Popen) -> str:
    """Wait for :func:`start_search`'s process: '' when it succeeded, else what it printed."""
    output = process.stdout.read()
    if process.wait():
        return output or f"exit status {process.returncode}"
    return ""


def main() -> int:
    """The search step of one language: a JSON job on stdin (site_dir, lang, parts as
    [name, [URL, …]] pairs in order, cache: the store's folder or null, code: the store's
    fingerprint)."""
    job = json.load(sys.stdin)
    store = Store(Path(job["cache"]), job["code"]) if job.get("cache") else None
    write_bundle(Path(job["site_dir"]), job["lang"], dict(job["parts"]), store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
