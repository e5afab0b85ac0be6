"""Shells (scripts/bulletins/render.py): most pages are written from one theme run per
layout instead of one theme run each. The site must be the very same bytes as when the
theme renders every page, and nothing the theme or a registry shows may go stale."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bulletins.build import build_site
from bulletins.diagnostics import Report
from bulletins.feeds import feed_urls
from bulletins.index import build_index
from bulletins.pages import build_pages
from bulletins.project import load_site
from bulletins.render import DirectPages, Layouts
from bulletins.synth import synthesize
from test_build_properties import PROJECT_PARTS, tree_digest

REPO = Path(__file__).resolve().parents[1]


def copy_project(dest: Path, source: Path = REPO) -> Path:
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = source / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / part)
    return dest


def without_shells(root: Path) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "plugins:\n  - bulletins\n" in text
    config.write_text(text.replace("plugins:\n  - bulletins\n", "plugins:\n  - bulletins:\n      shells: false\n"),
                      encoding="utf-8")


def build(root: Path, site: Path) -> dict[str, str]:
    report = build_site(root, site)
    assert not report.has_errors(), report.render()
    return tree_digest(site)


@pytest.mark.parametrize("bulletins", [0, 300], ids=["seed", "synthetic-300"])
def test_shells_give_the_bytes_the_theme_gives(tmp_path, bulletins):
    root = tmp_path / "project"
    if bulletins:
        synthesize(REPO, root, bulletins, 5)
    else:
        copy_project(root)
    with_shells = build(root, tmp_path / "with")
    without_shells(root)
    themed = build(root, tmp_path / "without")
    assert with_shells.keys() == themed.keys()
    assert sum(name.endswith(".html") for name in themed) > 150 + 2 * bulletins
    assert sorted(k for k in themed if themed[k] != with_shells[k]) == []


def test_few_layouts_for_many_pages():
    report = Report()
    site = load_site(REPO, report)
    index = build_index(site)
    for lang in ("vi", "fr"):
        docs = [d for d in build_pages(site, index, lang, feed_urls(site, lang)) if "/" in d.url.strip("/")]
        direct = DirectPages(Layouts(["communes/index.md"]))
        for doc in docs:
            direct.add(doc)
        assert direct.count == len(docs) > 90
        assert len(direct.exemplars) <= 12, sorted(direct.exemplars)


def test_shells_refuse_a_front_matter_key_they_do_not_model():
    """A value the theme compares with a literal (``hide: [toc]``) would be a slot in
    the exemplar, so the theme would not see it: the shells refuse such a page."""
    site = load_site(REPO, Report())
    docs = build_pages(site, build_index(site), "vi", feed_urls(site, "vi"))
    bulletin = next(d for d in docs if d.url.startswith("vi/bulletins/2"))
    DirectPages(Layouts([])).add(bulletin)  # the keys the pages package writes are modelled
    bulletin.meta["hide"] = ["toc"]
    with pytest.raises(ValueError, match="hide"):
        DirectPages(Layouts([])).add(bulletin)


def test_a_template_and_a_registry_label_reach_every_page(tmp_path):
    root = copy_project(tmp_path / "project")
    main = root / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block styles %}", '{% block styles %}\n  <meta name="x-shell-test" content="edited">', 1), encoding="utf-8")
    tags = root / "site_config" / "difficulties.yml"
    text = tags.read_text(encoding="utf-8")
    label = "Đường giao thông chưa được cứng hóa, xuống cấp"
    assert f"vi: {label}\n" in text
    tags.write_text(text.replace(f"vi: {label}\n", "vi: Đường sá, cầu cống\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    build(root, site)
    pages = sorted(site.glob("*/**/index.html"))
    assert len(pages) > 200
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<meta name="x-shell-test" content="edited">' in html, page
        if page.is_relative_to(site / "vi"):
            assert f"{label}<" not in html, page
    roads = [p for p in pages if re.search(r'href="[./]*difficulties/roads/">Đường sá, cầu cống<',
                                           p.read_text(encoding="utf-8"))]
    assert {p.parent.parent.name for p in roads} >= {"bulletins", "communes"}
    assert 'href="roads/">Đường sá, cầu cống<' in (site / "vi" / "difficulties" / "index.html").read_text(encoding="utf-8")
    own = (site / "vi" / "difficulties" / "roads" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Đường sá, cầu cống</h1>", own)
