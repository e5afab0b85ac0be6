"""Pages: the model and its index → what to render, in which language, at which URL.

One module per page kind, each a function of the language's :class:`Context` that
writes its pages through a :class:`Page` made for the page's own URL (the explicit
linker), so each kind can be read and tested alone. Nothing here knows about MkDocs."""

from __future__ import annotations

from collections.abc import Iterator

from ..cache import Store, bulletin_digests
from ..index import SiteIndex
from ..model import Site
from ..narrative import NarrativeConverter
from .about import ABOUT_ID, about
from .base import Context, PageDoc, PageEntry
from .bulletins import PER_PAGE, archive, bulletin
from .communes import commune, communes
from .difficulties import OCCURRENCES_PER_PAGE, difficulties, difficulty
from .follow_ups import follow_ups
from .groups import group, groups
from .home import home
from .search import search_page, search_parts
from .static import static
from .subscribe import subscribe

__all__ = ["OCCURRENCES_PER_PAGE", "PER_PAGE", "Context", "PageDoc", "PageEntry", "build_pages", "search_parts"]


def build_pages(site: Site, index: SiteIndex, lang: str, feeds: list[tuple[str, str, str]],
                store: Store | None = None, digests: dict[str, str] | None = None) -> Iterator[PageDoc]:
    """Every page of one language, one at a time: the renderer writes each away as it
    comes, and never holds them all (at 10,000 bulletins they are 440 million characters
    of HTML per language). Narratives, bulletin pages and parts of lists are read from
    ``store`` when an earlier build made them from the same values (``digests``: each
    bulletin's cache.fingerprint, made here if not given)."""
    if store is not None and digests is None:
        digests = bulletin_digests(site.bulletins)
    ctx = Context(site, index, lang, feeds, NarrativeConverter(store), store, digests or {})
    reg = site.registry
    yield from (home(ctx), subscribe(ctx), search_page(ctx))
    yield from (bulletin(ctx, b) for b in site.bulletins if lang in b.title)
    yield from archive(ctx)
    yield communes(ctx)
    yield from (page for cid in reg.communes for page in commune(ctx, cid))
    yield difficulties(ctx)
    yield from (page for tag in reg.tags for page in difficulty(ctx, tag))
    yield from follow_ups(ctx)
    yield groups(ctx)
    yield from (page for n in reg.groups for page in group(ctx, n))
    yield from (static(ctx, p) for p in site.pages if lang in p.title and p.id != ABOUT_ID)
    yield about(ctx)  # its introduction is content/pages/about.<lang>.md, when there is one
