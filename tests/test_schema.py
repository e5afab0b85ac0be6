"""The published JSON Schema (schema/bulletin.schema.json) is current, accepts the seed,
and rejects the structural mistakes the checker rejects: editors' YAML language servers
and `bulletins check` agree."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from bulletins.cli import main
from bulletins.diagnostics import Report
from bulletins.load import BULLETIN_NAME, content_files, load_document
from bulletins.project import load_site
from bulletins.schema import bulletin_schema
from checker_project import FR, REPO, VI, edit, make_project

SCHEMA_FILE = REPO / "schema" / "bulletin.schema.json"


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def front_matter(path: Path, root: Path):
    """The front matter as the checker reads it (dates stay strings)."""
    report = Report()
    raw = load_document(path, str(path.relative_to(root)), BULLETIN_NAME, report)
    assert raw is not None and raw.front is not None, [d.format() for d in report.items]
    return raw.front.value


def test_committed_schema_is_what_bulletins_schema_generates(capsys):
    report = Report()
    site = load_site(REPO, report)
    # nothing but the warnings --strict leaves (site.yml names no publisher yet)
    assert not [d for d in report.items if d.path.startswith("site_config/") and d.escalates]
    generated = bulletin_schema(site.registry)
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(text) == generated
    assert text == json.dumps(generated, ensure_ascii=False, indent=2) + "\n"
    assert main(["--root", str(REPO), "schema", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_schema_check_notices_a_stale_file(tmp_path, capsys):
    root = make_project(tmp_path / "p")
    edit(root, "site_config/difficulties.yml", "- id: roads\n", "- id: road-works\n")
    assert main(["--root", str(root), "schema", "--check"]) == 1
    assert main(["--root", str(root), "schema"]) == 0
    assert main(["--root", str(root), "schema", "--check"]) == 0
    assert "road-works" in json.loads((root / "schema/bulletin.schema.json").read_text())["$defs"]["tag"]["enum"]


SEED = content_files(REPO / "content" / "bulletins")


def test_there_is_a_seed():
    assert len([p for p in SEED if p.name.endswith(".md")]) >= 2


@pytest.mark.parametrize("path", SEED, ids=[p.name for p in SEED])
def test_seed_front_matter_validates_against_the_schema(path):
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(schema).iter_errors(front_matter(path, REPO))]
    assert errors == []


def test_helper_bulletin_validates_against_the_schema(tmp_path):
    root = make_project(tmp_path / "p")
    schema = json.loads((root / "schema/bulletin.schema.json").read_text(encoding="utf-8"))
    for rel in (VI, FR):
        assert list(validator(schema).iter_errors(front_matter(root / rel, root))) == []


# Structural mistakes: (name, old, new, substring of the checker's message).
STRUCTURAL = [
    ("unknown_field", "group: 1\n", "group: 1\ncommune: [dong-kinh]\n", "unknown field 'commune'"),
    ("misspelt_field", 'summary: "', 'sumary: "', "unknown field 'sumary'"),
    ("group_as_text", "group: 1\n", 'group: "1"\n', "group must be a whole number"),
    ("communes_as_string", "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: dong-kinh", "communes must be a list"),
    ("value_with_space", "value: 6600", "value: 6 600", "figures[0].value must be a number"),
    ("approximate_as_text", "approximate: true", 'approximate: "yes"', "approximate must be true or false"),
    ("unknown_commune", "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,", "unknown commune 'ky-lau'"),
    ("unknown_group", "group: 1\n", "group: 99\n", "unknown working group '99'"),
    ("unknown_person", "leader: hoang-van-nghiem", "leader: hoang-van-ngiem", "unknown person 'hoang-van-ngiem'"),
    ("unknown_tag", "  - tag: dispersed-headquarters", "  - tag: dispersed-hq", "unknown difficulty tag 'dispersed-hq'"),
    ("missing_leader", "leader: hoang-van-nghiem\n", "", "missing required field 'leader'"),
    ("missing_title", 'title: "Tổ công tác số 1 làm việc với ba phường"\n', "", "missing required field 'title'"),
    ("date_month_13", "date: 2025-08-04", "date: 2025-13-01", "invalid date '2025-13-01'"),
    ("date_february_30", "date: 2025-08-04", "date: 2025-02-30", "invalid date '2025-02-30'"),
    ("date_in_words", "date: 2025-08-04", "date: 4 août", "invalid date '4 août'"),
    ("empty_title", 'title: "Tổ công tác số 1 làm việc với ba phường"', 'title: ""', "title is empty"),
    ("duplicate_commune", "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: [dong-kinh, ky-lua, dong-kinh]",
     "communes lists 'dong-kinh' more than once"),
    ("no_communes", "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: []", "communes is empty"),
    ("source_not_url", 'source: "https://', 'source: "', "source is not an http(s) URL"),
]


@pytest.mark.parametrize("name,old,new,message", STRUCTURAL, ids=[case[0] for case in STRUCTURAL])
def test_checker_and_schema_agree_on_structural_mistakes(tmp_path, capsys, name, old, new, message):
    root = make_project(tmp_path / "p")
    schema = json.loads((root / "schema/bulletin.schema.json").read_text(encoding="utf-8"))
    assert list(validator(schema).iter_errors(front_matter(root / VI, root))) == []

    edit(root, VI, old, new)
    capsys.readouterr()
    assert main(["--root", str(root), "check"]) == 1
    lines = capsys.readouterr().out.splitlines()[:-1]
    assert lines and all(line.startswith(f"{VI}:") and ": error: " in line for line in lines), lines
    assert any(message in line for line in lines), lines

    errors = list(validator(schema).iter_errors(front_matter(root / VI, root)))
    assert errors, f"the schema accepts what the checker refuses ({name})"


def test_scaffolded_text_fields_are_what_the_schema_refuses():
    """The scaffold leaves title and summary empty; the schema (like the checker) refuses that."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for field in ("title", "summary"):
        assert not validator(schema).is_valid({"date": "2025-08-04", "group": 1, "leader": "hoang-van-nghiem",
                                               "communes": ["dong-kinh"], "title": "x", "summary": "y", field: ""})
