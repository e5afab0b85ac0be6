"""The subscribe page: every feed of the language, by section."""

from __future__ import annotations

from .. import urls
from ..html import html, join
from ..i18n import sort_key
from .base import Context, PageDoc

SECTIONS = (("all", "feed_title_all"), ("groups", "groups"), ("difficulties", "difficulties"),
            ("communes", "communes"))


def subscribe(ctx: Context) -> PageDoc:
    """The province, the groups, the difficulties, then the communes from A to Z (in
    Vietnamese order)."""
    page = ctx.at(urls.subscribe(ctx.lang))
    body = page.titled(page.t("subscribe_page"))
    body.add(html("<p>{}</p>", page.t("subscribe_intro")),
             html("<p>{}</p>", page.link(urls.opml(ctx.lang), page.t("opml"))))
    sections: dict[str, list] = {kind: [] for kind, _ in SECTIONS}
    for title, rss, atom in ctx.feeds:
        kind = rss.split("/")[1] if rss.count("/") > 1 else "all"
        sections[kind].append((title, rss, atom))
    sections["communes"].sort(key=lambda feed: sort_key(ctx.reg.communes[feed[1].split("/")[2]].name_vi, ctx.lang))
    for kind, key in SECTIONS:
        rows = join("", (html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>', title,
                              page.link(rss, "RSS"), page.link(atom, "Atom"))
                         for title, rss, atom in sections[kind]))
        body.heading(2, page.t(key), f"feeds-{kind}")
        body.add(html('<div class="b-scroll" tabindex="0"><table class="b-feeds"><thead><tr><th scope="col">{}'
                      '</th><th scope="col">RSS</th><th scope="col">Atom</th></tr></thead><tbody>{}</tbody>'
                      "</table></div>", page.t("feeds"), rows))
    return page.make(page.t("subscribe_page"), body, search=False)
