"""Synthetic programs for the benchmark: k one-to-one tracks, 3k templates, k weekly series of 48 occurrences.

The programs are realistic: made from the shipped example (``program.yml`` and ``content/``), so
every page carries as much text as the example's pages, of the same kind. Each track has:

- a guide page of at least 700 words (the example's guides have about 650): sections of paragraphs,
  a bulleted list and a table, its sentences drawn from the example's guides and pages in an order
  of its own (a seeded shuffle: every page is distinct text, the same for every run);
- its own agreement (the example's clauses, each with a sentence of its own, the example's seven
  policies, and a body page like the example's), agenda and checklist (the example's, in turn);
- a weekly series of 48 sessions.

Organisations run programs in several languages: every guide and the home page also carry two
sections of prose in other scripts (Latin with diacritics, Greek, Cyrillic, Arabic, Devanagari,
Chinese, Japanese: text the privacy scanners and the search index must handle too).

The home page (content/index.md, the page the live-preview benchmark edits) is a page of prose too.
Everything grows linearly with k. The templates' text is about 7,500 characters a track, so k is at
most 26 within the loader's limit on download text (MAX_DOWNLOAD_TEXT).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "program.yml"
PROSE = sorted((ROOT / "content" / "guides").glob("*.md")) + sorted((ROOT / "content" / "about").glob("*.md"))

GUIDE_WORDS = 700
HOME_WORDS = 650
BODY_WORDS = 300


#: Short mentoring prose in other languages and scripts (written for the benchmark).
SCRIPTS: dict[str, list[str]] = {
    "Deutsch": [
        "Die Mentorin und der Mentee vereinbaren zu Beginn gemeinsame Ziele für das Programm.",
        "Vertraulichkeit ist die Grundlage jeder Mentoring-Beziehung; was im Gespräch gesagt wird, bleibt dort.",
        "Nach jedem Treffen hält der Mentee fest, was er ausprobieren möchte und woran er gewachsen ist.",
        "Das Programmbüro hilft bei der Zuordnung, liest aber keine Gesprächsnotizen.",
    ],
    "Ελληνικά": [
        "Ο μέντορας και ο καθοδηγούμενος συμφωνούν στους στόχους τους από την πρώτη συνάντηση.",
        "Η εμπιστοσύνη και η εχεμύθεια είναι η βάση κάθε σχέσης καθοδήγησης.",
        "Μετά από κάθε συνάντηση ο καθοδηγούμενος σημειώνει τι θα δοκιμάσει μέχρι την επόμενη.",
        "Το γραφείο του προγράμματος βοηθά στη γνωριμία, αλλά δεν διαβάζει τις σημειώσεις.",
    ],
    "Русский": [
        "Наставник и подопечный в начале программы договариваются о целях и о том, как часто встречаться.",
        "Конфиденциальность лежит в основе наставничества: сказанное на встрече остаётся между ними.",
        "После каждой встречи подопечный записывает, что он попробует сделать до следующей.",
        "Офис программы помогает подобрать пару, но не читает записи встреч.",
    ],
    "العربية": [
        "يتفق المرشد والمتدرب في بداية البرنامج على الأهداف وعلى مواعيد اللقاءات.",
        "السرية أساس كل علاقة إرشاد، وما يقال في اللقاء يبقى بين الطرفين.",
        "بعد كل لقاء يكتب المتدرب ما سيجربه قبل اللقاء التالي.",
        "يساعد مكتب البرنامج في تكوين الثنائيات ولا يطلع على ملاحظات اللقاءات.",
    ],
    "हिन्दी": [
        "कार्यक्रम की शुरुआत में मार्गदर्शक और प्रशिक्षु मिलकर अपने लक्ष्य तय करते हैं।",
        "गोपनीयता हर मार्गदर्शन संबंध की नींव है; बैठक में कही गई बात वहीं रहती है।",
        "हर बैठक के बाद प्रशिक्षु लिखता है कि अगली बैठक तक वह क्या आज़माएगा।",
        "कार्यक्रम कार्यालय जोड़ी बनाने में मदद करता है, पर बैठक के नोट्स नहीं पढ़ता।",
    ],
    "中文": [
        "导师和学员在项目开始时共同确定目标和见面的频率。",
        "保密是每一段导师关系的基础，谈话中说的话只留在谈话中。",
        "每次见面之后，学员写下下次见面之前想尝试的事情。",
        "项目办公室协助配对，但不阅读谈话记录。",
    ],
    "日本語": [
        "メンターとメンティーは、プログラムの最初に目標と面談の頻度を一緒に決めます。",
        "守秘はすべてのメンタリング関係の土台であり、面談で話したことは面談の中にとどまります。",
        "面談のあと、メンティーは次の面談までに試してみることを書き留めます。",
        "プログラム事務局は組み合わせを手伝いますが、面談の記録は読みません。",
    ],
}


def _scripts(rng: random.Random, count: int = 2) -> str:
    """``count`` sections of prose in other languages, each from a different script."""
    out = []
    for language in rng.sample(sorted(SCRIPTS), count):
        sentences = SCRIPTS[language]
        out.append(f"## {language}")
        out.append(" ".join(rng.sample(sentences, len(sentences))) + " " + " ".join(rng.sample(sentences, 2)))
    return "\n\n".join(out)


def _usable(text: str) -> bool:
    """Text that reads the same on any page: no placeholder, link, address, emphasis or HTML."""
    return not any(c in text for c in "{}[]@<>|*`!") and len(text.split()) >= 4


class Corpus:
    """The example's prose: sentences, list items and headings."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.items: list[str] = []
        self.headings: list[str] = []
        for path in PROSE:
            for block in path.read_text(encoding="utf-8").split("\n\n"):
                block = block.strip()
                if block.startswith("## "):
                    self.headings.append(block[3:].strip())
                elif block.startswith("- "):
                    for item in re.split(r"\n- ", block[2:]):
                        item = " ".join(item.split())
                        if _usable(item):
                            self.items.append(item)
                elif block and block[0].isalpha():
                    for sentence in re.split(r"(?<=[.?])\s+", " ".join(block.split())):
                        if _usable(sentence) and sentence[0].isupper():
                            self.sentences.append(sentence)
        self.headings = [h for h in dict.fromkeys(self.headings) if _usable(h + " x x x")]


def _prose(corpus: Corpus, rng: random.Random, words: int, *, intro: str = "", table_roles: tuple[str, ...] = (),
           scripts: bool = False) -> str:
    """Markdown of at least ``words`` words: sections with paragraphs, one list and one table
    (``scripts``: then two sections in other languages' scripts)."""
    out = [intro] if intro else []
    count = len(intro.split())
    headings = rng.sample(corpus.headings, len(corpus.headings))
    section = 0
    while count < words:
        heading = headings[section % len(headings)]
        out.append(f"## {heading}" + (f" ({section // len(headings) + 1})" if section >= len(headings) else ""))
        for _ in range(rng.randint(1, 2)):
            paragraph = " ".join(rng.sample(corpus.sentences, rng.randint(3, 5)))
            out.append(paragraph)
            count += len(paragraph.split())
        if section == 1:
            items = rng.sample(corpus.items, 5)
            out.append("\n".join(f"- {item}" for item in items))
            count += sum(len(i.split()) for i in items)
        if section == 2:
            rows = ["| When | What happens | Who leads |", "| --- | --- | --- |"]
            for n, item in enumerate(rng.sample(corpus.items, 4), start=1):
                who = table_roles[n % len(table_roles)] if table_roles else "Both"
                rows.append(f"| Month {n * 2} | {item} | {who} |")
                count += len(item.split()) + 3
            out.append("\n".join(rows))
        section += 1
    if scripts:
        out.append(_scripts(rng))
    return "\n\n".join(out) + "\n"


def _example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def build(k: int) -> tuple[dict, dict[str, str]]:
    """The program (as data) and its body files (content/ path -> Markdown)."""
    corpus, example = Corpus(), _example()
    by_kind: dict[str, list[dict]] = {}
    for t in example["templates"]:
        by_kind.setdefault(t["kind"], []).append(t)
    agreement = next(t for t in by_kind["contract"] if t["id"] == "mentoring-agreement")
    agreement_body = (ROOT / "content" / agreement["body"]).read_text(encoding="utf-8")
    roles = {r["id"] for r in example["roles"]}
    bodies: dict[str, str] = {}
    tracks, templates, sessions = [], [], []
    for i in range(k):
        rng = random.Random(f"benchmark-track-{i}")
        source = example["tracks"][i % 3]  # the one-to-one and reverse tracks, in turn
        ids = [f"agreement-{i}", f"agenda-{i}", f"checklist-{i}"]
        bodies[f"guides/track-{i}.md"] = _prose(
            corpus, rng, GUIDE_WORDS, table_roles=("The mentee", "The mentor", "Both"), scripts=True,
            intro=f"{{{{ track.title }}}} is one of the {k} tracks of the {{{{ program.title }}}}. "
                  + " ".join(rng.sample(corpus.sentences, 3)),
        )
        tracks.append({
            "id": f"track-{i}", "title": f"{source['title']} {i + 1}", "format": "one-to-one",
            "summary": source["summary"], "mentor": "mentor", "mentee": "mentee", "domains": source["domains"],
            "cadence": {"every_weeks": 4, "minutes": 60}, "duration_months": 9,
            "templates": ids, "body": f"guides/track-{i}.md",
        })
        clauses = []
        for clause in agreement["clauses"]:
            if "text" in clause:
                clause = {**clause, "text": clause["text"].strip() + " " + rng.choice(corpus.sentences)}
            clauses.append(clause)
        body = agreement_body + "\n" + _prose(corpus, rng, BODY_WORDS - len(agreement_body.split()) // 2)
        bodies[f"templates/agreement-{i}.md"] = body
        templates.append({**agreement, "id": ids[0], "title": f"{agreement['title']} ({i + 1})", "clauses": clauses,
                          "body": f"templates/agreement-{i}.md"})
        agenda = by_kind["agenda"][i % len(by_kind["agenda"])]
        items = [{**item, "lead": item["lead"] if item["lead"] in roles | {"both"} else "mentee"} for item in agenda["items"]]
        templates.append({**agenda, "id": ids[1], "title": f"{agenda['title']} ({i + 1})", "items": items})
        checklist = by_kind["checklist"][i % len(by_kind["checklist"])]
        templates.append({**checklist, "id": ids[2], "title": f"{checklist['title']} ({i + 1})"})
        sessions.append({
            "id": f"circle-{i}", "title": f"Leadership circle {i + 1}", "host": "president",
            "start": f"2027-01-{11 + i % 7:02d}T16:00", "minutes": 90, "location": f"Meeting room {i + 1}, Head office",
            "audience": ["mentee", "mentor"], "repeat": "FREQ=WEEKLY;COUNT=48",
        })
    info = {**example["program"], "id": f"benchmark-{k}", "title": f"Benchmark programme ({k} tracks)"}
    program = {
        "version": 1, "program": info, "roles": example["roles"], "domains": example["domains"],
        "policies": example["policies"], "tracks": tracks, "templates": templates, "sessions": sessions,
        "privacy": example.get("privacy", {}),
    }
    home = _prose(corpus, random.Random("benchmark-home"), HOME_WORDS, scripts=True,
                  intro="# Home\n\nWelcome to the benchmark programme. " + " ".join(corpus.sentences[:3]))
    bodies["index.md"] = home
    return program, bodies


def program(k: int) -> str:
    """program.yml for k tracks (the bodies: :func:`build`)."""
    data, _ = build(k)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


MKDOCS_YML = """\
site_name: Benchmark
docs_dir: content
theme:
  name: material
  font: false
  features: [navigation.sections, navigation.indexes]
markdown_extensions: [admonition, attr_list, md_in_html, tables, {toc: {permalink: true}}]
plugins:
  - search
"""


def write_portal(dir: Path, k: int) -> Path:
    """A portal project for k: program.yml, content/ (the home page and the bodies), mkdocs.yml."""
    data, bodies = build(k)
    for name, text in bodies.items():
        (dir / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (dir / "content" / name).write_text(text, encoding="utf-8")
    (dir / "program.yml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False), encoding="utf-8")
    (dir / "mkdocs.yml").write_text(MKDOCS_YML + "  - program-portal\n", encoding="utf-8")
    return dir


def words(dir: Path) -> dict[str, int]:
    """Words per page source under content/ (for the benchmark's header)."""
    return {str(p.relative_to(dir / "content")): len(p.read_text(encoding="utf-8").split())
            for p in sorted((dir / "content").rglob("*.md"))}


def write_plain(dir: Path, portal_dir: Path) -> Path:
    """The same pages as ordinary Markdown for plain Material: what the portal generates, written out."""
    import sys

    from program_portal.build import check_project
    from program_portal.render.site import navigation

    report = check_project(portal_dir, portal_dir / "program.yml", portal_dir / "content")
    if report.errors or report.pages is None:
        sys.exit("\n".join(str(d) for d in report.diagnostics))
    content = dir / "content"
    pages = {"index.md": (portal_dir / "content" / "index.md").read_text(encoding="utf-8"), **report.pages.pages}
    for src, text in pages.items():
        (content / src).parent.mkdir(parents=True, exist_ok=True)
        (content / src).write_text(text, encoding="utf-8")

    nav = navigation(report.pages, ["index.md"])
    # MkDocs leaves out docs_dir/templates/ by default; the portal adds those pages itself
    (dir / "mkdocs.yml").write_text(MKDOCS_YML + f"exclude_docs: '!/templates/'\nnav: {json.dumps(nav)}\n", encoding="utf-8")
    return dir
