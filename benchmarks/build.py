"""Benchmark: how long a build takes and how much memory it needs.

Run with ``make benchmark`` (or ``.venv/bin/python benchmarks/build.py``). It measures, each
in a fresh process so nothing is shared:

1. ``program-portal check`` of the example program;
2. ``mkdocs build`` of the example program, cold (empty download cache) and warm;
3. the same for a generated large program (many tracks, templates and sessions),
   to show how the build scales.

Figures are wall-clock seconds (best of N) and peak resident memory of the child process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1800000000"}


# Runs one command and reports its own peak RSS: RUSAGE_CHILDREN of a fresh process covers that command only.
WRAPPER = (
    "import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"
)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) // 1024


def large_program(tracks: int, templates: int, sessions: int) -> str:
    """A valid program with many items (for scaling figures; it has design warnings, so no --strict)."""
    lines = [
        "version: 1",
        "program: {id: big, title: Large program, timezone: Europe/London, starts: 2027-01-04, ends: 2027-12-31}",
        "roles:",
        "  - {id: mentee, kind: mentee, title: Mentee}",
        "  - {id: mentor, kind: mentor, title: Mentor}",
        "  - {id: sponsor, kind: sponsor, title: Sponsor}",
        "  - {id: host, kind: executive, title: Host, one_to_one: false}",
        "policies:",
        "  - {id: conf, kind: confidentiality, title: Confidentiality, rules: [Stays in the room.]}",
        "domains:",
        "  - {id: lead, title: Leadership, scope: shared}",
        "tracks:",
    ]
    for i in range(tracks):
        lines.append(
            f"  - {{id: t{i}, title: Track {i}, format: one-to-one, mentor: mentor, mentee: mentee, domains: [lead],"
            f" cadence: {{every_weeks: 4, minutes: 60}}, duration_months: 9, templates: [a{i % templates}]}}"
        )
    lines.append("templates:")
    for i in range(templates):
        kind = i % 3
        if kind == 0:
            lines.append(
                f"  - {{id: a{i}, kind: agenda, title: Agenda {i}, minutes: 60, preparation: [Read],"
                " items: [{minutes: 30, topic: One, lead: mentee}, {minutes: 30, topic: Two, lead: mentor}]}"
            )
        elif kind == 1:
            lines.append(
                f"  - {{id: a{i}, kind: contract, title: Agreement {i}, parties: [sponsor, mentor, mentee],"
                " clauses: [{title: Goals, text: \"We work on {{ blank('goals') }}.\"}, {policy: conf}]}"
            )
        else:
            lines.append(f"  - {{id: a{i}, kind: checklist, title: Checklist {i}, items: [One, Two, {{text: Three, required: true}}]}}")
    lines.append("sessions:")
    for i in range(sessions):
        lines.append(
            f"  - {{id: s{i}, title: Session {i}, host: host, start: 2027-01-{1 + i % 28:02d}T16:00, minutes: 90,"
            " repeat: FREQ=MONTHLY;COUNT=10}"
        )
    return "\n".join(lines) + "\n"


def project(dir: Path, program: str | None) -> Path:
    if program is None:
        for name in ("program.yml", "mkdocs.yml"):
            shutil.copy(ROOT / name, dir / name)
        shutil.copytree(ROOT / "content", dir / "content")
        shutil.copytree(ROOT / "overrides", dir / "overrides")
    else:
        (dir / "program.yml").write_text(program)
        (dir / "content").mkdir()
        (dir / "content" / "index.md").write_text("# Home\n")
        (dir / "mkdocs.yml").write_text(
            "site_name: Bench\ndocs_dir: content\ntheme: {name: material, font: false}\n"
            "plugins: [search, program-portal]\n"
        )
    return dir


def measure(label: str, dir: Path, repeat: int, strict: bool) -> None:
    build = [str(BIN / "mkdocs"), "build", "-q"] + (["--strict"] if strict else [])
    check = [str(BIN / "program-portal"), "check"]
    cache = dir / ".cache"
    env = {**ENV, "PROGRAM_PORTAL_CACHE_DIR": str(cache)}
    t_check, m_check = min(run(check, dir, env) for _ in range(repeat))
    shutil.rmtree(cache, ignore_errors=True)
    t_cold, m_cold = run(build, dir, env)
    t_warm, m_warm = min(run(build, dir, env) for _ in range(repeat))
    site = dir / "site"
    pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"{label}")
    print(f"  check           {t_check:6.2f} s  {m_check:5d} MiB peak")
    print(f"  build (cold)    {t_cold:6.2f} s  {m_cold:5d} MiB peak   (empty download cache)")
    print(f"  build (warm)    {t_warm:6.2f} s  {m_warm:5d} MiB peak   (downloads from the disk cache)")
    print(f"  site            {pages} HTML pages, {size / 1e6:.1f} MB in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per warm measurement (best is shown)")
    parser.add_argument("--scale", type=int, default=60, help="tracks, templates and sessions of the large program")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    n = args.scale
    cases = [
        ("example program", None, True),
        (f"large program ({n} tracks, {n} templates, {n} monthly session series)", large_program(n, n, n), False),
    ]
    for label, program, strict in cases:
        with tempfile.TemporaryDirectory() as tmp:
            dir = Path(tmp) / "project"
            dir.mkdir()
            measure(label, project(dir, program), args.repeat, strict)


if __name__ == "__main__":
    main()
