"""The live preview's cache of per-file checks (project.DocumentCache) never serves a
stale answer: a loaded site with the cache is the site without it, after edits of a
bulletin and of a registry alike."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bulletins.diagnostics import Report
from bulletins.project import DocumentCache, load_site

REPO = Path(__file__).resolve().parents[1]
G1 = "content/bulletins/2025-08-04-group-1.vi.md"


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for part in ("content", "site_config", "schema"):
        shutil.copytree(REPO / part, root / part)
    return root


def loaded(root: Path, cache: DocumentCache | None):
    report = Report()
    site = load_site(root, report, cache=cache)
    return site, report.render()


def assert_same(root: Path, cache: DocumentCache):
    with_cache, without = loaded(root, cache), loaded(root, None)
    assert with_cache[1] == without[1]
    assert with_cache[0].bulletins == without[0].bulletins
    return with_cache


def test_cached_loads_follow_every_edit(tmp_path):
    root = project(tmp_path)
    cache = DocumentCache()
    site, messages = assert_same(root, cache)
    assert "0 error(s)" in messages and len(site.bulletins) == 7

    source = root / G1
    source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Sửa - ", 1), encoding="utf-8")
    site, _ = assert_same(root, cache)
    assert next(b for b in site.bulletins if b.id == "2025-08-04-group-1").title["vi"].startswith("Sửa - ")

    source.write_text(source.read_text(encoding="utf-8").replace("group: 1", "group: 8", 1), encoding="utf-8")
    _, messages = assert_same(root, cache)
    assert f"{G1}:" in messages and "group" in messages

    source.write_text(source.read_text(encoding="utf-8").replace("group: 8", "group: 1", 1), encoding="utf-8")
    _, messages = assert_same(root, cache)
    assert "0 error(s)" in messages

    # a registry change reaches files that did not change
    tags = root / "site_config" / "difficulties.yml"
    text = tags.read_text(encoding="utf-8")
    assert "- id: roads\n" in text
    tags.write_text(text.replace("- id: roads\n", "- id: road-network\n", 1), encoding="utf-8")
    _, messages = assert_same(root, cache)
    assert "unknown difficulty tag 'roads'" in messages


def test_parallel_load_is_the_serial_load(tmp_path, monkeypatch):
    """Large projects are checked by several processes, ids shared out; same site, same
    messages (mistakes included) as one process. The workers' documents come back with their
    position tables packed (load.Positioned): the checks across files (translations that
    disagree) still name the same lines and columns."""
    import bulletins.project as project_module
    from bulletins.synth import synthesize

    root = tmp_path / "corpus"
    synthesize(REPO, root, 60, 3)
    bulletins = sorted((root / "content" / "bulletins").glob("*.md"))
    bulletins[0].write_text(bulletins[0].read_text(encoding="utf-8").replace("group: ", "group: 4", 1),
                            encoding="utf-8")
    bulletins[7].unlink()  # a missing translation
    (bulletins[9].parent / "extra").mkdir()
    shutil.copy(bulletins[9], bulletins[9].parent / "extra" / bulletins[9].name)  # a duplicate id
    french = bulletins[20].read_text(encoding="utf-8")
    assert bulletins[20].name.endswith(".fr.md") and "\ngroup: " in french
    group = int(french.split("\ngroup: ", 1)[1].split("\n", 1)[0])
    bulletins[20].write_text(french.replace(f"\ngroup: {group}\n", f"\ngroup: {group % 7 + 1}\n", 1),
                             encoding="utf-8")  # a valid group, not the Vietnamese file's
    following = next(p for p in bulletins[30:] if '\n  - item: "' in p.read_text(encoding="utf-8"))
    following.write_text(re.sub(r'\n  - item: "[^"]*"', '\n  - item: "2025-01-01-group-1#d-1"',
                                following.read_text(encoding="utf-8"), count=1),
                         encoding="utf-8")  # not the Vietnamese file's
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 10**9)
    serial = loaded(root, None)
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(project_module.os, "sched_getaffinity", lambda pid: {0, 1, 2})
    parallel = loaded(root, None)
    assert parallel[1] == serial[1]
    assert "duplicate id" in serial[1] and "missing" in serial[1] and "error" in serial[1]
    assert re.search(rf"{bulletins[20].name}:4:8: error: group disagrees", serial[1]), serial[1]
    assert re.search(rf"{following.name}:\d+:11: error: follow_ups\[0\]\.item disagrees", serial[1]), serial[1]
    assert parallel[0].bulletins == serial[0].bulletins and len(serial[0].bulletins) > 50


def test_a_pickled_document_places_every_node_where_it_was():
    """A document from a check worker or the build cache (its position tables packed)."""
    import pickle

    from bulletins.load import BULLETIN_NAME, load_document

    report = Report()
    doc = load_document(REPO / G1, G1, BULLETIN_NAME, report)
    again = pickle.loads(pickle.dumps(doc))
    assert again.front.value == doc.front.value and len(doc.front.value_at) > 50
    for path in doc.front.value_at.keys() | doc.front.key_at.keys():
        assert again.front.where(path) == doc.front.where(path), path
        assert again.front.where(path, key=True) == doc.front.where(path, key=True), path
