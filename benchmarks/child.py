"""One measured MkDocs build, run by benchmarks/build.py in a fresh process.

``python child.py DIR build`` builds the site in DIR as ``mkdocs build`` does; ``rebuild``
builds it, appends a line to content/index.md and builds again in the same process, as
``mkdocs serve`` does after an edit (plugin instances kept), timing only the rebuild. Prints
one JSON line: seconds (wall clock), cpu (rebuild: CPU seconds), the portal's seconds per
stage, peak memory of this process and of its helper processes (MiB).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import time
from pathlib import Path


def build(dir: Path) -> None:
    """``mkdocs build``; called again in the same process, it is what ``mkdocs serve`` does after an edit
    (the configuration read again, plugin instances that define on_startup kept by MkDocs)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(dir / "mkdocs.yml"))
    config.plugins.on_startup(command="serve" if REBUILD else "build", dirty=False)
    mkdocs_build(config)


REBUILD = False


def main() -> None:
    start = time.perf_counter()
    dir, mode = Path(sys.argv[1]), sys.argv[2]
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    os.chdir(dir)
    try:
        from program_portal import stages
    except ImportError:  # pragma: no cover
        stages = None
    global REBUILD
    REBUILD = mode == "rebuild"
    build(dir)
    if REBUILD:
        page = dir / "content" / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        if stages:
            stages.reset()
        start = time.perf_counter()
        cpu = _cpu()
        build(dir)
        cpu = _cpu() - cpu
    seconds = time.perf_counter() - start
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    times = dict(stages.TIMES) if stages else {}
    result = {"seconds": seconds, "stages": times, "rss": self_rss, "child_rss": child_rss}
    if REBUILD:
        result["cpu"] = cpu
    print(json.dumps(result))


def _cpu() -> float:
    """CPU seconds of this process and of its finished helper processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + helpers.ru_utime + helpers.ru_stime


if __name__ == "__main__":
    main()
