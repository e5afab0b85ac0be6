"""A bulletin's page, and the archive of every bulletin."""

from __future__ import annotations

from bisect import bisect_left

from .. import facts, urls
from ..html import Markup, html, join, ul
from ..index import ItemView
from ..model import Action, Bulletin
from ..search_index import search_data
from .base import Context, Page, PageDoc, numbered_title, paginated

PER_PAGE = 20  # bulletins per page of an archive or a group's list, visits per page of a commune
RELATED = 6  # bulletins at most under "related bulletins"


def bulletin(ctx: Context, b: Bulletin) -> PageDoc:
    lang = ctx.lang
    page = ctx.at(urls.bulletin(lang, b.id))
    body = page.titled(b.title[lang])
    body.add(html('<p class="b-lead">{}</p>', b.summary[lang]), facts.details(b, page.words))
    for section in facts.sections(b, page.words, resolve=lambda ref: item_of(ctx, ref),
                                  follow=lambda b, x: status(page, b, x)):
        body.heading(2, section.title, section.id).add(section.html)
    body.heading(2, page.t("narrative"), "narrative")
    anchors = {x.id for x in (*b.recommendations, *b.directives)} | {facts.follow_up_anchor(f.item)
                                                                      for f in b.follow_ups}
    body.narrative(ctx.narratives.convert(b.body[lang], lang, reserved=body.ids | anchors))
    body.add(facts.source(b, page.words), in_group(page, b))
    related_items = related(page, b)
    if related_items:
        body.heading(2, page.t("related_bulletins"), "related").add(related_items)
    body.add(search_data(page, body, bulletins=[b], about=[ctx.reg.communes[c].name_vi for c in b.communes]))
    return page.make(b.title[lang], body, description=b.summary[lang], edit=b.paths[lang],
                     alternate_missing=ctx.other not in b.title, updated=b.last_modified,
                     trail=[(urls.archive(lang), page.t("all_bulletins"))])


def item_of(ctx: Context, ref: str) -> tuple[Bulletin, Action]:
    item = ctx.index.items[ref]
    return item.bulletin, item.action


def status(page: Page, b: Bulletin, x: Action) -> Markup:
    """Under a recommendation or directive: what became of it, as later bulletins report."""
    item = page.ctx.index.items[f"{b.id}#{x.id}"]
    return html('<div class="b-item-status">{}{}</div>', page.words.status(item.status, bool(item.history)),
                history(page, item))


def history(page: Page, item: ItemView) -> Markup:
    """Each follow-up of an item, oldest first: date, status, what was reported, and where."""
    w = page.words
    return ul((html("{} · {} {} ({})", w.day(f.date), w.status(f.status), f.text[page.ctx.bulletin_lang(later)],
                    page.link(urls.bulletin(page.ctx.bulletin_lang(later), later.id) + "#"
                              + facts.follow_up_anchor(f.item), later.title[page.ctx.bulletin_lang(later)]))
               for later, f in item.history), "b-history")


def around(ctx: Context, bulletins: list[Bulletin], b: Bulletin) -> tuple[Bulletin | None, Bulletin | None]:
    """The bulletins just newer and just older than ``b`` in a newest-first list of the
    index (found by the site's order, not by scanning)."""
    rank = ctx.index.rank
    i = bisect_left(bulletins, rank[b.id], key=lambda x: rank[x.id])
    j = i + 1 if i < len(bulletins) and bulletins[i].id == b.id else i
    return (bulletins[i - 1] if i > 0 else None), (bulletins[j] if j < len(bulletins) else None)


def in_group(page: Page, b: Bulletin) -> Markup:
    """The group's previous and next bulletins, as a reader of a series expects."""
    ctx = page.ctx
    newer, older = around(ctx, ctx.index.groups[b.group].bulletins, b)
    links = []
    if older:
        links.append(html('<li class="b-seq__older">{}{}{}</li>', page.t("older_in_group"), page.words.colon,
                          page.bulletin_link(older)))
    if newer:
        links.append(html('<li class="b-seq__newer">{}{}{}</li>', page.t("newer_in_group"), page.words.colon,
                          page.bulletin_link(newer)))
    if not links:
        return Markup("")
    return html('<nav class="b-seq" aria-label="{}" data-pagefind-ignore><ul>{}</ul></nav>',
                ctx.reg.groups[b.group].name[ctx.lang], join("", links))


def related(page: Page, b: Bulletin) -> Markup:
    """Other bulletins nearest in time that concern one of its communes, then one of its
    difficulties, each with why it is related; at most RELATED."""
    ctx, w = page.ctx, page.words
    found: dict[str, tuple[Bulletin, Markup]] = {}
    candidates = [(ctx.index.communes[cid].bulletins, page.t("same_commune", name=w.commune_name(cid)))
                  for cid in b.communes]
    candidates += [(ctx.index.tags[tag].bulletins, page.t("same_difficulty", name=ctx.reg.tags[tag].label[ctx.lang]))
                   for tag in dict.fromkeys(d.tag for d in b.difficulties)]
    for bulletins, reason in candidates:
        for other in around(ctx, bulletins, b):
            if other and other.id not in found and len(found) < RELATED:
                found[other.id] = (other, html("{}", reason))
    if not found:
        return Markup("")
    # out of the search index: other bulletins' titles would make this page a result for them
    return html('<div data-pagefind-ignore>{}</div>',
                ul((html('{}<p class="b-item__why">{}</p>', page.bulletin_item(other), why)
                    for other, why in found.values()), "b-list b-related"))


def neighbourhood(bulletins: list[Bulletin], edited: list[Bulletin]) -> list[Bulletin]:
    """``edited`` and the bulletins their pages show (in_group and related draw on the
    nearest bulletins of the same group, commune or difficulty; follow-ups link items both
    ways), newest first: an index of
    these alone gives an edited page the same neighbours as the whole site's, so that the
    preview can render it without indexing everything."""
    keep = {b.id for b in edited}
    followed = {f.item.split("#")[0] for b in edited for f in b.follow_ups}
    keep |= followed | {other.id for other in bulletins for f in other.follow_ups
                        if f.item.split("#")[0] in keep}  # what they follow up, and what follows them up
    position = {b.id: i for i, b in enumerate(bulletins)}
    for b in edited:
        for key in _lists(b):  # its neighbours in each list: the nearest newer and older bulletin in it
            for step in (-1, 1):
                i = position[b.id] + step
                while 0 <= i < len(bulletins) and key not in _lists(bulletins[i]):
                    i += step
                if 0 <= i < len(bulletins):
                    keep.add(bulletins[i].id)
    return [b for b in bulletins if b.id in keep]


def _lists(b: Bulletin) -> set[tuple]:
    """The lists of the index a bulletin is in: its group's, its communes', its difficulties'."""
    return {("group", b.group), *(("commune", c) for c in b.communes), *(("tag", d.tag) for d in b.difficulties)}


def archive(ctx: Context) -> list[PageDoc]:
    out = []
    section = urls.archive(ctx.lang)
    for number, page, chunk, pager in paginated(ctx, section, ctx.site.bulletins, PER_PAGE):
        title = numbered_title(ctx, page.t("all_bulletins"), number)
        trail = [(section, page.t("all_bulletins"))] if number > 1 else []
        out.append(page.make(title, page.titled(title).add(page.bulletin_list(chunk), pager), search=False,
                             trail=trail))
    return out
