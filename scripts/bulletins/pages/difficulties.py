"""The difficulties index (table, raised over time, communes × difficulties matrix)
and each difficulty's page."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .. import urls
from ..html import Markup, html, join, ul
from ..i18n import sort_key
from ..index import TagView
from ..search_index import search_data, unindexed
from .base import Body, Context, Page, PageDoc, facts_list, later_page, latest, paginated
from .chart import bar_chart
from .follow_ups import item_lines

OCCURRENCES_PER_PAGE = 30  # sentences per page of a difficulty tag


def tag_counts(ctx: Context) -> list[TagView]:
    """Every difficulty, the most raised first."""
    return sorted(ctx.index.tags.values(),
                  key=lambda v: (-len(v.occurrences), sort_key(v.tag.label[ctx.lang], ctx.lang)))


def difficulties(ctx: Context) -> PageDoc:
    page = ctx.at(urls.difficulties(ctx.lang))
    views = tag_counts(ctx)
    top = max([len(v.occurrences) for v in views] + [1])
    rows = join("", (html('<tr><th scope="row">{}</th><td class="b-count">{}<svg class="b-bar" aria-hidden="true" '
                          'viewBox="0 0 100 6" preserveAspectRatio="none"><rect width="{}" height="6"></rect></svg></td><td>{}</td><td>{}</td></tr>',
                          page.words.tag_link(v.tag.id), len(v.occurrences), round(100 * len(v.occurrences) / top),
                          len(v.bulletins), len(v.communes))
                     for v in views))
    body = page.titled(page.t("difficulties"))
    body.add(html('<div class="b-scroll" tabindex="0"><table class="b-tags"><thead><tr>'
                  '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
                  "</tr></thead><tbody>{}</tbody></table></div>", page.t("difficulties"), page.t("times_raised"),
                  page.t("bulletin_count"), page.t("commune_count"), rows))
    months = by_month(ctx)
    if len(months) > 1:  # one month's chart would repeat the table's column
        body.heading(2, page.t("chart_caption"), "chart")
        body.add(bar_chart([(page.words.locale.month(month), n) for month, n in months], page.t("chart_caption")))
    body.heading(2, page.t("matrix"), "matrix").add(matrix(page))
    return page.make(page.t("difficulties"), body, search=False)


def by_month(ctx: Context) -> list[tuple[dt.date, int]]:
    """Difficulties raised per month of the bulletins' dates, oldest first, months with
    none included (a gap is a fact too)."""
    counts = Counter(b.date.replace(day=1) for b in ctx.site.bulletins for _ in b.difficulties)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months = []
    month = first
    while month <= last:
        months.append((month, counts[month]))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def matrix(page: Page) -> Markup:
    """Communes × difficulties (communes that raised any) in a box that scrolls both ways
    with the commune column and the header row held in place; each cell is shaded by its
    count, and one with a count is named for screen readers ("Kỳ Lừa — Thiếu cán bộ: 1";
    an empty cell has its row and column headers, and a name on each would weigh 100 KB
    at 1,000 bulletins)."""
    ctx = page.ctx
    tags = [v.tag for v in tag_counts(ctx) if v.occurrences]
    rows_communes = sorted((cid for cid, v in ctx.index.communes.items() if v.difficulties),
                           key=lambda cid: sort_key(ctx.reg.communes[cid].name_vi, ctx.lang))
    head = join("", (html('<th scope="col">{}</th>', page.words.tag_link(t.id)) for t in tags))
    rows = []
    for cid in rows_communes:
        name = ctx.reg.communes[cid].name_vi
        cells = []
        for t in tags:
            n = ctx.index.matrix.get((cid, t.id), 0)
            if n:
                label = f"{name} — {t.label[ctx.lang]}{page.words.colon}{n}"
                cells.append(html('<td class="b-n{}" aria-label="{}">{}</td>', min(n, 3), label, n))
            else:
                cells.append(Markup('<td class="b-n0"></td>'))
        rows.append(html('<tr><th scope="row">{}</th>{}</tr>', page.words.commune_link(cid), join("", cells)))
    return html('<p class="b-hint">{}</p><div class="b-scroll b-matrix-box" tabindex="0" role="region" '
                'aria-label="{}"><table class="b-matrix"><caption>{}</caption>'
                '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
                page.t("matrix_hint"), page.t("matrix"), page.t("matrix_caption"), page.t("name"), head,
                join("", rows))


def difficulty(ctx: Context, tag: str) -> list[PageDoc]:
    section = urls.difficulty(ctx.lang, tag)
    trail = [(urls.difficulties(ctx.lang), ctx.t("difficulties"))]
    view = ctx.index.tags[tag]
    label = view.tag.label[ctx.lang]
    out = []
    for number, page, chunk, pager in paginated(ctx, section, view.occurrences, OCCURRENCES_PER_PAGE):
        w = page.words
        occurrences = Body().heading(2, f"{page.t('occurrences')} ({len(view.occurrences)})", "occurrences")
        occurrences.add(ul((html('{}<br><span class="b-where">{} — {}, {}</span>', d.text[ctx.bulletin_lang(b)],
                                 join(", ", (w.commune_link(c) for c in d.communes)), page.bulletin_link(b),
                                 w.day(b.date)) for b, d in chunk), "b-occurrences"), pager)
        if number > 1:
            out.append(later_page(page, label, number, occurrences, section, trail))
            continue
        communes = sorted(view.communes.items(), key=lambda kv: sort_key(ctx.reg.communes[kv[0]].name_vi, ctx.lang))
        body = page.titled(label)
        body.add(html('<p class="b-lead">{}</p>', view.tag.definition[ctx.lang]),
                 facts_list([(page.t("bulletin_count"), len(view.bulletins)),
                             (page.t("commune_count"), len(view.communes)),
                             (page.t("times_raised"), len(view.occurrences))]),
                 page.feed_links(section))
        if not view.occurrences:
            body.add(html('<p class="b-empty">{}</p>', page.t("no_difficulty")))
        else:
            body.heading(2, page.t("raised_in"), "communes")
            body.add(unindexed(ul((html("{} ({})", w.commune_link(cid), n) for cid, n in communes), "b-inline")))
        if view.answers:
            shown, more = latest(page, view.answers, OCCURRENCES_PER_PAGE)
            body.heading(2, f"{page.t('answers_heading')} ({len(view.answers)})", "answers")
            body.add(unindexed(ul(item_lines(page, shown), "b-answers")), more)
        if view.occurrences:
            body.extend(occurrences, indexed=False)  # each occurrence's text is its bulletin's
        body.add(search_data(page, body, bulletins=view.bulletins, communes=view.communes, tags=[tag]))
        out.append(page.make(label, body, description=view.tag.definition[ctx.lang], section=section, trail=trail))
    return out
