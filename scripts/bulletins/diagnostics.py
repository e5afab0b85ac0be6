"""Problems found in content and registries, reported as ``path:line:col: severity: message``
(or as JSON, or as GitHub Actions workflow commands that put each one on its line of a pull request).

Every check appends to one :class:`Report` instead of raising, so an editor sees every
mistake of a commit in a single run."""

from __future__ import annotations

import difflib
import json
import posixpath
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMATS = ("text", "json", "github")
ANNOTATION_TITLE = "bulletins check"
GITHUB_SHOWN = 10  # annotations of each kind GitHub shows for one step; the rest are only in its log
# GitHub's workflow-command escaping (its toolkit's escapeData and escapeProperty): a message
# may not break the line; a property value may not hold the ',' and ':' that delimit properties.
_DATA_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A"})
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"})


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str
    hint: str = ""
    # False for what editors cannot fix by editing (the site's publisher is not yet named):
    # --strict leaves it a warning, so the strict pre-commit check does not block them.
    escalates: bool = field(default=True, compare=False)

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def annotation(self, base: str = "") -> str:
        """A GitHub Actions workflow command (``::error file=…,line=…,col=…,title=…::message``)
        that shows this finding on its line of a pull request. ``base`` is the project's folder
        relative to the repository root, since GitHub names files from there."""
        path = posixpath.join(base, self.path) if base and not posixpath.isabs(self.path) else self.path
        properties = ",".join(f"{name}={str(value).translate(_PROPERTY_ESCAPES)}" for name, value in (
            ("file", path), ("line", self.line), ("col", self.col), ("title", ANNOTATION_TITLE)))
        message = f"{self.message}; {self.hint}" if self.hint else self.message
        return f"::{self.severity} {properties}::{message.translate(_DATA_ESCAPES)}"


@dataclass
class Report:
    """Collects diagnostics; ``strict`` turns warnings into errors when formatting."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path, line: int, col: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(str(path), line, col, "error", message, hint))

    def warning(self, path, line: int, col: int, message: str, hint: str = "", *, strict: bool = True) -> None:
        """``strict=False``: a warning that ``--strict`` does not turn into an error."""
        self.items.append(Diagnostic(str(path), line, col, "warning", message, hint, escalates=strict))

    def sorted(self, strict: bool = False) -> list[Diagnostic]:
        items = sorted(set(self.items))
        if strict:
            items = [Diagnostic(d.path, d.line, d.col, "error", d.message, d.hint) if d.escalates else d
                     for d in items]
        return items

    def has_errors(self, strict: bool = False) -> bool:
        return any(d.severity == "error" or (strict and d.escalates) for d in self.items)

    def render(self, fmt: str = "text", strict: bool = False, base: str = "") -> str:
        """``fmt`` is one of FORMATS; ``base`` (github only) is the project's folder relative to
        the repository root."""
        items = self.sorted(strict)
        if fmt == "json":
            return json.dumps([{k: v for k, v in asdict(d).items() if k != "escalates"} for d in items],
                              ensure_ascii=False, indent=2)
        errors = sum(d.severity == "error" for d in items)
        warnings = len(items) - errors
        lines = [d.annotation(base) if fmt == "github" else d.format() for d in items]
        lines.append(f"{errors} error(s), {warnings} warning(s)")
        if fmt == "github" and max(errors, warnings) > GITHUB_SHOWN:
            lines.append(f"a pull request shows the first {GITHUB_SHOWN} errors and {GITHUB_SHOWN} warnings of a step; "
                         "run 'bulletins check' for all of them as file:line:col")
        return "\n".join(lines)


def did_you_mean(value: str, choices) -> str:
    """A hint naming the closest known id, or '' when nothing is close."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def relpath(path: Path, root: Path) -> str:
    """A path as editors see it in git: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
