"""Search: the search page (our small UI on Pagefind's JavaScript API, :mod:`bulletins.search_index`)
and which pages the indexer reads. What a page gives the index besides its text (folded
forms, filters, what it is about) is :func:`bulletins.search_index.search_data`."""

from __future__ import annotations

from .. import urls
from ..model import Site
from ..search_index import ui_html
from .base import Context, PageDoc, PageEntry

PART_PAGES = 1500  # pages Pagefind indexes at once, at most (≈ 0.45 MB each), unless a month has more


def search_page(ctx: Context) -> PageDoc:
    page = ctx.at(urls.search(ctx.lang))
    body = page.titled(page.t("search"))
    body.add(ui_html(page.t))
    return page.make(page.t("search"), body, search=False)


def search_parts(site: Site, lang: str, pages: list[PageEntry]) -> dict[str, list[str]]:
    """The searchable pages cut into the parts the indexer reads one at a time and the
    build cache keeps (search_bundles.py): the bulletins of each year (of each quarter,
    half or month when a year has more than PART_PAGES), then the other pages. A new
    bulletin changes its year's part and the other pages' part; older years stay as they
    are. Each page as its URL inside the language's folder ("bulletins/<id>/")."""
    year = {urls.bulletin(lang, b.id): b.date for b in site.bulletins}
    dated: dict[int, list[tuple[int, str]]] = {}
    others = []
    for page in pages:
        if not page.searchable:
            continue
        inner = page.url[len(lang) + 1:]
        if page.url in year:
            day = year[page.url]
            dated.setdefault(day.year, []).append((day.month, inner))
        else:
            others.append(inner)
    parts = {}
    for number, pages in sorted(dated.items()):
        pieces = next(n for n in (1, 2, 4, 12) if n == 12 or len(pages) <= PART_PAGES * n)
        for month, inner in pages:
            name = f"{number}" if pieces == 1 else f"{number}-{(month - 1) * pieces // 12 + 1}of{pieces}"
            parts.setdefault(name, []).append(inner)
    if others:
        parts["pages"] = others
    return parts
