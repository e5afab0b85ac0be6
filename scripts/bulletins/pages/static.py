"""Static pages from content/pages: an editor's narrative under its title."""

from __future__ import annotations

from .. import urls
from .base import Context, PageDoc


def static(ctx: Context, source) -> PageDoc:
    page = ctx.at(urls.static_page(ctx.lang, source.id))
    body = page.titled(source.title[ctx.lang])
    body.narrative(ctx.narratives.convert(source.body[ctx.lang], ctx.lang, reserved=body.ids))
    return page.make(source.title[ctx.lang], body, edit=source.paths[ctx.lang],
                     alternate_missing=ctx.other not in source.title)
