"""French typography, applied by the build to every French text that reaches a page, a
feed or the search index: content, registries and UI strings alike. Editors type
ordinary spaces; readers get the spaces French typesetting requires, which never let a
line start with ':' or '»', nor split "n° 1" or "6 600":

- a narrow no-break space (U+202F) before ';', '!', '?', after '«' and before '»';
- a no-break space (U+00A0) before ':' and after "n°";
- a narrow no-break space between the groups of digits of a number ("6 600"), as
  Babel's French number format writes it, so figures and text agree;
- '...' becomes '…'.

Only spaces the editor typed are changed (none is added where there was none), so
URLs, times ("10:30") and character references ("&amp;") are never touched. Editors'
HTML is typeset in its text, never inside tags, code or preformatted blocks."""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup

from .model import Bulletin, Registry, Site, SiteInfo, Tag, Title

NNBSP, NBSP = "\u202f", "\u00a0"
_RULES = [
    (re.compile(r"[ \t\u00a0\u202f]+([;!?])"), NNBSP + r"\1"),
    (re.compile(r"[ \t\u00a0\u202f]+:"), NBSP + ":"),
    (re.compile(r"«[ \t\u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \t\u00a0\u202f]*»"), NNBSP + "»"),
    (re.compile(r"\b([nN]°)[ \t\u00a0\u202f]+"), r"\1" + NBSP),
    (re.compile(r"\.\.\."), "…"),
]
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])(\d{1,3})(?: \d{3})+(?![\d])")


def typeset(text: str) -> str:
    """French plain text with the no-break spaces of French typography."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    # "1 234 567": every group, not only the first two
    return _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(" ", NNBSP), text)


_TAG = re.compile(r"(<[^>]*>)")
_RAW = {"code", "pre", "kbd", "samp", "script", "style"}


def typeset_html(fragment: Markup) -> Markup:
    """Sanitized HTML with its text typeset (not its tags, code or preformatted text)."""
    out, raw = [], 0
    for part in _TAG.split(fragment):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in _RAW and not part.endswith("/>"):
                raw += -1 if part.startswith("</") else 1
            out.append(part)
        else:
            out.append(part if raw > 0 else typeset(part))
    return Markup("".join(out))


def _text(text: dict, lang: str = "fr") -> dict:
    return {**text, lang: typeset(text[lang])} if lang in text else text


def _title(t: Title) -> Title:
    return dataclasses.replace(t, text=_text(t.text))


def _site_info(info: SiteInfo | None) -> SiteInfo | None:
    if info is None:
        return None

    def paragraphs(texts: dict) -> dict:
        return {**texts, "fr": tuple(typeset(p) for p in texts["fr"])}

    contact = info.contact
    if contact and contact.address:
        contact = dataclasses.replace(contact, address=_text(contact.address))
    return dataclasses.replace(
        info, legal_notice=paragraphs(info.legal_notice), sources=paragraphs(info.sources),
        accessibility=paragraphs(info.accessibility), privacy=paragraphs(info.privacy),
        no_publisher=_text(info.no_publisher), no_contact=_text(info.no_contact),
        publisher=_text(info.publisher) if info.publisher else None, contact=contact)


def _registry(reg: Registry) -> Registry:
    return dataclasses.replace(
        reg,
        site=_site_info(reg.site),
        groups={n: dataclasses.replace(g, name=_text(g.name)) for n, g in reg.groups.items()},
        tags={i: Tag(t.id, _text(t.label), _text(t.definition)) for i, t in reg.tags.items()},
        people={i: dataclasses.replace(p, titles=tuple(_title(t) for t in p.titles))
                for i, p in reg.people.items()},
        ui={key: _text(value) for key, value in reg.ui.items()},
    )


def _bulletin(b: Bulletin) -> Bulletin:
    return dataclasses.replace(
        b, title=_text(b.title), summary=_text(b.summary),
        figures=[dataclasses.replace(f, label=_text(f.label)) for f in b.figures],
        difficulties=[dataclasses.replace(d, text=_text(d.text)) for d in b.difficulties],
        recommendations=[dataclasses.replace(x, text=_text(x.text)) for x in b.recommendations],
        directives=[dataclasses.replace(x, text=_text(x.text)) for x in b.directives],
    )


def typeset_site(site: Site) -> Site:
    """The site with every French plain text typeset (bodies are Markdown: they are
    typeset after conversion, see narrative.py). The checked site is left as it is."""
    return Site(_registry(site.registry), [_bulletin(b) for b in site.bulletins],
                [dataclasses.replace(p, title=_text(p.title)) for p in site.pages])
