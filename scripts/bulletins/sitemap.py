"""The sitemap of one language (sitemaps.org): every page's absolute URL, bulletins
with the date they last changed."""

from __future__ import annotations

from .html import text
from .pages import PageDoc


def sitemap_xml(docs: list[PageDoc], root_url: str) -> str:
    rows = []
    for doc in docs:
        updated = doc.meta.get("bulletins", {}).get("updated")
        lastmod = f"<lastmod>{updated}</lastmod>" if updated else ""
        rows.append(f"<url><loc>{text(root_url + doc.url)}</loc>{lastmod}</url>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(rows) + "</urlset>\n")
