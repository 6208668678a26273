"""Re-export on change: watchdog (installed with MkDocs) reports edits, a short quiet period groups them."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def watch(
    paths: Iterable[Path], action: Callable[[], None], *, stop: Callable[[], bool], poll: float = 0.3,
    ignore: Iterable[Path] = (), quiet: float = 0.4,
) -> None:
    """Run ``action`` once, then after each burst of changes to ``paths`` (files or folders), until ``stop()``.

    Watching starts before the first run, so an edit made while it runs is not missed.
    """
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    ignored = [os.path.realpath(p) for p in ignore]
    targets = [Path(os.path.realpath(p)) for p in paths]
    files = {t for t in targets if not t.is_dir()}
    changed = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                path = os.path.realpath(os.fsdecode(raw)) if raw else ""
                if not path or any(path == i or path.startswith(i + os.sep) for i in ignored):
                    continue
                if any(path == str(t) or path.startswith(str(t) + os.sep) for t in targets):
                    changed.set()

    observer = Observer()
    handler = Handler()
    watched: set[str] = set()
    for target in targets:
        folder = str(target if target.is_dir() else target.parent)
        if folder not in watched and os.path.isdir(folder):
            observer.schedule(handler, folder, recursive=target.is_dir() or target not in files)
            watched.add(folder)
    observer.start()
    try:
        action()
        while not stop():
            if changed.wait(poll):
                time.sleep(quiet)  # let an editor finish saving (several events per save)
                changed.clear()
                action()
    finally:
        observer.stop()
        observer.join(timeout=5)
