"""The build cache between builds (scripts/bulletins/cache.py, .cache/bulletins/): a build
that reads it is byte for byte the build that does not, after every kind of edit; a
damaged entry is ignored and rewritten; ``--no-cache`` neither reads nor writes it;
``bulletins cache clear`` empties it."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path

import pytest
from bulletins import cache, narrative
from bulletins.cache import Store
from bulletins.cli import main
from bulletins.search_bundles import Part
from bulletins.synth import synthesize

REPO = Path(__file__).resolve().parents[1]
BULLETINS = 30


def corpus(tmp_path: Path) -> Path:
    """A synthetic project whose first bulletin also has a paragraph of two lines (which
    the Markdown configuration decides how to render)."""
    root = tmp_path / "project"
    synthesize(REPO, root, BULLETINS, 7)
    first = sorted((root / "content" / "bulletins").glob("*.vi.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nDòng thứ nhất\ncủa một đoạn hai dòng.\n",
                     encoding="utf-8")
    return root


def build(root: Path, site: Path, *options: str) -> dict[str, bytes]:
    assert main(["--root", str(root), "build", "--site-dir", str(site), *options]) == 0
    return files(site)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def entries(root: Path) -> dict[str, int]:
    """Every cache entry and its mtime."""
    return {p.name: p.stat().st_mtime_ns for p in (root / cache.DIR).rglob("*") if p.is_file()}


def assert_same(warm: dict[str, bytes], cold: dict[str, bytes]) -> None:
    assert warm.keys() == cold.keys()
    assert sorted(name for name in cold if warm[name] != cold[name]) == []


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def first_bulletin(root: Path, lang: str = "vi") -> Path:
    return sorted((root / "content" / "bulletins").glob(f"*.{lang}.md"))[1]


def bulletin_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "bulletins").glob("*.md"))


def held(root: Path) -> Path:
    return root.parent / "held-out"


def hold_out_newest(root: Path) -> None:
    """Move the newest bulletin (both files) out of the project, for the "added" edit."""
    newest = max(p.name.split(".")[0] for p in bulletin_files(root))
    held(root).mkdir()
    for path in bulletin_files(root):
        if path.name.split(".")[0] == newest:
            path.rename(held(root) / path.name)


def put_back(root: Path) -> None:
    for path in held(root).iterdir():
        path.rename(root / "content" / "bulletins" / path.name)


def remove_one(root: Path) -> None:
    """Remove a bulletin from the middle that no other bulletin follows up."""
    texts = {p: p.read_text(encoding="utf-8") for p in bulletin_files(root)}
    ids = sorted({p.name.split(".")[0] for p in texts})
    ident = next(i for i in ids[len(ids) // 2:] if not any(f'"{i}#' in t for t in texts.values()))
    for path in texts:
        if path.name.split(".")[0] == ident:
            path.unlink()


def change_a_follow_up(root: Path) -> None:
    """An earlier item's status as a later bulletin reports it (both languages agree)."""
    path = next(p for p in bulletin_files(root) if "follow_ups:" in p.read_text(encoding="utf-8")
                and "status: done" in p.read_text(encoding="utf-8"))
    for lang in ("vi", "fr"):
        replace_in(path.with_name(path.name.split(".")[0] + f".{lang}.md"), "status: done", "status: in-progress")


EDITS = {
    "body": lambda root: replace_in(first_bulletin(root, "fr"), "\n---\n", "\n---\n\nUn paragraphe ajouté : il change.\n"),
    "front matter": lambda root: replace_in(first_bulletin(root), "title: ", "title: Sửa - "),
    "bulletin added": put_back,
    "bulletin removed": remove_one,
    "follow-up": change_a_follow_up,
    "registry label": lambda root: replace_in(root / "site_config" / "difficulties.yml",
                                              "vi: Thiếu cán bộ, công chức\n", "vi: Thiếu người làm việc\n"),
    "ui string": lambda root: replace_in(root / "site_config" / "ui.yml", '{vi: "Trang chủ"', '{vi: "Trang nhà"'),
    "template": lambda root: replace_in(root / "overrides" / "main.html", "{% block styles %}",
                                        '{% block styles %}\n  <meta name="x-cache-test" content="edited">'),
}


@pytest.mark.slow
def test_a_warm_build_is_the_cold_build_after_every_edit(tmp_path, monkeypatch):
    root = corpus(tmp_path)
    hold_out_newest(root)
    assert not (root / cache.DIR).exists()
    first = build(root, tmp_path / "cold")
    stored = entries(root)
    assert len(stored) > 2 * BULLETINS * 2  # each file's checks, each narrative (page and feed) per language

    # nothing changed: nothing is recomputed; every entry is read back (refreshed) but the
    # narratives and feed items of the pages and feeds that were read back whole
    again = build(root, tmp_path / "warm")
    assert_same(again, first)
    now = entries(root)
    assert now.keys() == stored.keys()
    store = Store(root / cache.DIR)
    unread = [name for name in now if now[name] == stored[name]]
    assert all(store.get(name).startswith((b'{"html": ', b"<p><strong>")) for name in unread)  # narrative, feed item
    assert len(unread) < len(now) / 2

    previous = again
    for n, (name, edit) in enumerate(EDITS.items()):
        edit(root)
        warm = build(root, tmp_path / f"warm-{n}")
        cold = build(root, tmp_path / f"cold-{n}", "--no-cache")
        assert_same(warm, cold)
        assert warm != previous, f"the {name} edit did not reach the site"
        previous = warm

    # The Markdown configuration (a line break inside a paragraph becomes <br>): the renderer
    # processes are forked so that they see the changed extension list.
    spawn = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: spawn("fork"))
    monkeypatch.setattr(narrative, "EXTENSIONS", [*narrative.EXTENSIONS, "nl2br"])
    warm = build(root, tmp_path / "warm-markdown")
    cold = build(root, tmp_path / "cold-markdown", "--no-cache")
    assert_same(warm, cold)
    assert warm != previous
    assert any("Dòng thứ nhất<br" in data.decode("utf-8", "replace") for data in warm.values())


def test_damaged_entries_are_ignored_and_rewritten(tmp_path):
    root = corpus(tmp_path)
    cold = build(root, tmp_path / "cold")
    paths = sorted(p for p in (root / cache.DIR).rglob("*") if p.is_file())
    store = Store(root / cache.DIR)
    for n, path in enumerate(paths):
        data = path.read_bytes()
        if n % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # torn
        elif n % 3 == 1:
            path.write_bytes(os.urandom(200))  # garbage
        else:  # a whole, well-formed entry under another key's name
            other = paths[(n + 1) % len(paths)]
            path.write_bytes(other.read_bytes() if other.name != path.name else b"")
        assert path.read_bytes() != data
    warm = build(root, tmp_path / "warm")
    assert_same(warm, cold)
    assert all(store.get(path.name) is not None for path in paths)  # recomputed, stored whole again


def test_no_cache_neither_reads_nor_writes(tmp_path):
    root = corpus(tmp_path)
    cold = build(root, tmp_path / "nocache", "--no-cache")
    assert not (root / cache.DIR).exists()

    build(root, tmp_path / "cached")
    # Poison every narrative: well-formed entries, under their own keys, with other HTML; and
    # remove what was made from them (pages, feeds, search), so that a build reads them.
    store = Store(root / cache.DIR)
    poisoned = 0
    for path in [p for p in (root / cache.DIR).rglob("*") if p.is_file()]:
        value = store.get(path.name)
        if value is not None and value.startswith(b'{"html": '):
            store.put(path.name, b'{"html": "<p>POISON</p>", "toc": []}')
            poisoned += 1
        else:
            path.unlink()
    assert poisoned > BULLETINS
    before = entries(root)
    again = build(root, tmp_path / "nocache-again", "--no-cache")
    assert_same(again, cold)
    assert entries(root) == before  # not read (a read refreshes the mtime), not written
    poisoned_site = build(root, tmp_path / "poisoned")  # the test means something: a read shows it
    assert any(b"POISON" in data for data in poisoned_site.values())


def test_cache_clear_empties_it(tmp_path, capsys):
    root = corpus(tmp_path)
    build(root, tmp_path / "site")
    assert entries(root)
    assert main(["--root", str(root), "cache", "clear"]) == 0
    assert not (root / cache.DIR).exists()
    assert "emptied" in capsys.readouterr().out


def test_the_store(tmp_path):
    store = Store(tmp_path / "c", code="test")
    key = store.key("kind", "a", b"b")
    assert key != store.key("kind", "ab", b"") and key != Store(tmp_path / "c", code="other").key("kind", "a", b"b")
    assert store.get(key) is None
    store.put(key, b"value")
    assert store.get(key) == b"value"
    path = next(p for p in (tmp_path / "c").rglob("*") if p.is_file())
    assert path.name == key and path.parent.parent.name == f"v{cache.FORMAT}"
    path.write_bytes(path.read_bytes()[:-1])
    assert store.get(key) is None and not path.exists()  # torn: ignored and removed

    # pruning: what the last build used stays; older entries go, oldest first, beyond twice that
    old = [store.key("old", str(n)) for n in range(6)]
    for n, k in enumerate(old):
        store.put(k, b"x" * 100)
        os.utime(store._path(k), (1000 + n, 1000 + n))
    leftover = store._path(old[0]).with_name(".tmp-1-dead")
    leftover.write_bytes(b"half")
    os.utime(leftover, (1000, 1000))
    since = 5000
    for k in ("new1", "new2"):
        store.put(store.key("new", k), b"y" * 100)
    (tmp_path / "c" / "v0" / "ab").mkdir(parents=True)  # an older format
    removed, kept = store.prune(since)
    assert removed == 4 and not leftover.exists() and not (tmp_path / "c" / "v0").exists()
    assert [store.get(k) is not None for k in old] == [False] * 4 + [True] * 2
    assert kept == sum(p.stat().st_size for p in (tmp_path / "c").rglob("*") if p.is_file())


def test_fingerprints_show_every_field_of_the_model():
    """cache.fingerprint stands for a bulletin or the registries in the keys of cached pages
    and feeds: every dataclass of the model must show every field in its generated repr,
    and nothing in the seed's values may print as an object address."""
    import dataclasses
    import inspect

    from bulletins import model
    from bulletins.diagnostics import Report
    from bulletins.project import load_site

    classes = [cls for _, cls in inspect.getmembers(model, inspect.isclass)
               if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__]
    assert len(classes) > 8
    for cls in classes:
        assert all(f.repr for f in dataclasses.fields(cls)), cls
        made = getattr(cls.__repr__, "__wrapped__", cls.__repr__)  # dataclasses wrap it in recursive_repr
        assert made.__code__.co_filename == "<string>", f"{cls.__name__} has a __repr__ of its own"
    site = load_site(REPO, Report())
    for value in (site.registry, *site.bulletins):
        assert " at 0x" not in repr(value)
    assert cache.fingerprint(site.bulletins[0]) != cache.fingerprint(site.bulletins[1])


def test_the_search_index_comes_from_the_cache_where_its_pages_did_not_change(tmp_path):
    """Each language's search index is built in parts kept in the cache (search_bundles.py):
    after an edit of one French bulletin's body, only the part of the French bulletins of
    its year is indexed again (the other pages' part and the Vietnamese parts are read
    back), and the site is the --no-cache build's, byte for byte."""
    root = corpus(tmp_path)
    build(root, tmp_path / "cold")
    store = Store(root / cache.DIR)

    def parts() -> set[str]:
        names = set()
        for path in (root / cache.DIR).rglob("*"):
            value = store.get(path.name) if path.is_file() else None
            with contextlib.suppress(Exception):  # not a search part
                Part.loads(value)
                names.add(path.name)
        return names

    before = parts()
    assert len(before) == 4  # the bulletins of one year and the other pages, in each language
    replace_in(first_bulletin(root, "fr"), "\n---\n", "\n---\n\nUn paragraphe ajouté pour la recherche.\n")
    warm = build(root, tmp_path / "warm")
    assert len(parts() - before) == 1
    assert_same(warm, build(root, tmp_path / "nocache", "--no-cache"))
