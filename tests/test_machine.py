"""Output does not depend on the machine: time zones from the pinned tzdata, never the system's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tzdata  # noqa: F401 (the pinned package the portal reads its zones from)

from conftest import env

SCRIPT = """
import zoneinfo
from datetime import datetime, date
import program_portal.calendar.occurrences as occurrences
print(zoneinfo.TZPATH)
occ = occurrences.expand(datetime(2027, 7, 1, 12, 0), "Europe/London", 60, None, (), date(2027, 12, 31))
print(occ[0].start.isoformat())
"""


def test_time_zones_come_from_tzdata_not_from_the_machine(tmp_path: Path) -> None:
    # A machine whose zone files say Europe/London is Tokyo time: the portal must not believe it.
    fake = tmp_path / "zoneinfo" / "Europe"
    fake.mkdir(parents=True)
    from importlib.resources import files

    tokyo = files("tzdata.zoneinfo").joinpath("Asia", "Tokyo").read_bytes()
    (fake / "London").write_bytes(tokyo)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
        env=env(PYTHONTZPATH=str(tmp_path / "zoneinfo")),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    tzpath, start = proc.stdout.split()
    assert tzpath == "()"
    assert start == "2027-07-01T12:00:00+01:00"  # British Summer Time, not +09:00
