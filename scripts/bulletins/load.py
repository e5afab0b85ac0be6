"""Load: files on disk → raw records (front matter values, body) with source positions.

Nothing here judges content; it only reads bytes, splits front matter from body and
remembers where every YAML key and value stands, so that validation can name the
exact line and column of each mistake."""

from __future__ import annotations

import bisect
import marshal
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import Report

LANGUAGES = ("vi", "fr")
BULLETIN_NAME = re.compile(r"^(?P<id>\d{4}-\d{2}-\d{2}(?:-[a-z0-9]+)+)\.(?P<lang>[a-z]{2})\.md$")
PAGE_NAME = re.compile(r"^(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>[a-z]{2})\.md$")

Path_ = tuple  # a path into a YAML document: ("difficulties", 2, "tag")


@dataclass
class Positioned:
    """A YAML document as plain Python values plus the position of every node.

    ``value_at[path]`` is the (line, col) of the value at ``path``; ``key_at[path]`` that
    of the mapping key that introduced it. Lines and columns are 1-based, file-relative.

    Pickled (from a check worker, into the build cache), the two tables travel as one
    marshal blob, read back only when ``where`` is asked: as tuples they cost the check
    process 410 MiB of its peak at 10,000 bulletins, and a process that receives them reads
    positions only for the checks across files (follow-ups, translations that disagree)."""

    value: object
    value_at: dict = field(default_factory=dict)
    key_at: dict = field(default_factory=dict)

    def __getstate__(self) -> dict:
        return {"value": self.value, "tables": marshal.dumps((self.value_at, self.key_at))}

    def __setstate__(self, state: dict) -> None:
        self.value, self._tables = state["value"], state["tables"]

    def tables(self) -> tuple[dict, dict]:
        """``value_at`` and ``key_at``; an unpickled document's decoded (not kept)."""
        if "_tables" in self.__dict__:
            return marshal.loads(self.__dict__["_tables"])
        return self.value_at, self.key_at

    def __getattr__(self, name: str):
        if name in ("value_at", "key_at") and "_tables" in self.__dict__:
            return self.tables()[name == "key_at"]
        raise AttributeError(name)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Best position for ``path``: itself, else its nearest ancestor."""
        value_at, key_at = self.tables()
        table = key_at if key else value_at
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if not key and path in key_at:
                return key_at[path]
            path = path[:-1]
        return value_at.get((), (1, 1))


class _Constructor(yaml.SafeLoader):
    """SafeLoader whose scalar construction we call node by node."""


_YAML_TAG = "tag:yaml.org,2002:"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# libyaml's parser when PyYAML was built with it: composing is most of a build's reading time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_NODES = 100_000  # a bulletin has a few hundred; the site's largest registry a few thousand
# A front matter is 4 levels deep (figures[0].communes[0]), a registry 4 (people's titles). Python
# recursion (PyYAML's composer, and ``build`` below) stays far from its limit at this depth.
MAX_DEPTH = 50
# A '\ud800' escape in a quoted YAML string gives half a character, which no file can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _positions(text: str, line_offset: int):
    """Mark → (line, col) as editors count them. PyYAML's own ``mark.line`` also breaks lines
    at U+0085, U+2028 and U+2029 (pasted from word processors), which would shift every
    position after one; ``mark.index`` counts characters, so count '\\n' from there."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(mark) -> tuple[int, int]:
        line = bisect.bisect_right(starts, mark.index) - 1
        return line + 1 + line_offset, mark.index - starts[line] + 1
    return at


_DEEP_HINT = "no field nests that deep: remove the extra brackets or indentation"


class TooDeep(yaml.YAMLError):
    """A node nested more than MAX_DEPTH levels deep, at ``problem_mark``."""

    def __init__(self, mark):
        super().__init__(f"more than {MAX_DEPTH} levels")
        self.problem_mark = mark


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's own composer recurses once per level: 1,000 nested '[' exhausted Python's
    stack (a 3,000-line traceback). Stop at MAX_DEPTH with the node's position instead."""

    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= MAX_DEPTH:
            raise TooDeep(self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if _LOADER is yaml.SafeLoader:
    _LOADER = _DepthLimitedLoader


def _compose(text: str):
    """Compose with libyaml (fast); on an error, compose again with PyYAML's own parser,
    whose messages are the ones the checker reports and its tests pin."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        if _LOADER is _DepthLimitedLoader:
            raise
    return yaml.compose(text, Loader=_DepthLimitedLoader)


# Characters that reorder the text around them (embeddings, overrides, isolates: the "Trojan
# Source" set): what readers see is not what is stored, or what the checker read. U+200E/U+200F
# (left-to-right/right-to-left marks) and U+061C are not here: they only set the direction of
# the neutral characters beside them and cannot reverse a run of letters.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BIDI_NAMES = {0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
               0x202C: "POP DIRECTIONAL FORMATTING", 0x202D: "LEFT-TO-RIGHT OVERRIDE",
               0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
               0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE",
               0x2069: "POP DIRECTIONAL ISOLATE"}
BIDI_HINT = "delete it: it can make the text display in a different order than it is written"


def bidi_name(char: str) -> str:
    return f"U+{ord(char):04X} ({_BIDI_NAMES[ord(char)]})"


def check_bidi(text: str, shown: str, report: Report, line_offset: int = 0) -> None:
    """Warn about each bidirectional control character of ``text``, at its line and column."""
    if not BIDI_CONTROLS.search(text):
        return
    for m in BIDI_CONTROLS.finditer(text):
        line = text.count("\n", 0, m.start())
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        report.warning(shown, line + 1 + line_offset, col,
                       f"invisible bidirectional control character {bidi_name(m.group())}", BIDI_HINT)


def parse_yaml(text: str, path, report: Report, line_offset: int = 0) -> Positioned | None:
    """Parse one YAML document, keeping positions; YAML errors go to ``report``.

    Dates stay the strings the editor wrote (``"2025-08-04"``), so the JSON Schema that
    editors' language servers use sees exactly what the checker sees."""
    at = _positions(text, line_offset)
    try:
        node = _compose(text)
    except TooDeep as exc:
        report.error(path, *at(exc.problem_mark), f"YAML is nested too deeply (more than {MAX_DEPTH} levels)",
                     _DEEP_HINT)
        return None
    except yaml.YAMLError as exc:
        line, col, problem = _yaml_error_position(exc, text, at)
        hint = ("delete the invisible character (often pasted from another program)"
                if isinstance(exc, yaml.reader.ReaderError)
                else "check indentation, quotes and colons on this line (quote text that contains ': ')")
        report.error(path, line, col, f"YAML syntax error: {problem}", hint)
        return None
    doc = Positioned(None)
    if node is None:
        doc.value_at[()] = (line_offset + 1, 1)
        return doc
    constructor = _Constructor("")
    ok = True
    budget = [_MAX_NODES]

    def surrogate(n) -> bool:
        nonlocal ok
        found = isinstance(n, yaml.ScalarNode) and _SURROGATE.search(n.value)
        if found:
            report.error(path, *at(n.start_mark),
                         f"YAML escape '\\u{ord(found.group()):04x}' is not a character (half of a surrogate pair)",
                         "type the character itself instead of a '\\u' escape")
            ok = False
        return bool(found)

    def bidi_escape(n) -> None:
        """A bidirectional control written as a YAML escape ('\\u202e'): the text holds it
        although the file does not (those the file holds are reported by check_bidi)."""
        found = isinstance(n, yaml.ScalarNode) and BIDI_CONTROLS.search(n.value)
        if found and not BIDI_CONTROLS.search(text, n.start_mark.index, n.end_mark.index):
            report.warning(path, *at(n.start_mark),
                           f"YAML escape gives an invisible bidirectional control character {bidi_name(found.group())}",
                           BIDI_HINT)

    inside: set[int] = set()  # the nodes being built, around this one

    def build(n, p):
        budget[0] -= 1
        if budget[0] < 0:
            raise RecursionError  # aliases of aliases ('billion laughs') expand without end
        if id(n) in inside:
            raise _SelfAlias(n.start_mark)
        if len(p) >= MAX_DEPTH:
            raise TooDeep(n.start_mark)  # libyaml composes up to 1,000 levels; this recurses
        doc.value_at[p] = at(n.start_mark)
        if isinstance(n, (yaml.MappingNode, yaml.SequenceNode)) and n.tag not in (_MAP, _SEQ):
            # '!!python/object/apply:…' and friends: never constructed, and never read as plain data
            report.error(path, *at(n.start_mark), f"YAML value cannot be read: the tag '{n.tag.replace(_YAML_TAG, '!!')}' is not allowed",
                         "remove the '!tag'")
            nonlocal ok
            ok = False
            return None
        if isinstance(n, (yaml.MappingNode, yaml.SequenceNode)):
            inside.add(id(n))
            try:
                return build_collection(n, p)
            finally:
                inside.discard(id(n))
        bidi_escape(n)
        return build_scalar(n)

    def build_collection(n, p):
        nonlocal ok
        if isinstance(n, yaml.MappingNode):
            out = {}
            for key_node, value_node in n.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    report.error(path, *at(key_node.start_mark), "a mapping key must be a plain name",
                                 "write `name: value`")
                    ok = False
                    continue
                if surrogate(key_node):
                    continue
                key = str(key_node.value)
                child = p + (key,)
                if key in out:
                    report.error(path, *at(key_node.start_mark), f"duplicate key '{key}'", "keep one of the two lines")
                    ok = False
                doc.key_at[child] = at(key_node.start_mark)
                out[key] = build(value_node, child)
            return out
        return [build(item, p + (i,)) for i, item in enumerate(n.value)]

    def build_scalar(n):
        nonlocal ok
        if surrogate(n):
            return None
        if n.tag == _TIMESTAMP or n.tag == _STR:
            return n.value  # dates stay text (see above); text needs no constructor
        try:
            return constructor.construct_object(n, deep=True)
        except (yaml.YAMLError, ValueError, LookupError) as exc:
            # PyYAML's own constructors raise bare ValueError/KeyError/IndexError on
            # explicit tags with bad values ('!!int abc', '!!bool maybe', '!!int ""').
            problem = getattr(exc, "problem", None) or f"'{n.value}' is not a valid {n.tag.rsplit(':', 1)[-1]}"
            report.error(path, *at(n.start_mark), f"YAML value cannot be read: {problem}",
                         "remove the '!tag' or quote the value")
            ok = False
            return None

    try:
        doc.value = build(node, ())
    except TooDeep as exc:
        report.error(path, *at(exc.problem_mark), f"YAML is nested too deeply (more than {MAX_DEPTH} levels)",
                     _DEEP_HINT)
        return None
    except _SelfAlias as exc:
        report.error(path, *at(exc.mark), "a YAML alias ('*name') refers to the value that contains it",
                     "write the values out instead of '*alias'")
        return None
    except RecursionError:
        report.error(path, line_offset + 1, 1,
                     f"YAML aliases expand too far (more than {_MAX_NODES:,} values)",
                     "write values out instead of '*alias'")
        return None
    return doc if ok else None


class _SelfAlias(Exception):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


def _yaml_error_position(exc: yaml.YAMLError, text: str, at) -> tuple[int, int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    if mark is not None:
        context = getattr(exc, "context", None)
        opened = getattr(exc, "context_mark", None)
        if context and opened is not None and at(opened)[0] != at(mark)[0]:
            # An unclosed quote or bracket is found lines later; say where it was opened.
            context = f"{context} started on line {at(opened)[0]}"
        message = f"{context}, {problem}" if context and problem and context != problem else (problem or str(exc))
        return (*at(mark), message)
    position = getattr(exc, "position", None)  # yaml.reader.ReaderError
    if position is not None:
        line, col = at(yaml.error.Mark("", position, 0, 0, None, None))  # only the index counts
        character = getattr(exc, "character", "")
        code = ord(character) if isinstance(character, str) and character else character  # PyYAML gives an int
        char = f"{code:#06x}" if isinstance(code, int) else repr(code)
        return line, col, f"character {char} is not allowed in YAML"
    line, col = at(yaml.error.Mark("", 0, 0, 0, None, None))
    return line, col, str(exc).splitlines()[0] if str(exc) else "unreadable YAML"


@dataclass
class RawDocument:
    """One Markdown file with front matter: the unit editors write."""

    path: str
    id: str
    lang: str
    front: Positioned | None
    body: str
    body_line: int  # 1-based line of the first body line
    front_end_line: int  # the line of the closing '---'


def read_text(path: Path, shown: str, report: Report) -> str | None:
    """File bytes → text, refusing anything that is not UTF-8 (with the offending line) and
    warning about bidirectional control characters."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(shown, 1, 1, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(shown, line, col, f"file is not valid UTF-8 (byte {data[exc.start]:#04x})",
                     "save the file with UTF-8 encoding")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.error(shown, line, 1, "file contains a NUL byte", "this looks like a binary file; save the text as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_bidi(text, shown, report)  # front matter, body, comments: wherever editors can see text
    return text


def split_front_matter(text: str, shown: str, report: Report) -> tuple[str, str, int, int] | None:
    """Return (front matter, body, first body line, closing line) or report why not."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.error(shown, 1, 1, "missing front matter: the file must start with a line '---'",
                     "start the file with '---', the fields, then '---' and the text")
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:i])
            body = "\n".join(lines[i + 1:])
            return front, body, i + 2, i + 1
    report.error(shown, 1, 1, "front matter is not closed",
                 "add a line '---' after the last field, before the text")
    return None


def load_document(path: Path, shown: str, name_pattern: re.Pattern, report: Report) -> RawDocument | None:
    """Read one content file; its name must follow ``name_pattern`` (id.lang.md)."""
    match = name_pattern.match(path.name)
    if not match:
        example = "2025-08-04-group-1.vi.md" if name_pattern is BULLETIN_NAME else "about.vi.md"
        report.error(shown, 1, 1, f"file name '{path.name}' does not match the pattern <id>.<lang>.md",
                     f"rename it like '{example}' (lower-case letters, digits and hyphens)")
        return None
    if match["lang"] not in LANGUAGES:
        report.error(shown, 1, 1, f"unknown language '{match['lang']}' in the file name",
                     "use '.vi.md' (Vietnamese) or '.fr.md' (French)")
        return None
    text = read_text(path, shown, report)
    if text is None:
        return None
    parts = split_front_matter(text, shown, report)
    if parts is None:
        return None
    front_text, body, body_line, end_line = parts
    front = parse_yaml(front_text, shown, report, line_offset=1)
    return RawDocument(shown, match["id"], match["lang"], front, body, body_line, end_line)


def content_files(folder: Path) -> list[Path]:
    """Every non-hidden file below ``folder``, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
