"""The load + validate stages as one call: a project folder → a checked :class:`Site`.

Used alike by ``bulletins check``, the build and the MkDocs glue, so that what the
checker accepts is exactly what gets published."""

from __future__ import annotations

import itertools
import json
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .cache import Store
from .diagnostics import Report, relpath
from .load import BULLETIN_NAME, LANGUAGES, PAGE_NAME, RawDocument, content_files, load_document
from .model import Bulletin, Site
from .processes import worker_pool
from .registry import load_registry
from .schema import bulletin_schema, page_schema
from .validate import (
    build_bulletin,
    build_page,
    check_body,
    check_bulletin_semantics,
    check_follow_ups,
    check_page_id,
    check_plain_text,
    check_schema,
    compare_translations,
    follow_up_places,
    group_by_id,
    missing_translations,
    today,
)

BULLETINS_DIR = Path("content/bulletins")
PAGES_DIR = Path("content/pages")



def _present(paths: list[Path], pattern) -> frozenset:
    """(id, lang) of every well-named file, loadable or not."""
    matches = (pattern.match(p.name) for p in paths)
    return frozenset((m["id"], m["lang"]) for m in matches if m and m["lang"] in LANGUAGES)


@dataclass(frozen=True)
class LoadedSite:
    """A load without errors and what it was checked with: enough to check one edited
    bulletin again alone (``reload_bulletins``)."""

    site: Site
    generation: int  # from DocumentCache.mark() when it began
    state: bytes  # the day and the registries' bytes its files were checked against
    schema: dict
    docs: dict[str, dict[str, RawDocument]]  # bulletin id → language → its checked file


class DocumentCache:
    """What the checks of one bulletin file found, kept in memory for as long as the file's
    bytes and the registries stay the same: the live preview re-reads only edited files.
    It also keeps the last load without errors (``loaded``), for the preview to update."""

    def __init__(self):
        self.registries = b""
        self.files: dict[Path, tuple[bytes, tuple[RawDocument | None, list]]] = {}
        self.pairs: dict[tuple[int, ...], tuple] = {}
        self.loaded: LoadedSite | None = None
        # next() is atomic: the build's loads and the preview's run in two threads
        self._generations = itertools.count(1)

    def mark(self) -> int:
        """A number below that of every load begun from now on."""
        return next(self._generations)

    def loaded_since(self, mark: int) -> LoadedSite | None:
        """The last load without errors if it began after ``mark`` was taken."""
        loaded = self.loaded
        return loaded if loaded is not None and loaded.generation > mark else None

    def get(self, path: Path, data: bytes) -> tuple[RawDocument | None, list] | None:
        cached = self.files.get(path)
        return cached[1] if cached is not None and cached[0] == data else None

    def put(self, path: Path, data: bytes, checked: tuple[RawDocument | None, list]) -> None:
        self.files[path] = (data, checked)

    def bulletin(self, docs: dict[str, RawDocument], report: Report) -> Bulletin | None:
        """The bulletin of a pair of files, while neither file changed."""
        key = tuple(id(doc) for doc in docs.values())
        cached = self.pairs.get(key)
        if cached is None:
            own = Report()
            cached = (docs, _bulletin(docs, own), own.items)  # docs: the ids stay theirs
            self.pairs[key] = cached
        report.items += cached[2]
        return cached[1]

    def registries_are(self, root: Path) -> bytes:
        """Forget everything when a registry changed (its ids and labels are in the checks), or
        the day did (a date in the future is warned about until it comes); the state compared."""
        state = _state(root)
        if state != self.registries:
            self.registries, self.files, self.pairs = state, {}, {}
        live = {id(checked[0]) for _, checked in self.files.values() if checked[0] is not None}
        self.pairs = {key: value for key, value in self.pairs.items() if set(key) <= live}
        return state


def _state(root: Path) -> bytes:
    """The day and the registries: what every file's checks depend on besides its bytes."""
    return today().isoformat().encode() + _registries(root)


def _registries(root: Path) -> bytes:
    """The name and bytes of every file of site_config/ (the checks of a file depend on them)."""
    return b"".join(p.name.encode() + b"\0" + p.read_bytes() + b"\0"
                    for p in sorted((root / "site_config").glob("*")) if p.is_file())


def _check_bulletin_file(path: Path, root: Path, registry, schema, report: Report) -> RawDocument | None:
    """The checks of one bulletin file alone; the document when it is valid."""
    raw = load_document(path, relpath(path, root), BULLETIN_NAME, report)
    if raw is None:
        return None
    if raw.front is not None and not isinstance(raw.front.value, dict):
        report.error(raw.path, 2, 1, "the front matter must be a mapping of fields",
                     "write one 'field: value' per line between the '---' lines")
    elif raw.front is not None and check_schema(raw.front, schema, raw.path, report):
        check_bulletin_semantics(raw, registry, report)  # the body too
        return raw
    check_body(raw, report)  # in the same pass as the front matter's mistakes
    return None


def _bulletin(docs: dict[str, RawDocument], report: Report) -> Bulletin | None:
    """One bulletin from its files, unless its translations disagree on facts."""
    if "vi" in docs and "fr" in docs and not compare_translations(docs["vi"], docs["fr"], report):
        return None
    return build_bulletin(docs)


PARALLEL_FROM = 400  # files to check; below, starting processes costs more than it saves
SHARE_FILES = 200  # files a worker checks per task


def _check_share(root: Path, paths: list[Path], registry, schema) -> list[tuple[RawDocument | None, list]]:
    """(document or None, what its checks found) of each file (a worker's share)."""
    out = []
    for path in paths:
        own = Report()
        out.append((_check_bulletin_file(path, root, registry, schema, own), own.items))
    return out


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # the check says why


def _check_files(root: Path, paths: list[Path], registry, schema, cache: DocumentCache | None,
                 store: Store | None) -> list[tuple[RawDocument | None, list]]:
    """The checks of each file alone, in the order of ``paths``: kept in memory (``cache``),
    read from ``store`` when an earlier build checked the same bytes at the same path
    against the same registries, schema, day and code, else computed (by one process per
    core when there are many) and stored."""
    if store is not None:
        context = store.key("document-context", _registries(root), today().isoformat(),
                            json.dumps(schema, sort_keys=True, ensure_ascii=False))
    found: dict[Path, tuple] = {}
    todo: list[tuple[Path, bytes | None, str | None]] = []
    for path in paths:
        data = _read(path)
        checked = cache.get(path, data) if cache is not None and data is not None else None
        key = None
        if checked is None and store is not None and data is not None:
            key = store.key("document", context, relpath(path, root), data)
            checked = _unpickled(store.get(key))
        if checked is None:
            todo.append((path, data, key))
        else:
            found[path] = checked
            if cache is not None:
                cache.put(path, data, checked)
    workers = min(len(os.sched_getaffinity(0)), 8)
    if workers > 1 and len(todo) >= PARALLEL_FROM:
        # Small shares, one per task: a worker holds a share's results only until it sends
        # them (whole halves made each worker hold 850 MB at 10,000 bulletins).
        files = [path for path, _, _ in todo]
        shares = [(root, files[n:n + SHARE_FILES], registry, schema) for n in range(0, len(files), SHARE_FILES)]
        with worker_pool(workers) as pool:
            computed = [checked for result in pool.starmap(_check_share, shares, chunksize=1) for checked in result]
    else:
        computed = _check_share(root, [path for path, _, _ in todo], registry, schema)
    for (path, data, key), checked in zip(todo, computed):
        found[path] = checked
        if data is not None and _read(path) == data:  # not edited while it was checked
            if cache is not None:
                cache.put(path, data, checked)
            if key is not None:
                store.put(key, pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL))
    return [found[path] for path in paths]


def _unpickled(value: bytes | None):
    """A stored check, or None when there is none or it cannot be read back."""
    if value is None:
        return None
    try:
        checked = pickle.loads(value)
    except Exception:  # noqa: BLE001 - a damaged entry is recomputed, never trusted
        return None
    if (isinstance(checked, tuple) and len(checked) == 2 and isinstance(checked[1], list)
            and (checked[0] is None or isinstance(checked[0], RawDocument))):
        return checked
    return None


def _load_bulletins(root: Path, paths: list[Path], registry, schema, present: frozenset, report: Report,
                    cache: DocumentCache | None = None,
                    store: Store | None = None) -> tuple[list[Bulletin], dict, dict[str, dict[str, RawDocument]]]:
    """The bulletins of ``paths`` (all the files of their ids), with what their checks found
    added to ``report``, where their follow-ups are written (for the checks that need
    every bulletin), and their files by id."""
    valid: list[RawDocument] = []
    for raw, items in _check_files(root, paths, registry, schema, cache, store):
        report.items += items
        if raw is not None:
            valid.append(raw)
    by_id = group_by_id(valid, report)
    missing_translations(by_id, report, present)
    bulletins, places = [], {}
    for docs in by_id.values():
        bulletin = cache.bulletin(docs, report) if cache is not None else _bulletin(docs, report)
        if bulletin is not None:
            bulletins.append(bulletin)
            if bulletin.follow_ups:
                places[bulletin.id] = follow_up_places(docs)
    return bulletins, places, by_id


def load_site(root: Path, report: Report, cache: DocumentCache | None = None, store: Store | None = None) -> Site:
    """Load and validate everything under ``root``. Check ``report.has_errors()`` after.
    ``cache`` keeps the checks of unchanged files in memory (the preview); ``store`` keeps
    them between builds (cache.py)."""
    root = Path(root)
    registry = load_registry(root, report)
    schema = bulletin_schema(registry)
    if cache is not None:
        state, generation = cache.registries_are(root), cache.mark()

    bulletin_files = content_files(root / BULLETINS_DIR)
    present = _present(bulletin_files, BULLETIN_NAME)
    bulletins, places, by_id = _load_bulletins(root, bulletin_files, registry, schema, present, report, cache,
                                               store)
    bulletins.sort(key=lambda b: (b.date, b.id), reverse=True)
    # What one file cannot say: a follow-up's item exists, and was recorded before the follow-up.
    check_follow_ups(bulletins, places, {ident for ident, _ in present}, report)

    page_docs: list[RawDocument] = []
    page_files = content_files(root / PAGES_DIR)
    for path in page_files:
        raw = load_document(path, relpath(path, root), PAGE_NAME, report)
        if raw is None:
            continue
        free = check_page_id(raw, report)
        if raw.front is not None and check_schema(raw.front, page_schema(), raw.path, report):
            check_plain_text(raw.front, raw.path, report)
            if free:
                page_docs.append(raw)
        check_body(raw, report, heading_level=False)
    pages_by_id = group_by_id(page_docs, report)
    missing_translations(pages_by_id, report, _present(page_files, PAGE_NAME))
    pages = [build_page(docs) for _, docs in sorted(pages_by_id.items())]
    site = Site(registry, bulletins, pages)
    if cache is not None and not report.has_errors():
        if cache.loaded is None or cache.loaded.generation < generation:  # not an earlier load ending late
            cache.loaded = LoadedSite(site, generation, state, schema, by_id)
    return site


def _shared_facts(b: Bulletin) -> tuple:
    """What other bulletins' checks and the neighbourhood of a bulletin's page (its
    group's, communes' and difficulties' lists, the items it follows up and that follow
    it up) read of a bulletin: while they stay the same, an edit of it is checked alone."""
    return (b.id, b.date, b.group, b.communes, b.tags, tuple(x.id for x in (*b.recommendations, *b.directives)),
            tuple((f.item, f.date) for f in b.follow_ups))


def reload_bulletins(root: Path, loaded: LoadedSite, paths: list[str], report: Report,
                     cache: DocumentCache | None = None, store: Store | None = None) -> LoadedSite | None:
    """``loaded`` with the bulletin files ``paths`` (relative to ``root``, edited since)
    read and checked again, alone: the other files, the registries and the day must be
    those of ``loaded``. None, with the errors in ``report``, when an edited bulletin has
    some; None, with none, when only a whole load can tell: the registries or the day
    changed, a path is not a file of ``loaded``, or an edit changes what other bulletins'
    checks or the neighbourhood of its page read (``_shared_facts``)."""
    root = Path(root)
    edited: dict[str, dict[str, RawDocument]] = {}
    for path in paths:
        match = BULLETIN_NAME.match(Path(path).name)
        doc = loaded.docs.get(match["id"], {}).get(match["lang"]) if match else None
        if doc is None or doc.path != path:
            return None
        edited[doc.id] = {}
    if _state(root) != loaded.state:
        return None
    registry = loaded.site.registry
    checked = _check_files(root, [root / path for path in paths], registry, loaded.schema, cache, store)
    for _, items in checked:
        report.items += items
    if any(raw is None for raw, _ in checked):
        return None  # its errors are in report
    for raw, _ in checked:
        edited[raw.id][raw.lang] = raw
    docs_by_id = dict(loaded.docs)
    new: dict[str, Bulletin | None] = {}
    pair = cache.bulletin if cache is not None else _bulletin
    for ident, files in edited.items():
        docs_by_id[ident] = {lang: files.get(lang, doc) for lang, doc in loaded.docs[ident].items()}  # its order
        new[ident] = pair(docs_by_id[ident], report)
    if None in new.values():
        return None  # translations that disagree: their errors are in report
    bulletins = list(loaded.site.bulletins)
    for i, b in enumerate(bulletins):
        if b.id in new:
            if _shared_facts(b) != _shared_facts(new[b.id]):
                return None
            bulletins[i] = new[b.id]
    return LoadedSite(Site(registry, bulletins, loaded.site.pages), loaded.generation, loaded.state, loaded.schema,
                      docs_by_id)
