# zg — the two set-up commands are `make run` and `make test` (see README.md).
# Both install missing Debian packages first (scripts/deps.sh).

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
CMAKE_FLAGS ?=

.PHONY: run test deps build build-asan fuzz bench clean

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j$(JOBS) -- --no-print-directory 2>&1 | grep -v '^\[' || true
	@test -x build/zg

build-asan: deps
	@CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Release -DZG_SANITIZE=ON -DZG_VERIFY=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j$(JOBS) -- --no-print-directory 2>&1 | grep -v '^\[' || true
	@test -x build-asan/zg

# The main job: the self-test of every capability (storage round trip included),
# then one devnet (4 validators, 2 lanes, --storage 4 --shards 2 --miners,
# --da-signers 4) doing real work: transfers and a Staking call, a file through
# the chain, mining until a reward shows, a DA blob (tests/chain/devnet_run.sh;
# each step says so and goes on when the build lacks that capability).
run: build
	./build/zg selftest
	@bash tests/chain/devnet_run.sh ./build/zg || [ $$? = 77 ]

# Every test, in a normal (gcc) and an ASan+UBSan (clang) build.
test: build build-asan
	@echo "== ctest: build (gcc, release)"
	@ctest --test-dir build --output-on-failure -j2 > build/ctest.log 2>&1; echo $$? > build/ctest.rc; \
	  grep -E 'tests passed|Failed|FAILED|\*\*\*' build/ctest.log || true
	@echo "== ctest: build-asan (clang, ASan+UBSan, ZG_VERIFY)"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j2 > build-asan/ctest.log 2>&1; echo $$? > build-asan/ctest.rc; \
	  grep -E 'tests passed|Failed|FAILED|\*\*\*' build-asan/ctest.log || true
	@if [ "$$(cat build/ctest.rc)" != 0 ] || [ "$$(cat build-asan/ctest.rc)" != 0 ]; then \
	  echo "== failures:"; grep -B2 -A40 -E 'FAIL|\*\*\*Failed|ERROR: AddressSanitizer|runtime error' build/ctest.log build-asan/ctest.log | head -300; \
	  exit 1; fi

# libFuzzer targets, each for FUZZ_SECONDS (clang).
fuzz: deps
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release -DZG_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-fuzz -j$(JOBS) -- --no-print-directory 2>&1 | grep -v '^\[' || true
	@bash scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	./build/zg bench $(FILTER)

clean:
	rm -rf build build-asan build-fuzz
