"""bench/bench_cevis.py runs: its quick mode finishes and prints its table (speed is not asserted)."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "bench_cevis.py"
TIMEOUT_SECONDS = 120  # --quick takes seconds; a hang or a slow regression fails here


def test_quick_bench_prints_its_table():
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], cwd=ROOT, capture_output=True,
                          text=True, timeout=TIMEOUT_SECONDS)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next((ln for ln in lines if ln.startswith("shape")), None)
    assert header is not None, done.stdout
    assert header.split()[:5] == ["shape", "dtype", "op", "cevis", "ns/elem"]
    assert "cevis/naive" in header
    rows = [ln for ln in lines if ln.startswith("(1000, 10)")]
    assert {ln.split()[3] for ln in rows} == {"fwd", "fwd+bwd"}, done.stdout
