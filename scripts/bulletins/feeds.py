"""RSS 2.0 and Atom 1.0 feeds, per language, commune, difficulty tag and working group,
plus one OPML file per language that lists them all.

Independent of the renderer: this module reads the model, the index and the URL scheme
and writes files; the MkDocs glue (or any other build) only calls :func:`write_feeds`
and, for links to the feeds, :func:`feed_urls`.

Permanence and determinism are the rules here:

* an item's GUID / atom:id comes only from the bulletin's permanent id and the
  language (:func:`item_id`), never from its title, text, file or the site's address;
* every date comes from the content (a bulletin's ``date``/``updated`` at 00:00 in the
  province's time zone), never from the wall clock, so two builds of the same content
  give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator

from . import facts, urls
from .cache import Store, bulletin_digests, fingerprint
from .facts import Words
from .html import html, join, text
from .index import ItemView, SiteIndex
from .model import Bulletin, FollowUp, Site
from .narrative import NarrativeConverter, sanitize
from .narrative import configuration as narrative_configuration

# Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975). A fixed offset keeps
# the output independent of the machine's tz database.
PROVINCE_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
# The date of the two-level local government reform: the "last updated" date of the
# feeds of a site that has no bulletin yet.
REFORM_DATE = dt.date(2025, 7, 1)
# tag: URI authority (RFC 4151) of every feed and item id. Never change it.
TAG_PREFIX = "tag:lang-son-bulletins,2025:"
# Material's favicon, under each language's site root.
ICON_PATH = "assets/images/favicon.png"
DEFAULT_MAX_ITEMS = 50

SITE_URL_MISSING = (
    "feeds need absolute links (feed readers cannot resolve links relative to a feed): "
    "set site_url in mkdocs.yml, e.g. site_url: https://example.org/"
)


# --------------------------------------------------------------------------- ids, dates


def item_id(lang: str, bulletin_id: str) -> str:
    """GUID (RSS) and atom:id of a bulletin's item in ``lang``: the same in every feed."""
    return f"{TAG_PREFIX}{lang}/{bulletin_id}"


def feed_id(section: str) -> str:
    """atom:id of the feed of a section (``vi/``, ``vi/communes/ky-lua/``)."""
    return f"{TAG_PREFIX}feeds/{section}"


def province_time(day: dt.date) -> dt.datetime:
    """``day`` at 00:00 in Lạng Sơn (+07:00)."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=PROVINCE_TZ)


def _site_url(site_url: str | None) -> str:
    value = (site_url or "").strip()
    if not re.match(r"^https?://[^/\s]+", value, re.I):
        raise ValueError(SITE_URL_MISSING + (f" (got {site_url!r})" if value else ""))
    return value if value.endswith("/") else value + "/"


# --------------------------------------------------------------------------- feed list


@dataclass(frozen=True)
class FeedSpec:
    """One feed of one language (one RSS file and one Atom file)."""

    kind: str  # "all" | "commune" | "tag" | "group"
    key: str  # "" | commune id | tag id | group number as text
    title: str
    description: str
    section: str  # the page the feed follows, site-root-relative

    @property
    def rss(self) -> str:
        return urls.rss(self.section)

    @property
    def atom(self) -> str:
        return urls.atom(self.section)


def feed_specs(site: Site, lang: str) -> list[FeedSpec]:
    """Every feed of ``lang``: the language, then every commune, tag and group of the
    registries (empty ones included), in registry order."""
    reg = site.registry
    ui = {key: value[lang] for key, value in reg.ui.items() if lang in value}
    specs = [FeedSpec("all", "", ui["feed_title_all"], ui["site_description"], urls.home(lang))]
    for cid, commune in reg.communes.items():
        specs.append(FeedSpec("commune", cid, ui["feed_title_commune"].format(name=commune.name_vi),
                              ui["feed_description_commune"].format(name=commune.name_vi),
                              urls.commune(lang, cid)))
    for tid, tag in reg.tags.items():
        label = tag.label[lang]
        specs.append(FeedSpec("tag", tid, ui["feed_title_tag"].format(name=label),
                              ui["feed_description_tag"].format(name=label, definition=tag.definition[lang]),
                              urls.difficulty(lang, tid)))
    for number in sorted(reg.groups):
        name = reg.groups[number].name[lang]
        specs.append(FeedSpec("group", str(number), ui["feed_title_group"].format(name=name),
                              ui["feed_description_group"].format(name=name), urls.group(lang, number)))
    return specs


def feed_urls(site: Site, lang: str) -> list[tuple[str, str, str]]:
    """(title, rss_url, atom_url) for every feed of a language, site-root-relative (e.g.
    'vi/communes/ky-lua/feed.xml'), for the subscribe page, autodiscovery and the OPML."""
    return [(spec.title, spec.rss, spec.atom) for spec in feed_specs(site, lang)]


def _candidates(site: Site, index: SiteIndex, spec: FeedSpec) -> list[Bulletin]:
    if spec.kind == "all":
        return site.bulletins
    if spec.kind == "commune":
        return index.communes[spec.key].bulletins
    if spec.kind == "tag":
        return index.tags[spec.key].bulletins
    return index.groups[int(spec.key)].bulletins


def feed_items(site: Site, index: SiteIndex, spec: FeedSpec, lang: str,
               max_items: int = DEFAULT_MAX_ITEMS) -> list[Bulletin]:
    """The bulletins of a feed: translated into ``lang``, newest first, at most ``max_items``."""
    items = [b for b in _candidates(site, index, spec) if lang in b.title]
    items.sort(key=lambda b: (b.date, b.id), reverse=True)
    return items[:max_items]


# --------------------------------------------------------------------------- item content


def item_html(site: Site, index: SiteIndex, b: Bulletin, lang: str, site_url: str,
              narratives: NarrativeConverter) -> str:
    """The full content of a bulletin's item: summary, the page's facts (facts.py, with
    absolute links; not what later bulletins reported, as an entry is not announced again)
    and the narrative, sanitized as on the page with its relative links made absolute
    against the bulletin's page."""
    page = site_url + urls.bulletin(lang, b.id)
    words = Words(site.registry, lang, lambda url: site_url + url)
    parts = [html("<p><strong>{}</strong></p>", b.summary[lang]), facts.details(b, words)]
    parts += [html("<h2>{}</h2>\n{}", section.title, section.html)
              for section in facts.sections(b, words, resolve=lambda ref: (index.items[ref].bulletin,
                                                                           index.items[ref].action))]
    parts.append(html("<h2>{}</h2>", words.t("narrative")))
    parts.append(sanitize(narratives.convert(b.body[lang], lang).html, base=page))
    parts.append(facts.source(b, words))
    return str(join("\n", parts))


# --------------------------------------------------------------------------- feeds


def _channel(fg: FeedGenerator, spec: FeedSpec, lang: str, site_url: str, updated: dt.datetime,
             author: str, fmt: str) -> None:
    page = site_url + spec.section
    fg.id(feed_id(spec.section))
    fg.title(spec.title)
    # Atom's subtitle is text; readers show RSS descriptions as HTML: escape it there.
    fg.description(spec.description if fmt == "atom" else text(spec.description))
    fg.language(lang)  # RSS language, Atom xml:lang
    fg.updated(updated)  # Atom updated
    fg.lastBuildDate(updated)  # RSS lastBuildDate (feedgen's default is the wall clock)
    icon = site_url + lang + "/" + ICON_PATH
    if fmt == "atom":
        fg.author({"name": author})  # RFC 4287: an Atom feed without entries needs an author
        fg.icon(icon)
        fg.link(href=site_url + spec.atom, rel="self", type="application/atom+xml")
    else:
        fg.image(url=icon, title=spec.title, link=page)
        fg.link(href=site_url + spec.rss, rel="self", type="application/rss+xml")
    # last: feedgen makes the last link RSS's <channel><link>
    fg.link(href=page, rel="alternate", type="text/html", hreflang=lang)


@dataclass
class _Item:
    guid: str
    title: str
    link: str
    summary: str
    content: str
    author: str
    published: dt.datetime
    updated: dt.datetime
    categories: list[dict]


def _item(site: Site, index: SiteIndex, b: Bulletin, lang: str, site_url: str,
          narratives: NarrativeConverter, content: str | None = None) -> _Item:
    reg = site.registry
    categories = [{"term": tid, "label": reg.tags[tid].label[lang], "scheme": site_url + urls.difficulties(lang)}
                  for tid in b.tags]
    categories += [{"term": cid, "label": reg.communes[cid].name_vi, "scheme": site_url + urls.communes(lang)}
                   for cid in b.communes]
    return _Item(
        guid=item_id(lang, b.id),
        title=b.title[lang],
        link=site_url + urls.bulletin(lang, b.id),
        summary=b.summary[lang],
        content=item_html(site, index, b, lang, site_url, narratives) if content is None else content,
        author=reg.people[b.leader].shown_name,
        published=province_time(b.date),
        updated=province_time(b.last_modified),
        categories=categories,
    )


FOLLOW_UP_TITLE_CHARS = 120  # a follow-up entry's title quotes its item up to this length


def follow_up_id(lang: str, bulletin_id: str, item_ref: str) -> str:
    """GUID of a follow-up's entry: new, never a bulletin's, so the bulletin is not announced again."""
    return f"{TAG_PREFIX}{lang}/{bulletin_id}/follow-up/{item_ref}"


def follow_up_entries(index: SiteIndex, spec: FeedSpec, lang: str) -> list[tuple[Bulletin, FollowUp, ItemView]]:
    """The follow-ups a commune's or a difficulty's feed announces: those of the items that
    concern the commune or answer the difficulty, reported in ``lang``."""
    if spec.kind == "commune":
        entries = index.communes[spec.key].follow_ups
    elif spec.kind == "tag":
        entries = index.tags[spec.key].follow_ups
    else:
        return []
    return [entry for entry in entries if lang in entry[0].title]


def _follow_up_item(site: Site, later: Bulletin, f: FollowUp, item: ItemView, lang: str, site_url: str) -> _Item:
    words = Words(site.registry, lang, lambda url: site_url + url)
    item_lang = lang if lang in item.bulletin.title else item.bulletin.languages[0]
    quoted = item.action.text[item_lang]
    if len(quoted) > FOLLOW_UP_TITLE_CHARS:
        quoted = quoted[:FOLLOW_UP_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    status = words.t(facts.STATUS_LABELS[f.status])
    link = site_url + urls.bulletin(lang, later.id) + "#" + facts.follow_up_anchor(f.item)
    content = html("<p>{} {}</p><p>{}{}{}</p>", words.status(f.status), f.text[lang], words.t("about_item"),
                   words.colon, facts.item_link(item.bulletin, item.action, words))
    return _Item(
        guid=follow_up_id(lang, later.id, f.item),
        title=words.t("follow_up_title", status=status, item=quoted),
        link=link,
        summary=f.text[lang],
        content=str(content),
        author=site.registry.people[later.leader].shown_name,
        published=province_time(f.date),
        updated=province_time(f.date),
        categories=[{"term": tid, "label": site.registry.tags[tid].label[lang],
                     "scheme": site_url + urls.difficulties(lang)} for tid in item.action.tags],
    )


def feed_entry(item: _Item, lang: str, fmt: str) -> FeedEntry:
    """A bulletin's entry, made once and added to each of the (up to ~20) feeds it is in."""
    fe = FeedEntry()
    fe.guid(item.guid, permalink=False)  # RSS guid isPermaLink="false" and atom:id
    fe.title(item.title)
    fe.link(href=item.link, rel="alternate", type="text/html", hreflang=lang)
    fe.published(item.published)  # RSS pubDate, Atom published
    fe.updated(item.updated)
    # Order matters in feedgen: description() also sets Atom content, content() then
    # replaces it, and summary() keeps an RSS description set before it.
    fe.description(text(item.summary))  # RSS description (HTML-escaped text)
    fe.content(item.content, type="html")  # Atom content type="html", RSS content:encoded
    fe.summary(item.summary)  # Atom summary (plain text)
    for cat in item.categories:
        fe.category(dict(cat))
    if fmt == "atom":
        fe.author({"name": item.author})
    else:
        # RSS <author> must be an e-mail address, which leaders do not publish: dc:creator.
        fe.register_extension("dc", DcEntryExtension, atom=False, rss=True)
        fe.dc.dc_creator(item.author)
    return fe


def render_feed(spec: FeedSpec, entries: list[FeedEntry], lang: str, site_url: str, updated: dt.datetime,
                author: str, fmt: str) -> bytes:
    """One feed as bytes; ``fmt`` is "rss" or "atom"."""
    fg = FeedGenerator()
    if fmt == "rss":
        fg.load_extension("dc", atom=False, rss=True)
    _channel(fg, spec, lang, site_url, updated, author, fmt)
    for entry in entries:
        fg.add_entry(entry, order="append")
    if fmt == "atom":
        return fg.atom_str(pretty=True, encoding="UTF-8")
    return fg.rss_str(pretty=True, encoding="UTF-8")


def render_opml(site: Site, lang: str, site_url: str) -> bytes:
    """OPML 2.0: one outline per feed (its RSS file), grouped like the site."""
    ui = {key: value[lang] for key, value in site.registry.ui.items() if lang in value}
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{ui['feeds']} — {ui['site_name']}"
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    folders = {"commune": ui["communes"], "tag": ui["difficulties"], "group": ui["groups"]}
    parents: dict[str, ET.Element] = {}
    for spec in feed_specs(site, lang):
        parent = body
        if spec.kind in folders:
            if spec.kind not in parents:
                parents[spec.kind] = ET.SubElement(body, "outline", text=folders[spec.kind], title=folders[spec.kind])
            parent = parents[spec.kind]
        ET.SubElement(parent, "outline", type="rss", text=spec.title, title=spec.title,
                      xmlUrl=site_url + spec.rss, htmlUrl=site_url + spec.section, language=lang,
                      description=spec.description)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _write(out_dir: Path, rel: str, data: bytes) -> None:
    path = out_dir / rel
    if path.is_file() and path.read_bytes() == data:
        return  # unchanged: keep the file's time for incremental builds and syncs
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class _FeedCache:
    """Feeds and bulletins' item HTML of earlier builds (cache.py), by keys that name
    everything they show: the language, the site's address, the registries, how narratives
    are converted and, for each
    entry, the bulletins it is made from by their digests (a bulletin's entry also shows
    the items its follow-ups are about). Without a store, nothing is kept."""

    def __init__(self, site: Site, index: SiteIndex, lang: str, site_url: str, max_items: int, store: Store | None,
                 digests: dict[str, str] | None):
        self.index, self.store = index, store
        if store is not None:
            self.digests = bulletin_digests(site.bulletins) if digests is None else digests
            self.context = fingerprint((lang, site_url, max_items, site.registry, narrative_configuration()))

    def bulletin_key(self, b: Bulletin) -> str:
        d = self.digests
        return " ".join(["bulletin", d[b.id], *(d[self.index.items[f.item].bulletin.id] for f in b.follow_ups)])

    def follow_up_key(self, later: Bulletin, f: FollowUp, item: ItemView) -> str:
        return f"follow-up {self.digests[later.id]} {f.item} {self.digests[item.bulletin.id]}"

    def get(self, kind: str, parts: list[str]) -> tuple[str | None, bytes | None]:
        if self.store is None:
            return None, None
        key = self.store.key(kind, self.context, *parts)
        return key, self.store.get(key)

    def put(self, key: str | None, value: bytes) -> None:
        if key is not None:
            self.store.put(key, value)


def write_feeds(site: Site, index: SiteIndex, lang: str, out_dir: Path, site_url: str, *,
                max_items: int = DEFAULT_MAX_ITEMS, store: Store | None = None,
                digests: dict[str, str] | None = None) -> list[str]:
    """Write every feed of one language into ``out_dir``, the language's folder of the
    site; return their paths from the site root (``vi/communes/ky-lua/feed.xml``).
    With a ``store``, a feed whose entries are made from the same bulletins as in an
    earlier build is copied from it, and so is each bulletin's item HTML (``digests``: each
    bulletin's cache.fingerprint, made here if not given)."""
    site_url = _site_url(site_url)
    if max_items < 1:
        raise ValueError(f"max_items must be at least 1 (got {max_items})")
    out_dir = Path(out_dir)
    author = site.registry.ui["site_name"][lang]
    newest = max((b.last_modified for b in site.bulletins), default=REFORM_DATE)
    entries: dict[str, dict[str, FeedEntry]] = {}  # bulletin id or follow-up GUID → format → entry
    narratives = NarrativeConverter(store)
    cache = _FeedCache(site, index, lang, site_url, max_items, store, digests)
    written: list[str] = []
    for spec in feed_specs(site, lang):
        # bulletins and follow-ups, newest first: (day, later bulletin first, entry key, last change, how to make it)
        chosen = []
        for b in feed_items(site, index, spec, lang, max_items):
            chosen.append((b.date, index.rank[b.id], b.id, b.last_modified, b))
        for later, f, followed in follow_up_entries(index, spec, lang)[:max_items]:
            chosen.append((f.date, index.rank[later.id], follow_up_id(lang, later.id, f.item), f.date,
                           (later, f, followed)))
        chosen.sort(key=lambda c: (-c[0].toordinal(), c[1]))
        chosen = chosen[:max_items]
        updated = province_time(max((c[3] for c in chosen), default=newest))
        parts = None
        if store is not None:
            parts = [repr(spec), updated.isoformat(), *(cache.bulletin_key(c[4]) if isinstance(c[4], Bulletin)
                                                       else cache.follow_up_key(*c[4]) for c in chosen)]
        for fmt, rel in (("rss", spec.rss), ("atom", spec.atom)):
            key, feed = cache.get("feed", [fmt, *parts]) if parts else (None, None)
            if feed is None:
                for _, _, ident, _, source in chosen:
                    if ident not in entries:
                        item = (_bulletin_item(site, index, source, lang, site_url, narratives, cache)
                                if isinstance(source, Bulletin) else _follow_up_item(site, *source, lang, site_url))
                        entries[ident] = {f: feed_entry(item, lang, f) for f in ("rss", "atom")}
                feed = render_feed(spec, [entries[c[2]][fmt] for c in chosen], lang, site_url, updated, author, fmt)
                cache.put(key, feed)
            _write(out_dir, rel[len(lang) + 1:], feed)
            written.append(rel)
    rel = urls.opml(lang)
    _write(out_dir, rel[len(lang) + 1:], render_opml(site, lang, site_url))
    written.append(rel)
    return written


def _bulletin_item(site: Site, index: SiteIndex, b: Bulletin, lang: str, site_url: str,
                   narratives: NarrativeConverter, cache: _FeedCache) -> _Item:
    """A bulletin's item, its HTML read from the cache when an earlier build made it."""
    key, content = cache.get("feed-item", [cache.bulletin_key(b)]) if cache.store is not None else (None, None)
    item = _item(site, index, b, lang, site_url, narratives, None if content is None else content.decode("utf-8"))
    if content is None:
        cache.put(key, item.content.encode("utf-8"))
    return item
