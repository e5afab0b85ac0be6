"""A minimal valid project for checker tests: the repository's registries and schema plus
one small bulletin pair written here, so that tests do not depend on the seed's text.

Line numbers of the pair (both languages have the same layout):

     1 ---                           16   - tag
     2 date                          17     communes
     3 group                         18     text
     4 leader                        19 recommendations:
     5 participants                  20   - id (r-1)
     6 communes                      21     text
     7 inspected                     22     communes
     8 title                         23     tags
     9 summary                       24 directives:
    10 figures:                      25   - id (d-1)
    11   - label                     26     text
    12     value                     27 source
    13     approximate               28 ---
    14     communes                  29 (blank)
    15 difficulties:                 30 body
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ID = "2025-08-04-group-1"
VI = f"content/bulletins/{ID}.vi.md"
FR = f"content/bulletins/{ID}.fr.md"

_FRONT = """\
---
date: 2025-08-04
group: 1
leader: hoang-van-nghiem
participants: [phung-quang-hoi]
communes: [dong-kinh, ky-lua, tam-thanh]
inspected: [ky-lua]
title: "{title}"
summary: "{summary}"
figures:
  - label: "{label}"
    value: 6600
    approximate: true
    communes: [dong-kinh, ky-lua]
difficulties:
  - tag: dispersed-headquarters
    communes: [tam-thanh]
    text: "{difficulty}"
recommendations:
  - id: r-1
    text: "{recommendation}"
    communes: [tam-thanh]
    tags: [dispersed-headquarters]
directives:
  - id: d-1
    text: "{directive}"
source: "https://baolangson.vn/to-cong-tac-so-1-5055059.html"
---

{body}
"""

TEXTS = {
    "vi": dict(
        title="Tổ công tác số 1 làm việc với ba phường",
        summary="Bộ máy mới vận hành thông suốt, hiệu quả.",
        label="hồ sơ thủ tục hành chính tiếp nhận trong một tháng",
        difficulty="Trụ sở phường Tam Thanh bố trí ở nhiều địa điểm.",
        recommendation="Đầu tư xây dựng trụ sở tập trung của phường Tam Thanh.",
        directive="Khẩn trương xây dựng chương trình hành động.",
        body="Sáng 4/8, Tổ công tác số 1 làm việc với ba phường Đông Kinh, Kỳ Lừa và Tam Thanh.",
    ),
    "fr": dict(
        title="Le groupe de travail n° 1 rencontre trois quartiers",
        summary="Le nouvel appareil fonctionne de manière fluide et efficace.",
        label="dossiers administratifs reçus en un mois",
        difficulty="Le siège du quartier de Tam Thanh est réparti sur plusieurs sites.",
        recommendation="Investir dans la construction du siège central de Tam Thanh.",
        directive="Élaborer d'urgence les programmes d'action.",
        body="Le matin du 4 août, le groupe de travail n° 1 a rencontré les quartiers Đông Kinh, Kỳ Lừa et Tam Thanh.",
    ),
}


def bulletin_text(lang: str) -> str:
    return _FRONT.format(**TEXTS[lang])


# The repository's site.yml names no publisher yet (the checker warns): the minimal project
# names a made-up one, so that it checks clean. Not a real agency, phone or address.
PUBLISHER = """\
publisher: {vi: "Cơ quan ví dụ", fr: "Organisme d'exemple"}
contact:
  phone: "+84 00 0000 0000"
  email: "contact@example.org"
"""


def make_project(root: Path) -> Path:
    """Copy site_config/ and schema/ from the repository, name a publisher and write the valid pair."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "site_config", root / "site_config")
    shutil.copytree(REPO / "schema", root / "schema")
    site = root / "site_config" / "site.yml"
    site.write_text(PUBLISHER + site.read_text(encoding="utf-8"), encoding="utf-8")
    folder = root / "content" / "bulletins"
    folder.mkdir(parents=True)
    for lang in ("vi", "fr"):
        (folder / f"{ID}.{lang}.md").write_text(bulletin_text(lang), encoding="utf-8")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``rel`` (failing loudly if it is not there once)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_both(root: Path, old: str, new: str) -> None:
    for rel in (VI, FR):
        edit(root, rel, old, new)


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


# --- the real project plus later bulletins that follow up its items (issue 13) -----------------

FOLLOW_UP_FIXTURES = REPO / "tests" / "data" / "follow_ups"  # what each follows up: its README.md
PROJECT_PARTS = ("content", "site_config", "schema", "overrides", "mkdocs.yml", "mkdocs.fr.yml")


def follow_up_project(root: Path) -> Path:
    """Copy the repository's project (content, registries, schema, theme overrides, MkDocs
    configurations) to ``root`` and add the fixture bulletins of tests/data/follow_ups/:
    2025-10-02-group-3 (group 3's d-16 in progress) and 2025-11-15-group-1 (d-16 done on
    2025-11-10, group 1's r-6 done, group 2's d-2 declined). Returns ``root``; it checks clean
    but for the repository's 'no publisher' warning."""
    root.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / part)
    for path in sorted(FOLLOW_UP_FIXTURES.glob("*.??.md")):
        shutil.copy(path, root / "content" / "bulletins" / path.name)
    return root
