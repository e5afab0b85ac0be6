"""The registries' language and facts as readers get them (issue 11): commune codes that no
YAML parser can read as numbers, the split communes' sourced notes, the reworded UI strings
and difficulty labels on the built pages and feeds, and Material's French strings as
corrected by overrides/partials/languages/fr.html."""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path

import jinja2
import lxml.html
import material
import pytest
import yaml
from bulletins.typography import typeset

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "site_config"
THEME = Path(material.__file__).parent / "templates"
OVERRIDE = REPO / "overrides" / "partials" / "languages" / "fr.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real content built once for this module, as an editors' preview (with
    BULLETINS_REPO_URL, so that Material writes its "edit this page" link)."""
    from bulletins.build import build_site

    before = os.environ.get("BULLETINS_REPO_URL")
    os.environ["BULLETINS_REPO_URL"] = "https://git.lang-son.example.org/bulletins/bulletins"
    try:
        site = tmp_path_factory.mktemp("editors") / "site"
        report = build_site(REPO, site)
    finally:
        if before is None:
            del os.environ["BULLETINS_REPO_URL"]
        else:
            os.environ["BULLETINS_REPO_URL"] = before
    assert not report.has_errors(), report.render()
    return site


def page(site: Path, url: str):
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def words(node) -> str:
    """Text with every run of whitespace (no-break spaces included) as one space."""
    return " ".join((node if isinstance(node, str) else node.text_content()).split())


def bulletin_pages(site: Path, lang: str) -> list[Path]:
    pages = sorted((site / lang / "bulletins").glob("*/index.html"))
    pages = [p for p in pages if p.parent.name != "page"]
    assert pages
    return pages


# --- communes.yml and people.yml -----------------------------------------------------------

def test_every_commune_code_is_a_quoted_string_in_the_source():
    """An unquoted 06196 is a string only by PyYAML's YAML 1.1 octal rules; YAML 1.2 (and
    many editors' language servers) read it as the number 6196."""
    lines = [line for line in (CONFIG / "communes.yml").read_text(encoding="utf-8").splitlines()
             if re.match(r"\s*code\s*:", line)]
    assert len(lines) == 65
    unquoted = [line for line in lines if not re.fullmatch(r"  code: (['\"])\d{5}\1", line)]
    assert unquoted == []
    codes = [c["code"] for c in yaml.safe_load((CONFIG / "communes.yml").read_text(encoding="utf-8"))]
    assert all(isinstance(c, str) and len(c) == 5 for c in codes) and len(set(codes)) == 65


def test_split_communes_carry_a_sourced_note_and_people_stay_flagged():
    communes = {c["id"]: c for c in yaml.safe_load((CONFIG / "communes.yml").read_text(encoding="utf-8"))}
    for cid, old in (("dinh-lap", ["Bính Xá"]), ("kien-moc", ["Bính Xá", "Kiên Mộc"]), ("chau-son", ["Kiên Mộc"])):
        entry = communes[cid]
        assert "uncertain" not in entry, cid
        assert "General Statistics Office" in entry["note"] and "split" in entry["note"], cid
        for name in old:
            assert f"Xã {name}" in entry["merged_from"] and name in entry["note"], (cid, name)
    assert not any(c.get("uncertain") for c in communes.values())
    people = {p["id"]: p for p in yaml.safe_load((CONFIG / "people.yml").read_text(encoding="utf-8"))}
    assert {pid for pid, p in people.items() if p.get("uncertain")} == {
        "duong-xuan-huyen", "nguyen-hoang-tung", "giap-thi-bac", "phung-quang-hoi"}
    assert {pid for pid, p in people.items() if p.get("name_guessed")} == {"giap-thi-bac", "phung-quang-hoi"}


# --- UI strings and difficulty labels on the built site ------------------------------------

def test_leader_answers_and_narrative_on_bulletin_pages(built):
    first = page(built, "vi/bulletins/2025-08-04-group-1")
    assert "Tổ trưởng" in [words(dt) for dt in first.cssselect("dl.b-facts dt")]
    cases = (("vi", "Liên quan đến khó khăn", "Nội dung", ("Trưởng đoàn", "Giải quyết khó khăn")),
             ("fr", "En réponse à", "Compte rendu", ("Répond à", "Récit")))
    for lang, answers, narrative, old in cases:
        texts = [words(lxml.html.fromstring(p.read_bytes())) for p in bulletin_pages(built, lang)]
        assert any(f"{answers}{':' if lang == 'vi' else ' :'}" in t for t in texts), lang
        assert all(narrative in t for t in texts), lang
        for t in texts:
            for gone in old:
                assert gone not in t, (lang, gone)


def test_subscribe_page_offers_the_opml_as_a_download(built):
    for lang, label in (("vi", "Tải danh sách tất cả nguồn tin (OPML)"), ("fr", "Télécharger tous les flux (OPML)")):
        links = [words(a) for a in page(built, f"{lang}/subscribe").cssselect('a[href$="feeds.opml"]')]
        assert label in links, (lang, links)
        assert "Importer" not in " ".join(links)


def test_group_feed_titles_name_the_group_once(built):
    vi = (built / "vi" / "groups" / "1" / "feed.xml").read_text(encoding="utf-8")
    title = re.search(r"<channel>\s*<title>([^<]*)</title>", vi).group(1)
    assert title == "Bản tin Tổ công tác số 1 của Ban Thường vụ Tỉnh ủy"
    description = re.search(r"<channel>.*?<description>([^<]*)</description>", vi, re.S).group(1)
    assert description.count("của") == 1, description
    fr = (built / "fr" / "groups" / "1" / "feed.xml").read_text(encoding="utf-8")
    title = re.search(r"<channel>\s*<title>([^<]*)</title>", fr).group(1)
    assert title == typeset("Bulletins du Groupe de travail n° 1 du Comité permanent du Comité provincial du Parti")


def test_french_names_the_party_committee_as_people_yml_does(built):
    home = page(built, "fr")
    assert "du Comité permanent du Comité provincial du Parti" in words(home.cssselect("p.b-lead")[0])
    group = page(built, "fr/groups/1")
    assert words(group.cssselect("h1")[0]) == words(typeset(
        "Groupe de travail n° 1 du Comité permanent du Comité provincial du Parti"))
    for path in (CONFIG / "ui.yml", CONFIG / "groups.yml"):
        assert "Parti provincial" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("tag, vi, fr", [
    ("funding", "Thiếu kinh phí", "Manque de fonds"),
    ("e-authentication", "Chưa có hướng dẫn xác thực điện tử", "Absence de règles sur l'authentification électronique"),
    ("staff-skills", "Năng lực cán bộ chưa đáp ứng yêu cầu", "Compétences du personnel insuffisantes"),
    ("facilities", "Cơ sở vật chất, trụ sở chưa đáp ứng yêu cầu", "Locaux et installations insuffisants"),
])
def test_difficulty_labels_read_as_problems(built, tag, vi, fr):
    assert words(page(built, f"vi/difficulties/{tag}").cssselect("h1")[0]) == vi
    assert words(page(built, f"fr/difficulties/{tag}").cssselect("h1")[0]) == words(typeset(fr))


def test_no_difficulty_label_stops_at_chua_dap_ung():
    for tag in yaml.safe_load((CONFIG / "difficulties.yml").read_text(encoding="utf-8")):
        assert not tag["label"]["vi"].endswith("chưa đáp ứng"), tag["id"]


# --- Material's French strings ---------------------------------------------------------------

def _strings(path: Path) -> dict[str, str]:
    """The dict literal of a Material language partial ({% macro t(key) %}{{ {...}[key] }})."""
    body = re.search(r"\{\{ (\{.*\})\[key\] \}\}", path.read_text(encoding="utf-8"), re.S).group(1)
    return ast.literal_eval(body)


CORRECTED = {
    "action.edit": "Modifier cette page",
    "announce.dismiss": "Ne plus afficher ce message",
    "blog.archive": "Archives",
    "blog.continue": "Lire la suite",
    "blog.meta": "Métadonnées",
    "clipboard.copy": "Copier dans le presse-papiers",
    "clipboard.copied": "Copié dans le presse-papiers",
    "search.result.placeholder": "Saisissez votre recherche",
    "search.result.more.one": "1 autre résultat sur cette page",
    "search.result.more.other": "# autres résultats sur cette page",
}


def test_override_is_the_themes_french_but_for_the_corrections():
    """On a Material upgrade this fails where the theme's French changed: re-copy it."""
    theme, ours = _strings(THEME / "partials" / "languages" / "fr.html"), _strings(OVERRIDE)
    assert set(ours) == set(theme) | {"blog.authors"}
    for key, value in theme.items():
        assert ours[key] == CORRECTED.get(key, value), key
    assert all(theme[key] != value for key, value in CORRECTED.items())


def test_theme_resolves_the_corrected_strings_through_its_own_import():
    """Material's partials/language.html imports partials/languages/<language>.html; with
    custom_dir first on the template path, ours is the one it finds."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(REPO / "overrides"), str(THEME)]))
    template = env.from_string('{% import "partials/language.html" as lang with context %}'
                               '{{ lang.t("action.edit") }}|{{ lang.t("search.reset") }}|{{ lang.t("language") }}')
    assert template.render(config={"theme": {"language": "fr"}}) == "Modifier cette page|Effacer|fr"
    assert template.render(config={"theme": {"language": "vi"}}).endswith("|vi")


def test_french_pages_carry_the_corrected_material_strings(built):
    doc = page(built, "fr/bulletins/2025-08-04-group-1")
    assert [a.get("title") for a in doc.cssselect('a[rel="edit"]')] == ["Modifier cette page"]
    translations = json.loads(doc.cssselect("script#__config")[0].text)["translations"]
    assert translations["clipboard.copy"] == "Copier dans le presse-papiers"
    search = (built / "fr" / "search" / "index.html").read_text(encoding="utf-8")
    assert "Effacer" in search
    for path in (built / "fr").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert "Editer cette page" not in html and "Nettoyer" not in html, path
    vi = page(built, "vi/bulletins/2025-08-04-group-1")
    assert "Modifier cette page" not in lxml.html.tostring(vi, encoding="unicode")
