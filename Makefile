# leadroute: the two set-up commands (`make demo`, `make test`) and friends.
# Every target first installs the Debian packages it needs (idempotent:
# apt-get runs only when a package is missing).

PACKAGES := cmake ninja-build g++ pkg-config tzdata \
            libfmt-dev libspdlog-dev nlohmann-json3-dev \
            libgtest-dev libgmock-dev libbenchmark-dev \
            libhowardhinnant-date-dev libcli11-dev librapidcheck-dev \
            python3 python3-jsonschema
# Only `make fuzz` and `make check` need clang's libFuzzer.
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev libfuzzer-14-dev

SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PRESET ?= release
BUILD_DIR := build/$(PRESET)
LEADROUTE := $(BUILD_DIR)/tools/leadroute/leadroute
DATA := examples/data
TESTS := $(BUILD_DIR)/tests/leadroute_tests

# Differential soak: LEADROUTE_DIFF_CONFIGS x LEADROUTE_DIFF_LEADS leads.
SOAK_CONFIGS ?= 2000
SOAK_LEADS ?= 5000
# Offer/pool differential soak: SOAK_CONFIGS x SOAK_OFFER_OPS operations.
SOAK_OFFER_OPS ?= 1000
# libFuzzer targets (tests/fuzz/), built with clang in their own project.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := ruleset lead accounts schedule state
FUZZ_BUILD := build/fuzz
# Configs of the differential test under the sanitizers (each ~10x slower).
SANITIZER_DIFF_CONFIGS ?= 40

.PHONY: all deps fuzz-deps build demo test bench bench-trace-cost bench-cli clean soak fuzz fuzz-build check

all: build

# $(call install-missing,<packages>): apt-get install those not installed.
define install-missing
	@missing=$$(for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call install-missing,$(PACKAGES))

fuzz-deps:
	$(call install-missing,$(FUZZ_PACKAGES))

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET)

demo: build
	$(LEADROUTE) route --rules $(DATA)/rules.json --accounts $(DATA)/accounts.json \
	  --leads $(DATA)/leads.jsonl --out $(BUILD_DIR)/routed.jsonl --summary
	$(LEADROUTE) simulate --rules $(DATA)/rules.json --accounts $(DATA)/accounts.json \
	  --leads $(DATA)/leads.jsonl --html $(BUILD_DIR)/demo-report.html >/dev/null
	@echo "HTML report of the demo run: $(abspath $(BUILD_DIR)/demo-report.html)"
	@echo
	@echo "Routing around time zones: lead L-000221 (Massachusetts, 02:30 in New York)"
	@echo "finds the na-east reps off shift and goes to an inbound rep on shift in Europe or India:"
	$(LEADROUTE) explain --rules $(DATA)/rules.json --accounts $(DATA)/accounts.json \
	  --leads $(DATA)/leads.jsonl --lead-id L-000221

test: build
	ctest --preset $(PRESET)

soak: build
	LEADROUTE_DIFF_CONFIGS=$(SOAK_CONFIGS) LEADROUTE_DIFF_LEADS=$(SOAK_LEADS) \
	LEADROUTE_OFFER_DIFF_CONFIGS=$(SOAK_CONFIGS) \
	LEADROUTE_OFFER_DIFF_OPS=$(SOAK_OFFER_OPS) \
	  $(TESTS) --gtest_filter='Differential.*:OfferDifferential.*'

fuzz-build: deps fuzz-deps
	cmake -S tests/fuzz -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++-14
	cmake --build $(FUZZ_BUILD)

# Runs each target FUZZ_SECONDS; new inputs go to build/fuzz/corpus/<target>,
# crashes to build/fuzz/artifacts/<target>/ (save them under
# tests/fuzz/regressions/<target>/ so the suite replays them).
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	  echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t 2>&1 | \
	    grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' ; \
	  test $${PIPESTATUS[0]} -eq 0; \
	done

# Everything issue 8 asks for: the suite (with the differential test) in
# release, under ASan+UBSan and under TSan, then FUZZ_SECONDS (60) of each
# fuzz target. This is what CI runs (.ci/run).
check: deps
	$(MAKE) test PRESET=release
	LEADROUTE_DIFF_CONFIGS=$(SANITIZER_DIFF_CONFIGS) $(MAKE) test PRESET=asan
	LEADROUTE_DIFF_CONFIGS=$(SANITIZER_DIFF_CONFIGS) $(MAKE) test PRESET=tsan
	$(MAKE) fuzz

# Medians of 5 runs of each benchmark (bench/route_bench.cc), then the
# one-line summary computed from the JSON results (bench/summary.py).
bench: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) --target leadroute_bench
	$(BUILD_DIR)/bench/leadroute_bench --benchmark_min_time=0.1 \
	  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
	  --benchmark_out=$(BUILD_DIR)/bench.json --benchmark_out_format=json
	@python3 bench/summary.py $(BUILD_DIR)/bench.json

# What explain support costs a route with explain off: BM_Route of this
# build against one with every trace branch compiled out
# (-DLEADROUTE_TRACE=OFF), alternated (bench/trace_cost.py).
bench-trace-cost: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) --target leadroute_bench
	cmake -S . -B build/notrace -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DLEADROUTE_TRACE=OFF -DLEADROUTE_BUILD_TESTS=OFF \
	  -DLEADROUTE_BUILD_EXAMPLES=OFF -DLEADROUTE_BUILD_TOOLS=OFF
	cmake --build build/notrace --target leadroute_bench
	python3 bench/trace_cost.py $(BUILD_DIR)/bench/leadroute_bench \
	  build/notrace/bench/leadroute_bench

# `leadroute route` end to end (read, parse, route, write) over
# BENCH_CLI_LEADS generated leads, made once into $(BUILD_DIR)/bench-cli/;
# 3 runs, the median leads/s (docs/cli.md, "Throughput").
BENCH_CLI_LEADS ?= 1000000
BENCH_CLI_DIR := $(BUILD_DIR)/bench-cli
bench-cli: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) --target leadroute_cli leadroute_gen_workload
	@mkdir -p $(BENCH_CLI_DIR)
	@test -f $(BENCH_CLI_DIR)/leads-$(BENCH_CLI_LEADS).jsonl || \
	  $(BUILD_DIR)/bench/leadroute_gen_workload --rules $(BENCH_CLI_DIR)/rules.json \
	    --leads $(BENCH_CLI_DIR)/leads-$(BENCH_CLI_LEADS).jsonl --count $(BENCH_CLI_LEADS)
	@for run in 1 2 3; do \
	  start=$$(date +%s%N); \
	  $(LEADROUTE) route --rules $(BENCH_CLI_DIR)/rules.json \
	    --leads $(BENCH_CLI_DIR)/leads-$(BENCH_CLI_LEADS).jsonl \
	    --out $(BENCH_CLI_DIR)/routed.jsonl || exit 1; \
	  echo $$(( $$(date +%s%N) - start )); \
	done | python3 -c 'import sys, statistics; \
	  ns = sorted(int(l) for l in sys.stdin); \
	  print("route, end to end: %d leads, runs %s s, median %.0f leads/s" % ( \
	    $(BENCH_CLI_LEADS), " ".join("%.2f" % (n / 1e9) for n in ns), \
	    $(BENCH_CLI_LEADS) / (statistics.median(ns) / 1e9)))'

clean:
	rm -rf build
