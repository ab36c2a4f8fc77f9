# Benchmark: the time of `import pipelinekit` against importing its dependencies alone.
#
#   .venv/bin/python -m tests.benchmarks.import_time [--repeat 21]
#
# Each import runs in a fresh child interpreter (`python -c "import ..."`), so nothing is
# cached in the process; the two commands are interleaved round by round, so load from other
# processes hits both alike. The figure is the median wall time of each command, interpreter
# start-up included on both sides (the same for both), and their ratio. Bytecode is cached
# (PYTHONDONTWRITEBYTECODE is dropped for the children), as for an installed package.
# The two commands:
#   baseline:     import attrs, cattrs, statemachine   (what pipelinekit needs at import)
#   pipelinekit:  import pipelinekit
# and, for the record, `import pipelinekit; pipelinekit.Pipeline()` (cattrs and
# python-statemachine are loaded on first use: the first Pipeline loads the latter).
# Goal: pipelinekit within 1.2x of the baseline.
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

BASELINE = "import attrs, cattrs, statemachine"
PIPELINEKIT = "import pipelinekit"
#: For the record (no goal): the first Pipeline loads python-statemachine.
FIRST_PIPELINE = "import pipelinekit; pipelinekit.Pipeline()"
GOAL = 1.2


#: The children may cache bytecode, as an installed package's users do (pip compiles a
#: wheel's modules at install): without it pipelinekit's source would be compiled on every
#: import while the dependencies, installed by pip, load from their ``.pyc`` files.
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_time(code: str) -> float:
    """Seconds one fresh interpreter takes to run ``code`` (start-up included)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=_ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="import pipelinekit vs its dependencies")
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    # Warm the OS file cache and the .pyc files once; not timed.
    wall_time(BASELINE)
    wall_time(PIPELINEKIT)
    wall_time(FIRST_PIPELINE)
    rounds = [
        (wall_time(BASELINE), wall_time(PIPELINEKIT), wall_time(FIRST_PIPELINE))
        for _ in range(args.repeat)
    ]
    baseline = statistics.median(r[0] for r in rounds)
    ours = statistics.median(r[1] for r in rounds)
    first = statistics.median(r[2] for r in rounds)
    bare = statistics.median(wall_time("pass") for _ in range(args.repeat))
    ratio = ours / baseline
    version = platform.python_version()
    print(f"median of {args.repeat} interleaved child processes; CPython {version}")
    print(f"  python -c pass          {bare * 1e3:8.1f} ms")
    print(f"  {BASELINE:<22}  {baseline * 1e3:8.1f} ms")
    print(f"  {PIPELINEKIT:<22}  {ours * 1e3:8.1f} ms   ({(ours - baseline) * 1e3:+.1f} ms)")
    print(f"  {FIRST_PIPELINE:<22}  {first * 1e3:8.1f} ms   ({(first - baseline) * 1e3:+.1f} ms)")
    verdict = "ok" if ratio <= GOAL else "over goal"
    print(f"  ratio {ratio:.2f}x   (goal <= {GOAL}x)   {verdict}")


if __name__ == "__main__":
    main()
