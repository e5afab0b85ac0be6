"""A realistic synthetic corpus for benchmarks and scale tests: ``bulletins synth``.

Everything is drawn from the seed project itself (the repository's own bulletins and
registries): the numbers of communes, inspections, participants, figures, difficulties,
recommendations and directives per bulletin, the number of paragraphs and of sentences
per paragraph, and the text — titles, summaries, labels, difficulty, recommendation and
directive sentences and body sentences — taken as aligned (Vietnamese, French) pairs, so
that both files of a synthetic bulletin tell the same story. Commune names and the group
number inside seed sentences are replaced by those of the synthetic bulletin.

Every recommendation and directive gets an id (``r-1``…, ``d-1``…) and, like the seed item
it was drawn from, an addressee (``to``: the bulletin's communes, or the seed's provincial
bodies). About one bulletin in seven (FOLLOW_UP_SHARE) follows up one to three items of
the bulletins of the past year or so (FOLLOW_UP_WINDOW), never one already done or
declined, with a status spread over the vocabulary, a date between the item's and its own,
and a sentence in both languages: the status's words and the item's own text.

The output is a complete project folder (registries, schema, MkDocs configs, templates,
content) that passes ``bulletins check``. It depends only on the seed and the arguments:
the same arguments give byte-identical files (``random.Random(seed)``, no clock)."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
import shutil
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Report
from .model import STATUSES, Action, Bulletin, Site
from .project import load_site

START = dt.date(2025, 7, 1)
PER_WORKING_DAY = 1.6  # bulletins published per working day, on average (7 groups)
COPIED = ("site_config", "schema", "mkdocs.yml", "mkdocs.fr.yml", "overrides", "content/pages")
MARKER = ".synth.json"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/bulletin.schema.json"

# Follow-ups: the share of bulletins that carry some, how many bulletins back they look, and
# how often each status is reported (in-progress and done most, as later visits report).
FOLLOW_UP_SHARE = 0.15
FOLLOW_UP_WINDOW = 400
FOLLOW_UP_MOST = 3
STATUS_WEIGHTS = {"open": 0.15, "in-progress": 0.35, "done": 0.35, "declined": 0.15}
# The follow-up's sentence: these words, then the item's own text.
STATUS_WORDS = {
    "open": ("Chưa triển khai", "Pas encore engagé"),
    "in-progress": ("Đang thực hiện", "En cours"),
    "done": ("Đã hoàn thành", "Réalisé"),
    "declined": ("Không thực hiện", "Écarté"),
}
assert tuple(STATUS_WEIGHTS) == STATUSES == tuple(STATUS_WORDS)

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


class SynthError(RuntimeError):
    pass


# --------------------------------------------------------------------------- templates

Template = tuple  # of str | int (index into the bulletin's communes) | None (the group number)


def _compile(text: str, names: list[str], group: int) -> Template:
    """Cut ``text`` at the seed bulletin's commune names and group number.

    ``names[i]`` is the name of the seed bulletin's i-th commune; the group number is
    recognised only after 'số ' (vi) or 'n° ' (fr)."""
    alternatives = sorted(((n, i) for i, n in enumerate(names)), key=lambda x: -len(x[0]))
    pieces = [re.escape(n) for n, _ in alternatives] + [rf"(?<=số ){group}\b", rf"(?<=n° ){group}\b"]
    pattern = re.compile("|".join(f"({p})" for p in pieces))
    out: list = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        k = m.lastindex - 1
        out.append(alternatives[k][1] if k < len(alternatives) else None)
        pos = m.end()
    out.append(text[pos:])
    return tuple(p for p in out if p != "")


def _render(template: Template, names: list[str], group: int) -> str:
    return "".join(p if isinstance(p, str) else str(group) if p is None else names[p % len(names)]
                   for p in template)


@dataclass(frozen=True)
class Pair:
    """The same text in both languages, as templates."""

    vi: Template
    fr: Template
    extra: tuple = ()  # e.g. a difficulty's tag, an action's tags, a figure's value

    def render(self, names: list[str], group: int) -> tuple[str, str]:
        return _render(self.vi, names, group), _render(self.fr, names, group)


# --------------------------------------------------------------------------- the seed


@dataclass
class Distributions:
    """What a bulletin of the seed looks like, as lists to draw from (one entry per seed
    bulletin or per seed item), and the aligned text pools."""

    communes: list[int]
    inspected: list[float]  # share of the communes inspected
    participants: list[int]
    figures: list[int]
    difficulties: list[int]
    recommendations: list[int]
    directives: list[int]
    paragraphs: list[int]
    sentences: list[int]  # per body paragraph
    explicit_communes: dict[str, float]  # section → share of items naming their communes
    approximate: float
    updated: float
    source: float
    titles: list[Pair]
    summaries: list[Pair]
    figure_labels: list[Pair]  # extra = (value, approximate)
    difficulty_texts: dict[str, list[Pair]]  # tag → texts
    recommendation_texts: list[Pair]  # extra = tags
    directive_texts: list[Pair]  # extra = tags
    addressees: dict[int, object]  # id() of an action's Pair → "communes", a tuple of body ids, or absent
    body_units: list[Pair]  # aligned sentences (or whole paragraphs when they do not align)
    sources: list[str]
    leaders: dict[int, str]  # group → seed leader
    seed_leaders: list[str]
    seed_participants: list[str]
    group_communes: dict[int, list[str]]  # group → communes it visited in the seed


def _names(site: Site, b: Bulletin) -> list[str]:
    return [site.registry.communes[c].name_vi for c in b.communes]


def seed_distributions(site: Site) -> Distributions:
    if not site.bulletins or not all({"vi", "fr"} <= set(b.title) for b in site.bulletins):
        raise SynthError("the seed needs at least one bulletin, each in both languages")
    reg = site.registry

    def pair(b: Bulletin, vi: str, fr: str, extra=()) -> Pair:
        names = _names(site, b)
        return Pair(_compile(vi, names, b.group), _compile(fr, names, b.group), extra)

    def share(items, explicit) -> float:
        items = list(items)
        return sum(1 for x in items if explicit(x)) / len(items) if items else 0.0

    bs = sorted(site.bulletins, key=lambda b: b.id)  # stable, whatever the sort of the site
    difficulty_texts: dict[str, list[Pair]] = {}
    units, sentences, paragraphs = [], [], []
    for b in bs:
        for d in b.difficulties:
            difficulty_texts.setdefault(d.tag, []).append(pair(b, d.text["vi"], d.text["fr"]))
        vi_pars = [p.strip() for p in b.body["vi"].split("\n\n") if p.strip()]
        fr_pars = [p.strip() for p in b.body["fr"].split("\n\n") if p.strip()]
        paragraphs.append(min(len(vi_pars), len(fr_pars)))
        for vp, fp in zip(vi_pars, fr_pars):
            vs, fs = _SENTENCE_END.split(vp), _SENTENCE_END.split(fp)
            if len(vs) == len(fs):
                units += [pair(b, v, f) for v, f in zip(vs, fs)]
                sentences.append(len(vs))
            else:  # sentences do not align: keep the paragraph whole
                units.append(pair(b, vp, fp))
                sentences.append(1)
    for tid, tag in reg.tags.items():  # a tag the seed never raised: its definition
        if tid not in difficulty_texts:
            difficulty_texts[tid] = [Pair((tag.definition["vi"],), (tag.definition["fr"],))]
    leaders: dict[int, str] = {}
    group_communes: dict[int, list[str]] = {}
    for b in bs:
        leaders.setdefault(b.group, b.leader)
        group_communes.setdefault(b.group, [])
        group_communes[b.group] += [c for c in b.communes if c not in group_communes[b.group]]
    entries = lambda section: [(b, x) for b in bs for x in getattr(b, section)]  # noqa: E731
    action_texts: dict[str, list[Pair]] = {"recommendations": [], "directives": []}
    addressees: dict[int, object] = {}
    for section, texts in action_texts.items():
        for b, a in entries(section):
            texts.append(pair(b, a.text["vi"], a.text["fr"], a.tags))
            if a.to:
                addressees[id(texts[-1])] = _addressee_kind(b, a)
    return Distributions(
        communes=[len(b.communes) for b in bs],
        inspected=[len(b.inspected) / len(b.communes) for b in bs],
        participants=[len(b.participants) for b in bs],
        figures=[len(b.figures) for b in bs],
        difficulties=[len(b.difficulties) for b in bs],
        recommendations=[len(b.recommendations) for b in bs],
        directives=[len(b.directives) for b in bs],
        paragraphs=paragraphs,
        sentences=sentences,
        explicit_communes={s: share(entries(s), lambda e: e[1].communes != e[0].communes)
                           for s in ("figures", "difficulties", "recommendations", "directives")},
        approximate=share((f for b in bs for f in b.figures), lambda f: f.approximate),
        updated=share(bs, lambda b: b.updated is not None),
        source=share(bs, lambda b: bool(b.source)),
        titles=[pair(b, b.title["vi"], b.title["fr"]) for b in bs],
        summaries=[pair(b, b.summary["vi"], b.summary["fr"]) for b in bs],
        figure_labels=[pair(b, f.label["vi"], f.label["fr"], (f.value, f.approximate)) for b, f in entries("figures")],
        difficulty_texts=difficulty_texts,
        recommendation_texts=action_texts["recommendations"],
        directive_texts=action_texts["directives"],
        addressees=addressees,
        body_units=units,
        sources=sorted({b.source for b in bs if b.source}),
        leaders=leaders,
        seed_leaders=sorted(set(leaders.values())),
        seed_participants=sorted({p for b in bs for p in b.participants}),
        group_communes=group_communes,
    )


def _addressee_kind(b: Bulletin, a: Action) -> object:
    """What a seed item's ``to`` becomes in a synthetic bulletin: "communes" when it names
    communes of its bulletin (the synthetic item's communes then), else its bodies."""
    if set(a.to) <= set(b.communes):
        return "communes"
    return tuple(t for t in a.to if t not in b.communes)


# --------------------------------------------------------------------------- generation


def working_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def territories(site: Site, dist: Distributions, rng: random.Random) -> dict[int, list[str]]:
    """Each group keeps the communes it visited in the seed and gets a share of the others."""
    groups = sorted(site.registry.groups)
    taken = {c for cs in dist.group_communes.values() for c in cs}
    rest = [c for c in site.registry.communes if c not in taken]
    rng.shuffle(rest)
    out = {g: list(dist.group_communes.get(g, [])) for g in groups}
    for i, c in enumerate(rest):
        out[min(groups, key=lambda g: (len(out[g]), (groups.index(g) - i) % len(groups)))].append(c)
    return out


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _ids(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _number(value) -> str:
    return str(value) if isinstance(value, int) else repr(float(value))


class Generator:
    def __init__(self, site: Site, seed: int):
        self.site, self.reg = site, site.registry
        self.rng = random.Random(seed)
        self.dist = seed_distributions(site)
        self.territory = territories(site, self.dist, self.rng)
        self.groups = sorted(self.reg.groups)
        # follow-ups draw from a generator of their own: the rest of the corpus is as before
        self.follow_rng = random.Random(f"follow-ups-{seed}")
        self.follow_ups_written = 0

    def people_on(self, day: dt.date, preferred: list[str]) -> list[str]:
        titled = [p for p in preferred if p in self.reg.people and self.reg.people[p].title_on(day)]
        return titled or [p for p in sorted(self.reg.people) if self.reg.people[p].title_on(day)]

    def subset(self, communes: list[str], share: float) -> list[str] | None:
        """Communes an item names explicitly, or None for all of the bulletin's communes."""
        if len(communes) < 2 or self.rng.random() >= share:
            return None
        k = self.rng.randint(1, len(communes) - 1)
        chosen = set(self.rng.sample(communes, k))
        return [c for c in communes if c in chosen]

    def bulletin(self, ident: str, day: dt.date, group: int, need_communes: list[str],
                 need_tags: list[str], follow_ups: list | None = None) -> tuple[str, str, list]:
        """Both files of one bulletin, and its items as (id, (vi text, fr text)).
        ``follow_ups``: (reference, status, date or None, (vi text, fr text)) each."""
        rng, d = self.rng, self.dist
        territory = self.territory[group]
        n = min(rng.choice(d.communes), len(territory))
        communes = list(need_communes)
        pool = [c for c in territory if c not in communes]
        communes += rng.sample(pool, max(0, min(len(pool), n - len(communes))))
        names = [self.reg.communes[c].name_vi for c in communes]
        inspected_n = round(rng.choice(d.inspected) * len(communes))
        inspected = set(rng.sample(communes, inspected_n))
        leader_pool = self.people_on(day, [d.leaders.get(group, "")]) or self.people_on(day, d.seed_leaders)
        leader = leader_pool[0] if leader_pool else sorted(self.reg.people)[0]
        others = [p for p in self.people_on(day, d.seed_participants) if p != leader]
        participants = rng.sample(others, min(len(others), rng.choice(d.participants)))

        title = rng.choice(d.titles).render(names, group)
        summary = rng.choice(d.summaries).render(names, group)
        figures = []
        for _ in range(rng.choice(d.figures)):
            label = rng.choice(d.figure_labels)
            value, _ = label.extra
            value = max(1, round(value * rng.uniform(0.3, 2.0))) if isinstance(value, int) else value
            figures.append((label.render(names, group), value, rng.random() < d.approximate,
                            self.subset(communes, d.explicit_communes["figures"])))
        tags = list(need_tags)
        target = rng.choice(d.difficulties)
        while len(tags) < target:
            tags.append(rng.choice(sorted(d.difficulty_texts)))
        rng.shuffle(tags)
        difficulties = [(t, rng.choice(d.difficulty_texts[t]).render(names, group),
                         self.subset(communes, d.explicit_communes["difficulties"])) for t in tags]
        raised = set(tags)

        def actions(section: str, texts: list[Pair]):
            out = []
            answering = [p for p in texts if set(p.extra) & raised]
            plain = [p for p in texts if not p.extra]
            for _ in range(rng.choice(getattr(d, section))):
                pool = answering + plain
                chosen = rng.choice(pool) if pool else rng.choice(texts)
                answered = [t for t in chosen.extra if t in raised]
                where = self.subset(communes, d.explicit_communes[section])
                kind = d.addressees.get(id(chosen))
                to = (where or communes) if kind == "communes" else list(kind or ())
                out.append((chosen.render(names, group), where, answered, to))
            return out

        recommendations = actions("recommendations", d.recommendation_texts)
        directives = actions("directives", d.directive_texts)
        updated = day + dt.timedelta(days=rng.randint(1, 30)) if rng.random() < d.updated else None
        source = None
        if d.sources and rng.random() < d.source:
            base = re.sub(r"-\d+\.html$", "", rng.choice(d.sources))
            source = f"{base}-{rng.randint(5000000, 5999999)}.html"
        body = []
        for _ in range(max(1, rng.choice(d.paragraphs))):
            units = [rng.choice(d.body_units).render(names, group) for _ in range(rng.choice(d.sentences))]
            body.append(units)

        def document(lang: str) -> str:
            k = 0 if lang == "vi" else 1
            lines = ["---", SCHEMA_LINE, f"date: {day.isoformat()}"]
            if updated:
                lines.append(f"updated: {updated.isoformat()}")
            lines += [f"group: {group}", f"leader: {_q(leader)}"]
            if participants:
                lines.append(f"participants: {_ids(participants)}")
            lines.append(f"communes: {_ids(communes)}")
            if inspected:
                lines.append(f"inspected: {_ids([c for c in communes if c in inspected])}")
            lines += [f"title: {_q(title[k])}", f"summary: {_q(summary[k])}"]
            if figures:
                lines.append("figures:")
                for label, value, approximate, where in figures:
                    lines += [f"  - label: {_q(label[k])}", f"    value: {_number(value)}"]
                    if approximate:
                        lines.append("    approximate: true")
                    if where:
                        lines.append(f"    communes: {_ids(where)}")
            if difficulties:
                lines.append("difficulties:")
                for tag, text, where in difficulties:
                    lines.append(f"  - tag: {_q(tag)}")
                    if where:
                        lines.append(f"    communes: {_ids(where)}")
                    lines.append(f"    text: {_q(text[k])}")
            for section, items in (("recommendations", recommendations), ("directives", directives)):
                if items:
                    lines.append(f"{section}:")
                    for n, (text, where, answered, to) in enumerate(items, 1):
                        lines.append(f"  - id: {_q(f'{section[0]}-{n}')}")
                        if to:
                            lines.append(f"    to: {_ids(to)}")
                        lines.append(f"    text: {_q(text[k])}")
                        if where:
                            lines.append(f"    communes: {_ids(where)}")
                        if answered:
                            lines.append(f"    tags: {_ids(answered)}")
            if follow_ups:
                lines.append("follow_ups:")
                for reference, status, when, text in follow_ups:
                    lines += [f"  - item: {_q(reference)}", f"    status: {status}"]
                    if when:
                        lines.append(f"    date: {when.isoformat()}")
                    lines.append(f"    text: {_q(text[k])}")
            if source:
                lines.append(f"source: {_q(source)}")
            lines += ["---", ""]
            lines += ["\n\n".join(" ".join(u[k] for u in par) for par in body), ""]
            return "\n".join(lines)

        items = [(f"{section[0]}-{n}", text) for section, listed in (("recommendations", recommendations),
                                                                      ("directives", directives))
                 for n, (text, *_) in enumerate(listed, 1)]
        return document("vi"), document("fr"), items

    def follow_ups(self, day: dt.date, recent: deque, settled: set[str]) -> list:
        """Follow-ups for a bulletin of ``day``: most bulletins have none; the others report on
        one to three items of ``recent`` bulletins ((id, date, items) each, all dated on or
        before ``day``) not yet done or declined (``settled``, updated here)."""
        rng = self.follow_rng
        if not recent or rng.random() >= FOLLOW_UP_SHARE:
            return []
        out, chosen = [], set()
        for _ in range(rng.randint(1, FOLLOW_UP_MOST)):
            ident, when, items = recent[rng.randrange(len(recent))]
            open_items = [(i, text) for i, text in items
                          if f"{ident}#{i}" not in settled and f"{ident}#{i}" not in chosen]
            if not open_items:
                continue
            item, text = rng.choice(open_items)
            reference = f"{ident}#{item}"
            chosen.add(reference)
            status = rng.choices(STATUSES, weights=[STATUS_WEIGHTS[s] for s in STATUSES])[0]
            if status in ("done", "declined"):
                settled.add(reference)
            # the day it happened: between the item's bulletin and this one; half the time unsaid
            # (the bulletin's own date)
            happened = when + dt.timedelta(days=rng.randint(0, (day - when).days))
            words = STATUS_WORDS[status]
            out.append((reference, status, None if rng.random() < 0.5 or happened == day else happened,
                        (f"{words[0]}: {text[0]}", f"{words[1]} : {text[1]}")))
        self.follow_ups_written += len(out)
        return out

    def corpus(self, count: int):
        """Yield (id, vi text, fr text) for ``count`` bulletins, oldest first."""
        rng = self.rng
        days = working_days(START, max(1, math.ceil(count / PER_WORKING_DAY)))
        plan = sorted((rng.choice(days), rng.choice(self.groups)) for _ in range(count))
        # Coverage: every commune and every tag appears once the corpus is large enough.
        need_communes: dict[int, list[str]] = {}
        need_tags: dict[int, list[str]] = {}
        if count >= len(self.reg.communes):
            slots = rng.sample(range(count), len(self.reg.communes))
            for slot, cid in zip(slots, self.reg.communes):
                need_communes[slot] = [cid]
            # a needed commune must be visited by a group whose territory holds it
            for slot, (day, _) in list(enumerate(plan)):
                if slot in need_communes:
                    owner = next(g for g in self.groups if need_communes[slot][0] in self.territory[g])
                    plan[slot] = (day, owner)
        if count >= len(self.reg.tags):
            for slot, tid in zip(rng.sample(range(count), len(self.reg.tags)), self.reg.tags):
                need_tags[slot] = [tid]
        seen: dict[str, int] = {}
        recent: deque = deque(maxlen=FOLLOW_UP_WINDOW)  # (id, date, items) of the latest bulletins
        settled: set[str] = set()  # items reported done or declined: not followed up again
        for i, (day, group) in enumerate(plan):
            base = f"{day.isoformat()}-group-{group}"
            seen[base] = seen.get(base, 0) + 1
            ident = base if seen[base] == 1 else f"{base}-{seen[base]}"
            follow_ups = self.follow_ups(day, recent, settled)
            vi, fr, items = self.bulletin(ident, day, group, need_communes.get(i, []), need_tags.get(i, []),
                                          follow_ups)
            if items:
                recent.append((ident, day, items))
            yield ident, vi, fr


def synthesize(root: Path, out: Path, count: int, seed: int) -> int:
    """Write a synthetic project with ``count`` bilingual bulletins into ``out``."""
    root, out = Path(root).resolve(), Path(out).resolve()
    if count < 1:
        raise SynthError("--bulletins must be at least 1")
    if out == root or root / "content" in (out, *out.parents):
        raise SynthError(f"refusing to write into the seed project itself ({out})")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SynthError(f"{out} exists and is not a synthetic corpus (no {MARKER}); choose an empty folder")
    report = Report()
    site = load_site(root, report)
    if report.has_errors():
        raise SynthError("the seed project has errors (run 'bulletins check'):\n" + report.render())
    generator = Generator(site, seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, out / name)
        elif src.is_file():
            shutil.copy2(src, out / name)
    folder = out / "content" / "bulletins"
    folder.mkdir(parents=True)
    written = 0
    for ident, vi, fr in generator.corpus(count):
        (folder / f"{ident}.vi.md").write_text(vi, encoding="utf-8")
        (folder / f"{ident}.fr.md").write_text(fr, encoding="utf-8")
        written += 1
    (out / MARKER).write_text(json.dumps({"bulletins": count, "seed": seed}) + "\n", encoding="utf-8")
    return written
