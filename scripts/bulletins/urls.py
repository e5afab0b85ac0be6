"""The site's permanent URLs, relative to the site root. Readers and feed subscribers
rely on them: change none. The same path after the language prefix is the same page in
the other language."""

from __future__ import annotations


def home(lang: str) -> str:
    return f"{lang}/"


def bulletin(lang: str, ident: str) -> str:
    return f"{lang}/bulletins/{ident}/"


def paged(section_url: str, page: int) -> str:
    """Page ``page`` of a list that grows without bound: ``.../page/2/`` and on."""
    return section_url if page == 1 else f"{section_url}page/{page}/"


def archive(lang: str, page: int = 1) -> str:
    return paged(f"{lang}/bulletins/", page)


def communes(lang: str) -> str:
    return f"{lang}/communes/"


def commune(lang: str, slug: str) -> str:
    return f"{lang}/communes/{slug}/"


def difficulties(lang: str) -> str:
    return f"{lang}/difficulties/"


def difficulty(lang: str, tag: str) -> str:
    return f"{lang}/difficulties/{tag}/"


def groups(lang: str) -> str:
    return f"{lang}/groups/"


def group(lang: str, number: int) -> str:
    return f"{lang}/groups/{number}/"


def follow_ups(lang: str) -> str:
    return f"{lang}/follow-ups/"


def subscribe(lang: str) -> str:
    return f"{lang}/subscribe/"


def search(lang: str) -> str:
    return f"{lang}/search/"


def static_page(lang: str, ident: str) -> str:
    return f"{lang}/{ident}/"


def rss(section_url: str) -> str:
    """The RSS feed of a section (``vi/`` or ``vi/communes/ky-lua/``)."""
    return f"{section_url}feed.xml"


def atom(section_url: str) -> str:
    return f"{section_url}atom.xml"


def opml(lang: str) -> str:
    return f"{lang}/feeds.opml"


def other_language(lang: str) -> str:
    return "fr" if lang == "vi" else "vi"


def swap_language(url: str, lang: str) -> str:
    """The same page in ``lang``: only the first path segment changes."""
    return lang + url[url.index("/"):]
