"""Follow-ups (issue 13), on real builds of the seed plus the fixture bulletins of
tests/data/follow_ups: a later bulletin that marks group 3's d-16 done changes exactly the
item's status on its bulletin page, the open requests of each commune concerned, the
difficulty pages of its tags, the follow-up page, and adds one new entry to each feed
concerned, in both languages; no earlier entry changes its GUID or is announced again."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from bulletins.build import build_site
from bulletins.diagnostics import Report
from bulletins.feeds import follow_up_id
from bulletins.index import build_index
from bulletins.project import load_site
from checker_project import FOLLOW_UP_FIXTURES, follow_up_project

LANGS = ("vi", "fr")
ITEM = "2025-08-04-group-3#d-16"  # to the provincial departments: staff, training, vehicles, roads
LATER = "2025-11-15-group-1"  # marks it done (2025-11-10); before it, 2025-10-02-group-3 says in progress
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The site before and after the bulletin that marks the item done."""
    root = tmp_path_factory.mktemp("follow")
    before = follow_up_project(root / "before")
    for path in before.glob(f"content/bulletins/{LATER}.*.md"):
        path.unlink()
    after = follow_up_project(root / "after")
    out = {}
    for name, project in (("before", before), ("after", after)):
        report = build_site(project, root / f"site-{name}")
        assert not report.has_errors(), report.render()
        out[name] = root / f"site-{name}"
    site = load_site(after, Report())
    return out["before"], out["after"], site, build_index(site)


def page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / rel / "index.html").read_bytes())


def status_of(doc, anchor: str) -> str:
    return doc.get_element_by_id(anchor).cssselect(".b-item-status > .b-status")[0].get("class")


def open_refs(doc) -> set[str]:
    return {a.get("href").split("/bulletins/")[-1].replace("/#", "#")
            for a in doc.cssselect("#open ~ div > ul.b-answers > li > a")}  # the list is out of search


def entries(feed: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id") for e in ET.parse(feed).getroot().iter(f"{ATOM}entry")]


@pytest.mark.parametrize("lang", LANGS)
def test_the_item_shows_its_status_and_history(builds, lang):
    before, after, _, _ = builds
    anchor = ITEM.split("#")[1]
    assert "b-status--in-progress" in status_of(page(before, f"{lang}/bulletins/2025-08-04-group-3"), anchor)
    doc = page(after, f"{lang}/bulletins/2025-08-04-group-3")
    assert "b-status--done" in status_of(doc, anchor)
    history = doc.get_element_by_id(anchor).cssselect(".b-history > li")
    assert [h.cssselect("time")[0].get("datetime") for h in history] == ["2025-10-02", "2025-11-10"]
    assert history[1].cssselect("a")[0].get("href") == f"../{LATER}/#fu-2025-08-04-group-3-d-16"
    # an item nobody followed up says so, and is not called open, done or anything else
    assert "b-status--none" in status_of(doc, "d-1")


@pytest.mark.parametrize("lang", LANGS)
def test_the_later_bulletin_reports_what_it_follows_up(builds, lang):
    _, after, _, _ = builds
    doc = page(after, f"{lang}/bulletins/{LATER}")
    reported = doc.cssselect("ul.b-follow-ups > li")
    assert [li.get("id") for li in reported] == ["fu-2025-08-04-group-3-d-16", "fu-2025-08-04-group-1-r-6",
                                                 "fu-2025-08-04-group-2-d-2"]
    assert reported[0].cssselect("a")[0].get("href") == "../2025-08-04-group-3/#d-16"
    assert [li.cssselect(".b-status")[0].get("class").split("--")[1] for li in reported] == ["done", "done", "declined"]


@pytest.mark.parametrize("lang", LANGS)
def test_open_requests_of_each_commune_concerned(builds, lang):
    before, after, site, index = builds
    item = index.items[ITEM]
    concerned = item.concerns(site.registry.communes)
    assert len(concerned) == 8
    for cid in concerned:
        was, now = open_refs(page(before, f"{lang}/communes/{cid}")), open_refs(page(after, f"{lang}/communes/{cid}"))
        assert ITEM in was and ITEM not in now, cid
        assert was - now == {ITEM}, cid  # exactly this item left the list
    others = [cid for cid in site.registry.communes if cid not in concerned and cid not in ("tam-thanh", "luong-van-tri")
              and not any(cid in i.concerns(site.registry.communes) for i in index.items.values()
                          if i.ref == "2025-08-04-group-2#d-2")]
    for cid in others[:10]:
        assert open_refs(page(before, f"{lang}/communes/{cid}")) == open_refs(page(after, f"{lang}/communes/{cid}"))


@pytest.mark.parametrize("lang", LANGS)
def test_difficulty_pages_show_the_status(builds, lang):
    before, after, _, index = builds
    for tag in index.items[ITEM].action.tags:
        for site, status in ((before, "in-progress"), (after, "done")):
            answers = page(site, f"{lang}/difficulties/{tag}").cssselect("#answers + div > ul > li")
            line = [li for li in answers if li.cssselect("a")[0].get("href").endswith("2025-08-04-group-3/#d-16")]
            assert line and f"b-status--{status}" in line[0].cssselect(".b-status")[0].get("class"), (tag, status)


@pytest.mark.parametrize("lang", LANGS)
def test_follow_up_page_counts_and_lists_open_items_oldest_first(builds, lang):
    before, after, site, index = builds
    doc = page(after, f"{lang}/follow-ups")
    counts = {tr.cssselect(".b-status")[0].get("class").split("--")[1]: int(tr.cssselect("td")[0].text_content())
              for tr in doc.cssselect("table.b-by-status tbody tr")}
    assert counts == {"none": len(index.items) - 3, "open": 0, "in-progress": 0, "done": 2, "declined": 1}
    rows = {li.cssselect("strong")[0].text_content(): li.text_content() for li in doc.cssselect("ul.b-by-addressee > li")}
    departments = site.registry.bodies["provincial-departments"].name[lang]
    done = site.registry.ui["status_done"][lang]
    assert f"{done} 1" in rows[departments]  # its one item, d-16, done
    listed = [li.cssselect("a")[0].get("href") for li in doc.cssselect("#open ~ ul.b-answers > li")]
    assert len(listed) == min(30, len(index.items) - 3) and not any("#d-16" in h and "group-3" in h for h in listed)
    days = [li.cssselect("time")[0].get("datetime") for li in doc.cssselect("#open ~ ul.b-answers > li")]
    assert days == sorted(days)
    before_counts = {tr.cssselect(".b-status")[0].get("class").split("--")[1]: int(tr.cssselect("td")[0].text_content())
                     for tr in page(before, f"{lang}/follow-ups").cssselect("table.b-by-status tbody tr")}
    assert before_counts["in-progress"] == 1 and before_counts["done"] == 0


@pytest.mark.parametrize("lang", LANGS)
def test_one_new_entry_in_each_feed_concerned_and_nothing_announced_again(builds, lang):
    before, after, site, index = builds
    item = index.items[ITEM]
    guid = follow_up_id(lang, LATER, ITEM)
    feeds = [f"{lang}/communes/{cid}/atom.xml" for cid in item.concerns(site.registry.communes)]
    feeds += [f"{lang}/difficulties/{tag}/atom.xml" for tag in item.action.tags]
    for rel in feeds:
        was, now = entries(before / rel), entries(after / rel)
        assert guid in now and guid not in was, rel
        assert set(was) <= set(now), rel  # every earlier entry keeps its GUID
    untouched = f"{lang}/communes/dong-kinh/atom.xml"
    assert not [g for g in entries(after / untouched) if g not in entries(before / untouched)
                and "follow-up" in g and ITEM in g]


def test_fixtures_are_not_content():
    """The founding article reports no follow-up: none in content/."""
    repo = Path(__file__).resolve().parents[1]
    assert not [p for p in (repo / "content" / "bulletins").glob("*.md") if "follow_ups:" in p.read_text("utf-8")]
    assert all(not (repo / "content" / "bulletins" / p.name).exists() for p in FOLLOW_UP_FIXTURES.glob("*.md"))



@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_statuses_pass_axe_in_both_schemes(builds, browser, scheme):
    """Every status label (none, in progress, done, declined) on a phone, light and dark."""
    from conftest import serving
    from test_accessibility import AXE, AXE_RUN, TAGS, open_page

    _, after, _, _ = builds
    violations = []
    with serving(after) as base:
        for rel in ("vi/follow-ups/", "fr/bulletins/2025-08-04-group-3/", "vi/communes/huu-lung/",
                    f"fr/bulletins/{LATER}/"):
            page, _ = open_page(browser, base + rel, scheme)
            try:
                assert page.locator(".b-status--done").count() or page.locator(".b-status--declined").count(), rel
                page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
                result = page.evaluate(AXE_RUN, ["html", TAGS])
                violations += [(rel, v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
            finally:
                page.close()
    assert not violations, violations
