# leadroute: the two set-up commands (`make demo`, `make test`) and friends.
# Every target first installs the Debian packages it needs (idempotent:
# apt-get runs only when a package is missing).

PACKAGES := cmake ninja-build g++ pkg-config tzdata \
            libfmt-dev libspdlog-dev nlohmann-json3-dev \
            libgtest-dev libgmock-dev libbenchmark-dev \
            libhowardhinnant-date-dev libcli11-dev \
            python3 python3-jsonschema

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PRESET ?= release
BUILD_DIR := build/$(PRESET)
LEADROUTE := $(BUILD_DIR)/tools/leadroute/leadroute
DATA := examples/data

.PHONY: all deps build demo test bench clean

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET)

demo: build
	$(LEADROUTE) route --rules $(DATA)/rules.json --accounts $(DATA)/accounts.json \
	  --leads $(DATA)/leads.jsonl --out $(BUILD_DIR)/routed.jsonl --summary

test: build
	ctest --preset $(PRESET)

bench: build
	$(BUILD_DIR)/bench/leadroute_bench --benchmark_min_time=0.2

clean:
	rm -rf build
