"""`ingest extract`: JSON Lines, one record per input, typed errors, bounded time and memory, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
INGEST = [sys.executable, "-m", "ingest.cli"]


def _run(*args: str) -> tuple[int, list[dict]]:
    done = subprocess.run([*INGEST, "extract", *args], capture_output=True, text=True, timeout=120)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def test_one_record_per_input_and_failures_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "random.docx").write_bytes(bytes(range(256)) * 40)
    code, records = _run(
        *map(str, sorted(SEEDS.glob("*.txt"))),
        str(tmp_path / "empty.pdf"),
        str(tmp_path / "random.docx"),
        "--jobs",
        "2",
    )
    by_name = {Path(r["source"]["path"]).name: r for r in records}
    assert len(records) == 7 and code == 1
    assert by_name["empty.pdf"]["error"]["code"] == "empty_file"
    assert by_name["random.docx"]["error"]["code"] in {"unsupported_format", "corrupt_file"}
    assert all(by_name[p.name]["error"] is None for p in SEEDS.glob("*.txt"))


def test_exit_code_zero_when_every_file_reads(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "000_35b29aa8985b6c6f.txt", tmp_path / "a.txt")
    code, records = _run(str(tmp_path))  # a folder is read recursively
    assert code == 0 and records[0]["meta"]["agency"]["value"] == "聊城市审计局"


def test_a_file_over_its_time_limit_gets_a_timeout_record(tmp_path: Path) -> None:
    # A file that takes far longer than the pool's 50 ms wait for results (a text seed reads in ~10 ms,
    # and its record could come back before the limit is looked at): a real PDF, ~0.25 s.
    code, records = _run(str(SEEDS.parent / "real" / "hzq2023_working.pdf"), "--timeout", "0.001")
    assert code == 1 and records[0]["error"]["code"] == "timeout"


def test_a_worker_over_its_memory_ceiling_costs_only_its_file() -> None:
    # 40 MiB of address space cannot hold a Python process that reads anything: the file fails cleanly.
    code, records = _run(str(SEEDS / "000_35b29aa8985b6c6f.txt"), "--max-memory", "40", "--timeout", "30")
    assert code == 1 and records[0]["error"]["code"] in {"too_large", "worker_crashed", "internal_error"}


def test_an_outer_memory_limit_lower_than_ours_is_respected_not_fatal() -> None:
    """Under `ulimit -v 2 GiB` (a container's ceiling), the workers keep the outer limit instead of failing to
    raise it: every seed still reads, none ends worker_crashed."""
    import shlex

    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    command = " ".join(shlex.quote(x) for x in [*INGEST, "extract", "--max-memory", "3072", *seeds])
    done = subprocess.run(
        ["bash", "-c", f"ulimit -v 2097152 && {command}"], capture_output=True, text=True, timeout=300
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == len(seeds)
    assert [r["error"] for r in records] == [None] * len(seeds)
    assert done.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice renders the scan")
def test_a_scan_reads_under_an_outer_two_gib_limit(tmp_path: Path) -> None:
    """OCR (Tesseract, OpenCV, page images) inside `ulimit -v 2 GiB`: the scan reads as it does without it."""
    import shlex

    from synth.scoring import score
    from tests.scan_layouts import make

    scan = make(tmp_path, 5101, "binary")
    command = " ".join(shlex.quote(x) for x in [*INGEST, "extract", "--max-memory", "3072", str(scan)])
    done = subprocess.run(
        ["bash", "-c", f"ulimit -v 2097152 && {command}"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    result = score(
        record, json.loads(scan.with_name(f"{scan.stem}.expected.json").read_text(encoding="utf-8"))
    )
    assert not result.silent
    assert result.correct >= 0.98 * result.keys, result.wrong
