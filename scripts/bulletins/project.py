"""The load + validate stages as one call: a project folder → a checked :class:`Site`.

Used alike by ``bulletins check``, the build and the MkDocs glue, so that what the
checker accepts is exactly what gets published."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Report, relpath
from .load import BULLETIN_NAME, LANGUAGES, PAGE_NAME, RawDocument, content_files, load_document
from .model import Site
from .registry import load_registry
from .schema import bulletin_schema, page_schema
from .validate import (build_bulletin, build_page, check_body, check_bulletin_semantics, check_schema,
                       compare_translations, group_by_id, missing_translations)

BULLETINS_DIR = Path("content/bulletins")
PAGES_DIR = Path("content/pages")



def _present(paths: list[Path], pattern) -> frozenset:
    """(id, lang) of every well-named file, loadable or not."""
    matches = (pattern.match(p.name) for p in paths)
    return frozenset((m["id"], m["lang"]) for m in matches if m and m["lang"] in LANGUAGES)


def load_site(root: Path, report: Report) -> Site:
    """Load and validate everything under ``root``. Check ``report.has_errors()`` after."""
    root = Path(root)
    registry = load_registry(root, report)
    schema = bulletin_schema(registry)

    valid: list[RawDocument] = []
    bulletin_files = content_files(root / BULLETINS_DIR)
    for path in bulletin_files:
        raw = load_document(path, relpath(path, root), BULLETIN_NAME, report)
        if raw is None:
            continue
        if raw.front is not None and not isinstance(raw.front.value, dict):
            report.error(raw.path, 2, 1, "the front matter must be a mapping of fields",
                         "write one 'field: value' per line between the '---' lines")
        elif raw.front is not None and check_schema(raw.front, schema, raw.path, report):
            check_bulletin_semantics(raw, registry, report)  # the body too
            valid.append(raw)
            continue
        check_body(raw, report)  # in the same pass as the front matter's mistakes
    by_id = group_by_id(valid, report)
    missing_translations(by_id, report, _present(bulletin_files, BULLETIN_NAME))
    bulletins = []
    for ident, docs in by_id.items():
        if "vi" in docs and "fr" in docs and not compare_translations(docs["vi"], docs["fr"], report):
            continue
        bulletins.append(build_bulletin(docs))
    bulletins.sort(key=lambda b: (b.date, b.id), reverse=True)

    page_docs: list[RawDocument] = []
    page_files = content_files(root / PAGES_DIR)
    for path in page_files:
        raw = load_document(path, relpath(path, root), PAGE_NAME, report)
        if raw is None:
            continue
        if raw.front is not None and check_schema(raw.front, page_schema(), raw.path, report):
            page_docs.append(raw)
        check_body(raw, report, heading_level=False)
    pages_by_id = group_by_id(page_docs, report)
    missing_translations(pages_by_id, report, _present(page_files, PAGE_NAME))
    pages = [build_page(docs) for _, docs in sorted(pages_by_id.items())]
    return Site(registry, bulletins, pages)
