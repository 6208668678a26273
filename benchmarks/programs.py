"""Synthetic programs for the benchmark: k one-to-one tracks, 3k templates, k weekly series of 50 occurrences.

Each track has its own agreement, agenda and checklist (with inline Markdown and blanks, as
designers write them), so the program, its pages and its downloads all grow linearly with k.
"""

from __future__ import annotations

from pathlib import Path


def program(k: int) -> str:
    """A valid program.yml with k tracks, 3k templates and k weekly session series (no design warning)."""
    lines = [
        "version: 1",
        "program:",
        f"  id: bench-{k}",
        f"  title: Benchmark programme ({k} tracks)",
        "  organisation: Example Group",
        "  summary: A synthetic programme with **inline Markdown**, used to measure the build.",
        "  language: en",
        "  timezone: Europe/London",
        "  starts: 2027-01-04",
        "  ends: 2027-12-31",
        "  objectives: [Grow leaders, Share *experience*, Keep it confidential]",
        "roles:",
        "  - {id: mentee, kind: mentee, title: Mentee, summary: Owns the *relationship*., responsibilities: [Prepare, Follow up]}",
        "  - {id: mentor, kind: mentor, title: Mentor, summary: Shares **experience**., responsibilities: [Listen, Challenge]}",
        "  - {id: sponsor, kind: sponsor, title: Sponsor, summary: Signs the agreements.}",
        "  - {id: office, kind: program-office, title: Programme office, summary: Runs the programme.}",
        "  - {id: host, kind: executive, title: Host, one_to_one: false, summary: Hosts group sessions.}",
        "policies:",
        "  - {id: conf, kind: confidentiality, title: Confidentiality, rules: [What is said *stays* in the room., Notes belong to the mentee.]}",
        "  - {id: sep, kind: assessment-firewall, title: Separation from appraisal, rules: [Mentors never take part in an **appraisal**.]}",
        "  - {id: job, kind: employment-protection, title: Your job is safe, rules: [Taking part never affects *employment*.]}",
        "  - {id: exit, kind: no-fault-exit, title: No-fault exit, rules: [Either side may end it, no reason needed.]}",
        "domains:",
        "  - {id: lead, title: Leadership, scope: shared, summary: Leading *people*.}",
        "  - {id: strat, title: Strategy, scope: additional, summary: Seeing the **whole**.}",
        "tracks:",
    ]
    for i in range(k):
        lines.append(
            f"  - {{id: t{i}, title: Track {i}, format: one-to-one, mentor: mentor, mentee: mentee, domains: [lead, strat],"
            f" summary: Track {i} pairs a *mentor* with a **mentee**., cadence: {{every_weeks: 4, minutes: 60}},"
            f" duration_months: 9, templates: [agreement-{i}, agenda-{i}, checklist-{i}]}}"
        )
    lines.append("templates:")
    for i in range(k):
        lines += [
            f"  - id: agreement-{i}",
            "    kind: contract",
            f"    title: Agreement {i}",
            "    parties: [sponsor, mentor, mentee]",
            "    clauses:",
            "      - {title: Goals, text: \"We work on {{ blank('goals') }}, *above all* on **leading**.\"}",
            "      - {title: Meetings, text: \"We meet every {{ blank('weeks') }} weeks, for [an hour](https://example.org/).\"}",
            "      - {policy: conf}",
            "      - {policy: sep}",
            "      - {policy: job}",
            "      - {policy: exit}",
            f"  - {{id: agenda-{i}, kind: agenda, title: Agenda {i}, minutes: 60, preparation: [Read the *notes*, Bring **one** issue],"
            " items: [{minutes: 20, topic: Check-in, lead: mentee}, {minutes: 30, topic: The *issue*, lead: mentee},"
            " {minutes: 10, topic: Actions, lead: mentor}]}",
            f"  - {{id: checklist-{i}, kind: checklist, title: Checklist {i}, items: [Agree the *goals*, Book the **meetings**,"
            " {text: Sign the agreement, required: true}, 'Read the [guide](https://example.org/)']}",
        ]
    lines.append("sessions:")
    for i in range(k):
        lines.append(
            f"  - {{id: s{i}, title: Circle {i}, host: host, start: 2027-01-{4 + i % 7:02d}T16:00, minutes: 90,"
            f" location: Room {i}, audience: [mentee, mentor], repeat: FREQ=WEEKLY;COUNT=50}}"
        )
    return "\n".join(lines) + "\n"


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
    """A portal project for k: program.yml, content/index.md, mkdocs.yml."""
    (dir / "content").mkdir(parents=True, exist_ok=True)
    (dir / "program.yml").write_text(program(k), encoding="utf-8")
    (dir / "content" / "index.md").write_text("# Home\n\nWelcome to the *benchmark* programme.\n", encoding="utf-8")
    (dir / "mkdocs.yml").write_text(MKDOCS_YML + "  - program-portal\n", encoding="utf-8")
    return dir


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
    import json

    nav = navigation(report.pages, ["index.md"])
    # MkDocs leaves out docs_dir/templates/ by default; the portal adds those pages itself
    (dir / "mkdocs.yml").write_text(MKDOCS_YML + f"exclude_docs: '!/templates/'\nnav: {json.dumps(nav)}\n", encoding="utf-8")
    return dir
