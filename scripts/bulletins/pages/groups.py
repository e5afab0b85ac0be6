"""The groups index and each working group's page."""

from __future__ import annotations

from .. import urls
from ..html import Markup, html, join
from ..search_index import search_data
from .base import Body, Context, PageDoc, facts_list, later_page, paginated
from .bulletins import PER_PAGE


def groups(ctx: Context) -> PageDoc:
    page = ctx.at(urls.groups(ctx.lang))
    rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', page.words.group_link(n),
                          ctx.reg.people[view.leaders[0]].shown_name if view.leaders else "", len(view.bulletins))
                     for n, view in sorted(ctx.index.groups.items())))
    body = page.titled(page.t("groups"))
    body.add(html('<div class="b-scroll" tabindex="0"><table><thead><tr><th scope="col">{}</th>'
                  '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table></div>',
                  page.t("group"), page.t("leader"), page.t("bulletin_count"), rows))
    return page.make(page.t("groups"), body, search=False)


def group(ctx: Context, n: int) -> list[PageDoc]:
    section = urls.group(ctx.lang, n)
    view = ctx.index.groups[n]
    name = view.group.name[ctx.lang]
    out = []
    for number, page, chunk, pager in paginated(ctx, section, view.bulletins, PER_PAGE):
        listing = Body().heading(2, f"{page.t('bulletins')} ({len(view.bulletins)})", "bulletins")
        listing.add(page.bulletin_list(chunk) or Markup('<p class="b-empty">—</p>'), pager)
        if number > 1:
            out.append(later_page(page, name, number, listing, section))
            continue
        leaders = [page.words.person(pid, next(b for b in view.bulletins if b.leader == pid).date)
                   for pid in view.leaders]
        body = page.titled(name)
        if leaders:
            body.add(facts_list([(page.t("leader"), join("<br>", leaders))]))
        body.add(page.feed_links(section))
        body.extend(listing)
        body.add(search_data(page, body, bulletins=view.bulletins, groups=[n]))
        out.append(page.make(name, body, section=section))
    return out
