"""Small HTML builders for generated pages and feeds: escaping and relative links.

Generated pages are Markdown documents whose structured parts are raw HTML blocks, so
every text from content or registries passes through :func:`esc` exactly once."""

from __future__ import annotations

import functools
import html


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def _segments(url: str) -> list[str]:
    return [part for part in url.split("/") if part and part != "."]


@functools.lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    """Link from page ``from_url`` to ``to_url`` (both site-root-relative, pages end in
    '/'). What ``posixpath.relpath`` computes, without its trips to the file system's
    current folder: a 10,000-bulletin site asks for a million links."""
    start, target = _segments(from_url), _segments(to_url)
    common = 0
    while common < len(start) and common < len(target) and start[common] == target[common]:
        common += 1
    link = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    if to_url.endswith("/") and not link.endswith("/"):
        link = "./" if link == "." else link + "/"
    return link


def a(href: str, text: str, **attrs) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def ul(items, cls: str | None = None) -> str:
    items = list(items)
    if not items:
        return ""
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
