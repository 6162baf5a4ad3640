#!/usr/bin/env python3
"""What explain support costs a route that does not ask for a trace.

Usage: trace_cost.py WITH_TRACE_BENCH WITHOUT_TRACE_BENCH [ROUNDS]

Runs BM_Route (40 rules, 200 reps) of two leadroute_bench binaries, one
built normally and one with -DLEADROUTE_TRACE=OFF (every trace branch
compiled out), alternating them ROUNDS times (default 7) so that machine
noise falls on both alike, and prints the median CPU ns per route of each
and their ratio:

  trace support: <ns>/lead, without: <ns>/lead, ratio <r> (<n> rounds)
"""

import json
import statistics
import subprocess
import sys

FILTER = "^BM_Route/rules:40/reps:200$"


def one_run(binary):
    out = subprocess.run(
        [binary, "--benchmark_filter=" + FILTER, "--benchmark_min_time=0.2",
         "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    bench = json.loads(out)["benchmarks"][0]
    scale = {"ns": 1, "us": 1e3, "ms": 1e6}[bench.get("time_unit", "ns")]
    return bench["cpu_time"] * scale


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    rounds = int(sys.argv[3]) if len(sys.argv) == 4 else 7
    with_trace, without = [], []
    for _ in range(rounds):
        with_trace.append(one_run(sys.argv[1]))
        without.append(one_run(sys.argv[2]))
    a = statistics.median(with_trace)
    b = statistics.median(without)
    print("trace support: %.1f/lead, without: %.1f/lead, ratio %.3f "
          "(%d rounds)" % (a, b, a / b, rounds))


if __name__ == "__main__":
    main()
