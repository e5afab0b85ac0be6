"""The sitemap of one language (sitemaps.org): every page's absolute URL, bulletins
with the date they last changed."""

from __future__ import annotations

from .html import text
from .pages import PageEntry


def sitemap_xml(pages: list[PageEntry], root_url: str) -> str:
    rows = []
    for page in pages:
        lastmod = f"<lastmod>{page.updated}</lastmod>" if page.updated else ""
        rows.append(f"<url><loc>{text(root_url + page.url)}</loc>{lastmod}</url>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(rows) + "</urlset>\n")
