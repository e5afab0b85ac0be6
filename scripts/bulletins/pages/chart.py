"""The bar chart of the difficulties raised: static SVG, readable without JavaScript
and by screen readers, scaled to any width by its viewBox."""

from __future__ import annotations

from ..html import Markup, html, join

WIDTH, VALUE_ROOM, BAR_HEIGHT, LINE_HEIGHT = 360, 34, 12, 15
LABEL_CHARS = 48  # a label longer than this wraps onto a second line


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` characters, cut between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(bars: list[tuple[str, int]], title: str) -> Markup:
    """One bar per (label, value). Each label stands above its bar (wrapped when long),
    so the chart scales to any width and every value stays inside it."""
    top = max([n for _, n in bars] + [1])
    rows, y = [], 4
    for label_text, n in bars:
        lines = wrap(label_text, LABEL_CHARS)
        label = join("", (html('<tspan x="0" dy="{}">{}</tspan>', 0 if i == 0 else LINE_HEIGHT, line)
                          for i, line in enumerate(lines)))
        y += LINE_HEIGHT
        bar_y = y + (len(lines) - 1) * LINE_HEIGHT + 5
        width = round((WIDTH - VALUE_ROOM) * n / top, 1)
        rows.append(html('<text y="{}">{}</text><rect x="0" y="{}" width="{}" height="{}"></rect>'
                         '<text class="b-chart__n" x="{}" y="{}">{}</text>',
                         y, label, bar_y, width, BAR_HEIGHT, width + 5, bar_y + BAR_HEIGHT - 2, n))
        y = bar_y + BAR_HEIGHT + 10
    return html('<figure class="b-chart"><svg role="img" aria-labelledby="b-chart-title" viewBox="0 0 {} {}" '
                'xmlns="http://www.w3.org/2000/svg"><title id="b-chart-title">{}</title>{}</svg>'
                "<figcaption>{}</figcaption></figure>", WIDTH, y, title, join("", rows), title)
