"""Search: the search page (Pagefind's UI), the folded copies that let "dong" find
"Đông", and which pages the indexer reads."""

from __future__ import annotations

import re

from .. import urls
from ..html import Markup, html, join, script_json
from ..i18n import fold
from .base import Context, PageDoc


def search_page(ctx: Context) -> PageDoc:
    page = ctx.at(urls.search(ctx.lang))
    body = page.titled(page.t("search"))
    options = {"element": "#b-search", "showSubResults": True, "showImages": False,
               "translations": {"clear_search": page.t("search_clear")}}
    body.add(html('<link rel="stylesheet" href="../pagefind/pagefind-ui.css">\n'
                  '<div id="b-search"></div>\n'
                  '<script src="../pagefind/pagefind-ui.js"></script>\n'
                  "<script>\n"
                  "const ui = new PagefindUI({});\n"
                  'const q = new URLSearchParams(location.search).get("q");\n'
                  "if (q) {{ ui.triggerSearch(q); }}\n"
                  "</script>", script_json(options)))
    return page.make(page.t("search"), body, search=False)


def fold_words(*texts: str, names=()) -> Markup:
    """Hidden folded copies for search: the words written with đ/Đ (Pagefind folds
    other accents itself, but Đ has no Unicode decomposition), and the names of the
    communes concerned, weighted so that 'dong kinh' ranks Đông Kinh's pages first
    despite the many 'động' and 'kinh tế' of ordinary text."""
    words = dict.fromkeys(w for t in texts for w in re.findall(r"\w+", t) if "đ" in w.lower())
    out = []
    if names:
        out.append(html('<p class="b-fold" hidden data-pagefind-weight="10">{}</p>',
                        " ".join(fold(n) for n in names)))
    if words:
        out.append(html('<p class="b-fold" hidden>{}</p>', " ".join(fold(w) for w in words)))
    return join("", out)


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
