"""The about page, /<lang>/about/: the editors' introduction (content/pages/about.<lang>.md,
when there is one), then the site's public face from site_config/site.yml: publisher,
contact, legal notice, sources, accessibility statement and privacy note. Each fact has
one source: who publishes and how to reach them are in site.yml, and each bulletin links
the article it reports on (its ``source``), which this page does not repeat: a list of
every article cited would grow with the archive. The footer links to these sections
(:data:`SECTIONS`)."""

from __future__ import annotations

from .. import urls
from ..html import Markup, a, html, join, text
from ..model import Contact
from .base import Context, PageDoc

ABOUT_ID = "about"
# (heading id, UI string) of each section, in page order (as about() writes them); the footer links to each.
SECTIONS = (("publisher", "about_publisher"), ("contact", "about_contact"), ("legal-notice", "about_legal"),
            ("sources", "about_sources"), ("accessibility", "about_accessibility"), ("privacy", "about_privacy"))


def paragraphs(texts) -> Markup:
    return join("\n", (html("<p>{}</p>", text) for text in texts))


def contact_rows(ctx: Context, contact: Contact | None) -> list[tuple[str, str, str]]:
    """(label, value, link or '') of each line of the contact, phone and email first: a
    reader on a phone calls or writes from the page. Links are tel:, mailto: or the web
    address when it is http(s) (the schema allows no other)."""
    if contact is None:
        return []
    rows = []
    if contact.phone:
        rows.append((ctx.t("contact_phone"), contact.phone,
                     "tel:" + "".join(c for c in contact.phone if c in "+0123456789")))
    if contact.email:
        rows.append((ctx.t("contact_email"), contact.email, "mailto:" + contact.email))
    if contact.web:
        rows.append((ctx.t("contact_web"), contact.web,
                     contact.web if contact.web.startswith(("https://", "http://")) else ""))
    if contact.address:
        rows.append((ctx.t("contact_address"), contact.address[ctx.lang], ""))
    return rows


def about(ctx: Context) -> PageDoc:
    lang, info = ctx.lang, ctx.reg.site
    source = next((p for p in ctx.site.pages if p.id == ABOUT_ID), None)
    intro = source if source is not None and lang in source.title else None
    title = intro.title[lang] if intro else ctx.t("about")
    page = ctx.at(urls.static_page(lang, ABOUT_ID))
    body = page.titled(title)
    if intro:
        reserved = body.ids | {ident for ident, _ in SECTIONS}
        body.narrative(ctx.narratives.convert(intro.body[lang], lang, reserved=reserved))
    if info is None:  # site.yml did not load: the build stops on that error before rendering
        return page.make(title, body)
    body.heading(2, page.t("about_publisher"), "publisher")
    body.add(html("<p>{}</p>", info.publisher[lang]) if info.publisher
             else html('<p class="b-empty">{}</p>', info.no_publisher[lang]))

    body.heading(2, page.t("about_contact"), "contact")
    rows = contact_rows(ctx, info.contact)
    if rows:
        body.add(html('<dl class="b-facts b-contact">{}</dl>', join("", (
            html("<dt>{}</dt><dd>{}</dd>", label, a(href, value) if href else value)
            for label, value, href in rows))))
    else:
        body.add(html('<p class="b-empty">{}</p>', info.no_contact[lang]))

    body.heading(2, page.t("about_legal"), "legal-notice")
    body.add(paragraphs(info.legal_notice[lang]))

    body.heading(2, page.t("about_sources"), "sources")
    body.add(paragraphs(info.sources[lang]))

    body.heading(2, page.t("about_accessibility"), "accessibility")
    body.add(paragraphs(info.accessibility[lang]))
    body.add(html("<p>{}</p>", page.t("about_report")) if rows
             else html('<p class="b-empty">{}</p>', info.no_contact[lang]))

    body.heading(2, page.t("about_privacy"), "privacy")
    body.add(paragraphs(info.privacy[lang]))
    return page.make(title, body, edit=intro.paths[lang] if intro else None)


def footer(ctx: Context, about_page: PageDoc) -> dict:
    """What the footer of every page of the language prints (overrides/partials/copyright.html):
    the publisher and its contact when site.yml names them, and links to the about page
    and its sections. Every text is escaped here, once (the theme prints it as it is); the
    template makes ``about`` relative to the page, as the nav's links are."""
    info = ctx.reg.site
    publisher = info.publisher[ctx.lang] if info and info.publisher else ""
    links = [{"id": "", "label": text(about_page.title)}]
    links += [{"id": "#" + ident, "label": text(ctx.t(key))} for ident, key in SECTIONS if ident != "publisher"]
    return {
        "label": text(ctx.t("footer_label")),
        "publisher": text(publisher),
        "contact": [{"label": text(label), "value": text(value), "href": text(href)}
                    for label, value, href in contact_rows(ctx, info.contact if info else None)],
        "colon": text(ctx.t("colon")),
        "about": about_page.url[len(ctx.lang) + 1:],
        "links": links,
    }
