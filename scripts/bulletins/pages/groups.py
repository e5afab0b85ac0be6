"""The groups index and each working group's page."""

from __future__ import annotations

from collections import Counter

from .. import urls
from ..html import Markup, html, join, ul
from ..i18n import sort_key
from ..search_index import search_data
from .base import Body, Context, PageDoc, facts_list, later_page, paginated
from .bulletins import PER_PAGE


def groups(ctx: Context) -> PageDoc:
    """Every group of the registry, each with its leader, bulletins and the units it has
    worked with: a list of entries rather than a table, whose long group names would
    break mid-word on a phone."""
    page = ctx.at(urls.groups(ctx.lang))
    entries = []
    for n, view in sorted(ctx.index.groups.items()):
        rows = [(page.t("leader"), ctx.reg.people[view.leaders[0]].shown_name if view.leaders else "—"),
                (page.t("bulletin_count"), len(view.bulletins)),
                (page.t("units_worked_with"), join(", ", (page.words.commune_link(cid) for cid in units(ctx, n)))
                 or "—")]
        entries.append(html('<p class="b-item__title">{}</p>{}', page.words.group_link(n), facts_list(rows)))
    body = page.titled(page.t("groups")).add(ul(entries, "b-list b-groups"))
    return page.make(page.t("groups"), body, search=False)


def units(ctx: Context, n: int) -> dict[str, int]:
    """The units the group has worked with (visited in its bulletins), in Vietnamese
    order, with the number of its bulletins that concern each."""
    counts = Counter(cid for b in ctx.index.groups[n].bulletins for cid in b.communes)
    return {cid: counts[cid] for cid in sorted(counts, key=lambda cid: sort_key(ctx.reg.communes[cid].name_vi,
                                                                                ctx.lang))}


def group(ctx: Context, n: int) -> list[PageDoc]:
    section = urls.group(ctx.lang, n)
    trail = [(urls.groups(ctx.lang), ctx.t("groups"))]
    view = ctx.index.groups[n]
    name = view.group.name[ctx.lang]
    out = []
    for number, page, chunk, pager in paginated(ctx, section, view.bulletins, PER_PAGE):
        listing = Body().heading(2, f"{page.t('bulletins')} ({len(view.bulletins)})", "bulletins")
        listing.add(page.bulletin_list(chunk) or Markup('<p class="b-empty">—</p>'), pager)
        if number > 1:
            out.append(later_page(page, name, number, listing, section, trail))
            continue
        leaders = [page.words.person(pid, next(b for b in view.bulletins if b.leader == pid).date)
                   for pid in view.leaders]
        body = page.titled(name)
        rows = [(page.t("leader"), join("<br>", leaders))] if leaders else []
        visited = units(ctx, n)
        if visited:
            rows.append((page.t("units_worked_with"), join(", ", (html("{} ({})", page.words.commune_link(cid), count)
                                                                  for cid, count in visited.items()))))
        if rows:
            body.add(facts_list(rows))
        body.add(page.feed_links(section))
        body.extend(listing, indexed=False)  # the bulletins' titles are theirs
        body.add(search_data(page, body, bulletins=view.bulletins, groups=[n]))
        out.append(page.make(name, body, section=section, trail=trail))
    return out
