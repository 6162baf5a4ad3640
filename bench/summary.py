#!/usr/bin/env python3
"""Prints the one-line summary of a leadroute_bench run.

Usage: summary.py BENCH.json   (Google Benchmark's --benchmark_out JSON)

Single-thread figures are CPU time per Route (ns), the median of the
repetitions when the run had several (--benchmark_repetitions): on a shared
machine CPU time is what the route costs, wall time also counts the waits
for a core. The thread figure is the ratio of total throughput (wall-clock
items_per_second) on 2 threads to 1 thread. The batch figure is
BM_RouteBatch's CPU time per lead (Router::RouteBatch, batches of 1024).

  leadroute: <ns>/lead, baseline: <ns>/lead, ratio <r>, 200 rules x<r>,
  2000 reps x<r>, 2 threads x<r>, batch <ns>/lead
"""

import json
import sys


def load(path):
    with open(path) as f:
        doc = json.load(f)
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        kind = b.get("run_type", "iteration")
        if kind == "aggregate" and b.get("aggregate_name") != "median":
            continue
        # A median beats a single iteration run of the same name.
        if kind == "aggregate" or name not in runs:
            runs[name] = b
    return runs


def ns(b):
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["cpu_time"] * scale


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    runs = load(sys.argv[1])

    def get(name):
        if name not in runs:
            sys.exit("summary.py: no result for %s in %s" % (name, sys.argv[1]))
        return runs[name]

    route = ns(get("BM_Route/rules:40/reps:200"))
    baseline = ns(get("BM_Baseline/rules:40/reps:200"))
    rules200 = ns(get("BM_Route/rules:200/reps:200"))
    reps2000 = ns(get("BM_Route/rules:40/reps:2000"))
    one = get("BM_RouteThreads/real_time/threads:1")["items_per_second"]
    two = get("BM_RouteThreads/real_time/threads:2")["items_per_second"]
    # An iteration routes a whole batch; items are leads (CPU-time rate).
    batch = 1e9 / get("BM_RouteBatch")["items_per_second"]
    print(
        "leadroute: %.1f/lead, baseline: %.1f/lead, ratio %.2f, "
        "200 rules x%.2f, 2000 reps x%.2f, 2 threads x%.2f, batch %.1f/lead"
        % (route, baseline, route / baseline, rules200 / route,
           reps2000 / route, two / one, batch))


if __name__ == "__main__":
    main()
