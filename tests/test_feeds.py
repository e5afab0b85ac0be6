"""Feeds (issue 4): RSS 2.0 and Atom per language, commune, difficulty tag and working
group, and the OPML list, built from the real seed content."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bulletins import urls
from bulletins.diagnostics import Report
from bulletins.feeds import feed_specs, feed_urls, item_id, write_feeds
from bulletins.index import build_index
from bulletins.narrative import sanitize
from bulletins.project import load_site
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
# RFC 4287 Appendix B (RELAX NG), converted from atom.rnc; kept beside the tests
ATOM_RNG = REPO / "tests" / "data" / "atom.rng"
SITE_URL = "https://example.org/lang-son/"
LANGS = ("vi", "fr")
PLUS7 = dt.timedelta(hours=7)
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


# --------------------------------------------------------------------------- helpers


def load(root: Path):
    report = Report()
    site = load_site(root, report)
    assert not report.has_errors(), report.render()
    return site, build_index(site)


def build(root: Path, out: Path, langs=LANGS, **kwargs):
    site, index = load(root)
    written = {lang: write_feeds(site, index, lang, out / lang, SITE_URL, **kwargs) for lang in langs}
    return SimpleNamespace(site=site, index=index, out=out, written=written)


def copy_project(dest: Path) -> Path:
    for folder in ("content", "site_config"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def all_feeds(out: Path, lang: str | None = None) -> dict[str, Path]:
    langs = [lang] if lang else LANGS
    return {str(p.relative_to(out)): p for lg in langs for p in sorted((out / lg).rglob("*.xml"))}


def rss_items(path: Path) -> list[dict]:
    channel = etree.parse(str(path)).getroot().find("channel")
    return [{
        "guid": item.findtext("guid"),
        "title": item.findtext("title"),
        "link": item.findtext("link"),
        "pubDate": item.findtext("pubDate"),
        "categories": [c.text for c in item.findall("category")],
        "creator": item.findtext(f"{DC}creator"),
        "content": item.findtext(f"{CONTENT}encoded"),
    } for item in channel.findall("item")]


def atom_entries(path: Path) -> list[dict]:
    feed = etree.parse(str(path)).getroot()
    return [{
        "id": e.findtext(f"{ATOM}id"),
        "title": e.findtext(f"{ATOM}title"),
        "published": e.findtext(f"{ATOM}published"),
        "updated": e.findtext(f"{ATOM}updated"),
        "author": e.findtext(f"{ATOM}author/{ATOM}name"),
        "content": e.findtext(f"{ATOM}content"),
    } for e in feed.findall(f"{ATOM}entry")]


def guids(path: Path) -> list[str]:
    if path.name == "feed.xml":
        return [item["guid"] for item in rss_items(path)]
    return [entry["id"] for entry in atom_entries(path)]


def rfc822(text: str) -> dt.datetime:
    value = email.utils.parsedate_to_datetime(text)
    assert value.utcoffset() == PLUS7, text
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0700", text), text
    return value


def expected_feeds(lang: str, b) -> set[str]:
    """Every feed file that must carry bulletin ``b`` in ``lang``."""
    sections = [urls.home(lang), urls.group(lang, b.group)]
    sections += [urls.commune(lang, c) for c in b.communes]
    sections += [urls.difficulty(lang, t) for t in b.tags]
    return {f(s) for s in sections for f in (urls.rss, urls.atom)}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return build(REPO, tmp_path_factory.mktemp("seed"))


# --------------------------------------------------------------------------- the feed list


def test_every_feed_of_every_language_is_written(seed):
    reg = seed.site.registry
    assert len(reg.communes) == 65
    for lang in LANGS:
        listed = feed_urls(seed.site, lang)
        assert len(listed) == 1 + len(reg.communes) + len(reg.tags) + len(reg.groups)
        assert listed[0][1:] == (f"{lang}/feed.xml", f"{lang}/atom.xml")
        assert (f"{lang}/communes/ky-lua/feed.xml", f"{lang}/communes/ky-lua/atom.xml") in [u[1:] for u in listed]
        expected = [u for _, rss, atom in listed for u in (rss, atom)] + [f"{lang}/feeds.opml"]
        assert seed.written[lang] == expected
        assert len(set(expected)) == len(expected)
        assert sorted(all_feeds(seed.out, lang)) == sorted(expected[:-1])
        assert all(title for title, _, _ in listed)
        assert all(rss.startswith(f"{lang}/") and rss.endswith("feed.xml") for _, rss, _ in listed)


def test_titles_are_localized(seed):
    vi = dict((rss, title) for title, rss, _ in feed_urls(seed.site, "vi"))
    fr = dict((rss, title) for title, rss, _ in feed_urls(seed.site, "fr"))
    assert vi["vi/communes/ky-lua/feed.xml"] == "Bản tin về Kỳ Lừa"
    assert fr["fr/communes/ky-lua/feed.xml"] == "Bulletins concernant Kỳ Lừa"
    label_fr = seed.site.registry.tags["roads"].label["fr"]
    assert label_fr in fr["fr/difficulties/roads/feed.xml"]
    channel = etree.parse(str(seed.out / "fr/difficulties/roads/feed.xml")).getroot().find("channel")
    assert channel.findtext("language") == "fr"
    assert label_fr in channel.findtext("title")
    atom = etree.parse(str(seed.out / "vi/groups/1/atom.xml")).getroot()
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    assert seed.site.registry.groups[1].name["vi"] in atom.findtext(f"{ATOM}title")


# --------------------------------------------------------------------------- validity


def test_atom_feeds_validate_against_rfc4287_schema(seed):
    schema = etree.RelaxNG(etree.parse(str(ATOM_RNG)))
    atoms = [p for rel, p in all_feeds(seed.out).items() if rel.endswith("atom.xml")]
    assert len(atoms) == sum(len(feed_urls(seed.site, lang)) for lang in LANGS)
    for path in atoms:
        assert schema.validate(etree.parse(str(path))), f"{path}: {schema.error_log}"


def test_rss_feeds_have_required_elements_dates_and_unique_guids(seed):
    for lang in LANGS:
        for spec in feed_specs(seed.site, lang):
            root = etree.parse(str(seed.out / spec.rss)).getroot()
            assert root.tag == "rss" and root.get("version") == "2.0"
            channel = root.find("channel")
            for required in ("title", "link", "description"):
                assert (channel.findtext(required) or "").strip(), f"{spec.rss}: no <{required}>"
            # the channel's <link> is the page, not the feed (feedgen's last-link quirk)
            assert channel.findtext("link") == SITE_URL + spec.section
            self_links = channel.findall(f"{ATOM}link[@rel='self']")
            assert [ln.get("href") for ln in self_links] == [SITE_URL + spec.rss]
            assert channel.findtext("language") == lang
            assert channel.findtext("image/url") == f"{SITE_URL}{lang}/assets/images/favicon.png"
            rfc822(channel.findtext("lastBuildDate"))
            items = channel.findall("item")
            seen = set()
            for item in items:
                assert (item.findtext("title") or item.findtext("description") or "").strip()
                assert item.findtext("link").startswith(SITE_URL)
                rfc822(item.findtext("pubDate"))
                guid = item.find("guid")
                assert guid.get("isPermaLink") == "false"
                assert guid.text not in seen, f"{spec.rss}: duplicate GUID {guid.text}"
                seen.add(guid.text)
                assert item.find("author") is None  # RSS <author> wants an e-mail: dc:creator instead
                assert item.findtext(f"{DC}creator")


def test_feedparser_reads_every_feed_without_error(seed):
    for rel, path in all_feeds(seed.out).items():
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, f"{rel}: {parsed.get('bozo_exception')}"
        assert parsed.version == ("atom10" if rel.endswith("atom.xml") else "rss20"), rel
        assert parsed.feed.title
        for entry in parsed.entries:
            assert entry.id.startswith("tag:lang-son-bulletins,2025:")
            assert entry.link.startswith(SITE_URL)
            assert entry.published_parsed
            if rel.endswith("atom.xml"):
                assert entry.updated_parsed


def test_items_are_newest_first_and_translated(seed):
    for lang in LANGS:
        items = rss_items(seed.out / lang / "feed.xml")
        translated = [b for b in seed.site.bulletins if lang in b.title]
        expected = sorted(translated, key=lambda b: (b.date, b.id), reverse=True)
        assert [i["guid"] for i in items] == [item_id(lang, b.id) for b in expected]
        assert [i["title"] for i in items] == [b.title[lang] for b in expected]


def test_item_fields(seed):
    b = next(b for b in seed.site.bulletins if b.id == "2025-08-04-group-1")
    reg = seed.site.registry
    for lang in LANGS:
        [item] = [i for i in rss_items(seed.out / lang / "feed.xml") if i["guid"] == item_id(lang, b.id)]
        assert item["link"] == SITE_URL + urls.bulletin(lang, b.id)
        assert rfc822(item["pubDate"]) == dt.datetime(2025, 8, 4, tzinfo=dt.timezone(PLUS7))
        assert item["creator"] == reg.people[b.leader].name_vi
        labels = {reg.tags[t].label[lang] for t in b.tags}
        names = {reg.communes[c].name_vi for c in b.communes}
        assert set(item["categories"]) == labels | names
        [entry] = [e for e in atom_entries(seed.out / lang / "atom.xml") if e["id"] == item_id(lang, b.id)]
        assert entry["published"] == "2025-08-04T00:00:00+07:00"
        assert entry["updated"] == "2025-08-04T00:00:00+07:00"
        assert entry["author"] == reg.people[b.leader].name_vi
        content = entry["content"]
        assert content == item["content"]
        text = html.unescape(content)
        assert b.summary[lang] in text
        for d in b.difficulties:
            assert reg.tags[d.tag].label[lang] in text
        assert "<script" not in content.lower() and "javascript:" not in content.lower()
        for href in re.findall(r'(?:href|src)="([^"]*)"', content):
            assert href.startswith(("https://", "http://", "mailto:")), href


# --------------------------------------------------------------------------- OPML


def test_opml_lists_every_feed_of_the_language(seed):
    for lang in LANGS:
        root = etree.parse(str(seed.out / urls.opml(lang))).getroot()
        assert root.tag == "opml" and root.get("version") == "2.0"
        assert root.findtext("head/title")
        assert all(o.get("text") for o in root.iter("outline"))
        feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
        listed = feed_urls(seed.site, lang)
        assert [o.get("xmlUrl") for o in feeds] == [SITE_URL + rss for _, rss, _ in listed]
        assert [o.get("text") for o in feeds] == [title for title, _, _ in listed]
        assert [o.get("htmlUrl") for o in feeds] == [SITE_URL + spec.section for spec in feed_specs(seed.site, lang)]
        assert {o.get("type") for o in feeds} == {"rss"}
        for o in feeds:  # every listed feed exists
            assert (seed.out / o.get("xmlUrl")[len(SITE_URL):]).is_file()


# --------------------------------------------------------------------------- content of feeds


def test_ky_lua_feed_holds_exactly_the_bulletins_about_ky_lua(seed):
    for lang in LANGS:
        expected = {item_id(lang, b.id) for b in seed.site.bulletins if "ky-lua" in b.communes and lang in b.title}
        assert expected  # the seed has Kỳ Lừa in group 1's visit
        for name in ("feed.xml", "atom.xml"):
            got = guids(seed.out / lang / "communes" / "ky-lua" / name)
            assert len(got) == len(set(got))
            assert set(got) == expected


def test_every_feed_holds_exactly_its_bulletins(seed):
    for lang in LANGS:
        for rel, path in all_feeds(seed.out, lang).items():
            want = {item_id(lang, b.id) for b in seed.site.bulletins if lang in b.title and rel in expected_feeds(lang, b)}
            assert set(guids(path)) == want, rel


def test_empty_feeds_are_valid_and_have_no_items(seed):
    empty = [cid for cid, view in seed.index.communes.items() if not view.bulletins]
    assert empty, "the seed should leave some commune unvisited"
    newest = max(b.last_modified for b in seed.site.bulletins)
    for lang in LANGS:
        for cid in empty[:3]:
            section = urls.commune(lang, cid)
            rss = etree.parse(str(seed.out / urls.rss(section))).getroot()
            assert rss.find("channel/item") is None
            assert rfc822(rss.findtext("channel/lastBuildDate")).date() == newest
            atom = etree.parse(str(seed.out / urls.atom(section))).getroot()
            assert atom.find(f"{ATOM}entry") is None
            assert atom.findtext(f"{ATOM}updated") == f"{newest.isoformat()}T00:00:00+07:00"
            assert atom.findtext(f"{ATOM}author/{ATOM}name")  # required when there is no entry
            for path in (urls.rss(section), urls.atom(section)):
                parsed = feedparser.parse((seed.out / path).read_bytes())
                assert parsed.bozo == 0 and parsed.entries == []


def test_site_without_bulletins_dates_feeds_at_the_reform(tmp_path):
    root = copy_project(tmp_path / "project")
    for f in (root / "content" / "bulletins").glob("*.md"):
        f.unlink()
    built = build(root, tmp_path / "out", langs=("vi",))
    atom = etree.parse(str(built.out / "vi/atom.xml")).getroot()
    assert atom.findtext(f"{ATOM}updated") == "2025-07-01T00:00:00+07:00"
    assert atom.find(f"{ATOM}entry") is None
    rss = etree.parse(str(built.out / "vi/feed.xml")).getroot()
    assert rss.findtext("channel/lastBuildDate") == "Tue, 01 Jul 2025 00:00:00 +0700"


def test_two_builds_are_byte_identical(seed, tmp_path):
    again = build(REPO, tmp_path)
    assert again.written == seed.written
    for lang in LANGS:
        for rel in seed.written[lang]:
            assert (tmp_path / rel).read_bytes() == (seed.out / rel).read_bytes(), rel


def test_max_items_keeps_the_newest(seed, tmp_path):
    site, index = seed.site, seed.index
    write_feeds(site, index, "vi", tmp_path / "vi", SITE_URL, max_items=2)
    newest = sorted(site.bulletins, key=lambda b: (b.date, b.id), reverse=True)[:2]
    assert guids(tmp_path / "vi/feed.xml") == [item_id("vi", b.id) for b in newest]
    assert guids(tmp_path / "vi/atom.xml") == [item_id("vi", b.id) for b in newest]


@pytest.mark.parametrize("site_url", [None, "", "   ", "/", "lang-son.example.org", "/vi/"])
def test_missing_site_url_fails_with_a_reason(seed, tmp_path, site_url):
    with pytest.raises(ValueError, match=r"feeds need absolute links.*set site_url in mkdocs\.yml"):
        write_feeds(seed.site, seed.index, "vi", tmp_path, site_url)
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------- changes


NEW_ID = "2025-09-01-group-3"
NEW_FRONT = """---
date: 2025-09-01
updated: 2025-09-03
group: 3
leader: "ho-tien-thieu"
communes: ["huu-lung", "tuan-son"]
title: "{title}"
summary: "{summary}"
difficulties:
  - tag: "telecom-signal"
    communes: ["huu-lung"]
    text: "{difficulty}"
---

{body}
"""
NEW_TEXT = {
    "vi": dict(title="Tổ công tác số 3 trở lại xã Hữu Lũng và Tuấn Sơn",
               summary="Tổ công tác kiểm tra việc khắc phục khó khăn sau một tháng.",
               difficulty="Sóng viễn thông ở một số thôn còn yếu.",
               body="Sáng 1/9, Tổ công tác làm việc với [xã Kỳ Lừa](../../communes/ky-lua/) & các xã.\n\n"
                    "Xem [bản tin trước](../2025-08-04-group-3/#ket-luan)."),
    "fr": dict(title="Le groupe de travail n° 3 revient à Hữu Lũng et Tuấn Sơn",
               summary="Le groupe vérifie les mesures prises depuis un mois.",
               difficulty="Le signal de télécommunication reste faible dans certains villages.",
               body="Le 1er septembre, le groupe a rencontré [Kỳ Lừa](../../communes/ky-lua/) & d'autres.\n\n"
                    "Voir [le bulletin précédent](../2025-08-04-group-3/#conclusion)."),
}


def add_bulletin(root: Path, langs=LANGS) -> None:
    for lang in langs:
        text = NEW_FRONT.format(**NEW_TEXT[lang])
        (root / "content" / "bulletins" / f"{NEW_ID}.{lang}.md").write_text(text, encoding="utf-8")


def feed_state(out: Path) -> dict[str, dict[str, str]]:
    """feed → {guid: title} (RSS and Atom alike)."""
    state = {}
    for rel, path in all_feeds(out).items():
        items = rss_items(path) if path.name == "feed.xml" else atom_entries(path)
        state[rel] = {(i.get("guid") or i.get("id")): i["title"] for i in items}
    return state


def test_adding_a_bulletin_adds_one_item_where_it_belongs_and_nowhere_else(tmp_path):
    root = copy_project(tmp_path / "project")
    before = feed_state(build(root, tmp_path / "before").out)
    add_bulletin(root)
    after_build = build(root, tmp_path / "after")
    after = feed_state(after_build.out)
    new = next(b for b in after_build.site.bulletins if b.id == NEW_ID)
    assert set(new.tags) == {"telecom-signal"} and new.group == 3

    assert set(before) == set(after)
    touched = set()
    for rel in after:
        lang = rel.split("/")[0]
        added = set(after[rel]) - set(before[rel])
        # no other item changed or disappeared: same GUIDs, same titles
        assert {g: t for g, t in after[rel].items() if g in before[rel]} == before[rel], rel
        if rel in expected_feeds(lang, new):
            assert added == {item_id(lang, NEW_ID)}, rel
            assert len(after[rel]) == len(before[rel]) + 1
            touched.add(rel)
        else:
            assert added == set(), rel
            assert after[rel] == before[rel], rel
    # both languages: home, group 3, two communes, one tag; RSS and Atom
    assert len(touched) == 2 * 2 * (1 + 1 + 2 + 1)
    assert {"vi/communes/huu-lung/feed.xml", "fr/communes/tuan-son/atom.xml", "vi/groups/3/atom.xml",
            "fr/difficulties/telecom-signal/feed.xml", "vi/feed.xml", "fr/atom.xml"} <= touched

    # the new item comes first, with its dates, categories and absolute links
    out = after_build.out
    for lang in LANGS:
        first = rss_items(out / lang / "feed.xml")[0]
        assert first["guid"] == item_id(lang, NEW_ID)
        assert first["pubDate"] == "Mon, 01 Sep 2025 00:00:00 +0700"
        reg = after_build.site.registry
        assert set(first["categories"]) == {reg.tags["telecom-signal"].label[lang], "Hữu Lũng", "Tuấn Sơn"}
        content = first["content"]
        assert f'href="{SITE_URL}{lang}/communes/ky-lua/"' in content
        assert f'href="{SITE_URL}{lang}/bulletins/2025-08-04-group-3/#' in content
        assert "&amp;" in content  # the body's '&' is escaped once, as HTML
        entry = atom_entries(out / lang / "atom.xml")[0]
        assert entry["published"] == "2025-09-01T00:00:00+07:00"
        assert entry["updated"] == "2025-09-03T00:00:00+07:00"
        channel = etree.parse(str(out / lang / "feed.xml")).getroot().find("channel")
        assert channel.findtext("lastBuildDate") == "Wed, 03 Sep 2025 00:00:00 +0700"
        # a feed the new bulletin does not touch keeps its items, dated by the newest bulletin
        atom = etree.parse(str(out / lang / "communes/ky-lua/atom.xml")).getroot()
        assert atom.findtext(f"{ATOM}updated") == "2025-08-04T00:00:00+07:00"


def test_a_bulletin_without_translation_is_only_in_its_language(tmp_path):
    root = copy_project(tmp_path / "project")
    add_bulletin(root, langs=("vi",))
    built = build(root, tmp_path / "out")
    assert item_id("vi", NEW_ID) in guids(built.out / "vi/communes/huu-lung/feed.xml")
    for rel, path in all_feeds(built.out, "fr").items():
        assert not any(NEW_ID in g for g in guids(path)), rel


def test_editing_a_title_keeps_the_guid(tmp_path):
    root = copy_project(tmp_path / "project")
    before = build(root, tmp_path / "before", langs=("vi",)).out
    path = root / "content" / "bulletins" / "2025-08-04-group-1.vi.md"
    text = path.read_text(encoding="utf-8")
    new_title = "Tổ công tác số 1 làm việc với bốn phường (tiêu đề đã sửa)"
    edited, count = re.subn(r'^title: .*$', f'title: "{new_title}"', text, count=1, flags=re.M)
    assert count == 1
    path.write_text(edited + "\nMột đoạn văn bổ sung.\n", encoding="utf-8")
    after = build(root, tmp_path / "after", langs=("vi",)).out
    guid = item_id("vi", "2025-08-04-group-1")
    for rel in ("vi/feed.xml", "vi/atom.xml", "vi/communes/ky-lua/feed.xml", "vi/groups/1/atom.xml"):
        old = dict(zip(guids(before / rel), [i["title"] for i in (rss_items if rel.endswith("feed.xml") else atom_entries)(before / rel)]))
        new = dict(zip(guids(after / rel), [i["title"] for i in (rss_items if rel.endswith("feed.xml") else atom_entries)(after / rel)]))
        assert guids(after / rel) == guids(before / rel), rel
        assert new[guid] == new_title and old[guid] != new_title
        assert {g: t for g, t in new.items() if g != guid} == {g: t for g, t in old.items() if g != guid}


# --------------------------------------------------------------------------- safe HTML


def test_sanitizer_removes_script_and_makes_links_absolute():
    base = "https://example.org/lang-son/vi/bulletins/2025-08-04-group-1/"
    dirty = (
        '<p onclick="steal()" style="x" title="t">a<script>alert(1)</script>'
        '<a href="javascript:alert(1)">b</a><a href="java&#x09;script:alert(1)">b2</a>'
        '<a href=" JaVaScRiPt:alert(1)">b3</a><a href="vbscript:x">b4</a>'
        '<a href="../2025-08-04-group-2/">c</a><a href="#fn:1">d</a><a href="/vi/">e</a>'
        '<a href="mailto:a@b.c">f</a><img src="data:image/png;base64,AAAA" onerror="x()">'
        '<img src="images/map.png" alt="map"><iframe src="https://evil.example/">g</iframe>'
        '<svg><script>alert(2)</script></svg><style>p{}</style><object data="x">h</object>'
        '<form action="x"><input name="q"></form><!-- comment --><unknown>kept text</unknown>'
        '<a href="https://example.com/?a=1&amp;b=2">i</a>'
    )
    clean = str(sanitize(dirty, base=base))
    lowered = clean.lower()
    for bad in ("<script", "alert(", "onclick", "onerror", "javascript", "vbscript", "data:", "<iframe",
                "<svg", "<style", "<object", "<form", "<input", "style=", "<!--", "<unknown"):
        assert bad not in lowered, (bad, clean)
    assert 'href="https://example.org/lang-son/vi/bulletins/2025-08-04-group-2/"' in clean
    assert f'href="{base}#fn:1"' in clean
    assert 'href="https://example.org/vi/"' in clean
    assert 'href="mailto:a@b.c"' in clean
    assert f'src="{base}images/map.png"' in clean
    assert 'title="t"' in clean and "kept text" in clean
    assert 'href="https://example.com/?a=1&amp;b=2"' in clean
    # the result is balanced markup
    etree.fromstring("<div>" + re.sub(r"<(img|br|hr|col|wbr)\b([^>]*)>", r"<\1\2/>", clean) + "</div>")
