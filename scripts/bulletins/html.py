"""The one boundary where text becomes HTML.

Text from content and registries (titles, summaries, labels, names, UI strings) is
plain text. It becomes HTML only here, through markupsafe (the escaping library that
Jinja2 ships): :func:`html` fills a trusted template written in this package, escaping
every argument that is not already :class:`Markup`; :func:`a`, :func:`ul` and
:func:`join` do the same for links and lists. Forgetting to escape therefore fails
safe: a plain ``str`` passed anywhere here is escaped, never pasted. Editors' HTML
(the Markdown narrative) reaches a page only through :mod:`bulletins.narrative`'s
allow-list sanitizer, which returns Markup."""

from __future__ import annotations

import functools
import json
import string

from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "html", "join", "a", "ul", "text", "relative", "script_json"]


@functools.lru_cache(maxsize=4096)
def _fields(template: str) -> tuple[tuple[str, int | str | None], ...]:
    """The template as (literal text, field) pairs; a field is a position or a name."""
    parts, position = [], 0
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if spec or conversion:
            raise ValueError(f"html(): format specs and conversions are not supported: {template!r}")
        if field == "":
            field, position = position, position + 1
        elif field is not None and field.isdigit():
            field = int(field)
        parts.append((literal, field))
    return tuple(parts)


def html(template: str, *args, **kwargs) -> Markup:
    """``template`` (markup written in this package, never content) with ``{}`` fields
    filled by the arguments, each escaped unless it is Markup. What ``Markup(template)
    .format()`` does, for the subset of the syntax used here, five times faster (a site
    of 10,000 bulletins fills millions of fields)."""
    out = []
    for literal, field in _fields(template):
        out.append(literal)
        if field is not None:
            out.append(escape(args[field] if isinstance(field, int) else kwargs[field]))
    return Markup("".join(out))


def join(separator: str, items) -> Markup:
    """The items joined by ``separator`` (trusted markup), each escaped unless Markup."""
    return Markup(separator).join(items)


def text(value) -> str:
    """``value`` as escaped HTML text, for the templates, which print what they are
    given as is (the theme's Jinja environment does not autoescape)."""
    return str(escape(value))


def script_json(value) -> Markup:
    """``value`` as a JavaScript literal safe inside ``<script>``: JSON with '<', '>' and
    '&' as escapes, so no text can close the script or open a comment."""
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _attributes(attrs: dict) -> Markup:
    return join("", (html(' {}="{}"', name.rstrip("_").replace("_", "-"), value)
                     for name, value in attrs.items() if value is not None))


def a(href: str, label, **attrs) -> Markup:
    """A link; ``href`` comes from this package's URL scheme (urls.py), never content."""
    return html('<a href="{}"{}>{}</a>', href, _attributes(attrs), label)


def ul(items, cls: str | None = None) -> Markup:
    items = list(items)
    if not items:
        return Markup("")
    return html("<ul{}>{}</ul>", _attributes({"class": cls}), join("", (html("<li>{}</li>", i) for i in items)))


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
