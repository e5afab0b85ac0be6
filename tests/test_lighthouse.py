"""Lighthouse (npm, pinned 12.2.3) on the built site served on 127.0.0.1, with Debian's
Chromium and the mobile profile: accessibility, best practices and SEO each score at least
0.95 on the home page, a bulletin, a commune and the difficulties page, in both languages.

The eight runs go in parallel subprocesses (one Chromium each), once per module; each
page's test prints its scores (shown by ``pytest -s`` and in the ``-rA`` summary) and names
every audit below 1 in its message. The reports are kept in test-artifacts/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
CATEGORIES = ["accessibility", "best-practices", "seo"]
MINIMUM = 0.95
PAGES = {"home": "", "bulletin": "bulletins/2025-08-04-group-1/", "commune": "communes/ky-lua/",
         "difficulties": "difficulties/"}
LANGS = ["vi", "fr"]
PARALLEL = 4  # Chromiums at once: all eight on two cores time out


def lighthouse(url: str) -> dict:
    proc = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--form-factor=mobile",
         "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=--headless=new --no-sandbox"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=240)
    if proc.returncode != 0:
        return {"runtimeError": {"code": f"exit {proc.returncode}", "message": proc.stderr[-2000:]}}
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def reports(server) -> dict[tuple[str, str], dict]:
    if not LIGHTHOUSE.is_file():
        pytest.skip("node_modules/.bin/lighthouse missing (npm ci)")
    if not Path(CHROMIUM).exists() or not shutil.which("node"):
        pytest.skip("Lighthouse needs node and /usr/bin/chromium")
    keys = [(lang, kind) for lang in LANGS for kind in PAGES]
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = pool.map(lambda key: lighthouse(f"{server}{key[0]}/{PAGES[key[1]]}"), keys)
        found = dict(zip(keys, results))
    ARTIFACTS.mkdir(exist_ok=True)
    for (lang, kind), report in found.items():
        (ARTIFACTS / f"lighthouse-{lang}-{kind}.json").write_text(json.dumps(report, ensure_ascii=False))
    return found


def below_one(report: dict) -> list[str]:
    """The audits that cost points: "category/audit-id score: title"."""
    out = []
    for cid, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                out.append(f"{cid}/{ref['id']} {audit['score']}: {audit['title']}")
    return out


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_lighthouse_scores(reports, lang, kind):
    report = reports[(lang, kind)]
    assert not report.get("runtimeError"), report.get("runtimeError")
    scores = {cid: report["categories"][cid]["score"] for cid in CATEGORIES}
    line = f"lighthouse {lang}/{PAGES[kind]} ({kind}): " + ", ".join(f"{c} {s:.2f}" for c, s in scores.items())
    print(line)
    assert all(s >= MINIMUM for s in scores.values()), "\n".join([line, *below_one(report)])
