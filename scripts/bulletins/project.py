"""The load + validate stages as one call: a project folder → a checked :class:`Site`.

Used alike by ``bulletins check``, the build and the MkDocs glue, so that what the
checker accepts is exactly what gets published."""

from __future__ import annotations

import os
from pathlib import Path

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


class DocumentCache:
    """What the checks of one bulletin file found, kept for as long as the file's bytes
    and the registries stay the same: the live preview re-reads only edited files."""

    def __init__(self):
        self.registries = b""
        self.files: dict[Path, tuple[bytes, RawDocument | None, list]] = {}
        self.pairs: dict[tuple[int, ...], tuple] = {}

    def check(self, path: Path, root: Path, registry, schema, report: Report) -> RawDocument | None:
        data = path.read_bytes()
        cached = self.files.get(path)
        if cached is None or cached[0] != data:
            own = Report()
            cached = (data, _check_bulletin_file(path, root, registry, schema, own), own.items)
            self.files[path] = cached
        report.items += cached[2]
        return cached[1]

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

    def registries_are(self, root: Path) -> None:
        """Forget everything when a registry changed (its ids and labels are in the checks), or
        the day did (a date in the future is warned about until it comes)."""
        state = today().isoformat().encode() + b"".join(
            p.name.encode() + b"\0" + p.read_bytes() for p in sorted((root / "site_config").glob("*")) if p.is_file())
        if state != self.registries:
            self.registries, self.files, self.pairs = state, {}, {}
        live = {id(doc) for _, doc, _ in self.files.values() if doc is not None}
        self.pairs = {key: value for key, value in self.pairs.items() if set(key) <= live}


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


PARALLEL_FROM = 400  # files; below, starting processes costs more than it saves


def _file_id(path: Path) -> str:
    match = BULLETIN_NAME.match(path.name)
    return match["id"] if match else path.name


def _load_bulletins(root: Path, paths: list[Path], registry, schema, present: frozenset,
                    cache: DocumentCache | None = None,
                    report: Report | None = None) -> tuple[list[Bulletin], list, dict]:
    """The bulletins of ``paths`` (all the files of their ids), what their checks found, and
    where their follow-ups are written (for the checks that need every bulletin)."""
    report = report if report is not None else Report()
    valid: list[RawDocument] = []
    for path in paths:
        if cache is not None:
            raw = cache.check(path, root, registry, schema, report)
        else:
            raw = _check_bulletin_file(path, root, registry, schema, report)
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
    return bulletins, report.items, places


def load_site(root: Path, report: Report, cache: DocumentCache | None = None) -> Site:
    """Load and validate everything under ``root``. Check ``report.has_errors()`` after."""
    root = Path(root)
    registry = load_registry(root, report)
    schema = bulletin_schema(registry)
    if cache is not None:
        cache.registries_are(root)

    bulletin_files = content_files(root / BULLETINS_DIR)
    present = _present(bulletin_files, BULLETIN_NAME)
    workers = min(len(os.sched_getaffinity(0)), 8)
    if cache is None and workers > 1 and len(bulletin_files) >= PARALLEL_FROM:
        # Every check but the registries' is about one id's files: share the ids out.
        ids = sorted({_file_id(path) for path in bulletin_files})
        share = {ident: n % workers for n, ident in enumerate(ids)}
        parts = [[p for p in bulletin_files if share[_file_id(p)] == w] for w in range(workers)]
        with worker_pool(workers) as pool:
            results = pool.starmap(_load_bulletins, [(root, part, registry, schema, present) for part in parts])
        bulletins = [b for part_bulletins, _, _ in results for b in part_bulletins]
        places = {}
        for _, items, part_places in results:
            report.items += items
            places.update(part_places)
    else:
        bulletins, _, places = _load_bulletins(root, bulletin_files, registry, schema, present, cache, report)
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
    return Site(registry, bulletins, pages)
