"""The province-wide follow-up page: what became of every recommendation and directive,
counted by status and by addressee, then the open items, oldest first (paginated); and
the pieces other pages show of it (an item's line, its age)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .. import urls
from ..facts import item_link
from ..html import Markup, html, join, ul
from ..index import ItemView
from .base import Body, Context, Page, PageDoc, later_page, paginated

ITEMS_PER_PAGE = 30
NOT_STATED = ""  # the addressee key of items whose source does not say who must act
SHOWN_STATUSES = ("none", "open", "in-progress", "done", "declined")  # "none": no follow-up reported
KIND_LABELS = {"recommendations": "recommendation", "directives": "directive"}  # one item of each kind


def shown_status(item: ItemView) -> str:
    return item.status if item.history else "none"


def as_of(ctx: Context) -> dt.date | None:
    """The day ages are counted to: the newest bulletin's (a static page must not age by itself)."""
    return ctx.site.bulletins[0].date if ctx.site.bulletins else None


def item_lines(page: Page, items: list[ItemView], age: bool = False) -> list[Markup]:
    """Items as lists show them: each one's status, kind and text (linked to its anchor),
    the day it was recorded (linked to its bulletin, whose long title the list does not
    repeat), the provincial bodies it is addressed to (communes addressed are counted on the
    follow-up page and named on the bulletin's); with ``age``, how many days it has waited.
    The lines without their ages come from the cache when the same items, with the same
    follow-ups, were listed on the same page: a new bulletin changes every age (they are
    counted to the newest bulletin) but not the rest."""
    ctx = page.ctx
    pieces = ctx.cached("item-lines", lambda: [page.url, *(f"{i.ref} {ctx.digests[i.bulletin.id]} "
                                                          f"{ctx.history_key(i.bulletin)}" for i in items)],
                        lambda: [_item_pieces(page, i) for i in items])
    day = as_of(ctx)
    lines = []
    for item, (head, where, addressed) in zip(items, pieces):
        shown = [where]
        if age and day:
            shown.append(html("{}", page.t("open_since", days=(day - item.since).days)))
        if addressed:
            shown.append(addressed)
        lines.append(html('{}<br><span class="b-where">{}</span>', head, join(" · ", shown)))
    return lines


def _item_pieces(page: Page, item: ItemView) -> tuple[Markup, Markup, Markup]:
    """What an item's line shows besides its age: (status, kind and text; day and group; addressees)."""
    ctx, w = page.ctx, page.words
    page_url = urls.bulletin(ctx.bulletin_lang(item.bulletin), item.bulletin.id)
    where = join(" · ", [page.link(page_url, w.day(item.since)),
                         html("{}", ctx.reg.groups[item.bulletin.group].name[ctx.lang])])
    bodies = [t for t in item.action.to if t in ctx.reg.bodies]
    addressed = w.labelled("addressed_to", join(", ", (w.addressee(t) for t in bodies))) if bodies else Markup("")
    head = html('{} <span class="b-kind">{}{}</span>{}', w.status(item.status, bool(item.history)),
                page.t(KIND_LABELS[item.kind]), w.colon, item_link(item.bulletin, item.action, w))
    return head, where, addressed


def follow_ups(ctx: Context) -> list[PageDoc]:
    section = urls.follow_ups(ctx.lang)
    title = ctx.t("follow_ups")
    items = list(ctx.index.items.values())
    waiting = sorted((i for i in items if i.is_open), key=lambda i: (i.since, -ctx.index.rank[i.bulletin.id]))
    out = []
    for number, page, chunk, pager in paginated(ctx, section, waiting, ITEMS_PER_PAGE):
        listing = Body().heading(2, f"{page.t('open_items')} ({len(waiting)})", "open")
        day = as_of(ctx)
        if day:
            listing.add(html('<p class="b-hint">{}</p>', page.t("ages_as_of", date=page.words.locale.date(day))))
        listing.add(ul(item_lines(page, chunk, age=True), "b-answers"), pager)
        if number > 1:
            out.append(later_page(page, title, number, listing, section, [], has_feed=False))
            continue
        body = page.titled(title).add(html('<p class="b-lead">{}</p>', page.t("follow_ups_intro")))
        body.heading(2, page.t("by_status"), "by-status").add(by_status(page, items))
        body.heading(2, page.t("by_addressee"), "by-addressee").add(by_addressee(page, items))
        body.extend(listing)
        out.append(page.make(title, body, search=False))
    return out


def status_label(page: Page, status: str) -> Markup:
    return page.words.status(status, followed=status != "none")


def by_status(page: Page, items: list[ItemView]) -> Markup:
    counts = Counter(shown_status(i) for i in items)
    rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td></tr>', status_label(page, s), counts[s])
                     for s in SHOWN_STATUSES))
    return html('<div class="b-scroll" tabindex="0"><table class="b-by-status"><thead><tr><th scope="col">{}</th>'
                '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table></div>',
                page.t("status"), page.t("item_count"), rows)


def by_addressee(page: Page, items: list[ItemView]) -> Markup:
    """Per addressee (a body, a commune, or not stated), its items by status (the statuses
    it has): a list, not a six-column table a phone could not show; an item addressed to
    several is counted under each."""
    ctx = page.ctx
    counts: dict[str, Counter] = {}
    for i in items:
        for who in i.action.to or (NOT_STATED,):
            counts.setdefault(who, Counter())[shown_status(i)] += 1
    order = [*ctx.reg.bodies, *ctx.reg.communes, NOT_STATED]
    return ul((html("<strong>{}</strong>{}{}", page.words.addressee(k) if k else page.t("addressee_not_stated"),
                    page.words.colon, join(" · ", (html("{} {}", status_label(page, st), counts[k][st])
                                                   for st in SHOWN_STATUSES if counts[k][st])))
               for k in order if k in counts), "b-list b-by-addressee")
