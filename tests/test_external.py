"""External programs: a missing one, a hanging one (with a child of its own) and a failing one each end in
a typed error, quickly, and leave no process behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.errors import ConverterMissing, Timeout
from ingest.external import ToolFailed, run_tool


def test_missing_program_names_the_package() -> None:
    with pytest.raises(ConverterMissing, match="pdftoppm-not-here is not installed"):
        run_tool(["pdftoppm-not-here", "-v"], timeout=5, what="x.pdf")


def test_time_out_kills_the_whole_process_group(tmp_path) -> None:
    pid_file = tmp_path / "child.pid"
    started = time.monotonic()
    with pytest.raises(Timeout, match="took over 1 s"):
        run_tool(
            ["sh", "-c", f"sleep 60 & echo $! > {pid_file}; wait"], timeout=1
        )  # without the group kill this waits the full 60 s
    assert time.monotonic() - started < 10
    stat = Path(f"/proc/{int(pid_file.read_text())}/stat")
    time.sleep(0.2)
    # The grandchild went with its group: gone, or a zombie waiting for a PID 1 that may never reap it.
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_failure_carries_stderr_only_when_checked() -> None:
    assert run_tool(["sh", "-c", "echo out; echo bad >&2; exit 3"], timeout=5).returncode == 3
    with pytest.raises(ToolFailed, match="exited with 3: bad"):
        run_tool(["sh", "-c", "echo bad >&2; exit 3"], timeout=5, check=True)
