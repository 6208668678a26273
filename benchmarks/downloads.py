"""How long the template downloads take, how big they are and how much memory they use.

    .venv/bin/python benchmarks/downloads.py [PROJECT_DIR] [--paper a4|letter] [--no-tracemalloc]

PROJECT_DIR holds program.yml and content/ (default: the repository's example program).
Prints:
  - first build in a fresh process (imports, font setup and every document generated),
  - cold cache (libraries loaded, every document generated again),
  - warm cache (what a `mkdocs serve` rebuild costs when nothing changed),
  - one template edited (only its .docx and .pdf generated),
  - the size of every file and the totals per format,
  - peak memory: the process's maximum resident set size, and the peak of Python
    allocations (tracemalloc) during one more cold generation.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from program_portal.render.downloads import DownloadCache, build_downloads  # noqa: E402
from program_portal.render.pages.portal import Portal  # noqa: E402
from program_portal.build import check_project  # noqa: E402
from program_portal.render.outputs import dtstamp_from_epoch  # noqa: E402

STAMP = dtstamp_from_epoch("1790000000")


def portal_of(root: Path) -> Portal:
    report = check_project(root, root / "program.yml", root / "content")
    if report.errors:
        sys.exit("\n".join(str(d) for d in report.errors))
    return Portal(report.loaded)


def timed(label: str, portal: Portal, cache: DownloadCache, paper: str) -> tuple[dict[str, bytes], float]:
    cache.reset_counters()
    start = time.perf_counter()
    files = build_downloads(portal, paper=paper, dtstamp=STAMP, cache=cache)
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed:7.2f} s   generated {len(cache.generated):3d} documents, {cache.hits} cache hits")
    return files, elapsed


def edited_portal(root: Path, portal: Portal) -> tuple[Portal, str]:
    """The same program with one template's title changed in memory (no file is touched)."""
    first = portal.program.templates[0]
    changed = first.model_copy(update={"title": first.title + " (edited)"})
    templates = [changed, *portal.program.templates[1:]]
    program = portal.program.model_copy(update={"templates": templates})
    loaded = portal.loaded.__class__(**{**portal.loaded.__dict__, "program": program})
    return Portal(loaded), first.id


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", nargs="?", type=Path, default=REPO)
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (slower) traced run")
    args = parser.parse_args()

    portal = portal_of(args.project.resolve())
    count = len(portal.program.templates)
    print(f"{portal.info.title}: {count} templates, paper {args.paper}\n")

    cache = DownloadCache()
    files, first = timed("first build in this process (cold, imports)", portal, cache, args.paper)
    _, cold = timed("cold cache (libraries loaded)", portal, DownloadCache(), args.paper)
    _, warm = timed("warm cache (nothing changed)", portal, cache, args.paper)
    try:
        edited, template_id = edited_portal(args.project.resolve(), portal)
        _, one = timed(f"one template edited ({template_id})", edited, cache, args.paper)
    except Exception as exc:  # the model API changed: the rest of the benchmark still runs
        print(f"(edit benchmark skipped: {exc})")

    print(f"\n{'file':<48} {'bytes':>10}")
    totals: dict[str, list[int]] = defaultdict(list)
    for path in sorted(files):
        size = len(files[path])
        ext = path.rsplit(".", 1)[-1]
        totals[ext].append(size)
        print(f"{path:<48} {size:>10,}")
    print()
    for ext in ("docx", "pdf", "md", "zip"):
        sizes = totals.get(ext, [])
        if sizes:
            print(f"{ext:<5} {len(sizes):3d} files  total {human(sum(sizes)):>10}  largest {human(max(sizes)):>10}")
    every = sum(len(d) for d in files.values())
    print(f"all   {len(files):3d} files  total {human(every):>10}")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"\npeak resident memory of this process: {rss / 1024:.0f} MiB")
    if not args.no_tracemalloc:
        tracemalloc.start()
        build_downloads(portal, paper=args.paper, dtstamp=STAMP, cache=DownloadCache())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during a cold generation (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"\nsummary: first {first:.2f} s, cold {cold:.2f} s, warm {warm:.3f} s for {count} templates")


if __name__ == "__main__":
    main()
