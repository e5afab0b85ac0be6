"""The real seed content built into the real bilingual site, every page kind parsed and
asserted on, in both languages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
import yaml
from bulletins.diagnostics import Report
from bulletins.i18n import vietnamese_key
from bulletins.index import build_index
from bulletins.project import load_site
from bulletins.typography import typeset

REPO = Path(__file__).resolve().parents[1]
G1 = "2025-08-04-group-1"


@pytest.fixture(scope="module")
def model():
    report = Report()
    site = load_site(REPO, report)
    assert not report.has_errors(), report.render()
    return site, build_index(site)


def page(site_dir: Path, url: str):
    path = site_dir / url / "index.html" if url.endswith("/") or not url else site_dir / url
    assert path.is_file(), f"missing page {url}"
    return lxml.html.fromstring(path.read_bytes())


def text(doc) -> str:
    return " ".join(doc.text_content().split())


def hrefs(doc, selector: str = "a") -> list[str]:
    return [a.get("href") for a in doc.cssselect(selector)]


def main_text(doc) -> str:
    return text(doc.cssselect("article")[0])


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_every_page_kind_exists_with_its_language(built_site, model, lang):
    site, _ = model
    urls = [f"{lang}/", f"{lang}/bulletins/", f"{lang}/communes/", f"{lang}/difficulties/", f"{lang}/groups/",
            f"{lang}/subscribe/", f"{lang}/search/", f"{lang}/about/"]
    urls += [f"{lang}/bulletins/{b.id}/" for b in site.bulletins]
    urls += [f"{lang}/communes/{c}/" for c in site.registry.communes]
    urls += [f"{lang}/difficulties/{t}/" for t in site.registry.tags]
    urls += [f"{lang}/groups/{n}/" for n in site.registry.groups]
    for url in urls:
        doc = page(built_site, url)
        assert doc.get("lang") == lang, url
        alternates = {link.get("hreflang"): link.get("href") for link in doc.cssselect('link[rel~="alternate"][hreflang]')}
        assert set(alternates) == {"vi", "fr"}, url
        other = "fr" if lang == "vi" else "vi"
        switch = doc.cssselect(".b-lang__link")
        assert switch and switch[0].get("hreflang") == other, url
        # the switch leads to the same path in the other language
        target = (built_site / url / switch[0].get("href")).resolve() / "index.html"
        assert target == (built_site / (other + url[2:]) / "index.html").resolve() and target.is_file(), url
        feeds = doc.cssselect('link[rel~="alternate"][type="application/atom+xml"]')
        assert feeds, f"{url}: no feed autodiscovery"
    assert len(list((built_site / lang / "communes").glob("*/index.html"))) == 65


def test_landing_page_leads_to_both_languages(built_site):
    doc = page(built_site, "")
    assert doc.get("lang") == "vi"
    assert hrefs(doc) == ["vi/", "fr/"]


@pytest.mark.parametrize("lang,date,leader_title", [
    ("vi", "4/8/2025", "Bí thư Tỉnh ủy"),
    ("fr", "4 août 2025", "Secrétaire du Comité provincial du Parti"),
])
def test_bulletin_page(built_site, model, lang, date, leader_title):
    site, _ = model
    bulletin = next(b for b in site.bulletins if b.id == G1)
    doc = page(built_site, f"{lang}/bulletins/{G1}/")
    title = typeset(bulletin.title[lang]) if lang == "fr" else bulletin.title[lang]
    assert doc.cssselect("h1")[0].text_content().strip() == title
    body = main_text(doc)
    assert date in body
    assert f"Hoàng Văn Nghiệm, {leader_title}" in body
    assert "Phung Quang Hoi (" in body  # its diacritics are a guess: the source's spelling
    communes = doc.cssselect("#communes + ul a")
    assert [a.get("href") for a in communes] == [f"../../communes/{c}/" for c in bulletin.communes]
    assert "Đông Kinh" in communes[0].text_content()
    assert [a.get("href") for a in doc.cssselect("#inspected + ul a")] == ["../../communes/tam-thanh/", "../../communes/ky-lua/"]
    tag_links = [a.get("href") for a in doc.cssselect(".b-difficulties .b-tag a")]
    assert tag_links == [f"../../difficulties/{d.tag}/" for d in bulletin.difficulties]
    assert len(doc.cssselect(".b-recommendations > li")) == len(bulletin.recommendations)
    assert len(doc.cssselect(".b-directives > li")) == len(bulletin.directives)
    assert re.search(r"6[.\u202f]600", doc.cssselect(".b-figures")[0].text_content())
    assert bulletin.source in hrefs(doc, ".b-source a")
    # editors' links (repository, "edit this page") are not on the public site
    assert not doc.cssselect('a[href$=".md"]') and not doc.cssselect(".md-source, .md-content__button")
    assert doc.cssselect("time")[0].get("datetime") == "2025-08-04"


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_commune_pages(built_site, model, lang):
    site, index = model
    doc = page(built_site, f"{lang}/communes/dong-kinh/")
    assert "Đông Kinh" in doc.cssselect("h1")[0].text_content()
    # organised by visit: each bulletin once, with what concerns the commune under it
    visits = doc.cssselect(".b-visit")
    assert len(visits) == len(index.communes["dong-kinh"].bulletins)
    assert hrefs(doc, ".b-visit__bulletin a") == [f"../../bulletins/{b.id}/" for b in index.communes["dong-kinh"].bulletins]
    # the article reports no difficulty in Đông Kinh, only the wards' recommendations
    assert not doc.cssselect(".b-raised_here") and index.communes["dong-kinh"].difficulties == {}
    assert doc.cssselect(".b-visit .b-recommendations li") and doc.cssselect(".b-visit .b-directives li")
    tam = page(built_site, f"{lang}/communes/tam-thanh/")
    assert "../../difficulties/dispersed-headquarters/" in hrefs(tam, ".b-raised_here a")
    assert "../../difficulties/dispersed-headquarters/" in hrefs(tam, "#glance + dl a")
    assert site.registry.ui["inspected_here"][lang] in text(tam)  # group 1 inspected Tam Thanh
    # a commune no group has visited says so, and shows the other units of its former district
    never = page(built_site, f"{lang}/communes/bac-son/")
    assert never.cssselect(".b-empty")
    assert site.registry.ui["never_visited"][lang] in text(never)
    assert len(never.cssselect(".b-district li")) == 5 and never.cssselect(".b-subscribe")


def test_communes_index_in_vietnamese_order(built_site, model):
    site, index = model
    doc = page(built_site, "vi/communes/")
    tables = doc.cssselect("table.b-communes")
    assert len(tables) == 2
    wards = [a.text_content() for a in tables[0].cssselect("tbody th a")]
    communes = [a.text_content() for a in tables[1].cssselect("tbody th a")]
    assert len(wards) == 4 and len(communes) == 61
    assert communes == sorted(communes, key=vietnamese_key)
    assert communes.index("Đình Lập") > communes.index("Công Sơn") and communes.index("Đình Lập") < communes.index("Hữu Lũng")
    row = next(tr for tr in tables[1].cssselect("tbody tr") if tr.cssselect("th")[0].text_content() == "Hội Hoan")
    counts = [td.text_content() for td in row.cssselect("td")]
    assert counts == [str(len(index.communes["hoi-hoan"].bulletins)), str(index.communes["hoi-hoan"].difficulty_count)]
    fr = page(built_site, "fr/communes/")
    fr_names = [a.text_content() for a in fr.cssselect("table.b-communes")[1].cssselect("tbody th a")]
    assert sorted(fr_names) == sorted(communes)


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_difficulty_pages(built_site, model, lang):
    site, index = model
    for tag, view in index.tags.items():
        doc = page(built_site, f"{lang}/difficulties/{tag}/")
        assert doc.cssselect("h1")[0].text_content().strip() == view.tag.label[lang]
        listed = {h.rstrip("/").split("/")[-1] for h in hrefs(doc, "#communes + div > ul a")}  # out of search
        assert listed == set(view.communes), tag
        assert len(doc.cssselect(".b-occurrences > li")) == len(view.occurrences)
    index_page = page(built_site, f"{lang}/difficulties/")
    # the seed's bulletins are of one month: a chart would repeat the table's "times raised"
    assert not index_page.cssselect("figure.b-chart")
    counts = {tr.cssselect("th a")[0].get("href").rstrip("/").split("/")[-1]: tr.cssselect("td.b-count")[0]
              for tr in index_page.cssselect("table.b-tags tbody tr")}
    assert {tag: int(cell.text_content()) for tag, cell in counts.items()} == {
        tag: len(view.occurrences) for tag, view in index.tags.items()}
    assert all(cell.cssselect("svg[aria-hidden=true] rect") for cell in counts.values())
    matrix = index_page.cssselect("table.b-matrix")[0]
    assert matrix.cssselect("caption")
    assert all(th.get("scope") == "row" for th in matrix.cssselect("tbody th"))
    rows = {tr.cssselect("th a")[0].get("href").rstrip("/").split("/")[-1]: [td.text_content() for td in tr.cssselect("td")]
            for tr in matrix.cssselect("tbody tr")}
    assert set(rows) == {c for c, v in index.communes.items() if v.difficulties}
    heads = [a.get("href").rstrip("/").split("/")[-1] for a in matrix.cssselect("thead th a")]
    for commune, cells in rows.items():
        for tag, cell in zip(heads, cells):
            assert cell == (str(index.matrix[(commune, tag)]) if index.matrix[(commune, tag)] else "")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_difficulty_counts_equal_the_entries_in_the_files(built_site, lang):
    """What /<lang>/difficulties/ counts is what editors wrote under `difficulties`, read
    straight from the files (not through the model): nothing counted twice or left out."""
    written = Counter()
    for path in sorted((REPO / "content" / "bulletins").glob(f"*.{lang}.md")):
        written.update(d["tag"] for d in front_matter(path).get("difficulties") or [])
    doc = page(built_site, f"{lang}/difficulties/")
    shown = {tr.cssselect("th a")[0].get("href").rstrip("/").split("/")[-1]: int(tr.cssselect("td")[0].text_content())
             for tr in doc.cssselect("table.b-tags tbody tr")}
    assert {tag: n for tag, n in shown.items() if n} == dict(written)
    assert sum(shown.values()) == sum(written.values()) > 0


@pytest.mark.parametrize("lang", ["vi", "fr"])
def test_group_archive_and_home(built_site, model, lang):
    site, index = model
    doc = page(built_site, f"{lang}/groups/1/")
    assert "Hoàng Văn Nghiệm" in text(doc.cssselect(".b-facts")[0])
    assert hrefs(doc, "#bulletins + ul .b-item__title a") == [f"../../bulletins/{G1}/"]
    archive = page(built_site, f"{lang}/bulletins/")
    listed = [h.rstrip("/").split("/")[-1] for h in hrefs(archive, ".b-item__title a")]
    assert listed == [b.id for b in site.bulletins]
    home = page(built_site, f"{lang}/")
    assert len(home.cssselect(".b-list > li")) == len(site.bulletins)
    assert {"communes/", "difficulties/", "groups/"} <= set(hrefs(home, ".b-entry a"))
    assert {"feed.xml", "atom.xml"} <= set(hrefs(home, ".b-subscribe a"))


def test_no_third_party_resources(built_site):
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path
        doc = lxml.html.fromstring(html)
        for el in doc.cssselect("script[src], link[rel=stylesheet], img[src], iframe"):
            url = el.get("src") or el.get("href") or ""
            assert not re.match(r"^(https?:)?//", url), f"{path}: {url}"


def test_sitemap_dated_from_content(built_site):
    sitemap = (built_site / "vi" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/vi/bulletins/{G1}/</loc>" in sitemap
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2025-08-04"}


def test_vietnamese_order():
    """Đ after D (not folded into it), Ơ after Ô after O, tones in dictionary order."""
    words = ["Đông", "Dương", "Duy", "Ơn", "On", "Ôn", "Hóa", "Hoa", "Hòa", "Hạ", "Hà", "Hả", "Hã", "Há", "Ha"]
    assert sorted(words, key=vietnamese_key) == ["Duy", "Dương", "Đông", "Ha", "Hà", "Hả", "Hã", "Há", "Hạ",
                                                 "Hoa", "Hòa", "Hóa", "On", "Ôn", "Ơn"]
