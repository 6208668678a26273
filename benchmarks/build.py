"""Benchmark: the portal against plain Material on the same pages (issue 11).

Run with ``make benchmark`` (or ``.venv/bin/python benchmarks/build.py``). For each k (default
4, 16 and 64) it generates a program with k one-to-one tracks, 3k templates and k weekly series
of 50 occurrences (benchmarks/programs.py), and the same pages written out as ordinary Markdown
for plain Material. Each build runs in a fresh process (benchmarks/child.py):

- cold: the portal with an empty download cache (documents rendered in parallel, one process per core);
- warm: the portal again, every download from the disk cache (.cache/program-portal/);
- plain: plain Material building the same pages;
- live: in one process, a build and then a rebuild after editing content/index.md, as ``mkdocs serve``
  does; portal and plain alike.

Warm, plain and live runs alternate and the best of ``--repeat`` is kept, so a busy machine
slows both sides alike. Times are wall-clock seconds of the whole process (Python start and
imports included; the live rebuild: the rebuild only). Memory is the peak resident size of the
build process (helper processes, which render cold downloads, in brackets). Stages (warm build,
seconds): load and validate, checks, pages, downloads (cold: wall time of the download step; docx
and pdf: seconds summed over the helper processes), ics, and MkDocs itself (the rest).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if (ROOT / "plugins").is_dir():
    sys.path.insert(0, str(ROOT / "plugins"))

import programs  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1800000000"}
ENV.pop("PROGRAM_PORTAL_CACHE_DIR", None)
ENV["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "plugins"), ENV.get("PYTHONPATH", "")) if p)

TARGET_WARM = 1.25
TARGET_COLD = 4.0
TARGET_SCALE = 4.4


def child(dir: Path, mode: str = "build") -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / "child.py"), str(dir), mode], env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed in {dir}:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if mode == "build":
        result["seconds"] = wall
    return result


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["seconds"])


def measure(k: int, tmp: Path, repeat: int) -> dict:
    portal = programs.write_portal(tmp / f"portal-{k}", k)
    plain = programs.write_plain(tmp / f"plain-{k}", portal)
    shutil.rmtree(portal / ".cache", ignore_errors=True)
    cold = child(portal)
    warm, flat, live, live_plain = [], [], [], []
    for _ in range(repeat):
        warm.append(child(portal))
        flat.append(child(plain))
    for _ in range(repeat):
        live.append(child(portal, "rebuild"))
        live_plain.append(child(plain, "rebuild"))
    site = portal / "site"
    return {
        "k": k,
        "pages": sum(1 for _ in site.rglob("index.html")),
        "downloads": sum(1 for p in (site / "downloads").iterdir() if p.is_file()),
        "cold": cold,
        "warm": best(warm),
        "plain": best(flat),
        "live": best(live),
        "live_plain": best(live_plain),
    }


def mkdocs_share(run: dict) -> float:
    s = run["stages"]
    return run["seconds"] - sum(s.get(x, 0.0) for x in ("load", "checks", "pages", "downloads", "ics"))


def table(rows: list[dict]) -> str:
    head = (
        "|   k | pages | downloads | cold s | warm s | plain s | warm/plain | cold/plain | live s | live plain s | live/plain "
        "| peak MiB cold (helpers) | peak MiB warm | plain MiB |"
    )
    lines = [head, "|" + "|".join("---:" for _ in head.split("|")[1:-1]) + "|"]
    for r in rows:
        lines.append(
            f"| {r['k']:3d} | {r['pages']:5d} | {r['downloads']:9d} | {r['cold']['seconds']:6.2f} | {r['warm']['seconds']:6.2f} "
            f"| {r['plain']['seconds']:7.2f} | {r['warm']['seconds'] / r['plain']['seconds']:10.2f} "
            f"| {r['cold']['seconds'] / r['plain']['seconds']:10.2f} | {r['live']['seconds']:6.2f} | {r['live_plain']['seconds']:12.2f} "
            f"| {r['live']['seconds'] / r['live_plain']['seconds']:10.2f} | {r['cold']['rss']:4d} ({r['cold']['child_rss']}) "
            f"| {r['warm']['rss']:13d} | {r['plain']['rss']:9d} |"
        )
    lines += ["", "Seconds per stage (load = load and validate; downloads = the whole download step, wall clock;",
              "docx and pdf = rendering, summed over the helper processes; MkDocs = everything else, Python start included):", ""]
    head = "|   k | build | load | checks | pages | downloads | docx | pdf | ics | MkDocs |"
    lines += [head, "|" + "|".join("---:" for _ in head.split("|")[1:-1]) + "|"]
    for r in rows:
        for name in ("cold", "warm", "live"):
            run, s = r[name], r[name]["stages"]
            cells = [f"{s.get(x, 0.0):.2f}" for x in ("load", "checks", "pages", "downloads", "docx", "pdf", "ics")]
            lines.append(f"| {r['k']:3d} | {name} | " + " | ".join(cells) + f" | {mkdocs_share(run):.2f} |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> str:
    out = []
    by_k = {r["k"]: r for r in rows}
    worst_warm = max(r["warm"]["seconds"] / r["plain"]["seconds"] for r in rows)
    out.append(f"- warm/plain <= {TARGET_WARM}: {'met' if worst_warm <= TARGET_WARM else 'MISSED'} (worst {worst_warm:.2f})")
    if 16 in by_k:
        r = by_k[16]
        ratio = r["cold"]["seconds"] / r["plain"]["seconds"]
        out.append(f"- cold/plain <= {TARGET_COLD} at k=16: {'met' if ratio <= TARGET_COLD else 'MISSED'} ({ratio:.2f})")
    for small, big in ((4, 16), (16, 64)):
        if small in by_k and big in by_k:
            a, b = by_k[small], by_k[big]
            for name in ("cold", "warm"):
                t = b[name]["seconds"] / a[name]["seconds"]
                mem = max(b[name]["rss"], b[name]["child_rss"]) / max(a[name]["rss"], a[name]["child_rss"])
                ok = t <= TARGET_SCALE and mem <= TARGET_SCALE
                out.append(f"- k={small}->{big} ({name}): time x{t:.2f}, memory x{mem:.2f} (<= {TARGET_SCALE}): {'met' if ok else 'MISSED'}")
    worst_live = max(r["live"]["seconds"] / r["live_plain"]["seconds"] for r in rows)
    out.append(f"- live rebuild after a content/ edit <= {TARGET_WARM}x plain: {'met' if worst_live <= TARGET_WARM else 'MISSED'} (worst {worst_live:.2f})")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, nargs="+", default=[4, 16, 64], help="program sizes (default: 4 16 64)")
    parser.add_argument("--repeat", type=int, default=3, help="warm, plain and live runs per size (the best is kept)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.k:
            rows.append(measure(k, Path(tmp), args.repeat))
            print(f"k={k} done", file=sys.stderr, flush=True)
    print(table(rows))
    print()
    print(verdicts(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
