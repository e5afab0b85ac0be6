"""Small HTML builders for generated pages and feeds: escaping and relative links.

Generated pages are Markdown documents whose structured parts are raw HTML blocks, so
every text from content or registries passes through :func:`esc` exactly once."""

from __future__ import annotations

import functools
import html
import posixpath


def esc(text) -> str:
    return html.escape(str(text), quote=True)


@functools.lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    """Link from page ``from_url`` to ``to_url`` (both site-root-relative, pages end in '/')."""
    target = posixpath.relpath(to_url or ".", from_url or ".")
    if to_url.endswith("/") and not target.endswith("/"):
        target = "./" if target == "." else target + "/"
    return target


def a(href: str, text: str, **attrs) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def ul(items, cls: str | None = None) -> str:
    items = list(items)
    if not items:
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
