"""The home page: what the site is, the reform it follows, key figures counted from the
content, the latest bulletins with their summaries, and how to follow them."""

from __future__ import annotations

from .. import urls
from ..html import Markup, html, join, ul
from .base import Context, Page, PageDoc, facts_list
from .difficulties import tag_counts

HOME_LATEST = 10


def home(ctx: Context) -> PageDoc:
    page = ctx.at(urls.home(ctx.lang))
    lang = ctx.lang
    entry = ul([page.link(urls.communes(lang), page.t("all_communes")),
                page.link(urls.difficulties(lang), page.t("all_tags")),
                page.link(urls.follow_ups(lang), page.t("follow_ups")),
                page.link(urls.groups(lang), page.t("all_groups")),
                page.link(urls.archive(lang), page.t("all_bulletins"))], "b-entry")
    body = page.titled(page.t("site_name"))
    body.add(html('<p class="b-lead">{}</p>', page.t("site_description")), reform(page), search_form(page), entry)
    body.heading(2, page.t("key_figures"), "figures").add(key_figures(page))
    body.heading(2, page.t("latest_bulletins"), "latest")
    body.add(ul((page.bulletin_item(b, summary=True) for b in ctx.site.bulletins[:HOME_LATEST]), "b-list"),
             html("<p>{}</p>", page.link(urls.archive(lang), page.t("all_bulletins"))))
    body.heading(2, page.t("subscribe"), "subscribe")
    body.add(html("<p>{}</p>", page.t("subscribe_intro")), page.feed_links(urls.home(lang)),
             html("<p>{}</p>", page.link(urls.subscribe(lang), page.t("subscribe_page"))))
    return page.make(page.t("home"), body, search=False)


def reform(page: Page) -> Markup:
    """The reform the site follows, with the number of units counted in the registry."""
    units = list(page.ctx.reg.communes.values())
    wards = sum(c.type == "ward" for c in units)
    return html('<p class="b-context">{}</p>', page.t("home_context", units=len(units), wards=wards,
                                                      communes=len(units) - wards))


def key_figures(page: Page) -> Markup:
    """Counted from the content: bulletins, units visited out of all, the difficulties
    raised most often."""
    ctx = page.ctx
    visited = sum(1 for view in ctx.index.communes.values() if view.bulletins)
    top = [v for v in tag_counts(ctx) if v.occurrences][:3]
    rows = [(page.t("bulletin_count"), str(len(ctx.site.bulletins))),
            (page.t("units_visited"), page.t("of_total", shown=visited, total=len(ctx.reg.communes)))]
    if top:
        rows.append((page.t("most_raised"), join(", ", (html("{} ({})", page.words.tag_link(v.tag.id),
                                                             len(v.occurrences)) for v in top))))
    return facts_list(rows)


def search_form(page: Page) -> Markup:
    return html('<form class="b-search" role="search" action="{}"><label for="b-q">{}</label> '
                '<input id="b-q" type="search" name="q" placeholder="{}"> <button type="submit">{}</button></form>',
                page.href(urls.search(page.ctx.lang)), page.t("search"), page.t("search_placeholder"),
                page.t("search"))
