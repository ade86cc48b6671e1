"""l10n compile at an earlier commit, l10n compile here and msgfmt, run in turn on the benchmark's
compile catalogs: median wall and CPU time of each and their ratios to msgfmt's.

On a shared machine a single run says little, so the three commands alternate, so that each
round sees about the same load::

    .venv/bin/python benchmarks/run.py --stages compile        # makes benchmarks/corpus/run-compile-N
    .venv/bin/python benchmarks/compare_compile.py --base aa1811d --rounds 5
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - t, ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="the commit to compare with (its l10n/ is exported)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default="20000,40000")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tar = subprocess.run(["git", "-C", str(REPO), "archive", a.base, "l10n"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=tar.stdout, check=True)
        subprocess.run([PY, "-m", "compileall", "-q", f"{tmp}/l10n", str(REPO / "l10n")], check=True)
        base_env = {**os.environ, "PYTHONPATH": tmp}          # ahead of the installed (editable) l10n
        here_env = {**os.environ, "PYTHONPATH": str(REPO)}
        print(f"load average at the start: {os.getloadavg()}")
        for n in (int(x) for x in a.sizes.split(",")):
            proj = REPO / "benchmarks" / "corpus" / f"run-compile-{n}"
            po = proj / "locales" / "zh_TW" / "LC_MESSAGES" / "big.po"
            if not po.is_file():
                raise SystemExit(f"{po} is missing: run benchmarks/run.py --stages compile first")
            l10n = [PY, "-m", "l10n.cli", "compile", "-p", str(proj), "-l", "zh_TW"]
            runs: dict[str, list[tuple[float, float]]] = {"base": [], "here": [], "msgfmt": []}
            for _ in range(a.rounds):
                runs["base"].append(timed(l10n, base_env))
                runs["here"].append(timed(l10n, here_env))
                runs["msgfmt"].append(timed(["msgfmt", "-o", f"{tmp}/msgfmt.mo", str(po)]))
            mf_wall = statistics.median(w for w, _ in runs["msgfmt"])
            mf_cpu = statistics.median(c for _, c in runs["msgfmt"])
            for name, v in runs.items():
                wall = statistics.median(w for w, _ in v)
                cpu = statistics.median(c for _, c in v)
                print(f"{n:>6} entries  {name:7} wall {wall:.3f} s  cpu {cpu:.3f} s  "
                      f"x msgfmt: wall {wall / mf_wall:.2f}  cpu {cpu / mf_cpu:.2f}")
        print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
