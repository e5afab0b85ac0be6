"""Pages: the model and its index → what to render, in which language, at which URL.

One module per page kind, each a function of the language's :class:`Context` that
writes its pages through a :class:`Page` made for the page's own URL (the explicit
linker), so each kind can be read and tested alone. Nothing here knows about MkDocs."""

from __future__ import annotations

from ..cache import Store, bulletin_digests
from ..index import SiteIndex
from ..model import Site
from ..narrative import NarrativeConverter
from .about import ABOUT_ID, about
from .base import Context, PageDoc
from .bulletins import PER_PAGE, archive, bulletin
from .communes import commune, communes
from .difficulties import OCCURRENCES_PER_PAGE, difficulties, difficulty
from .follow_ups import follow_ups
from .groups import group, groups
from .home import home
from .search import search_page, search_parts
from .static import static
from .subscribe import subscribe

__all__ = ["OCCURRENCES_PER_PAGE", "PER_PAGE", "Context", "PageDoc", "build_pages", "search_parts"]


def build_pages(site: Site, index: SiteIndex, lang: str, feeds: list[tuple[str, str, str]],
                store: Store | None = None, digests: dict[str, str] | None = None) -> list[PageDoc]:
    """Every page of one language; narratives, bulletin pages and parts of lists read from
    ``store`` when an earlier build made them from the same values (``digests``: each
    bulletin's cache.fingerprint, made here if not given)."""
    if store is not None and digests is None:
        digests = bulletin_digests(site.bulletins)
    ctx = Context(site, index, lang, feeds, NarrativeConverter(store), store, digests or {})
    reg = site.registry
    out = [home(ctx), subscribe(ctx), search_page(ctx)]
    out += [bulletin(ctx, b) for b in site.bulletins if lang in b.title]
    out += archive(ctx)
    out.append(communes(ctx))
    out += [page for cid in reg.communes for page in commune(ctx, cid)]
    out.append(difficulties(ctx))
    out += [page for tag in reg.tags for page in difficulty(ctx, tag)]
    out += follow_ups(ctx)
    out.append(groups(ctx))
    out += [page for n in reg.groups for page in group(ctx, n)]
    out += [static(ctx, p) for p in site.pages if lang in p.title and p.id != ABOUT_ID]
    out.append(about(ctx))  # its introduction is content/pages/about.<lang>.md, when there is one
    return out
