"""The search index built in parts (scripts/bulletins/search_bundles.py): the merged bundle
holds what one Pagefind run over every page holds (every word's pages, positions and
metadata positions, its forms with diacritics, filters, fragments, word counts, the
language's WebAssembly), whatever the parts and their metadata fields; a part whose pages
did not change comes from the build cache, and the bundle is the same bytes."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from bulletins.cache import Store
from bulletins.pages import PageEntry
from bulletins.pages import search as search_pages
from bulletins.search_bundles import cbor_decode, read_file, write_bundle


def searchable(site: Path) -> list[str]:
    """The URLs (inside the language's folder) of the pages that ask to be indexed."""
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
                  if "data-pagefind-body" in p.read_text(encoding="utf-8"))


def pagefind_run(site: Path, urls: list[str], out: Path) -> Path:
    """One Pagefind run over ``urls``, its bundle in ``out``."""
    glob = "{" + ",".join(f"{url}index.html" for url in urls) + "}"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--output-path",
                    str(out), "--silent"], check=True)
    return out


def pages_of(site: Path, out: Path) -> Path:
    """A folder whose pages are ``site``'s (linked) and whose bundle will be written apart."""
    out.mkdir(parents=True)
    for entry in site.iterdir():
        if entry.name != "pagefind":
            (out / entry.name).symlink_to(entry)
    return out


def content(bundle: Path) -> dict:
    """What a bundle holds, by page URL rather than page number: each word's pages with
    their positions and metadata positions (by field name) and its forms, each filter's
    values with their pages, each page's fragment and word count, the entry's language
    and WebAssembly."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    [(lang, info)] = entry["languages"].items()
    version, pages, chunks, filters, sorts, fields = read_file((bundle / f"pagefind.{info['hash']}.pf_meta").read_bytes())
    fragments = [json.loads(gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())[12:])
                 for name, _ in pages]
    urls = [f["url"] for f in fragments]

    def postings(entries):
        out, page = {}, 0
        for delta, positions, meta in entries:
            page += delta
            assert urls[page] not in out and (delta or page == 0 or not out)
            out[urls[page]] = (positions, [fields[-1 - v] if v < 0 else v for v in meta])
        return out

    words, order = {}, []
    for _, _, name in chunks:
        raw = gzip.decompress((bundle / "index" / f"{name}.pf_index").read_bytes())[12:]
        [chunk], _ = cbor_decode(raw)
        for word, entries, forms in chunk:
            order.append(word)
            words[word] = (postings(entries), {form: postings(e) for form, e in forms})
    assert order == sorted(order) and len(order) == len(set(order))
    values = {}
    for _, name in filters:
        filter_name, filter_values = read_file((bundle / "filter" / f"{name}.pf_filter").read_bytes())
        values[filter_name] = {value: sorted(urls[n] for n in numbers) for value, numbers in filter_values}
    return {"lang": lang, "wasm": info["wasm"], "count": info["page_count"], "version": version, "sorts": sorts,
            "fields": fields, "words": words, "filters": values, "pages": dict(zip(urls, fragments)),
            "word counts": dict(zip(urls, (n for _, n in pages)))}


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_merged_parts_hold_what_one_run_holds(built_site, tmp_path, lang):
    site = built_site / lang
    urls = searchable(site)
    assert len(urls) > 50
    parts = {"bulletins": [u for u in urls if u.startswith("bulletins/")][::-1],
             "communes": [u for u in urls if u.startswith("communes/")],
             "others": [u for u in urls if not u.startswith(("bulletins/", "communes/"))]}
    merged = pages_of(site, tmp_path / "merged")
    assert write_bundle(merged, lang, parts, None) == {"parts": 3, "pages": len(urls)}
    one = content(pagefind_run(site, urls, tmp_path / "one"))
    assert content(merged / "pagefind") == one
    assert one["wasm"] == {"vi": None, "fr": "fr"}[lang]  # French needs its stemmer's WebAssembly
    assert (merged / "pagefind" / "pagefind.js").is_file() and (merged / "pagefind" / "pagefind-ui.js").is_file()


PAGE = """<!doctype html><html lang="fr"><head><title>{0}</title></head><body>
<nav>navigation répétée</nav><main data-pagefind-body><h1>{0}</h1><p>{1}</p>{2}</main></body></html>"""


def test_parts_with_other_metadata_fields(tmp_path):
    """A part whose pages lack a field another part has (its field numbers differ) is
    renumbered in the merge; words spread over several parts keep every page."""
    site = tmp_path / "site"
    pages = {"a/": ("Réseau électrique", "Le manque d'électricité dans les villages éloignés.",
                    '<span data-pagefind-meta="zeta:réseau villages"></span>'),
             "b/": ("Routes", "Des routes étroites vers les villages.", '<span data-pagefind-filter="année:2025"></span>'),
             "c/": ("Villages", "Villages, routes et électricité.",
                    '<span data-pagefind-meta="alpha:routes"></span><span data-pagefind-filter="année:2026"></span>')}
    for url, (title, text, extra) in pages.items():
        (site / url).mkdir(parents=True)
        (site / url / "index.html").write_text(PAGE.format(title, text, extra), encoding="utf-8")
    one = content(pagefind_run(site, list(pages), tmp_path / "one"))
    merged = pages_of(site, tmp_path / "merged")
    write_bundle(merged, "fr", {"first": ["c/"], "second": ["a/", "b/"]}, None)
    got = content(merged / "pagefind")
    assert got == one
    assert got["fields"] == ["alpha", "title", "zeta"]
    assert set(got["words"]["villag"][0]) == {"/a/", "/b/", "/c/"}  # stemmed, in every part
    assert "réseau" in got["words"]["reseau"][1]


def test_unchanged_parts_come_from_the_cache(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site / "vi", site, ignore=shutil.ignore_patterns("pagefind"))
    urls = searchable(site)
    parts = {"bulletins": [u for u in urls if u.startswith("bulletins/")],
             "others": [u for u in urls if not u.startswith("bulletins/")]}
    store = Store(tmp_path / "cache", code="test")

    def bundle() -> dict[str, bytes]:
        return {p.relative_to(site / "pagefind").as_posix(): p.read_bytes()
                for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}

    assert write_bundle(site, "vi", parts, store) == {"parts": 2, "pages": len(urls)}
    cold = bundle()
    assert write_bundle(site, "vi", parts, store) == {"parts": 0, "pages": 0}  # scripts cached too
    assert bundle() == cold

    # one page changes: its part is indexed again, the other restored; the same bundle as without a cache
    page = site / parts["others"][0] / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1", "<p>Một câu mới.</p><h1", 1), encoding="utf-8")
    assert write_bundle(site, "vi", parts, store) == {"parts": 1, "pages": len(parts["others"])}
    warm = bundle()
    write_bundle(site, "vi", parts, None)
    assert bundle() == warm != cold


def test_search_parts_cut_a_large_year_by_period(monkeypatch):
    """A year of more than PART_PAGES bulletins is cut by half, quarter or month, so that
    Pagefind never holds much more than PART_PAGES pages; pages out of search are in no part."""
    days = [dt.date(2025, month, 1) for month in (1, 2, 5, 8, 11, 12)] + [dt.date(2026, 3, 1)]
    site = SimpleNamespace(bulletins=[SimpleNamespace(id=f"b{n}", date=day) for n, day in enumerate(days)])
    docs = [PageEntry(f"vi/bulletins/b{n}/", day.isoformat(), True) for n, day in enumerate(days)]
    docs += [PageEntry("vi/communes/x/", None, True), PageEntry("vi/bulletins/", None, False)]
    monkeypatch.setattr(search_pages, "PART_PAGES", 2)
    assert search_pages.search_parts(site, "vi", docs) == {
        "2025-1of4": ["bulletins/b0/", "bulletins/b1/"], "2025-2of4": ["bulletins/b2/"],
        "2025-3of4": ["bulletins/b3/"], "2025-4of4": ["bulletins/b4/", "bulletins/b5/"],
        "2026": ["bulletins/b6/"], "pages": ["communes/x/"]}
    monkeypatch.setattr(search_pages, "PART_PAGES", 1500)
    assert list(search_pages.search_parts(site, "vi", docs)) == ["2025", "2026", "pages"]
