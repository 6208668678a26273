"""Benchmark: the portal against plain Material on the same pages (issue 11).

Run with ``make benchmark`` (or ``.venv/bin/python benchmarks/build.py``). For each k (default
4 and 16: a program has at most 50 templates) it generates a realistic program with k one-to-one
tracks, 3k templates and k weekly series of 48 occurrences, its pages full of the example's kind
of prose (benchmarks/programs.py), and the same pages written out as ordinary Markdown for plain
Material. Each build runs in a fresh process (benchmarks/child.py), the portal's code byte-compiled first
as an installed package's is:

- cold: the portal with an empty download cache (documents rendered in parallel, one process per core);
- warm: the portal again, every download from the disk cache (.cache/program-portal/);
- plain: plain Material building the same pages;
- live: in one process, a build and then a rebuild after editing content/index.md, as ``mkdocs serve``
  does; portal and plain alike.

Cold, warm, plain and live runs alternate and the best of ``--repeat`` is kept (cold: the fastest
wall clock, each run with an empty cache; plain: the best of twice as many runs), so a busy machine
slows both sides alike. Times are wall-clock seconds of the whole process (Python start and
imports included; the live rebuild: the rebuild only). Memory is the peak resident size of the
build process (helper processes, which render cold downloads, in brackets). Stages (warm build,
seconds): load and validate, checks, pages, downloads (cold: wall time of the download step; docx
and pdf: seconds summed over the helper processes), ics, and MkDocs itself (the rest).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child(dir: Path, mode: str = "build") -> dict:
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run([sys.executable, str(HERE / "child.py"), str(dir), mode], env=ENV, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if proc.returncode != 0:
        sys.exit(f"build failed in {dir}:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if mode == "build":
        result["seconds"], result["cpu"] = wall, cpu
    return result


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r[CLOCK])


CLOCK = "cpu"


def measure(k: int, tmp: Path, repeat: int) -> dict:
    portal = programs.write_portal(tmp / f"portal-{k}", k)
    plain = programs.write_plain(tmp / f"plain-{k}", portal)
    colds, warm, flat, live, live_plain = [], [], [], [], []
    for _ in range(repeat):  # each cold run with an empty download cache; the last one's cache serves the warm runs
        shutil.rmtree(portal / ".cache", ignore_errors=True)
        colds.append(child(portal))
        flat.append(child(plain))
    for _ in range(repeat):
        warm.append(child(portal))
        flat.append(child(plain))
    for _ in range(repeat):
        live.append(child(portal, "rebuild"))
        live_plain.append(child(plain, "rebuild"))
    site = portal / "site"
    counts = programs.words(portal)
    return {
        "k": k,
        "words": {"total": sum(counts.values()), "min": min(counts.values()), "files": len(counts)},
        "pages": sum(1 for _ in site.rglob("index.html")),
        "downloads": sum(1 for p in (site / "downloads").iterdir() if p.is_file()),
        "cold": min(colds, key=lambda r: r["seconds"]),  # the cold target is on wall-clock time
        "warm": best(warm),
        "plain": best(flat),
        "live": best(live),
        "live_plain": best(live_plain),
    }


def mkdocs_share(run: dict) -> float:
    s = run["stages"]
    return run["seconds"] - sum(s.get(x, 0.0) for x in ("load", "checks", "pages", "downloads", "ics"))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(rows: list[dict]) -> str:
    head = ["k", "pages", "downloads", "cold s", "warm s", "plain s", "warm/plain", "cold/plain",
            "live s", "live plain s", "live/plain", "peak MiB cold (helpers)", "warm", "plain"]
    lines = [_row(head), "|" + "|".join("---:" for _ in head) + "|"]
    for r in rows:
        cold, warm, plain, live, live_plain = (r[x] for x in ("cold", "warm", "plain", "live", "live_plain"))
        lines.append(_row([
            str(r["k"]), str(r["pages"]), str(r["downloads"]),
            f"{cold['cpu']:.2f} ({cold['seconds']:.2f})", f"{warm['cpu']:.2f} ({warm['seconds']:.2f})",
            f"{plain['cpu']:.2f} ({plain['seconds']:.2f})",
            f"{warm['cpu'] / plain['cpu']:.2f} ({warm['seconds'] / plain['seconds']:.2f})",
            f"{cold['cpu'] / plain['cpu']:.2f} ({cold['seconds'] / plain['seconds']:.2f})",
            f"{live['cpu']:.2f}", f"{live_plain['cpu']:.2f}", f"{live['cpu'] / live_plain['cpu']:.2f}",
            f"{cold['rss']} ({cold['child_rss']})", str(warm["rss"]), str(plain["rss"]),
        ]))
    by_k = {r["k"]: r for r in rows}
    pairs = [(a, 4 * a) for a in sorted(by_k) if 4 * a in by_k]
    if pairs:
        lines += ["", "4x the program (time: CPU seconds; memory: peak resident MiB of the largest process):", ""]
        head = ["k", "cold time", "cold memory", "warm time", "warm memory", "live time", "plain time", "plain memory"]
        lines += [_row(head), "|" + "|".join("---:" for _ in head) + "|"]
        for small, big in pairs:
            a, b = by_k[small], by_k[big]
            cells = []
            for name in ("cold", "warm", "live", "plain"):
                cells.append(f"x{b[name]['cpu'] / a[name]['cpu']:.2f}")
                if name != "live":
                    cells.append(f"x{_peak(b[name]) / _peak(a[name]):.2f}")
            lines.append(_row([f"{small} -> {big}", *cells]))
    lines += [""] + [f"k={r['k']}: {r['words']['files']} Markdown sources under content/, {r['words']['total']} words"
                     f" (the shortest {r['words']['min']})" for r in rows if "words" in r]
    lines += ["", "CPU seconds of the build, all processes (wall-clock seconds in brackets); live: the rebuild only.", "",
              "Seconds per stage, wall clock inside the build (load = load and validate; downloads = the whole download",
              "step; docx and pdf = rendering, summed over the helper processes; MkDocs = the rest of the build's wall time,",
              "Python start and imports included):", ""]
    head = ["k", "build", "load", "checks", "pages", "downloads", "docx", "pdf", "ics", "MkDocs"]
    lines += [_row(head), "|" + "|".join("---:" for _ in head) + "|"]
    for r in rows:
        for name in ("cold", "warm", "live"):
            run, st = r[name], r[name]["stages"]
            cells = [f"{st.get(x, 0.0):.2f}" for x in ("load", "checks", "pages", "downloads", "docx", "pdf", "ics")]
            lines.append(_row([str(r["k"]), name, *cells, f"{mkdocs_share(run):.2f}"]))
    return "\n".join(lines)


def _peak(run: dict) -> int:
    return max(run["rss"], run["child_rss"])


def verdicts(rows: list[dict]) -> str:
    out = []
    by_k = {r["k"]: r for r in rows}
    worst_warm = max(r["warm"]["cpu"] / r["plain"]["cpu"] for r in rows)
    out.append(f"- warm/plain <= {TARGET_WARM}: {'met' if worst_warm <= TARGET_WARM else 'MISSED'} (worst {worst_warm:.2f}, CPU time)")
    if 16 in by_k:
        r = by_k[16]
        wall = r["cold"]["seconds"] / r["plain"]["seconds"]
        cpu = r["cold"]["cpu"] / r["plain"]["cpu"]
        out.append(f"- cold/plain <= {TARGET_COLD} at k=16: {'met' if wall <= TARGET_COLD else 'MISSED'} ({wall:.2f} wall clock, {cpu:.2f} CPU time)")
    for small, big in ((4, 16),):
        if small in by_k and big in by_k:
            a, b = by_k[small], by_k[big]
            for name in ("cold", "warm"):
                t = b[name]["cpu"] / a[name]["cpu"]
                mem = _peak(b[name]) / _peak(a[name])
                ok = t <= TARGET_SCALE and mem <= TARGET_SCALE
                out.append(f"- k={small}->{big} ({name}): CPU time x{t:.2f}, peak memory x{mem:.2f} (<= {TARGET_SCALE}): {'met' if ok else 'MISSED'}")
    worst_live = max(r["live"]["cpu"] / r["live_plain"]["cpu"] for r in rows)
    out.append(f"- live rebuild after a content/ edit <= {TARGET_WARM}x plain: {'met' if worst_live <= TARGET_WARM else 'MISSED'} (worst {worst_live:.2f}, CPU time)")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, nargs="+", default=[4, 16], help="program sizes (default: 4 16)")
    parser.add_argument("--repeat", type=int, default=3, help="cold, warm, plain and live runs per size (the best is kept)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here (after each size)")
    parser.add_argument("--table", type=Path, help="print the table of figures saved with --json (several files: rows joined)", nargs="+")
    args = parser.parse_args()
    if args.table:
        rows = sorted((row for path in args.table for row in json.loads(path.read_text())), key=lambda r: r["k"])
        print(table(rows))
        print()
        print(verdicts(rows))
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}", flush=True)
    # The portal's modules byte-compiled, as pip compiles an installed package and as any run of Python leaves
    # them: otherwise, where PYTHONDONTWRITEBYTECODE is set (containers, CI), every measured build would
    # compile the portal's source again while MkDocs and Material run from their compiled files.
    compileall.compile_dir(ROOT / "plugins", quiet=1)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.k:
            rows.append(measure(k, Path(tmp), args.repeat))
            print(f"k={k} done: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1))
    print(table(rows))
    print()
    print(verdicts(rows))


if __name__ == "__main__":
    main()
