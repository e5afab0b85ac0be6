"""axe-core WCAG 2.1 A/AA on the main page kinds, in both languages (issue 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "bulletins/2025-08-04-group-1/", "communes/dong-kinh/", "difficulties/dispersed-headquarters/",
         "communes/", "difficulties/"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("node_modules/axe-core missing (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["vi", "fr"])
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.strip("/") or "home")
def test_axe_wcag21_aa(browser, server, axe_source, lang, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}{lang}/{path}", wait_until="load")
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    finally:
        page.close()
    violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                   "nodes": [{"target": n["target"], "html": n["html"][:200], "summary": n.get("failureSummary", "")[:300]}
                             for n in v["nodes"][:5]]}
                  for v in result["violations"]]
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
