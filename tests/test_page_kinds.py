"""Each page kind built alone, without MkDocs, from the seed and from a synthetic corpus
of many months: links resolve from the page's own URL, breadcrumbs, a group's
previous/next bulletin, related bulletins, the units each group worked with, and the
difficulties chart (per month, only when there is more than one)."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from bulletins import urls
from bulletins.diagnostics import Report
from bulletins.feeds import feed_urls
from bulletins.index import build_index
from bulletins.pages import Context, build_pages
from bulletins.pages.bulletins import RELATED, bulletin
from bulletins.pages.difficulties import difficulties
from bulletins.pages.groups import group, groups
from bulletins.project import load_site
from bulletins.synth import synthesize

REPO = Path(__file__).resolve().parents[1]
LANGS = ("vi", "fr")


@pytest.fixture(scope="module")
def seed():
    site = load_site(REPO, Report())
    return site, build_index(site)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("kinds") / "s150"
    synthesize(REPO, out, 150, 3)
    report = Report()
    site = load_site(out, report)
    assert not report.has_errors(), report.render()
    return site, build_index(site)


@pytest.fixture(scope="module")
def synthetic_pages(synthetic):
    site, index = synthetic
    return {lang: list(build_pages(site, index, lang, feed_urls(site, lang))) for lang in LANGS}


def context(model, lang: str) -> Context:
    site, index = model
    return Context(site, index, lang, feed_urls(site, lang))


def parse(doc) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(str(doc.html), create_parent="div")


def target(doc, href: str) -> str:
    """The site-root-relative URL an href of ``doc`` points to (its own URL is the base)."""
    path = href.split("#")[0]
    joined = posixpath.normpath(posixpath.join(doc.url, path))
    return joined + ("/" if path.endswith("/") and joined != "." else "")


@pytest.mark.parametrize("lang", LANGS)
def test_every_link_resolves_from_the_pages_own_url(synthetic, synthetic_pages, lang):
    site, _ = synthetic
    docs = synthetic_pages[lang]
    known = {doc.url for doc in docs} | {u for feed in feed_urls(site, lang) for u in feed[1:]}
    known |= {urls.opml(lang)} | {doc.url.replace(f"{lang}/", f"{urls.other_language(lang)}/", 1) for doc in docs}
    broken = []
    for doc in docs:
        for a in parse(doc).iter("a"):
            href = a.get("href")
            if href and "://" not in href and not href.startswith("#"):
                if target(doc, href) not in known:
                    broken.append((doc.url, href))
    assert not broken, broken[:10]


@pytest.mark.parametrize("lang", LANGS)
def test_breadcrumbs_lead_home_through_the_section(synthetic, synthetic_pages, lang):
    site, index = synthetic
    docs = {doc.url: doc for doc in synthetic_pages[lang]}
    assert not parse(docs[urls.home(lang)]).cssselect(".b-crumbs")
    cases = {urls.bulletin(lang, site.bulletins[0].id): [urls.home(lang), urls.archive(lang)],
             urls.communes(lang): [urls.home(lang)],
             urls.commune(lang, "ky-lua"): [urls.home(lang), urls.communes(lang)],
             urls.difficulty(lang, "staff-shortage"): [urls.home(lang), urls.difficulties(lang)],
             urls.group(lang, 1): [urls.home(lang), urls.groups(lang)]}
    for url, expected in cases.items():
        crumbs = parse(docs[url]).cssselect("nav.b-crumbs a")
        assert [target(docs[url], a.get("href")) for a in crumbs] == expected, url
    later = [u for u in docs if "/page/" in u]
    assert {u.split("/")[1] for u in later} >= {"bulletins", "difficulties"}
    for url in later:  # page 2, 3, … sits under its first page
        first = url.split("page/")[0]
        crumbs = [target(docs[url], a.get("href")) for a in parse(docs[url]).cssselect("nav.b-crumbs a")]
        above = [target(docs[first], a.get("href")) for a in parse(docs[first]).cssselect("nav.b-crumbs a")]
        assert crumbs == [*above, first], url


@pytest.mark.parametrize("lang", LANGS)
def test_previous_and_next_bulletin_of_the_group(synthetic, lang):
    site, index = synthetic
    ctx = context(synthetic, lang)
    members = index.groups[2].bulletins  # newest first
    assert len(members) >= 3
    middle = members[1]
    doc = parse(bulletin(ctx, middle))
    older = doc.cssselect(".b-seq__older a")[0].get("href")
    newer = doc.cssselect(".b-seq__newer a")[0].get("href")
    assert older == f"../{members[2].id}/" and newer == f"../{members[0].id}/"
    newest = parse(bulletin(ctx, members[0]))
    assert not newest.cssselect(".b-seq__newer") and newest.cssselect(".b-seq__older")


@pytest.mark.parametrize("lang", LANGS)
def test_related_bulletins_share_a_commune_or_a_difficulty(synthetic, lang):
    site, _ = synthetic
    ctx = context(synthetic, lang)
    by_id = {b.id: b for b in site.bulletins}
    for b in site.bulletins[:40]:
        items = parse(bulletin(ctx, b)).cssselect(".b-related > li")
        assert len(items) <= RELATED
        ids = [item.cssselect(".b-item__title a")[0].get("href").strip("./") for item in items]
        assert b.id not in ids and len(set(ids)) == len(ids)
        for other_id, item in zip(ids, items):
            other = by_id[other_id]
            shared = set(b.communes) & set(other.communes) or {d.tag for d in b.difficulties} & {
                d.tag for d in other.difficulties}
            assert shared, (b.id, other_id)
            assert item.cssselect(".b-item__why")[0].text_content()


def test_seed_bulletin_related_by_difficulty_in_both_languages(seed):
    site, index = seed
    b = next(b for b in site.bulletins if b.group == 3)
    vi = parse(bulletin(context(seed, "vi"), b)).cssselect(".b-related .b-item__why")
    fr = parse(bulletin(context(seed, "fr"), b)).cssselect(".b-related .b-item__why")
    assert vi and len(vi) == len(fr)
    assert all(w.text_content().startswith("Cùng khó khăn: ") for w in vi)
    assert all(re.match(r"Même difficulté\s: ", w.text_content()) for w in fr)  # typeset later, site-wide


@pytest.mark.parametrize("lang", LANGS)
def test_groups_list_the_units_they_worked_with(seed, lang):
    site, index = seed
    ctx = context(seed, lang)
    rows = parse(groups(ctx)).cssselect("ul.b-groups > li")
    assert len(rows) == len(site.registry.groups)
    for row, (n, view) in zip(rows, sorted(index.groups.items())):
        listed = {a.get("href").strip("./").split("/")[-1] for a in row.cssselect("dd:last-child a")}
        assert listed == {cid for b in view.bulletins for cid in b.communes}, n
        page = parse(group(ctx, n)[0])
        counts = Counter(cid for b in view.bulletins for cid in b.communes)
        assert len(page.cssselect(".b-facts dd")[-1].cssselect("a")) == len(counts)


@pytest.mark.parametrize("lang", LANGS)
def test_difficulties_chart_is_per_month_and_only_past_one_month(seed, synthetic, lang):
    assert not parse(difficulties(context(seed, lang))).cssselect(".b-chart")
    site, index = synthetic
    chart = parse(difficulties(context(synthetic, lang))).cssselect(".b-chart")[0]
    values = [int(t.text_content()) for t in chart.cssselect("text.b-chart__n")]
    months = {(b.date.year, b.date.month) for b in site.bulletins}
    first, last = min(months), max(months)
    assert len(values) == (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    assert sum(values) == sum(len(b.difficulties) for b in site.bulletins)
    labels = [t.text_content() for t in chart.cssselect("text:not(.b-chart__n)")]
    oldest = min(site.bulletins, key=lambda b: b.date).date
    assert labels[0] == (f"tháng {oldest.month}/{oldest.year}" if lang == "vi" else labels[0])
    assert len(chart.cssselect("rect")) == len(values)


def test_a_bulletins_neighbourhood_gives_its_page_the_same_lists(synthetic):
    """What the preview renders from a small index (the edited bulletin and those its page
    lists) is the page the whole site's index gives."""
    from bulletins.model import Site
    from bulletins.pages.bulletins import neighbourhood

    site, index = synthetic
    for b in site.bulletins[::15]:
        near = neighbourhood(site.bulletins, [b])
        assert len(near) < 40
        small = Site(site.registry, near, [])
        for lang in LANGS:
            whole = bulletin(Context(site, index, lang, []), b)
            alone = bulletin(Context(small, build_index(small), lang, []), b)
            assert alone.html == whole.html, (b.id, lang)
