"""`bulletins check` on a table of named bad inputs: each case copies a minimal valid
project, breaks one thing and asserts the exact diagnostics (``path:line:col: severity:
message`` prefixes, nothing else) and the exit code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bulletins.cli import main
from checker_project import (
    FR,
    ID,
    PUBLISHER,
    REPO,
    TEXTS,
    VI,
    bulletin_text,
    edit,
    edit_both,
    follow_up_project,
    make_project,
    write,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_publishing import annotations_as_text

B = "content/bulletins"
SAME_FACTS = "the two languages must state the same facts"


def rename_pair(root: Path, new_id: str) -> None:
    for lang in ("vi", "fr"):
        (root / B / f"{ID}.{lang}.md").rename(root / B / f"{new_id}.{lang}.md")


def remove(root: Path, rel: str) -> None:
    (root / rel).unlink()


@dataclass
class Case:
    name: str
    mutate: Callable[[Path], None]
    # Each entry is the prefix of one output line; a callable gets the project root.
    expected: list[str] | Callable[[Path], list[str]]
    rc: int = 1
    args: list[str] = field(default_factory=list)


def in_body(markup: str) -> Callable[[Path], None]:
    """Insert ``markup`` in the Vietnamese body, line 30, at column 6 (after 'Sáng ')."""
    return lambda root: edit(root, VI, "Sáng 4/8,", f"Sáng {markup} 4/8,")


def registry_line(root: Path, name: str, text: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line equal to ``text`` in a registry (registries change)."""
    lines = (root / "site_config" / name).read_text(encoding="utf-8").split("\n")
    return [i + 1 for i, line in enumerate(lines) if line == text][nth]


def ui_at(root: Path, key: str, lang: str) -> str:
    """'line:col' of the ``lang`` string of ``key`` in site_config/ui.yml (one line per key)."""
    lines = (root / "site_config" / "ui.yml").read_text(encoding="utf-8").split("\n")
    [(n, line)] = [(i + 1, line) for i, line in enumerate(lines) if line.startswith(f"{key}: ")]
    return f"{n}:{line.index(f'{lang}: ') + len(lang) + 3}"


def commune_index(root: Path, ident: str) -> int:
    ids = [c["id"] for c in yaml.safe_load((root / "site_config" / "communes.yml").read_text(encoding="utf-8"))]
    return ids.index(ident)


SITE = "site_config/site.yml"
BODIES = "site_config/bodies.yml"
NO_PUBLISHER = ("site_config/site.yml:1:1: warning: no publisher: a state portal must name the agency responsible "
                "(Decree 42/2022/ND-CP); add publisher: {vi: ..., fr: ...} and contact: {address: {vi: ..., fr: ...}, "
                "phone: ..., email: ..., web: ...} (docs/format.md)")
TITLE_VI = 'title: "Tổ công tác số 1 làm việc với ba phường"'
PAGE = '---\ntitle: "{title}"\n---\n\nText.\n'
UI_HOM = 'hom: {vi: "a", fr: "b"}'

NOT_UTF8_NAME = os.fsdecode(b"2025-08-04-group-\xff.vi.md")  # '\udcff' stands for the byte

ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 7))


# A later bulletin of the same group (2025-09-10), whose follow_ups start at line 27: the
# first follow-up's item is line 28, its status 29, its date 30 (when given).
LATER = "2025-09-10-group-1"
LVI, LFR = f"{B}/{LATER}.vi.md", f"{B}/{LATER}.fr.md"
FOLLOW_UP_TEXT = {"vi": "Đã khởi công xây dựng trụ sở.", "fr": "La construction du siège a commencé."}


def follow_ups_yaml(items, lang: str) -> str:
    out = "follow_ups:\n"
    for item, status, *date in items:
        out += f'  - item: "{item}"\n    status: {status}\n'
        out += f"    date: {date[0]}\n" if date else ""
        out += f'    text: "{FOLLOW_UP_TEXT[lang]}"\n'
    return out


def later(*items, fr_items=None, target: str | None = None) -> Callable[[Path], None]:
    """Write the later pair with ``items`` ((reference, status[, date]) each) as its follow_ups
    (``fr_items`` in French when they differ); ``target``: put them in the first pair instead."""
    def mutate(root: Path) -> None:
        for lang in ("vi", "fr"):
            block = follow_ups_yaml(fr_items if lang == "fr" and fr_items else items, lang)
            if target:
                edit(root, f"{B}/{ID}.{lang}.md", 'source: "', block + 'source: "')
                continue
            text = bulletin_text(lang).replace("date: 2025-08-04", "date: 2025-09-10")
            write(root, f"{B}/{LATER}.{lang}.md", text.replace('source: "', block + 'source: "'))
    return mutate


R1 = f"{ID}#r-1"

CASES = [
    # --- YAML syntax and front matter framing -------------------------------------------
    Case("yaml_unclosed_flow_sequence", lambda r: edit(r, VI, "group: 1\n", "group: [1\n"),
         [f"{VI}:4:7: error: YAML syntax error: while parsing a flow sequence started on line 3, "
          "expected ',' or ']', but got ':'; check indentation"]),
    Case("yaml_colon_in_unquoted_text", lambda r: edit(r, VI, 'title: "Tổ công tác số 1', 'title: Tổ công tác: số 1'),
         [f"{VI}:8:19: error: YAML syntax error: mapping values are not allowed here; "
          "check indentation, quotes and colons on this line (quote text that contains ': ')"]),
    Case("yaml_tab_indentation", lambda r: edit(r, VI, "    value: 6600", "\tvalue: 6600"),
         [f"{VI}:12:1: error: YAML syntax error: while scanning for the next token, "
          "found character '\\t' that cannot start any token"]),
    Case("yaml_unclosed_flow_mapping_in_item", lambda r: edit(r, VI, "  - tag: dispersed-headquarters",
                                                             "  - {tag: dispersed-headquarters"),
         [f"{VI}:17:13: error: YAML syntax error: while parsing a flow mapping started on line 16, "
          "expected ',' or '}', but got ':'"]),
    Case("yaml_control_character", lambda r: edit(r, VI, "Bộ máy", "Bộ\x07máy"),
         [f"{VI}:9:13: error: YAML syntax error: character 0x0007 is not allowed in YAML"]),
    Case("missing_front_matter", lambda r: edit(r, VI, "---\ndate", "date"),
         [f"{VI}:1:1: error: missing front matter: the file must start with a line '---'"]),
    Case("unclosed_front_matter", lambda r: edit(r, VI, "---\n\nSáng", "\nSáng"),
         [f"{VI}:1:1: error: front matter is not closed; add a line '---' after the last field"]),
    Case("front_matter_is_a_list", lambda r: write(r, VI, "---\n- date: 2025-08-04\n---\n\nSáng 4/8.\n"),
         [f"{VI}:2:1: error: the front matter must be a mapping of fields"]),
    Case("front_matter_empty", lambda r: write(r, VI, "---\n---\n\nSáng 4/8.\n"),
         [f"{VI}:2:1: error: the front matter must be a mapping of fields"]),
    Case("duplicate_yaml_key", lambda r: edit(r, VI, "group: 1\n", "group: 1\ngroup: 1\n"),
         [f"{VI}:4:1: error: duplicate key 'group'; keep one of the two lines"]),
    Case("custom_tag_python_object", lambda r: edit(r, VI, "group: 1\n", "group: !!python/object:os.system 1\n"),
         [f"{VI}:3:8: error: YAML value cannot be read: could not determine a constructor for the tag "
          "'tag:yaml.org,2002:python/object:os.system'; remove the '!tag' or quote the value"]),
    Case("custom_tag_foo", lambda r: edit(r, VI, "group: 1\n", "group: !foo 1\n"),
         [f"{VI}:3:8: error: YAML value cannot be read: could not determine a constructor for the tag '!foo'"]),
    # PyYAML raised a bare ValueError here: a traceback out of `bulletins check`.
    Case("standard_tag_with_bad_value", lambda r: edit(r, VI, "group: 1\n", "group: !!int abc\n"),
         [f"{VI}:3:8: error: YAML value cannot be read: 'abc' is not a valid int"]),
    Case("recursive_alias", lambda r: edit(r, VI, "participants: [phung-quang-hoi]", "participants: &p [*p]"),
         [f"{VI}:5:15: error: a YAML alias ('*name') refers to the value that contains it"]),
    # Nine aliases of nine aliases, six deep: half a million values; the check used to hang.
    Case("alias_expansion_bomb", lambda r: edit(r, VI, "group: 1\n", "group: 1\n" + ALIAS_BOMB),
         [f"{VI}:2:1: error: YAML aliases expand too far (more than 100,000 values)"]),
    # libyaml refuses 1,000 levels; the pure-Python parser asked for the message recursed
    # into a 3,000-line RecursionError traceback. Reported at the 50th '[' (column 8 + 49).
    Case("nested_1000_deep_in_title", lambda r: edit(r, VI, TITLE_VI, "title: " + "[" * 1000 + "]" * 1000),
         [f"{VI}:8:57: error: YAML is nested too deeply (more than 50 levels); no field nests that deep"]),
    # libyaml reads 60 levels; building the values recursed as deep.
    Case("nested_60_deep_in_title", lambda r: edit(r, VI, TITLE_VI, "title: " + "[" * 60 + "]" * 60),
         [f"{VI}:8:57: error: YAML is nested too deeply (more than 50 levels)"]),
    Case("nested_60_deep_by_indentation",
         lambda r: edit(r, VI, TITLE_VI, "title:\n" + "".join(" " * (2 * k) + "a:\n" for k in range(1, 61))
                        + " " * 122 + "a: 1"),
         [f"{VI}:58:101: error: YAML is nested too deeply (more than 50 levels)"]),  # the 50th 'a:'s value
    Case("registry_nested_too_deeply",
         lambda r: edit(r, "site_config/groups.yml", "- number: 2\n", "- number: " + "[" * 1000 + "]" * 1000 + "\n"),
         lambda r: [f"site_config/groups.yml:{registry_line(r, 'groups.yml', '- number: ' + '[' * 1000 + ']' * 1000)}"
                    ":59: error: YAML is nested too deeply (more than 50 levels)"]),
    Case("non_utf8_byte", lambda r: write(r, VI, bulletin_text("vi").encode().replace("Bộ máy".encode(), b"B\xe9 m\xe1y")),
         [f"{VI}:9:12: error: file is not valid UTF-8 (byte 0xe9); save the file with UTF-8 encoding"]),
    # PyYAML counts U+2028 (pasted from word processors) as a line break: positions after
    # one were off by a line.
    Case("line_separator_keeps_positions",
         lambda r: (edit(r, VI, "làm việc với ba phường\"", "làm việc\u2028với ba phường\""),
                    edit(r, VI, "value: 6600", "value: 6 600")),
         [f"{VI}:12:12: error: figures[0].value must be a number, not text"]),
    Case("nul_byte", lambda r: write(r, VI, bulletin_text("vi").replace("Sáng 4/8", "Sáng\x00 4/8")),
         [f"{VI}:30:1: error: file contains a NUL byte"]),
    # --- required and unknown fields ------------------------------------------------------
    Case("missing_required_leader", lambda r: edit(r, VI, "leader: hoang-van-nghiem\n", ""),
         [f"{VI}:2:1: error: missing required field 'leader'; add a line 'leader: ...'"]),
    Case("missing_required_label_in_figure", lambda r: edit(r, VI, '  - label: "hồ sơ thủ tục hành chính tiếp nhận trong một tháng"\n    value',
                                                           "  - value"),
         [f"{VI}:11:5: error: missing required field 'label' in figures[0]"]),
    Case("unknown_field_did_you_mean", lambda r: edit(r, VI, 'summary: "', 'sumary: "'),
         [f"{VI}:2:1: error: missing required field 'summary'",
          f"{VI}:9:1: error: unknown field 'sumary'; did you mean 'summary'?"]),
    Case("unknown_field_in_item", lambda r: edit(r, VI, "  - tag: dispersed-headquarters\n", "  - tag: dispersed-headquarters\n    tags: [x]\n"),
         [f"{VI}:17:5: error: unknown field 'difficulties[0].tags'; did you mean 'tag'?"]),
    # --- wrong types -----------------------------------------------------------------------
    Case("group_as_quoted_text", lambda r: edit(r, VI, "group: 1\n", 'group: "1"\n'),
         [f"{VI}:3:8: error: group must be a whole number, not text; write the number without quotes, e.g. 'group: 1'"]),
    Case("group_as_word", lambda r: edit(r, VI, "group: 1\n", "group: một\n"),
         [f"{VI}:3:8: error: group must be a whole number, not text"]),
    Case("communes_as_string", lambda r: edit(r, VI, "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: dong-kinh, ky-lua"),
         [f"{VI}:6:11: error: communes must be a list, not text; write a list, e.g. 'communes: [dong-kinh, ky-lua]'"]),
    Case("communes_of_lists", lambda r: edit(r, VI, "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: [[a], [a]]"),
         [f"{VI}:6:11: error: communes lists ['a'] more than once",
          f"{VI}:6:12: error: communes[0] must be text, not a list",
          f"{VI}:6:17: error: communes[1] must be text, not a list"]),
    Case("value_with_space", lambda r: edit(r, VI, "value: 6600", "value: 6 600"),
         [f"{VI}:12:12: error: figures[0].value must be a number, not text; write the number without quotes or spaces"]),
    Case("value_not_finite", lambda r: edit_both(r, "value: 6600", "value: .nan"),
         [f"{FR}:12:12: error: figures[0].value must be a finite number, not nan",
          f"{VI}:12:12: error: figures[0].value must be a finite number, not nan"]),
    # Passed the checker, then the build died in Babel with InvalidOperation and no file named.
    Case("value_too_large", lambda r: edit_both(r, "value: 6600", "value: 1.0e+308"),
         [f"{FR}:12:12: error: figures[0].value is too large: 1e+308; write the figure as it will be printed, "
          "in digits below 1,000,000,000,000,000",
          f"{VI}:12:12: error: figures[0].value is too large: 1e+308"]),
    Case("value_10_to_the_15", lambda r: edit_both(r, "value: 6600", "value: -1000000000000000"),
         [f"{FR}:12:12: error: figures[0].value is too large: -1000000000000000",
          f"{VI}:12:12: error: figures[0].value is too large: -1000000000000000"]),
    Case("value_largest_accepted", lambda r: edit_both(r, "value: 6600", "value: 999999999999999"), [], rc=0),
    # Babel prints at most 3 decimals: this was published as '0'.
    Case("value_too_many_decimals", lambda r: edit_both(r, "value: 6600", "value: 1.5e-7"),
         [f"{FR}:12:12: error: figures[0].value has more than 3 decimals: 1.5e-07; the site prints at most 3 "
          "and would show 0",
          f"{VI}:12:12: error: figures[0].value has more than 3 decimals: 1.5e-07"]),
    Case("value_three_decimals", lambda r: edit_both(r, "value: 6600", "value: 12345.678"), [], rc=0),
    Case("approximate_as_text", lambda r: edit(r, VI, "approximate: true", 'approximate: "gần"'),
         [f"{VI}:13:18: error: figures[0].approximate must be true or false, not text"]),
    Case("source_not_a_url", lambda r: edit(r, VI, 'source: "https://', 'source: "'),
         [f"{VI}:27:9: error: source is not an http(s) URL: 'baolangson.vn/to-cong-tac-so-1-5055059.html'"]),
    # --- dates -----------------------------------------------------------------------------
    Case("date_month_13", lambda r: edit(r, VI, "date: 2025-08-04", "date: 2025-13-01"),
         [f"{VI}:2:7: error: invalid date '2025-13-01' in date; write a real calendar date as YYYY-MM-DD"]),
    Case("date_february_30", lambda r: edit(r, VI, "date: 2025-08-04", "date: 2025-02-30"),
         [f"{VI}:2:7: error: invalid date '2025-02-30' in date"]),
    Case("date_in_words", lambda r: edit(r, VI, "date: 2025-08-04", "date: 4 août"),
         [f"{VI}:2:7: error: invalid date '4 août' in date"]),
    Case("updated_invalid", lambda r: edit(r, VI, "group: 1\n", "updated: 2025-8-32\ngroup: 1\n"),
         [f"{VI}:3:10: error: invalid date '2025-8-32' in updated"]),
    Case("updated_before_date", lambda r: edit_both(r, "group: 1\n", "updated: 2025-08-01\ngroup: 1\n"),
         [f"{FR}:3:10: error: updated (2025-08-01) is before date (2025-08-04)",
          f"{VI}:3:10: error: updated (2025-08-01) is before date (2025-08-04)"]),
    Case("updated_in_the_future", lambda r: edit_both(r, "group: 1\n", "updated: 2099-01-01\ngroup: 1\n"),
         [f"{FR}:3:10: warning: updated (2099-01-01) is in the future: today is ",
          f"{VI}:3:10: warning: updated (2099-01-01) is in the future: today is "], rc=0),
    Case("file_name_date_differs", lambda r: edit_both(r, "date: 2025-08-04", "date: 2025-08-05"),
         [f"{FR}:1:1: warning: the file name's date (2025-08-04) differs from date (2025-08-05); ids are permanent",
          f"{VI}:1:1: warning: the file name's date (2025-08-04) differs from date (2025-08-05); ids are permanent"],
         rc=0),
    # Before any title of either person in site_config/people.yml (later titles get added).
    Case("leader_without_title_on_date",
         lambda r: (edit_both(r, "date: 2025-08-04", "date: 2020-01-02"), rename_pair(r, "2020-01-02-group-1")),
         [f"{B}/2020-01-02-group-1.{lang}.md:{pos}: warning: no title of '{who}' is known on 2020-01-02; "
          "add the title held on that date to site_config/people.yml"
          for lang in ("fr", "vi") for pos, who in (("4:9", "hoang-van-nghiem"), ("5:16", "phung-quang-hoi"))],
         rc=0),
    # --- registry ids ----------------------------------------------------------------------
    Case("unknown_commune_did_you_mean", lambda r: edit(r, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,"),
         [f"{VI}:6:23: error: unknown commune 'ky-lau' in communes[1]; did you mean 'ky-lua'?"]),
    Case("unknown_commune_in_item", lambda r: edit(r, VI, "    communes: [dong-kinh, ky-lua]", "    communes: [dong-kinh, xyz]"),
         [f"{VI}:14:27: error: unknown commune 'xyz' in figures[0].communes[1]"]),
    Case("unknown_group", lambda r: edit(r, VI, "group: 1\n", "group: 99\n"),
         [f"{VI}:3:8: error: unknown working group '99' in group"]),
    Case("unknown_leader_did_you_mean", lambda r: edit(r, VI, "leader: hoang-van-nghiem", "leader: hoang-van-ngiem"),
         [f"{VI}:4:9: error: unknown person 'hoang-van-ngiem' in leader; did you mean 'hoang-van-nghiem'?"]),
    Case("unknown_participant", lambda r: edit(r, VI, "participants: [phung-quang-hoi]", "participants: [phung-quang-hoy]"),
         [f"{VI}:5:16: error: unknown person 'phung-quang-hoy' in participants[0]; did you mean 'phung-quang-hoi'?"]),
    Case("unknown_difficulty_tag", lambda r: edit(r, VI, "  - tag: dispersed-headquarters", "  - tag: dispersed-headquarter"),
         [f"{VI}:16:10: error: unknown difficulty tag 'dispersed-headquarter' in difficulties[0].tag; "
          "did you mean 'dispersed-headquarters'?"]),
    Case("unknown_tag_in_recommendation", lambda r: edit(r, VI, "tags: [dispersed-headquarters]", "tags: [no-such-tag-at-all]"),
         [f"{VI}:23:12: error: unknown difficulty tag 'no-such-tag-at-all' in recommendations[0].tags[0]"]),
    # --- what the schema cannot say ---------------------------------------------------------
    Case("inspected_not_among_communes", lambda r: edit_both(r, "inspected: [ky-lua]", "inspected: [huu-lung]"),
         [f"{FR}:7:13: error: inspected commune 'huu-lung' is not among the bulletin's communes",
          f"{VI}:7:13: error: inspected commune 'huu-lung' is not among the bulletin's communes"]),
    Case("item_commune_not_among_communes", lambda r: edit_both(r, "    communes: [tam-thanh]\n    text", "    communes: [huu-lung]\n    text"),
         [f"{FR}:17:16: error: difficulties[0] names commune 'huu-lung', which is not among the bulletin's communes",
          f"{VI}:17:16: error: difficulties[0] names commune 'huu-lung', which is not among the bulletin's communes"]),
    Case("duplicate_commune_in_list", lambda r: edit(r, VI, "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: [dong-kinh, ky-lua, dong-kinh]"),
         [f"{VI}:6:11: error: communes lists 'dong-kinh' more than once; remove the repeated entry"]),
    Case("duplicate_commune_in_item", lambda r: edit(r, VI, "    communes: [dong-kinh, ky-lua]", "    communes: [ky-lua, ky-lua]"),
         [f"{VI}:14:15: error: figures[0].communes lists 'ky-lua' more than once"]),
    Case("communes_empty", lambda r: edit(r, VI, "communes: [dong-kinh, ky-lua, tam-thanh]", "communes: []"),
         [f"{VI}:6:11: error: communes is empty"]),
    Case("duplicate_id_in_subfolder", lambda r: write(r, f"{B}/2024/{ID}.vi.md", bulletin_text("vi")),
         [f"{VI}:1:1: error: duplicate id '{ID}' (vi): also {B}/2024/{ID}.vi.md; ids must be unique"]),
    # --- the two languages -------------------------------------------------------------------
    Case("languages_disagree_on_date", lambda r: edit(r, FR, "date: 2025-08-04", "date: 2025-08-05"),
         [f"{FR}:1:1: warning: the file name's date (2025-08-04) differs from date (2025-08-05)",
          f"{FR}:2:7: error: date disagrees with the Vietnamese file: '2025-08-05' here, '2025-08-04' in {VI}; {SAME_FACTS}"]),
    Case("languages_disagree_on_communes", lambda r: edit(r, FR, "communes: [dong-kinh, ky-lua, tam-thanh]",
                                                         "communes: [dong-kinh, ky-lua, tam-thanh, huu-lung]"),
         [f"{FR}:6:11: error: communes disagrees with the Vietnamese file: "
          f"[dong-kinh, ky-lua, tam-thanh, huu-lung] here, [dong-kinh, ky-lua, tam-thanh] in {VI}"]),
    Case("languages_disagree_on_group", lambda r: edit(r, FR, "group: 1\n", "group: 2\n"),
         [f"{FR}:3:8: error: group disagrees with the Vietnamese file: 2 here, 1 in {VI}"]),
    Case("languages_disagree_on_leader", lambda r: edit(r, FR, "leader: hoang-van-nghiem", "leader: doan-thi-hau"),
         [f"{FR}:4:9: error: leader disagrees with the Vietnamese file: 'doan-thi-hau' here, 'hoang-van-nghiem' in {VI}"]),
    Case("languages_disagree_on_difficulty_tag", lambda r: edit(r, FR, "  - tag: dispersed-headquarters", "  - tag: facilities"),
         [f"{FR}:16:10: error: difficulties[0].tag disagrees with the Vietnamese file: "
          f"'facilities' here, 'dispersed-headquarters' in {VI}"]),
    Case("languages_disagree_on_figure_value", lambda r: edit(r, FR, "value: 6600", "value: 6000"),
         [f"{FR}:12:12: error: figures[0].value disagrees with the Vietnamese file: 6000 here, 6600 in {VI}"]),
    Case("languages_disagree_on_approximate", lambda r: edit(r, FR, "    approximate: true\n", ""),
         [f"{FR}:11:5: error: figures[0].approximate disagrees with the Vietnamese file: false here, true in {VI}"]),
    Case("languages_disagree_on_number_of_difficulties",
         lambda r: edit(r, FR, "difficulties:\n", 'difficulties:\n  - tag: workload\n    text: "Charge de travail."\n'),
         [f"{FR}:16:3: error: the number of difficulties disagrees with the Vietnamese file: 2 here, 1 in {VI}"]),
    Case("missing_translation", lambda r: remove(r, FR),
         [f"{VI}:1:1: warning: missing French translation; add {FR}"], rc=0),
    Case("missing_translation_strict", lambda r: remove(r, VI),
         [f"{FR}:1:1: error: missing Vietnamese translation; add {VI}"], rc=1, args=["--strict"]),
    # The second one used to crash the check with a TypeError.
    Case("two_bulletins_missing_translations",
         lambda r: (remove(r, FR), write(r, f"{B}/2025-08-05-group-1.vi.md",
                                         bulletin_text("vi").replace("2025-08-04", "2025-08-05"))),
         [f"{VI}:1:1: warning: missing French translation; add {FR}",
          f"{B}/2025-08-05-group-1.vi.md:1:1: warning: missing French translation; add {B}/2025-08-05-group-1.fr.md"],
         rc=0),
    # --- item ids, addressees and follow-ups (issue 13) ----------------------------------------
    Case("item_id_missing", lambda r: edit(r, VI, "  - id: r-1\n    text", "  - text"),
         [f"{VI}:20:5: error: missing required field 'id' in recommendations[0]; add a line 'id: ...'"]),
    Case("item_id_wrong_prefix", lambda r: edit_both(r, "  - id: r-1", "  - id: d-1"),
         [f"{FR}:20:9: error: recommendations[0].id 'd-1' does not start with 'r-'; a recommendation's id is 'r-' "
          "and a number or words, e.g. 'r-2'",
          f"{VI}:20:9: error: recommendations[0].id 'd-1' does not start with 'r-'"]),
    Case("item_id_not_an_id", lambda r: edit(r, VI, "  - id: d-1", "  - id: D 1"),
         [f"{VI}:25:9: error: directives[0].id 'D 1' is not a valid id; write 'd-' then lower-case ASCII letters, "
          "digits and hyphens, e.g. 'd-2'"]),
    Case("item_id_too_long", lambda r: edit(r, VI, "  - id: d-1", "  - id: d-" + "a" * 40),
         [f"{VI}:25:9: error: directives[0].id is too long: 42 characters; at most 40 are allowed: a short id"]),
    Case("item_id_used_twice", lambda r: edit_both(r, "directives:\n", "  - id: r-1\n    text: \"x\"\ndirectives:\n"),
         [f"{FR}:24:9: error: id 'r-1' is used twice in this bulletin (also line 20); give each item its own id; "
          "ids are permanent: give the newer item the next unused number, never a removed item's id",
          f"{VI}:24:9: error: id 'r-1' is used twice in this bulletin (also line 20)"]),
    Case("languages_disagree_on_item_id", lambda r: edit(r, FR, "  - id: r-1", "  - id: r-2"),
         [f"{FR}:20:9: error: recommendations[0].id disagrees with the Vietnamese file: 'r-2' here, 'r-1' in {VI}; "
          f"{SAME_FACTS}"]),
    Case("to_accepted", lambda r: edit_both(r, "  - id: d-1\n", "  - id: d-1\n    to: [provincial-departments, ky-lua]\n"),
         [], rc=0),
    Case("to_unknown_did_you_mean",
         lambda r: edit(r, VI, "  - id: d-1\n", "  - id: d-1\n    to: [provincial-department]\n"),
         [f"{VI}:26:10: error: unknown addressee 'provincial-department' in directives[0].to[0]; "
          "did you mean 'provincial-departments'?"]),
    Case("to_unknown_names_both_registries", lambda r: edit(r, VI, "  - id: d-1\n", "  - id: d-1\n    to: [xyz]\n"),
         [f"{VI}:26:10: error: unknown addressee 'xyz' in directives[0].to[0]; see site_config/communes.yml and "
          "site_config/bodies.yml"]),
    Case("to_empty", lambda r: edit(r, VI, "  - id: d-1\n", "  - id: d-1\n    to: []\n"),
         [f"{VI}:26:9: error: directives[0].to is empty"]),
    Case("languages_disagree_on_to", lambda r: edit(r, FR, "  - id: d-1\n", "  - id: d-1\n    to: [ky-lua]\n"),
         [f"{FR}:26:9: error: directives[0].to disagrees with the Vietnamese file: [ky-lua] here, [] in {VI}"]),
    Case("follow_up_accepted", later((R1, "in-progress", "2025-09-01")), [], rc=0),
    Case("follow_up_dated_by_its_bulletin", later((R1, "done"), (f"{ID}#d-1", "declined")), [], rc=0),
    Case("follow_up_unknown_bulletin", later(("2025-08-04-group-2#r-1", "done")),
         [f"{LFR}:28:11: error: follow_ups[0].item names an unknown bulletin '2025-08-04-group-2'; "
          f"did you mean '{ID}'?",
          f"{LVI}:28:11: error: follow_ups[0].item names an unknown bulletin '2025-08-04-group-2'"]),
    Case("follow_up_unknown_item", later((f"{ID}#r-2", "done")),
         [f"{LFR}:28:11: error: follow_ups[0].item names an unknown item 'r-2' of {ID}; did you mean '{R1}'?",
          f"{LVI}:28:11: error: follow_ups[0].item names an unknown item 'r-2' of {ID}; did you mean '{R1}'?"]),
    Case("follow_up_not_a_reference", later(("r-1", "done")),
         [f"{LFR}:28:11: error: follow_ups[0].item 'r-1' is not a reference to an item; write "
          "'<bulletin id>#<item id>', e.g. '2025-08-04-group-3#d-16'",
          f"{LVI}:28:11: error: follow_ups[0].item 'r-1' is not a reference to an item"]),
    Case("follow_up_of_itself", later((R1, "done"), target=ID),
         [f"{FR}:28:11: error: follow_ups[0].item '{R1}' is an item of this bulletin: a bulletin cannot follow up "
          "itself; a later bulletin reports what became of it",
          f"{VI}:28:11: error: follow_ups[0].item '{R1}' is an item of this bulletin"]),
    Case("follow_up_status_did_you_mean", later((R1, "in progress")),
         [f"{LFR}:29:13: error: unknown status 'in progress' in follow_ups[0].status; did you mean 'in-progress'?",
          f"{LVI}:29:13: error: unknown status 'in progress' in follow_ups[0].status; did you mean 'in-progress'?"]),
    Case("follow_up_status_unknown", lambda r: later((R1, "done"))(r) or edit(r, LVI, "status: done", "status: xong"),
         [f"{LVI}:29:13: error: unknown status 'xong' in follow_ups[0].status; known: open, in-progress, done, "
          "declined"]),
    Case("follow_up_dated_before_the_item", later((R1, "done", "2025-08-01")),
         [f"{LFR}:30:11: error: follow_ups[0].date (2025-08-01) is before the date of {ID} (2025-08-04); "
          "a follow-up reports what happened after the item was recorded",
          f"{LVI}:30:11: error: follow_ups[0].date (2025-08-01) is before the date of {ID} (2025-08-04)"]),
    Case("follow_up_dated_after_its_bulletin", later((R1, "done", "2025-09-11")),
         [f"{LFR}:30:11: error: follow_ups[0].date (2025-09-11) is after the bulletin's date (2025-09-10); "
          "a bulletin reports what happened up to its own date",
          f"{LVI}:30:11: error: follow_ups[0].date (2025-09-11) is after the bulletin's date (2025-09-10)"]),
    Case("follow_up_twice_in_one_bulletin", later((R1, "in-progress"), (R1, "done")),
         [f"{LFR}:31:11: error: follow_ups[1].item '{R1}' is followed up twice in this bulletin (also line 28); "
          "give one follow-up per item",
          f"{LVI}:31:11: error: follow_ups[1].item '{R1}' is followed up twice in this bulletin (also line 28)"]),
    Case("languages_disagree_on_follow_up_status", later((R1, "done"), fr_items=[(R1, "in-progress")]),
         [f"{LFR}:29:13: error: follow_ups[0].status disagrees with the Vietnamese file: 'in-progress' here, "
          f"'done' in {LVI}; {SAME_FACTS}"]),
    Case("languages_disagree_on_follow_up_date", later((R1, "done"), fr_items=[(R1, "done", "2025-09-01")]),
         [f"{LFR}:30:11: error: follow_ups[0].date disagrees with the Vietnamese file: '2025-09-01' here, "
          f"(absent) in {LVI}"]),
    Case("languages_disagree_on_number_of_follow_ups", later((R1, "done"), fr_items=[(R1, "done"), (f"{ID}#d-1", "done")]),
         [f"{LFR}:28:3: error: the number of follow_ups disagrees with the Vietnamese file: 2 here, 1 in {LVI}"]),
    # A follow-up of a bulletin that has errors of its own: those errors, not 'unknown item'.
    Case("follow_up_of_a_broken_bulletin", lambda r: (later((R1, "done"))(r), edit(r, VI, "group: 1\n", "group: 99\n")),
         [f"{VI}:3:8: error: unknown working group '99' in group"]),
    # --- text and body -------------------------------------------------------------------------
    Case("empty_title", lambda r: edit(r, VI, 'title: "Tổ công tác số 1 làm việc với ba phường"', 'title: ""'),
         [f"{VI}:8:8: error: title is empty; write the text between the quotes"]),
    Case("blank_title", lambda r: edit(r, VI, 'title: "Tổ công tác số 1 làm việc với ba phường"', 'title: "   "'),
         [f"{VI}:8:8: error: title is empty"]),
    Case("title_without_value", lambda r: edit(r, VI, 'title: "Tổ công tác số 1 làm việc với ba phường"', "title:"),
         [f"{VI}:8:7: error: title must be text, not empty"]),
    Case("empty_body", lambda r: edit(r, VI, "\nSáng 4/8, Tổ công tác số 1 làm việc với ba phường Đông Kinh, Kỳ Lừa và Tam Thanh.\n", "\n"),
         [f"{VI}:28:1: error: the body (text after the front matter) is empty"]),
    Case("body_only_html_comment", lambda r: edit(r, VI, "Sáng 4/8, Tổ công tác số 1 làm việc với ba phường Đông Kinh, Kỳ Lừa và Tam Thanh.",
                                                 "<!-- Viết nội dung bản tin ở đây. -->"),
         [f"{VI}:28:1: error: the body (text after the front matter) is empty"]),
    Case("title_too_long", lambda r: edit(r, VI, TITLE_VI, f'title: "{"a" * 301}"'),
         [f"{VI}:8:8: error: title is too long: 301 characters; at most 300 are allowed: shorten it and put the "
          "details in the body"]),
    Case("title_longest_accepted", lambda r: edit(r, VI, TITLE_VI, f'title: "{"a" * 300}"'), [], rc=0),
    Case("summary_too_long", lambda r: edit(r, VI, 'summary: "', f'summary: "{"a" * 5_000_000}'),
         [f"{VI}:9:10: error: summary is too long: 5,000,041 characters; at most 600 are allowed"]),
    Case("figure_label_too_long", lambda r: edit(r, VI, '  - label: "', f'  - label: "{"a" * 1000}'),
         [f"{VI}:11:12: error: figures[0].label is too long: {1000 + len(TEXTS['vi']['label']):,} characters; "
          "at most 1,000 are allowed"]),
    Case("difficulty_text_too_long", lambda r: edit(r, VI, '    text: "Trụ', f'    text: "{"a" * 1000}Trụ'),
         [f"{VI}:18:11: error: difficulties[0].text is too long: {1000 + len(TEXTS['vi']['difficulty']):,} "
          "characters; at most 1,000 are allowed"]),
    Case("body_too_long", lambda r: edit(r, VI, "Sáng 4/8,", "x" * 100_000 + "Sáng 4/8,"),
         # the body is line 29 (blank) and 30: the limit is passed at column 100,000 of line 30
         [f"{VI}:30:100000: error: the body is too long: {100_000 + len(TEXTS['vi']['body']) + 2:,} characters; "
          "at most 100,000 are allowed (the limit is passed here)"]),
    Case("registry_text_too_long", lambda r: edit(r, "site_config/communes.yml", "  name_vi: Kỳ Lừa\n",
                                                   f"  name_vi: Kỳ Lừa{'a' * 1000}\n"),
         lambda r: [f"site_config/communes.yml:{registry_line(r, 'communes.yml', '  name_vi: Kỳ Lừa' + 'a' * 1000)}:12: "
                    f"error: [{commune_index(r, 'ky-lua')}].name_vi is too long: 1,006 characters; at most 1,000 are "
                    "allowed: shorten it"]),
    # Text fields are plain text (the site escapes them): markup would be shown as typed.
    Case("script_tag_in_title", lambda r: edit(r, VI, TITLE_VI, 'title: "<script>alert(1)</script>"'),
         [f"{VI}:8:8: warning: title is plain text: '<script>' will be shown as typed; remove the markup"], rc=0),
    Case("summary_breaking_out_of_an_attribute", lambda r: edit(r, VI, 'summary: "Bộ máy',
                                                                'summary: "\\"><SCRIPT>alert(1)</SCRIPT>Bộ máy'),
         [f"{VI}:9:10: warning: summary is plain text: '<SCRIPT>' will be shown as typed"], rc=0),
    Case("attribute_list_in_title", lambda r: edit(r, VI, 'với ba phường"', 'với ba phường {: onclick=alert(1) }"'),
         [f"{VI}:8:8: warning: title is plain text: '{{: onclick=alert(1) }}' will be shown as typed"], rc=0),
    Case("markdown_link_in_item", lambda r: edit(r, VI, '    text: "Trụ', '    text: "[Trụ](https://x.example/)'),
         [f"{VI}:18:11: warning: difficulties[0].text is plain text: '[Trụ](https://x.example/)' will be shown"],
         rc=0),
    Case("markup_in_registry_name", lambda r: edit(r, "site_config/communes.yml", "  name_vi: Kỳ Lừa\n",
                                                    "  name_vi: <b>Kỳ Lừa</b>\n"),
         lambda r: [f"site_config/communes.yml:{registry_line(r, 'communes.yml', '  name_vi: <b>Kỳ Lừa</b>')}:12: "
                    f"warning: [{commune_index(r, 'ky-lua')}].name_vi is plain text: '<b>' will be shown as typed"],
         rc=0),
    # Invisible characters that reorder the text around them ('Trojan Source').
    Case("bidi_override_in_title", lambda r: edit(r, VI, 'title: "Tổ', 'title: "\u202eTổ'),
         [f"{VI}:8:9: warning: invisible bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE); "
          "delete it: it can make the text display in a different order than it is written"], rc=0),
    Case("bidi_isolate_in_body", in_body("\u2066x\u2069"),
         [f"{VI}:30:6: warning: invisible bidirectional control character U+2066 (LEFT-TO-RIGHT ISOLATE)",
          f"{VI}:30:8: warning: invisible bidirectional control character U+2069 (POP DIRECTIONAL ISOLATE)"], rc=0),
    Case("bidi_embedding_in_comment", lambda r: edit(r, VI, "group: 1\n", "group: 1  # \u202b\n"),
         [f"{VI}:3:13: warning: invisible bidirectional control character U+202B (RIGHT-TO-LEFT EMBEDDING)"], rc=0),
    Case("bidi_as_yaml_escape", lambda r: edit(r, VI, 'title: "Tổ', 'title: "\\u202ETổ'),
         [f"{VI}:8:8: warning: YAML escape gives an invisible bidirectional control character U+202E"], rc=0),
    Case("bidi_in_registry", lambda r: edit(r, "site_config/communes.yml", "  name_vi: Kỳ Lừa\n", "  name_vi: Kỳ\u202eLừa\n"),
         lambda r: [f"site_config/communes.yml:{registry_line(r, 'communes.yml', '  name_vi: Kỳ' + chr(0x202E) + 'Lừa')}"
                    ":14: warning: invisible bidirectional control character U+202E"], rc=0),
    # Left-to-right and right-to-left marks only set the direction of neutral characters beside
    # them; they cannot reverse a run of letters (docs/format.md).
    Case("bidi_marks_accepted", lambda r: edit(r, VI, 'title: "Tổ', 'title: "\u200e\u200fTổ'), [], rc=0),
    Case("level_1_heading_in_body", lambda r: edit(r, VI, "\nSáng 4/8,", "\n# Tiêu đề\n\nSáng 4/8,"),
         [f"{VI}:30:1: warning: a level-1 heading in the body"], rc=0),
    # The body used to be checked only once the front matter was valid: two rounds of fixes.
    Case("body_checked_despite_front_matter_error",
         lambda r: (edit(r, VI, "group: 1\n", "group: [1\n"), in_body("<script>alert(1)</script>")(r)),
         [f"{VI}:4:7: error: YAML syntax error: while parsing a flow sequence",
          f"{VI}:30:6: error: raw HTML <script> is not allowed"]),
    Case("script_tag", in_body("<script>alert(1)</script>"),
         [f"{VI}:30:6: error: raw HTML <script> is not allowed"]),
    Case("iframe_tag", in_body('<iframe src="https://example.org/"></iframe>'),
         [f"{VI}:30:6: error: raw HTML <iframe> is not allowed"]),
    Case("onclick_attribute", in_body('<a href="#" onclick="steal()">a</a>'),
         [f"{VI}:30:18: error: HTML event attribute 'onclick=' runs script; remove the attribute"]),
    # Browsers split attributes at '/': this used to pass the checker.
    Case("onerror_after_slash", in_body("<img/onerror=alert(1) src=x>"),
         [f"{VI}:30:11: error: HTML event attribute 'onerror=' runs script"]),
    Case("javascript_markdown_link", in_body("[xem](javascript:alert(1))"),
         [f"{VI}:30:12: error: a 'javascript:' (or script-running) URL is not allowed"]),
    Case("javascript_href", in_body('<a href="javascript:alert(1)">a</a>'),
         [f"{VI}:30:15: error: a 'javascript:' (or script-running) URL is not allowed"]),
    # Browsers decode character references in URLs: this used to pass the checker.
    Case("javascript_href_with_char_ref", in_body('<a href="jav&#x61;script:alert(1)">a</a>'),
         [f"{VI}:30:15: error: a 'javascript:' (or script-running) URL is not allowed"]),
    Case("javascript_href_after_control_char", in_body('<a href="&#1;javascript:alert(1)">a</a>'),
         [f"{VI}:30:19: error: a 'javascript:' (or script-running) URL is not allowed"]),
    # A '>' inside a quoted value does not end a tag: this used to pass the checker.
    Case("onerror_after_quoted_gt", in_body('<img alt=">" src=x onerror=alert(1)>'),
         [f"{VI}:30:25: error: HTML event attribute 'onerror=' runs script"]),
    # A tag left open is closed by the page's own '</p>': this used to pass the checker.
    Case("onerror_in_unclosed_tag", in_body("<img src=x onerror=alert(1)"),
         [f"{VI}:30:17: error: HTML event attribute 'onerror=' runs script"]),
    Case("style_block", in_body("<style>p{background:url(javascript:alert(1))}</style>"),
         [f"{VI}:30:6: error: raw HTML <style> is not allowed; remove it; bulletins may not embed scripts, styles"]),
    # Markdown's attribute lists write attributes too.
    Case("event_attribute_in_attribute_list",
         lambda r: edit(r, VI, "Kỳ Lừa và Tam Thanh.\n", 'Kỳ Lừa và Tam Thanh.\n{: onmouseover="alert(1)" }\n'),
         [f"{VI}:31:4: error: HTML event attribute 'onmouseover=' runs script"]),
    # --- file names -----------------------------------------------------------------------------
    Case("file_name_not_matching", lambda r: write(r, f"{B}/2025-08-04_group-2.vi.md", bulletin_text("vi")),
         [f"{B}/2025-08-04_group-2.vi.md:1:1: error: file name '2025-08-04_group-2.vi.md' does not match the pattern <id>.<lang>.md"]),
    Case("file_name_upper_case", lambda r: write(r, f"{B}/2025-08-04-Group-2.vi.md", bulletin_text("vi")),
         [f"{B}/2025-08-04-Group-2.vi.md:1:1: error: file name '2025-08-04-Group-2.vi.md' does not match"]),
    # A name that is not UTF-8 reaches the message as a surrogate escape: printing it crashed.
    Case("file_name_not_utf8", lambda r: write(r, f"{B}/{NOT_UTF8_NAME}", bulletin_text("vi")),
         [f"{B}/2025-08-04-group-\\udcff.vi.md:1:1: error: file name '2025-08-04-group-\\udcff.vi.md' does not match"]),
    Case("unknown_language_suffix", lambda r: write(r, f"{B}/{ID}.en.md", bulletin_text("fr")),
         [f"{B}/{ID}.en.md:1:1: error: unknown language 'en' in the file name; use '.vi.md' (Vietnamese) or '.fr.md' (French)"]),
    # --- registries and the published schema --------------------------------------------------
    Case("registry_duplicate_commune_id", lambda r: edit(r, "site_config/communes.yml", "- id: luong-van-tri\n", "- id: dong-kinh\n"),
         lambda r: [f"site_config/communes.yml:{registry_line(r, 'communes.yml', '- id: dong-kinh', 1)}:7: error: "
                    "duplicate commune id 'dong-kinh' (also entry 0); each commune id must appear once"]),
    # bodies.yml: the provincial bodies an item's 'to:' may name beside the communes
    Case("registry_duplicate_body_id",
         lambda r: edit(r, BODIES, "- id: provincial-departments\n", "- id: provincial-peoples-committee\n"),
         lambda r: [f"{BODIES}:{registry_line(r, 'bodies.yml', '- id: provincial-peoples-committee', 1)}:7: error: "
                    "duplicate body id 'provincial-peoples-committee' (also entry 0); each body id must appear once"]),
    Case("registry_body_name_missing_language",
         lambda r: edit(r, BODIES, ", fr: Départements et secteurs provinciaux}", "}"),
         lambda r: [f"{BODIES}:{registry_line(r, 'bodies.yml', '- id: provincial-departments') + 1}:9: error: "
                    "missing required field 'fr' in [1].name; add a line 'fr: ...'"]),
    Case("registry_body_id_not_an_id",
         lambda r: edit(r, BODIES, "- id: provincial-departments\n", "- id: Sở Nội vụ\n"),
         lambda r: [f"{BODIES}:{registry_line(r, 'bodies.yml', '- id: Sở Nội vụ')}:7: error: "
                    "[1].id 'Sở Nội vụ' is not a valid id; use lower-case ASCII letters, digits and hyphens"]),
    Case("registry_body_id_is_a_commune_id",
         lambda r: edit(r, BODIES, "- id: provincial-departments\n", "- id: ky-lua\n"),
         lambda r: [f"{BODIES}:{registry_line(r, 'bodies.yml', '- id: ky-lua')}:7: error: "
                    "body id 'ky-lua' is also a commune id; an item's 'to:' names communes and bodies alike: "
                    "give the body another id"]),
    Case("registry_missing_bodies", lambda r: remove(r, BODIES),
         [f"{BODIES}:1:1: error: missing registry file bodies.yml; create {BODIES}"]),
    Case("registry_missing_ui", lambda r: remove(r, "site_config/ui.yml"),
         ["site_config/ui.yml:1:1: error: missing registry file ui.yml; create site_config/ui.yml"]),
    # A broken registry used to make every id of every bulletin 'unknown ...; known: '.
    Case("registry_yaml_error_no_cascade", lambda r: edit(r, "site_config/groups.yml", "- number: 2\n", "- number: [2\n"),
         lambda r: [f"site_config/groups.yml:{registry_line(r, 'groups.yml', '- number: [2') + 1}:7: error: "
                    "YAML syntax error: while parsing a flow sequence started on line "
                    f"{registry_line(r, 'groups.yml', '- number: [2')},"]),
    Case("registry_not_a_mapping", lambda r: write(r, "site_config/ui.yml", "- home\n"),
         ["site_config/ui.yml:1:1: error: ui.yml must be a mapping of fields, not a list; write one 'name: value' per line"]),
    Case("registry_empty", lambda r: write(r, "site_config/difficulties.yml", "[]\n"),
         ["site_config/difficulties.yml:1:1: error: difficulties.yml has no entries"]),
    Case("registry_title_ends_before_start", lambda r: edit(r, "site_config/people.yml", "      until: 2025-10-11\n", "      until: 2024-10-11\n"),
         lambda r: [f"site_config/people.yml:{registry_line(r, 'people.yml', '      until: 2024-10-11')}:14: error: "
                    "title of 'hoang-van-nghiem' ends (2024-10-11) before it starts",
                    f"{FR}:4:9: warning: no title of 'hoang-van-nghiem' is known on 2025-08-04",
                    f"{VI}:4:9: warning: no title of 'hoang-van-nghiem' is known on 2025-08-04"]),
    Case("schema_out_of_date", lambda r: edit(r, "site_config/difficulties.yml", "- id: roads\n", "- id: road-works\n"),
         ["schema/bulletin.schema.json:1:1: error: the published JSON Schema is out of date with site_config/; "
          "run 'bulletins schema'"]),
    # ui.yml: each string may use only the placeholders the code fills in; these failed the
    # build ("KeyError: 'nom'", no file, no line).
    Case("ui_unknown_placeholder", lambda r: edit(r, "site_config/ui.yml", "Bản tin về {name}\"", "Bản tin về {nom}\""),
         lambda r: [f"site_config/ui.yml:{ui_at(r, 'feed_title_commune', 'vi')}: error: UI string 'feed_title_commune' "
                    "(vi) uses an unknown placeholder '{nom}'; did you mean '{name}'? it may use only {name}"]),
    Case("ui_unclosed_brace", lambda r: edit(r, "site_config/ui.yml", "sur {total} ;", "sur {total ;"),
         lambda r: [f"site_config/ui.yml:{ui_at(r, 'latest_of', 'fr')}: error: UI string 'latest_of' (fr) has a '{{' "
                    "without its '}'; write placeholders whole: {shown}, {total}"]),
    Case("ui_stray_closing_brace", lambda r: edit(r, "site_config/ui.yml", "Bản tin {name}", "Bản tin name}"),
         lambda r: [f"site_config/ui.yml:{ui_at(r, 'feed_title_group', 'vi')}: error: UI string 'feed_title_group' "
                    "(vi) has a '}' without its '{'"]),
    Case("ui_formatted_placeholder", lambda r: edit(r, "site_config/ui.yml", "Bản tin {name}", "Bản tin {name!r}"),
         lambda r: [f"site_config/ui.yml:{ui_at(r, 'feed_title_group', 'vi')}: error: UI string 'feed_title_group' "
                    "(vi) has a formatted placeholder '{name!r}'; write it plainly: '{name}'"]),
    Case("ui_brace_in_string_without_placeholders",
         lambda r: edit(r, "site_config/ui.yml", 'home: {vi: "Trang chủ"', 'home: {vi: "Trang {chủ}"'),
         lambda r: [f"site_config/ui.yml:{ui_at(r, 'home', 'vi')}: error: UI string 'home' (vi) contains a brace, "
                    "and this string takes no placeholders; remove the braces"]),
    Case("ui_escaped_brace_accepted", lambda r: edit(r, "site_config/ui.yml", "sur {total} ;", "sur {total} {{1}} ;"),
         [], rc=0),
    Case("ui_unknown_key", lambda r: edit(r, "site_config/ui.yml", "home: {", UI_HOM + "\nhome: {"),
         lambda r: [f"site_config/ui.yml:{registry_line(r, 'ui.yml', UI_HOM)}:1: warning: "
                    "unknown UI string 'hom'; did you mean 'home'?"], rc=0),
    # A static page at the URL of a generated one silently collided with it.
    Case("static_page_id_taken",
         lambda r: (write(r, "content/pages/communes.vi.md", PAGE.format(title="Phường, xã")),
                    write(r, "content/pages/bulletins.fr.md", PAGE.format(title="Bulletins"))),
         ["content/pages/bulletins.fr.md:1:1: error: page id 'bulletins' is taken: the site writes its own "
          "/fr/bulletins/; rename the file; these ids are reserved: assets, bulletins, communes, difficulties, "
          "follow-ups, groups, pagefind, search, subscribe",
          "content/pages/communes.vi.md:1:1: error: page id 'communes' is taken: the site writes its own /vi/communes/"]),
    Case("static_page_title_too_long", lambda r: (write(r, "content/pages/about.vi.md", PAGE.format(title="a" * 301)),
                                                  write(r, "content/pages/about.fr.md", PAGE.format(title="À propos"))),
         ["content/pages/about.vi.md:2:8: error: title is too long: 301 characters; at most 300 are allowed"]),
    Case("static_page_title_with_markup",
         lambda r: (write(r, "content/pages/about.vi.md", PAGE.format(title="<script>alert(1)</script>")),
                    write(r, "content/pages/about.fr.md", PAGE.format(title="À propos"))),
         ["content/pages/about.vi.md:2:8: warning: title is plain text: '<script>' will be shown as typed"], rc=0),
    # A conflicted schema file used to crash the check with a JSONDecodeError.
    Case("schema_file_not_json", lambda r: write(r, "schema/bulletin.schema.json", "<<<<<<< HEAD\n"),
         ["schema/bulletin.schema.json:1:1: error: the published JSON Schema is out of date with site_config/"]),
    # --- site.yml: the public face (the minimal project names a made-up publisher) ----------
    # The repository's own site.yml names none: a warning, which --strict leaves a warning
    # (editors cannot fix it; the strict pre-commit check must not block them).
    Case("site_no_publisher", lambda r: edit(r, SITE, PUBLISHER, ""), [NO_PUBLISHER], rc=0),
    Case("site_no_publisher_strict", lambda r: edit(r, SITE, PUBLISHER, ""), [NO_PUBLISHER], rc=0, args=["--strict"]),
    Case("site_no_contact", lambda r: edit(r, SITE, PUBLISHER, PUBLISHER.split("\n")[0] + "\n"),
         ["site_config/site.yml:1:1: warning: no contact: a state portal must give the contact of the agency "
          "responsible (Decree 42/2022/ND-CP); add contact: {address: {vi: ..., fr: ...}, phone: ..., email: ..., "
          "web: ...} (docs/format.md)"], rc=0),
    Case("site_missing", lambda r: remove(r, SITE),
         ["site_config/site.yml:1:1: error: missing registry file site.yml; create site_config/site.yml"]),
    Case("site_phone_not_a_number", lambda r: edit(r, SITE, '"+84 00 0000 0000"', '"call us"'),
         ["site_config/site.yml:3:10: error: contact.phone is not a phone number: 'call us'; write digits, spaces, "
          "dots, hyphens or brackets, with an optional leading '+' and the country code"]),
    Case("site_email_not_an_address", lambda r: edit(r, SITE, '"contact@example.org"', '"contact at example.org"'),
         ["site_config/site.yml:4:10: error: contact.email is not an email address: 'contact at example.org'; "
          "write one address, e.g. 'name@example.org'"]),
    Case("site_web_not_http", lambda r: edit(r, SITE, '  email: "contact@example.org"\n',
                                             '  email: "contact@example.org"\n  web: "javascript:alert(1)"\n'),
         ["site_config/site.yml:5:8: error: contact.web is not an http(s) URL: 'javascript:alert(1)'; "
          "write the full address, starting with https://"]),
    Case("site_contact_empty", lambda r: edit(r, SITE, PUBLISHER, PUBLISHER.split("\n")[0] + "\ncontact: {}\n"),
         ["site_config/site.yml:2:10: error: contact is empty; give at least one of address, phone, email, web, "
          "or remove 'contact'"]),
    Case("site_statement_without_paragraphs", lambda r: edit(r, SITE, "privacy:\n  vi:\n", "privacy:\n  vi: []\n  old:\n"),
         lambda r: [f"site_config/site.yml:{registry_line(r, 'site.yml', '  vi: []')}:7: error: privacy.vi is empty; "
                    "write at least one paragraph, as a line '- \"...\"'",
                    f"site_config/site.yml:{registry_line(r, 'site.yml', '  old:')}:3: error: unknown field 'privacy.old'"]),
    Case("site_statement_missing", lambda r: edit(r, SITE, "\nprivacy:\n", "\nprivate:\n"),
         lambda r: ["site_config/site.yml:1:1: error: missing required field 'privacy'",
                    f"site_config/site.yml:{registry_line(r, 'site.yml', 'private:')}:1: error: unknown field 'private'; "
                    "did you mean 'privacy'?"]),
    Case("site_markup_in_publisher", lambda r: edit(r, SITE, '{vi: "Cơ quan ví dụ"', '{vi: "<script>alert(1)</script>"'),
         ["site_config/site.yml:1:17: warning: publisher.vi is plain text: '<script>' will be shown as typed"], rc=0),
]



def run_check(root: Path, capsys, *args: str) -> tuple[int, list[str]]:
    """`bulletins --root ROOT check ARGS` in-process: exit code and output lines."""
    capsys.readouterr()
    rc = main(["--root", str(root), "check", *args])
    return rc, capsys.readouterr().out.splitlines()


def assert_diagnostics(lines: list[str], expected: list[str]) -> None:
    """Every expected prefix matches its own output line, and nothing else was printed."""
    *diagnostics, count = lines
    unmatched = list(diagnostics)
    for prefix in expected:
        match = next((line for line in unmatched if line.startswith(prefix)), None)
        assert match is not None, f"no line starts with {prefix!r} in:\n" + "\n".join(lines)
        unmatched.remove(match)
    assert not unmatched, "unexpected diagnostics:\n" + "\n".join(unmatched)
    errors = sum(": error: " in line for line in diagnostics)
    assert count == f"{errors} error(s), {len(diagnostics) - errors} warning(s)"


def test_table_is_large_and_named():
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names) >= 35


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def test_minimal_project_is_valid(project, capsys):
    assert run_check(project, capsys) == (0, ["0 error(s), 0 warning(s)"])
    assert run_check(project, capsys, "--strict") == (0, ["0 error(s), 0 warning(s)"])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, project, capsys):
    case.mutate(project)
    expected = case.expected(project) if callable(case.expected) else case.expected
    rc, lines = run_check(project, capsys, *case.args)
    assert_diagnostics(lines, expected)
    assert rc == case.rc, "\n".join(lines)
    # --format github (tests/test_publishing.py): one annotation per finding, same file, line, column and text.
    rc_github, commands = run_check(project, capsys, *case.args, "--format", "github")
    assert (rc_github, annotations_as_text(commands)) == (rc, (lines[:-1], lines[-1:]))


def test_strict_turns_warnings_into_errors(project, capsys):
    edit_both(project, "date: 2025-08-04", "date: 2025-08-05")
    rc, lines = run_check(project, capsys)
    assert rc == 0 and lines[-1] == "0 error(s), 2 warning(s)"
    rc, lines = run_check(project, capsys, "--strict")
    assert rc == 1 and lines[-1] == "2 error(s), 0 warning(s)"
    assert all(": error: the file name's date" in line for line in lines[:-1])


def test_json_format(project, capsys):
    edit(project, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    remove(project, FR)
    capsys.readouterr()
    assert main(["--root", str(project), "check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data == [{"path": VI, "line": 6, "col": 23, "severity": "error",
                     "message": "unknown commune 'ky-lau' in communes[1]", "hint": "did you mean 'ky-lua'?"}]


def test_json_format_strict_and_empty(project, capsys):
    remove(project, FR)
    capsys.readouterr()
    assert main(["--root", str(project), "check", "--format", "json", "--strict"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["path"], d["line"], d["col"], d["severity"], d["message"]) for d in data] == [
        (VI, 1, 1, "error", "missing French translation")]
    assert set(data[0]) == {"path", "line", "col", "severity", "message", "hint"}
    remove(project, VI)
    assert main(["--root", str(project), "check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_paths_filter_to_one_file(project, capsys, monkeypatch):
    edit(project, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    edit(project, FR, "leader: hoang-van-nghiem", "leader: hoang-van-ngiem")
    rc, lines = run_check(project, capsys)
    assert rc == 1 and lines[-1] == "2 error(s), 0 warning(s)"

    rc, lines = run_check(project, capsys, str(project / FR))
    assert rc == 1
    assert_diagnostics(lines, [f"{FR}:4:9: error: unknown person 'hoang-van-ngiem' in leader"])

    monkeypatch.chdir(project / B)  # paths are relative to where the editor stands
    rc, lines = run_check(project, capsys, f"{ID}.vi.md")
    assert rc == 1
    assert_diagnostics(lines, [f"{VI}:6:23: error: unknown commune 'ky-lau' in communes[1]"])

    monkeypatch.chdir(project)
    rc, lines = run_check(project, capsys, "content/")
    assert rc == 1 and lines[-1] == "2 error(s), 0 warning(s)"


def test_paths_filter_clean_file_passes(project, capsys):
    edit(project, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    rc, lines = run_check(project, capsys, str(project / FR))
    assert (rc, lines) == (0, ["0 error(s), 0 warning(s)"])


def test_paths_keep_registry_errors(project, capsys):
    remove(project, "site_config/ui.yml")
    rc, lines = run_check(project, capsys, str(project / FR))
    assert rc == 1
    assert_diagnostics(lines, ["site_config/ui.yml:1:1: error: missing registry file ui.yml"])


def test_paths_missing_file(project, capsys):
    missing = str(project / B / "2025-08-05-group-1.vi.md")
    rc, lines = run_check(project, capsys, missing)
    assert rc == 1
    assert_diagnostics(lines, [f"{missing}:1:1: error: no such file or folder"])


def test_real_repository_passes(capsys):
    """The seed content, registries and published schema of the repository itself."""
    rc, lines = run_check(REPO, capsys)
    assert rc == 0, "\n".join(lines)
    assert lines[-1].startswith("0 error(s)")


def test_follow_up_fixture_project_checks_clean(tmp_path, capsys):
    """The real project plus tests/data/follow_ups (the views' tests use it): clean, and the
    follow-ups reach the model with their dates (given, or the bulletin's)."""
    import datetime as dt

    from bulletins.diagnostics import Report
    from bulletins.project import load_site

    root = follow_up_project(tmp_path / "project")
    rc, lines = run_check(root, capsys, "--strict")
    assert rc == 0
    assert_diagnostics(lines, [NO_PUBLISHER])
    site = load_site(root, Report())
    found = {(b.id, f.item, f.status, f.date) for b in site.bulletins for f in b.follow_ups}
    assert found == {
        ("2025-10-02-group-3", "2025-08-04-group-3#d-16", "in-progress", dt.date(2025, 10, 2)),
        ("2025-11-15-group-1", "2025-08-04-group-3#d-16", "done", dt.date(2025, 11, 10)),
        ("2025-11-15-group-1", "2025-08-04-group-1#r-6", "done", dt.date(2025, 11, 15)),
        ("2025-11-15-group-1", "2025-08-04-group-2#d-2", "declined", dt.date(2025, 10, 20))}
    [d16] = [d for b in site.bulletins if b.id == "2025-08-04-group-3" for d in b.directives if d.id == "d-16"]
    assert d16.to == ("provincial-departments",)


def _bulletins_command() -> list[str]:
    script = Path(sys.executable).with_name("bulletins")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bulletins.cli"]


def _subprocess(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*_bulletins_command(), "--root", str(root), "check", *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_subprocess_unknown_commune(project):
    edit(project, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    done = _subprocess(project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines() == [
        f"{VI}:6:23: error: unknown commune 'ky-lau' in communes[1]; did you mean 'ky-lua'?",
        "1 error(s), 0 warning(s)"]


def test_subprocess_missing_translation_strict(project):
    remove(project, FR)
    done = _subprocess(project)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "0 error(s), 1 warning(s)")
    done = _subprocess(project, "--strict")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.splitlines() == [f"{VI}:1:1: error: missing French translation; add {FR}",
                                        "1 error(s), 0 warning(s)"]


def test_subprocess_bad_tag_no_traceback(project):
    edit(project, VI, "group: 1\n", "group: !!bool maybe\n")
    done = _subprocess(project, "--format", "json")
    assert done.returncode == 1 and done.stderr == ""
    assert [d["message"] for d in json.loads(done.stdout)] == [
        "YAML value cannot be read: 'maybe' is not a valid bool"]


def test_pre_commit_hook_runs_the_strict_check(capsys):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = [r for r in config["repos"] if r["repo"] == "local"]
    [hook] = [h for h in repo["hooks"] if h["id"] == "bulletins-check"]
    assert hook["entry"] == "bulletins check --strict"
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("content/bulletins/2025-08-04-group-1.vi.md") and files.search("site_config/communes.yml")
    assert not files.search("scripts/bulletins/cli.py") and not files.search("docs/content/x.md")
    command, *args = hook["entry"].split()
    assert command == "bulletins"
    capsys.readouterr()
    assert main(["--root", str(REPO), *args]) == 0, capsys.readouterr().out


def test_group_written_as_float_is_published_as_an_int(project):
    """JSON Schema counts 1.0 as an integer; the site must still say group 1, not 1.0."""
    from bulletins.diagnostics import Report
    from bulletins.project import load_site

    edit_both(project, "group: 1\n", "group: 1.0\n")
    report = Report()
    site = load_site(project, report)
    assert report.items == []
    assert [(b.group, type(b.group)) for b in site.bulletins] == [(1, int)]


# --- what the checker accepts, the build can print ------------------------------------------------

FIGURE_EDGES = [0, -1, 1e14, 0.1, 1.5e-7, 12345.678, 999999999999999, 10 ** 15, -999999999999.999, 1e308,
                0.30000000000000004, 5e-324, 123.456789]


def _prints_exactly(value) -> None:
    """Babel's decimal format, which the site uses for figures (i18n.format_number), prints
    ``value`` in vi and fr without raising, and the printed figure reads back as written."""
    from decimal import Decimal

    from babel.numbers import format_decimal, parse_decimal

    written = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    for lang in ("vi", "fr"):
        printed = format_decimal(value, locale=lang)
        assert parse_decimal(printed, locale=lang, strict=False) == written, (value, lang, printed)


@pytest.mark.parametrize("value", FIGURE_EDGES, ids=repr)
def test_accepted_figures_print_exactly(value):
    from bulletins.i18n import format_number
    from bulletins.validate import figure_problem

    if figure_problem(value) is None:
        _prints_exactly(value)
        assert all(format_number(value, lang) for lang in ("vi", "fr"))
    else:
        assert value in (1.5e-7, 10 ** 15, 1e308, 0.30000000000000004, 5e-324, 123.456789)


@given(st.one_of(st.integers(min_value=-10 ** 18, max_value=10 ** 18),
                 st.floats(allow_nan=False, allow_infinity=False),
                 st.floats(min_value=-1e15, max_value=1e15).map(lambda x: round(x, 3)),
                 st.decimals(min_value=-10 ** 15, max_value=10 ** 15, places=3).map(float)))
@settings(max_examples=3000, deadline=None)
def test_every_accepted_figure_prints_exactly(value):
    from bulletins.validate import figure_problem

    if figure_problem(value) is None:
        _prints_exactly(value)


def test_build_crashers_are_reported_by_load_site(project):
    """These passed `load_site` (the build's check) and then failed the render with no file
    or line (InvalidOperation, KeyError: 'nom') or crashed the check (RecursionError)."""
    from bulletins.diagnostics import Report
    from bulletins.project import load_site

    edit_both(project, "value: 6600", "value: 1.0e+308")
    edit(project, "site_config/ui.yml", "Bản tin về {name}\"", "Bản tin về {nom}\"")
    write(project, "content/pages/about.vi.md", "---\ntitle: " + "[" * 1000 + "]" * 1000 + "\n---\n\nText.\n")
    report = Report()
    load_site(project, report)
    found = {(d.path, d.line, d.col, d.message.split(":")[0]) for d in report.items if d.severity == "error"}
    assert found == {(VI, 12, 12, "figures[0].value is too large"), (FR, 12, 12, "figures[0].value is too large"),
                     ("site_config/ui.yml", int(ui_at(project, "feed_title_commune", "vi").split(":")[0]),
                      int(ui_at(project, "feed_title_commune", "vi").split(":")[1]),
                      "UI string 'feed_title_commune' (vi) uses an unknown placeholder '{nom}'"),
                     ("content/pages/about.vi.md", 2, 57, "YAML is nested too deeply (more than 50 levels)")}


def test_subprocess_deep_nesting_no_traceback(project):
    edit(project, VI, TITLE_VI, "title: " + "[" * 1000 + "]" * 1000)
    done = _subprocess(project)
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines()[-1] == "1 error(s), 0 warning(s)"


def test_subprocess_two_missing_translations_no_traceback(project):
    remove(project, FR)
    write(project, f"{B}/2025-08-05-group-1.vi.md", bulletin_text("vi").replace("2025-08-04", "2025-08-05"))
    done = _subprocess(project, "--strict")
    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.splitlines()[-1] == "2 error(s), 0 warning(s)"


# --- dates in the future: "today" is Lạng Sơn's, and tests can set it ------------------------------

def test_date_in_the_future_against_todays_date(project, capsys, monkeypatch):
    monkeypatch.setenv("BULLETINS_TODAY", "2025-08-04")  # the pair's date: not in the future
    assert run_check(project, capsys) == (0, ["0 error(s), 0 warning(s)"])
    monkeypatch.setenv("BULLETINS_TODAY", "2025-08-03")
    rc, lines = run_check(project, capsys)
    assert rc == 0
    assert_diagnostics(lines, [
        f"{FR}:2:7: warning: date (2025-08-04) is in the future: today is 2025-08-03 in Lạng Sơn; "
        "check the year, month and day of the visit",
        f"{VI}:2:7: warning: date (2025-08-04) is in the future: today is 2025-08-03 in Lạng Sơn"])


def test_today_is_lang_sons(monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bulletins.validate import LANG_SON_TIME, today

    monkeypatch.delenv("BULLETINS_TODAY", raising=False)
    before = dt.datetime.now(LANG_SON_TIME).date()
    assert today() in {before, dt.datetime.now(LANG_SON_TIME).date()}  # midnight may pass in between
    monkeypatch.setenv("BULLETINS_TODAY", "2025-02-30")  # not a date: the clock
    assert today() in {before, dt.datetime.now(LANG_SON_TIME).date()}
    try:
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone data on this machine")
    for instant in ("2025-08-03T16:59:59+00:00", "2025-08-03T17:00:00+00:00", "2030-01-01T00:00:00+00:00"):
        moment = dt.datetime.fromisoformat(instant)
        assert moment.astimezone(LANG_SON_TIME).date() == moment.astimezone(zone).date()
    assert dt.datetime.fromisoformat("2025-08-03T17:00:00+00:00").astimezone(LANG_SON_TIME).date() == dt.date(2025, 8, 4)


def test_preview_cache_forgets_when_the_day_changes(project, monkeypatch):
    """The live preview keeps each file's diagnostics while its bytes stay the same: a
    'future' warning must go when its day comes."""
    from bulletins.diagnostics import Report
    from bulletins.project import DocumentCache, load_site

    cache = DocumentCache()
    monkeypatch.setenv("BULLETINS_TODAY", "2025-08-03")
    report = Report()
    load_site(project, report, cache)
    assert len(report.items) == 2
    monkeypatch.setenv("BULLETINS_TODAY", "2025-08-04")
    report = Report()
    load_site(project, report, cache)
    assert report.items == []


# --- paths the checker does not read -------------------------------------------------------------

def test_paths_outside_the_project(project, tmp_path, capsys):
    """`bulletins check PATH` used to say '0 error(s)' about a broken file it never read."""
    stray = tmp_path / "elsewhere" / f"{ID}.vi.md"
    write(tmp_path, f"elsewhere/{ID}.vi.md", "not a bulletin")
    rc, lines = run_check(project, capsys, str(stray))
    assert rc == 1
    assert_diagnostics(lines, [f"{stray}:1:1: error: is outside the project {project.resolve()}; "
                               "run 'bulletins --root PROJECT check' with the folder that holds its site_config/"])
    other = make_project(tmp_path / "other")
    rc, lines = run_check(project, capsys, str(other / VI))
    assert rc == 1
    assert_diagnostics(lines, [f"{other / VI}:1:1: error: is outside the project {project.resolve()}; "
                               f"run 'bulletins --root {other.resolve()} check {other / VI}'"])


def test_paths_inside_the_project_that_are_not_checked(project, capsys, monkeypatch):
    edit(project, VI, "communes: [dong-kinh, ky-lua,", "communes: [dong-kinh, ky-lau,")
    write(project, "notes/todo.md", "x")
    write(project, f"{B}/.draft.vi.md", "x")
    monkeypatch.chdir(project)
    rc, lines = run_check(project, capsys, "notes/todo.md", f"{B}/.draft.vi.md")
    assert rc == 1
    # and not the content's own error: no path given was checked
    assert_diagnostics(lines, ["notes/todo.md:1:1: error: is not checked: 'bulletins check' reads content/bulletins/, "
                               "content/pages/ and site_config/",
                               f"{B}/.draft.vi.md:1:1: error: is not checked: hidden files and folders are skipped"])
    rc, lines = run_check(project, capsys, "site_config/ui.yml", "schema", "content")
    assert rc == 1
    assert_diagnostics(lines, [f"{VI}:6:23: error: unknown commune 'ky-lau' in communes[1]"])


def test_format_doc_lists_the_rules():
    """docs/format.md names the reserved page ids, the UI placeholders and the limits the
    checker applies."""
    from bulletins.registry import UI_PLACEHOLDERS
    from bulletins.schema import MAX_SUMMARY, MAX_TEXT, MAX_TITLE
    from bulletins.validate import FIGURE_DECIMALS, MAX_BODY, RESERVED_PAGE_IDS

    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    pages = doc[doc.index("## Static pages"):][:600]
    assert all(f"`{ident}`" in pages for ident in RESERVED_PAGE_IDS)
    ui = doc[doc.index("A few UI strings have placeholders"):]
    for key, names in UI_PLACEHOLDERS.items():
        assert f"`{key}`" in ui[:900] and all(f"`{{{name}}}`" in ui[:900] for name in names), key  # the paragraph
    for limit in (f"{MAX_TITLE} characters", f"{MAX_SUMMARY} characters", f"{MAX_TEXT:,} characters",
                  f"{MAX_BODY:,}\ncharacters", f"at most {FIGURE_DECIMALS} decimals"):
        assert limit in doc, limit
