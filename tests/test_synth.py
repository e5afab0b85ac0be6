"""The synthetic corpus (``bulletins synth``): valid, deterministic, covering, and a
1,000-bulletin build with the expected pages and feed items."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bulletins.build import build_site
from bulletins.cli import main
from bulletins.diagnostics import Report
from bulletins.feeds import feed_specs
from bulletins.index import build_index
from bulletins.pages import OCCURRENCES_PER_PAGE, PER_PAGE
from bulletins.project import load_site
from bulletins.synth import synthesize

REPO = Path(__file__).resolve().parents[1]
LANGS = ("vi", "fr")
FEED_ITEMS = 50  # the plugin's default feed_items


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "s200"
    assert synthesize(REPO, out, 200, 7) == 200
    report = Report()
    site = load_site(out, report)
    return out, site, report


def test_synthetic_corpus_passes_the_checker(corpus, capsys):
    out, site, report = corpus
    assert [d for d in report.items if d.severity == "error"] == []
    assert len(site.bulletins) == 200
    assert all(set(b.languages) == {"vi", "fr"} for b in site.bulletins)
    assert main(["--root", str(out), "check", "--strict"]) == 0
    # nothing but what --strict leaves a warning: the repository's site.yml names no publisher yet
    *warnings, count = capsys.readouterr().out.splitlines()
    assert count == f"0 error(s), {len(warnings)} warning(s)"
    assert all(line.startswith("site_config/site.yml:1:1: warning: no publisher") for line in warnings)


def test_later_bulletins_follow_up_earlier_items(corpus):
    """About one bulletin in seven follows up earlier items: valid references (the checker
    passed), dated between the item's bulletin and its own, every status, both languages."""
    from bulletins.model import STATUSES

    _, site, _ = corpus
    by_id = {b.id: b for b in site.bulletins}
    with_follow_ups = [b for b in site.bulletins if b.follow_ups]
    assert 0.08 <= len(with_follow_ups) / len(site.bulletins) <= 0.25
    assert {f.status for b in with_follow_ups for f in b.follow_ups} == set(STATUSES)
    for b in with_follow_ups:
        for f in b.follow_ups:
            target, item = f.item.split("#")
            assert item in {a.id for a in (*by_id[target].recommendations, *by_id[target].directives)}
            assert target != b.id and by_id[target].date <= f.date <= b.date
            assert f.text["vi"] and f.text["fr"] and f.text["vi"] != f.text["fr"]
    for b in site.bulletins:
        assert [a.id for a in b.recommendations] == [f"r-{n}" for n in range(1, len(b.recommendations) + 1)]
        assert [a.id for a in b.directives] == [f"d-{n}" for n in range(1, len(b.directives) + 1)]
    assert any(a.to for b in site.bulletins for a in b.directives)


def test_project_folder_is_complete(corpus):
    out, _, _ = corpus
    for name in ("site_config/communes.yml", "schema/bulletin.schema.json", "mkdocs.yml", "mkdocs.fr.yml",
                 "overrides/main.html"):
        assert (out / name).is_file(), name


def test_all_communes_and_tags_are_used(corpus):
    _, site, _ = corpus
    reg = site.registry
    assert {c for b in site.bulletins for c in b.communes} == set(reg.communes)
    assert {t for b in site.bulletins for t in b.tags} == set(reg.tags)


def test_ids_are_unique_and_dated_from_july_2025_over_more_than_a_year(corpus):
    _, site, _ = corpus
    ids = [b.id for b in site.bulletins]
    assert len(set(ids)) == len(ids)
    for b in site.bulletins:
        assert re.fullmatch(rf"{b.date.isoformat()}-group-{b.group}(-[2-9]|-[1-9][0-9]+)?", b.id), b.id
    dates = sorted(b.date for b in site.bulletins)
    assert dates[0].isoformat() >= "2025-07-01"
    assert (dates[-1] - dates[0]).days > 90


def test_shapes_follow_the_seed(corpus):
    """Counts per bulletin stay within what the seed shows; bodies are seed-sized."""
    _, synthetic, _ = corpus
    seed = load_site(REPO, Report())
    for attr in ("difficulties", "recommendations", "directives", "figures"):
        most = max(len(getattr(b, attr)) for b in seed.bulletins)
        assert max(len(getattr(b, attr)) for b in synthetic.bulletins) <= most + 1, attr  # +1: a forced tag
    words = lambda bs: sum(len(b.body["vi"].split()) for b in bs) / len(bs)  # noqa: E731
    assert 0.5 < words(synthetic.bulletins) / words(seed.bulletins) < 2


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    synthesize(REPO, tmp_path / "a", 60, 3)
    synthesize(REPO, tmp_path / "b", 60, 3)
    synthesize(REPO, tmp_path / "c", 60, 4)
    a, b, c = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "c")
    assert a == b
    assert a != c


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "precious.txt").write_text("keep me")
    assert main(["--root", str(REPO), "synth", "--bulletins", "5", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def items(path: Path) -> int:
    return len(ET.parse(path).getroot().findall("./channel/item"))


def test_a_1000_bulletin_build_has_the_expected_pages_and_feed_items(tmp_path):
    root, out = tmp_path / "s1000", tmp_path / "site"
    synthesize(REPO, root, 1000, 11)
    report = build_site(root, out)
    assert not report.has_errors(), report.render()
    site = load_site(root, Report())
    index = build_index(site)
    reg = site.registry
    for lang in LANGS:
        base = out / lang
        bulletin_pages = [p for p in (base / "bulletins").glob("*/index.html") if p.parent.name != "page"]
        assert len(bulletin_pages) == 1000
        assert len(list((base / "bulletins" / "page").glob("*/index.html"))) + 1 == math.ceil(1000 / PER_PAGE)
        assert len(list((base / "communes").glob("*/index.html"))) == len(reg.communes) == 65
        assert len(list((base / "difficulties").glob("*/index.html"))) == len(reg.tags)
        assert len(list((base / "groups").glob("*/index.html"))) == len(reg.groups)
        # what grows without bound is paginated, so every page stays small
        for cid, view in index.communes.items():
            pages = len(list((base / "communes" / cid / "page").glob("*/index.html"))) + 1
            assert pages == max(1, math.ceil(len(view.bulletins) / PER_PAGE)), cid
        for tid, view in index.tags.items():
            pages = len(list((base / "difficulties" / tid / "page").glob("*/index.html"))) + 1
            assert pages == max(1, math.ceil(len(view.occurrences) / OCCURRENCES_PER_PAGE)), tid
        for n, view in index.groups.items():
            pages = len(list((base / "groups" / str(n) / "page").glob("*/index.html"))) + 1
            assert pages == max(1, math.ceil(len(view.bulletins) / PER_PAGE)), n
        assert max(p.stat().st_size for p in bulletin_pages) < 60_000
        assert max(p.stat().st_size for p in base.rglob("index.html")) < 200_000
        assert items(base / "feed.xml") == min(1000, FEED_ITEMS)
        assert len(ET.parse(base / "atom.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")) == 50
        commune_items = sum(items(base / "communes" / cid / "feed.xml") for cid in reg.communes)
        assert commune_items == sum(min(len(v.bulletins), FEED_ITEMS) for v in index.communes.values())
        tag_items = sum(items(base / "difficulties" / tid / "feed.xml") for tid in reg.tags)
        assert tag_items == sum(min(len(v.bulletins), FEED_ITEMS) for v in index.tags.values())
        assert len(feed_specs(site, lang)) == 1 + len(reg.communes) + len(reg.tags) + len(reg.groups)
    assert (out / "index.html").is_file()
