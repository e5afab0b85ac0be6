"""The communes index, and each commune's page organised by visit."""

from __future__ import annotations

from functools import partial

from .. import urls
from ..facts import item_link
from ..html import Markup, html, join, ul
from ..i18n import sort_key
from ..index import CommuneView
from ..model import Action, Bulletin, Commune
from ..search_index import search_data, unindexed
from .base import Body, Context, Page, PageDoc, facts_list, later_page, paginated
from .bulletins import PER_PAGE
from .follow_ups import as_of, item_lines

LISTED = 30  # open requests and timeline events shown on a commune's page


def communes(ctx: Context) -> PageDoc:
    page = ctx.at(urls.communes(ctx.lang))
    w = page.words
    body = page.titled(page.t("communes"))
    for kind, label in (("ward", "wards"), ("commune", "rural_communes")):
        members = sorted((c for c in ctx.reg.communes.values() if c.type == kind),
                         key=lambda c: sort_key(c.name_vi, ctx.lang))
        rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', w.commune_link(c.id),
                              len(ctx.index.communes[c.id].bulletins), ctx.index.communes[c.id].difficulty_count)
                         for c in members))
        body.heading(2, f"{page.t(label)} ({len(members)})", kind)
        body.add(html('<div class="b-scroll" tabindex="0"><table class="b-communes"><thead><tr>'
                      '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
                      "<tbody>{}</tbody></table></div>", page.t("name"), page.t("bulletin_count"),
                      page.t("difficulty_count"), rows))
    return page.make(page.t("communes"), body, search=False)


def commune(ctx: Context, cid: str) -> list[PageDoc]:
    """The commune's page, organised by visit: each bulletin once, with what was raised
    there, what the commune asked for and what was directed; at a glance first. Past
    PER_PAGE visits, the older ones are on later pages."""
    section = urls.commune(ctx.lang, cid)
    trail = [(urls.communes(ctx.lang), ctx.t("communes"))]
    view = ctx.index.communes[cid]
    c = view.commune
    out = []
    for number, page, chunk, pager in paginated(ctx, section, view.bulletins, PER_PAGE):
        title = page.words.commune_name(cid, with_type=True)
        visits = Body().heading(2, f"{page.t('visits')} ({len(view.bulletins)})", "visits")
        for b in chunk:
            heading, block = ctx.cached("commune-visit", partial(visit_key, page, b, cid), partial(visit, page, b, cid))
            visits.heading(3, heading, f"visit-{b.id}").add(block)
        visits.add(pager)
        if number > 1:
            out.append(later_page(page, title, number, visits, section, trail))
            continue
        rows = [(page.t("code"), c.code), (page.t("former_district"), page.words.unit(c.former_district))]
        if c.merged_from:
            rows.append((page.t("merged_from"), ", ".join(page.words.unit(u) for u in c.merged_from)))
        body = page.titled(title).add(facts_list(rows))
        if c.uncertain:
            body.add(html('<p class="b-note">{}</p>', page.t("uncertain_note")))
        if not view.bulletins:
            body.add(html('<p class="b-empty">{}</p>', page.t("never_visited")))
            same_district(page, c, body)
            body.add(html("<p>{}</p>", page.t("follow_unit")), page.feed_links(section))
        else:
            body.heading(2, page.t("at_a_glance"), "glance").add(at_a_glance(page, view), page.feed_links(section))
            open_requests(page, view, body)
            if view.follow_ups:
                body.heading(2, page.t("timeline"), "timeline").add(unindexed(timeline(page, view)))
            body.extend(visits, indexed=False)  # each visit's text is its bulletin's
        body.add(search_data(page, body, bulletins=view.bulletins, place=[c.name_vi], communes=[cid],
                             tags=view.difficulties))
        out.append(page.make(title, body, section=section, trail=trail))
    return out


def at_a_glance(page: Page, view: CommuneView) -> Markup:
    """Visits, the last one, and the difficulties raised here (newest bulletins first)."""
    ctx = page.ctx
    rows = [(page.t("visits"), str(len(view.bulletins))),
            (page.t("last_visit"), html("{} ({})", page.words.day(view.bulletins[0].date),
                                        page.bulletin_link(view.bulletins[0])))]
    tags = sorted(view.difficulties.items(), key=lambda kv: (-len(kv[1]), sort_key(
        ctx.reg.tags[kv[0]].label[ctx.lang], ctx.lang)))
    rows.append((page.t("difficulties"), join(", ", (html("{} ({})", page.words.tag_link(tag), len(items))
                                                     for tag, items in tags)) or page.t("none_reported")))
    return facts_list(rows)


def open_requests(page: Page, view: CommuneView, body: Body) -> None:
    """What was asked for or directed concerning the commune and is not reported done or
    declined, oldest first, with its age."""
    waiting = [item for item in reversed(view.items) if item.is_open]
    if not waiting:
        return
    body.heading(2, f"{page.t('open_requests')} ({len(waiting)})", "open")
    day = as_of(page.ctx)
    if day:
        body.add(html('<p class="b-hint">{}</p>', page.t("ages_as_of", date=page.words.locale.date(day))))
    body.add(unindexed(ul(item_lines(page, waiting[:LISTED], age=True), "b-answers")))
    if len(waiting) > LISTED:
        body.add(html('<p class="b-more">{} — {}</p>', page.t("of_total", shown=LISTED, total=len(waiting)),
                      page.link(urls.follow_ups(page.ctx.lang), page.t("follow_ups"))))


def timeline(page: Page, view: CommuneView) -> Markup:
    """Visits and follow-ups together, newest first (at most LISTED)."""
    w = page.words
    events = [(b.date, 1, html("{} · {}{}{}", w.day(b.date), page.t("visit_on"), w.colon, page.bulletin_link(b)))
              for b in view.bulletins[:LISTED]]
    events += [(f.date, 0, html("{} · {} {}{}{} ({})", w.day(f.date), w.status(f.status), page.t("about_item"), w.colon,
                                item_link(item.bulletin, item.action, w),
                                page.bulletin_link(later)))
               for later, f, item in view.follow_ups[:LISTED]]
    events.sort(key=lambda e: (e[0], e[1]), reverse=True)
    return ul((e[2] for e in events[:LISTED]), "b-timeline")


def visit_key(page: Page, b: Bulletin, cid: str) -> list[str]:
    """What a visit's block shows: the bulletin, its items' statuses, links from the page's URL."""
    return [page.url, cid, page.ctx.digests[b.id], page.ctx.history_key(b)]


def visit(page: Page, b: Bulletin, cid: str) -> tuple[str, Markup]:
    """One visit as the commune's page shows it (its heading and its block): its bulletin
    once, then what concerns the commune in it, each kind apart (what it raised, asked
    for, was directed to)."""
    ctx, w = page.ctx, page.words
    lang = ctx.bulletin_lang(b)
    heading = f"{w.locale.date(b.date)} · {ctx.reg.groups[b.group].name[ctx.lang]}"
    parts = [html('<p class="b-visit__bulletin">{}</p>', page.bulletin_link(b))]
    kinds = [("raised_here", [html('<span class="b-tag">{}</span> {}', w.tag_link(d.tag), d.text[lang])
                              for d in b.difficulties if cid in d.communes]),
             ("recommendations", [item_text(page, b, x) for x in b.recommendations if cid in x.communes]),
             ("directives", [item_text(page, b, x) for x in b.directives if cid in x.communes]),
             ("figures", [html("<strong>{}</strong> {}", w.figure_value(f), f.label[lang])
                          for f in b.figures if cid in f.communes])]
    for key, items in kinds:
        if items:
            parts.append(html('<p class="b-visit__kind">{}</p>{}', page.t(key), ul(items, f"b-{key}")))
    if cid in b.inspected:
        parts.append(html('<p class="b-note">{}</p>', page.t("inspected_here")))
    return heading, html('<div class="b-visit">{}</div>', join("", parts))


def item_text(page: Page, b: Bulletin, x: Action) -> Markup:
    """A recommendation or directive under its visit: its status, then its text (anchored)."""
    item = page.ctx.index.items[f"{b.id}#{x.id}"]
    return html("{} {}", page.words.status(item.status, bool(item.history)), item_link(b, x, page.words))


def same_district(page: Page, c: Commune, body: Body) -> None:
    """For a unit no group has visited: the other units of its former district, visited or not."""
    ctx = page.ctx
    others = sorted((o for o in ctx.reg.communes.values() if o.former_district == c.former_district
                     and o.id != c.id), key=lambda o: sort_key(o.name_vi, ctx.lang))
    if not others:
        return
    body.heading(2, page.t("same_district", district=page.words.unit(c.former_district)), "district")
    items = []
    for o in others:
        visits = ctx.index.communes[o.id].bulletins
        status = (page.t("visited_on", date=page.words.locale.date(visits[0].date)) if visits
                  else page.t("not_yet_visited"))
        items.append(html("{} — {}", page.words.commune_link(o.id, with_type=True), status))
    body.add(ul(items, "b-district"))
