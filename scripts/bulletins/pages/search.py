"""Search: the search page (Pagefind's default UI, set up by :mod:`bulletins.search_index`)
and which pages the indexer reads. What a page gives the index besides its text (folded
forms, filters, what it is about) is :func:`bulletins.search_index.search_data`."""

from __future__ import annotations

import re

from .. import urls
from ..search_index import ui_html
from .base import Context, PageDoc


def search_page(ctx: Context) -> PageDoc:
    page = ctx.at(urls.search(ctx.lang))
    body = page.titled(page.t("search"))
    body.add(ui_html(page.t))
    return page.make(page.t("search"), body, search=False)


def searchable_glob(docs: list[PageDoc]) -> str:
    """A glob of the HTML files of the searchable pages (inside the language's folder),
    so that the search indexer does not read the ~30 % of pages it would skip anyway.
    ``bulletins/*/index.html`` stands for a folder's pages when it matches no other page."""
    searchable = [doc.src.replace("index.md", "index.html") for doc in docs if doc.meta["bulletins"]["search"]]
    others = [doc.src.replace("index.md", "index.html") for doc in docs if not doc.meta["bulletins"]["search"]]
    patterns = set()
    for path in searchable:
        parts = path.split("/")
        pattern = "/".join(parts[:-2] + ["*", parts[-1]]) if len(parts) > 2 else path
        wildcard = re.compile(re.escape(pattern).replace(r"\*", "[^/]*") + "$")
        patterns.add(path if any(wildcard.match(other) for other in others) else pattern)
    return "{" + ",".join(sorted(patterns)) + "}"
