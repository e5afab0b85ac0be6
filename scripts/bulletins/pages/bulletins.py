"""A bulletin's page, and the archive of every bulletin."""

from __future__ import annotations

from .. import facts, urls
from ..html import html
from ..model import Bulletin
from ..search_index import search_data
from .base import Context, PageDoc, numbered_title, paginated

PER_PAGE = 20  # bulletins per page of an archive or a group's list, visits per page of a commune


def bulletin(ctx: Context, b: Bulletin) -> PageDoc:
    lang = ctx.lang
    page = ctx.at(urls.bulletin(lang, b.id))
    body = page.titled(b.title[lang])
    body.add(html('<p class="b-lead">{}</p>', b.summary[lang]), facts.details(b, page.words))
    for section in facts.sections(b, page.words):
        body.heading(2, section.title, section.id).add(section.html)
    body.heading(2, page.t("narrative"), "narrative")
    body.narrative(ctx.narratives.convert(b.body[lang], lang, reserved=body.ids))
    body.add(facts.source(b, page.words))
    body.add(search_data(page, body, bulletins=[b], about=[ctx.reg.communes[c].name_vi for c in b.communes]))
    return page.make(b.title[lang], body, description=b.summary[lang], edit=b.paths[lang],
                     alternate_missing=ctx.other not in b.title, updated=b.last_modified)


def archive(ctx: Context) -> list[PageDoc]:
    out = []
    for number, page, chunk, pager in paginated(ctx, urls.archive(ctx.lang), ctx.site.bulletins, PER_PAGE):
        title = numbered_title(ctx, page.t("all_bulletins"), number)
        out.append(page.make(title, page.titled(title).add(page.bulletin_list(chunk), pager), search=False))
    return out
