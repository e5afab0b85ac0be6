"""A bulletin's page, and the archive of every bulletin."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from .. import facts, urls
from ..html import Markup, html, join, ul
from ..index import ItemView
from ..model import Bulletin
from ..search_index import search_data, unindexed
from .base import Context, Page, PageDoc, numbered_title, paginated

PER_PAGE = 20  # bulletins per page of an archive or a group's list, visits per page of a commune
RELATED = 6  # bulletins at most under "related bulletins"


@dataclass(frozen=True)
class BulletinView:
    """Everything a bulletin's page shows: the bulletin, its group's bulletins just older
    and newer, the related bulletins (with the commune or difficulty they share), what
    later bulletins reported of its items, and the items its own follow-ups are about.
    The page is made from this alone, with the language's registries, so this is also
    what its cache key covers (:func:`view_key`)."""

    bulletin: Bulletin
    older: Bulletin | None
    newer: Bulletin | None
    related: tuple[tuple[Bulletin, str, str], ...]  # (other, "commune" | "tag", the id they share)
    items: tuple[ItemView, ...]  # its recommendations and directives
    followed: dict[str, ItemView]  # item reference → the item one of its follow-ups is about


def bulletin_view(ctx: Context, b: Bulletin) -> BulletinView:
    index = ctx.index
    newer, older = around(ctx, index.groups[b.group].bulletins, b)
    return BulletinView(b, older, newer, related_bulletins(ctx, b),
                        tuple(index.items[f"{b.id}#{x.id}"] for x in (*b.recommendations, *b.directives)),
                        {f.item: index.items[f.item] for f in b.follow_ups})


def view_key(view: BulletinView, digests: dict[str, str]) -> list[str]:
    """The view as strings, each bulletin by its digest (a follow-up is part of its bulletin)."""
    def d(b: Bulletin | None) -> str:
        return digests[b.id] if b is not None else "-"

    return [d(view.bulletin), d(view.older), d(view.newer),
            *(f"{d(other)} {kind} {key}" for other, kind, key in view.related),
            *(" ".join([item.ref, *(d(later) for later, _ in item.history)]) for item in view.items),
            *(f"{ref} {d(item.bulletin)}" for ref, item in view.followed.items())]


def bulletin(ctx: Context, b: Bulletin) -> PageDoc:
    """A bulletin's page; the store's copy when an earlier build made it from the same view."""
    view = bulletin_view(ctx, b)
    return ctx.cached("bulletin-page", lambda: view_key(view, ctx.digests), lambda: bulletin_page(ctx, view))


def bulletin_page(ctx: Context, view: BulletinView) -> PageDoc:
    b, lang = view.bulletin, ctx.lang
    page = ctx.at(urls.bulletin(lang, b.id))
    body = page.titled(b.title[lang])
    body.add(html('<p class="b-lead">{}</p>', b.summary[lang]), facts.details(b, page.words))
    items = {item.action.id: item for item in view.items}
    for section in facts.sections(b, page.words, resolve=lambda ref: (view.followed[ref].bulletin,
                                                                      view.followed[ref].action),
                                  follow=lambda _, x: status(page, items[x.id])):
        body.heading(2, section.title, section.id).add(section.html)
    body.heading(2, page.t("narrative"), "narrative")
    anchors = {x.id for x in (*b.recommendations, *b.directives)} | {facts.follow_up_anchor(f.item)
                                                                      for f in b.follow_ups}
    body.narrative(ctx.narratives.convert(b.body[lang], lang, reserved=body.ids | anchors))
    body.add(facts.source(b, page.words), in_group(page, view))
    related_items = related(page, view)
    if related_items:
        body.heading(2, page.t("related_bulletins"), "related").add(related_items)
    body.add(search_data(page, body, bulletins=[b], about=[ctx.reg.communes[c].name_vi for c in b.communes]))
    return page.make(b.title[lang], body, description=b.summary[lang], edit=b.paths[lang],
                     alternate_missing=ctx.other not in b.title, updated=b.last_modified,
                     trail=[(urls.archive(lang), page.t("all_bulletins"))])


def status(page: Page, item: ItemView) -> Markup:
    """Under a recommendation or directive: what became of it, as later bulletins report."""
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


def in_group(page: Page, view: BulletinView) -> Markup:
    """The group's previous and next bulletins, as a reader of a series expects."""
    ctx = page.ctx
    links = []
    if view.older:
        links.append(html('<li class="b-seq__older">{}{}{}</li>', page.t("older_in_group"), page.words.colon,
                          page.bulletin_link(view.older)))
    if view.newer:
        links.append(html('<li class="b-seq__newer">{}{}{}</li>', page.t("newer_in_group"), page.words.colon,
                          page.bulletin_link(view.newer)))
    if not links:
        return Markup("")
    return unindexed(html('<nav class="b-seq" aria-label="{}"><ul>{}</ul></nav>',
                          ctx.reg.groups[view.bulletin.group].name[ctx.lang], join("", links)))


def related_bulletins(ctx: Context, b: Bulletin) -> tuple[tuple[Bulletin, str, str], ...]:
    """Other bulletins nearest in time that concern one of its communes, then one of its
    difficulties, with what they share; at most RELATED."""
    found: dict[str, tuple[Bulletin, str, str]] = {}
    candidates = [(ctx.index.communes[cid].bulletins, "commune", cid) for cid in b.communes]
    candidates += [(ctx.index.tags[tag].bulletins, "tag", tag) for tag in b.tags]
    for bulletins, kind, key in candidates:
        for other in around(ctx, bulletins, b):
            if other and other.id not in found and len(found) < RELATED:
                found[other.id] = (other, kind, key)
    return tuple(found.values())


def related(page: Page, view: BulletinView) -> Markup:
    """The related bulletins, each with why it is related."""
    if not view.related:
        return Markup("")
    ctx, w = page.ctx, page.words

    def why(kind: str, key: str) -> str:
        if kind == "commune":
            return page.t("same_commune", name=w.commune_name(key))
        return page.t("same_difficulty", name=ctx.reg.tags[key].label[ctx.lang])

    # out of the search index (their folded words too): other bulletins' titles would make
    # this page a result for them
    return unindexed(ul((html('{}<p class="b-item__why">{}</p>', page.bulletin_item(other), why(kind, key))
                         for other, kind, key in view.related), "b-list b-related"))


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
