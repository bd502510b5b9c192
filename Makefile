# obrady — build, run and test. `make run` and `make test` are the two
# commands a newcomer needs (see README.md).

CC       ?= gcc
PKGS     := libmicrohttpd jansson sqlite3 libpq libsodium libcurl nettle
PKGS     += pangocairo cairo-pdf libqrencode libzip zlib
PKGS     += ogg xlsxwriter
BUILD    := build
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALLCFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc -I$(BUILD)/gen \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# The release build is the one the Debian package ships (make deb reuses it),
# so it carries Debian's hardening flags itself.
HARDEN   := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fstack-clash-protection -fcf-protection
HARDEN_LD := -Wl,-z,relro -Wl,-z,now
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRCS     := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
MIGS     := $(sort $(wildcard src/store/migrations/sqlite/*.sql))
PGMIGS   := $(sort $(wildcard src/store/migrations/postgres/*.sql))
GEN      := $(BUILD)/gen/migrations.c
PGGEN    := $(BUILD)/gen/migrations_pg.c
TESTSRCS := $(sort $(wildcard tests/unit/test_*.c))

OBJS      = $(patsubst src/%.c,$(BUILD)/$(1)/%.o,$(SRCS)) $(BUILD)/$(1)/gen/migrations.o \
            $(BUILD)/$(1)/gen/migrations_pg.o $(BUILD)/$(1)/gen/openapi.o
TESTBINS  = $(patsubst tests/unit/%.c,$(BUILD)/$(1)/tests/%,$(TESTSRCS))

.PHONY: all run test test-unit test-asan test-e2e test-browser deps deps-test node-deps \
        format lint clean bench drills web-vendor test-crypto-js bench-crypto-js

all: $(BUILD)/obrady

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

$(GEN): $(MIGS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	scripts/embed-migrations.sh $(MIGS) > $@
# Every SQLite migration has its PostgreSQL twin (same file name), or the build stops.
$(PGGEN): $(PGMIGS) $(MIGS) scripts/embed-migrations.sh
	@mkdir -p $(dir $@)
	@if [ "$(notdir $(MIGS))" != "$(notdir $(PGMIGS))" ]; then \
		echo "src/store/migrations/postgres/ must hold the same files as sqlite/:" >&2; \
		echo "  sqlite:   $(notdir $(MIGS))" >&2; echo "  postgres: $(notdir $(PGMIGS))" >&2; exit 1; fi
	scripts/embed-migrations.sh --table db_pg_migrations $(PGMIGS) > $@

# docs/openapi.json (made by `make openapi` from the route table and the
# handlers' field specs) is served at /api/openapi.json.
$(BUILD)/gen/openapi.c: docs/openapi.json scripts/embed-file.sh
	@mkdir -p $(dir $@)
	scripts/embed-file.sh docs/openapi.json api_openapi_json > $@
.PHONY: openapi
openapi:
	node scripts/openapi.mjs > docs/openapi.json.tmp && mv docs/openapi.json.tmp docs/openapi.json

# Two object trees: plain (build/rel) and sanitized (build/asan).
$(BUILD)/rel/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(HARDEN) -MMD -MP -c $< -o $@
$(BUILD)/rel/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(HARDEN) -c $< -o $@
$(BUILD)/asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -O1 $(SAN) -MMD -MP -c $< -o $@
$(BUILD)/asan/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -O1 $(SAN) -c $< -o $@

$(BUILD)/rel/libobrady.a: $(call OBJS,rel)
	ar rcs $@ $^
$(BUILD)/asan/libobrady.a: $(call OBJS,asan)
	ar rcs $@ $^

$(BUILD)/obrady: $(BUILD)/rel/main.o $(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) $(HARDEN) $(HARDEN_LD) -o $@ $^ $(LDLIBS)
$(BUILD)/obrady-asan: $(BUILD)/asan/main.o $(BUILD)/asan/libobrady.a
	$(CC) $(ALLCFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/rel/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/rel/libobrady.a
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(BUILD)/rel/libobrady.a $(TESTLIBS) $(LDLIBS)
$(BUILD)/asan/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/asan/libobrady.a
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -O1 $(SAN) -Itests/unit -o $@ $< $(BUILD)/asan/libobrady.a $(TESTLIBS) $(LDLIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

run: deps $(BUILD)/obrady web-build
	./$(BUILD)/obrady serve --demo --data ./var --web $(BUILD)/web

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
node-deps: node_modules/.package-lock.json

test: deps-test
	@$(MAKE) --no-print-directory test-unit test-asan test-web test-e2e test-browser test-crypto-js test-pyverify test-drills test-package test-fuzz
	@$(MAKE) --no-print-directory test-pg

test-unit: $(BUILD)/obrady $(call TESTBINS,rel)
	@scripts/run-unit.sh $(call TESTBINS,rel)

test-asan: $(BUILD)/obrady-asan $(call TESTBINS,asan)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		scripts/run-unit.sh $(call TESTBINS,asan)

test-e2e: $(BUILD)/obrady $(BUILD)/obrady-asan node-deps
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=2 tests/e2e/

test-browser: $(BUILD)/obrady node-deps
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=1 tests/browser/

# The main screens at 390x844 and 1920x1080 from a played demo, into
# docs/screens/ (committed, linked from README.md); not part of make test.
.PHONY: screenshots
screenshots: $(BUILD)/obrady node-deps web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node scripts/screenshots.mjs

# PostgreSQL (issue 12): the store tests and the e2e files that drive the
# store, again on a throw-away cluster (tests/pg/cluster.sh), never a system
# one. The contract suite runs sanitized too (leaks in db_pg.c fail it). The e2e
# files (E2E_PG_FILES, E2E_PG_MORE) leave out those about HTTP parsing, TLS,
# static files, headers, the offline verifier and the SQLite file itself (log.test.mjs tampers
# with it through sqlite3; server.test.mjs checks DATA/obrady.db;
# upgrade.test.mjs builds old SQLite files): the whole suite twice would not
# fit CI's time; `make test-e2e-pg-all` runs every file that can run on it.
STORE_PG_TESTS := test_store_contract test_eventlog test_outbox test_meetings_repo test_pg_nodes \
                  test_votes_repo test_meeting_cache test_report test_attendance test_jobs_repo
# Issue 16 (hotreq): on PostgreSQL the access generation is always read.
STORE_PG_TESTS += test_db_access
STORE_PG_BINS  := $(patsubst %,$(BUILD)/rel/tests/%,$(STORE_PG_TESTS)) \
                  $(BUILD)/asan/tests/test_store_contract $(BUILD)/asan/tests/test_pg_nodes
E2E_PG_FILES   := $(addprefix tests/e2e/,auth.test.mjs directory.test.mjs documents.test.mjs \
                  meetings.test.mjs permissions.test.mjs public.test.mjs reports.test.mjs \
                  live.test.mjs votes.test.mjs votes_engine.test.mjs votes_secret.test.mjs \
                  votes_committee.test.mjs smtp.test.mjs metrics.test.mjs pg.test.mjs \
                  attendance.test.mjs templates.test.mjs interpellations.test.mjs interp_files.test.mjs \
                  pg_nodes.test.mjs pg_jobs.test.mjs sms.test.mjs)
E2E_PG_ALL     := $(filter-out tests/e2e/log.test.mjs tests/e2e/server.test.mjs \
                  tests/e2e/upgrade.test.mjs, \
                  $(sort $(wildcard tests/e2e/*.test.mjs)))
# Every other file that reaches the store runs on PostgreSQL too; left out
# (they never reach the store, and badinput alone is 30 % of the suite's time):
# badinput compress headers lib openapi static static_build tls verify_cli.
E2E_PG_MORE    := $(addprefix tests/e2e/,audio.test.mjs audit.test.mjs demo.test.mjs ops.test.mjs \
                  office_files.test.mjs proxy.test.mjs ratelimit.test.mjs sse.test.mjs \
                  usability.test.mjs votes_confirm.test.mjs votes_hand.test.mjs votes_load.test.mjs \
                  votes_v2.test.mjs votes_weights.test.mjs)
.PHONY: test-pg test-store-pg test-e2e-pg test-e2e-pg-all drill-nodes
test-pg: test-store-pg test-e2e-pg drill-nodes
test-store-pg: $(STORE_PG_BINS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/pg/with-cluster.sh scripts/run-unit.sh $^
test-e2e-pg: $(BUILD)/obrady node-deps web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady tests/pg/with-cluster.sh \
		node --test --test-concurrency=2 $(E2E_PG_FILES) $(E2E_PG_MORE)
test-e2e-pg-all: $(BUILD)/obrady node-deps web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady tests/pg/with-cluster.sh \
		node --test --test-concurrency=2 $(E2E_PG_ALL)
# Issue 16: sessions and roles kept in memory, a logout seen across two nodes.
E2E_PG_FILES += tests/e2e/session_cache.test.mjs
E2E_PG_FILES += tests/e2e/state_memo.test.mjs
E2E_PG_FILES += tests/e2e/vote_memo.test.mjs
# Three nodes on one database behind nginx, node 2 SIGKILLed mid-vote
# (tests/pg/nodes.mjs starts them; ~65 s): streams reconnect and miss
# nothing, ballots count once, one vote.closed, one report mail per member.
drill-nodes: $(BUILD)/obrady node-deps web-vendor web-build
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady tests/pg/with-cluster.sh \
		node --test tests/pg/nodes_drill.test.mjs

format:
	clang-format -i $$(find src tests/unit -name '*.[ch]')

lint:
	# jansson's json_*_foreach macros live in a system header cppcheck is not
	# given (reading all of /usr/include would take minutes): unknownMacro off.
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--suppress=missingIncludeSystem --suppress=unknownMacro -Isrc -I$(BUILD)/gen src
	clang-tidy $$(find src -name '*.c') -- $(ALLCFLAGS)

clean:
	rm -rf $(BUILD)

# libsodium for the browser (secret votes): the ES module build of
# libsodium-wrappers-sumo and libsodium-sumo copied from node_modules into
# web/vendor/ (git-ignored); the wrapper's bare import is pointed at the file
# next to it so it loads the same way on a page, in a Web Worker and in node.
WEB_VENDOR := web/vendor/libsodium-wrappers.mjs web/vendor/libsodium-sumo.mjs
web/vendor/libsodium-sumo.mjs: node_modules/.package-lock.json
	@mkdir -p web/vendor
	cp node_modules/libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs $@
web/vendor/libsodium-wrappers.mjs: node_modules/.package-lock.json
	@mkdir -p web/vendor
	sed 's#from"libsodium-sumo"#from"./libsodium-sumo.mjs"#' \
		node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs > $@.tmp
	grep -q 'from"./libsodium-sumo.mjs"' $@.tmp || { rm -f $@.tmp; echo "libsodium import not found" >&2; exit 1; }
	mv $@.tmp $@
web-vendor: $(WEB_VENDOR)
run test-e2e test-browser: web-vendor

# The front end as served (scripts/build-web.mjs): build/web/ with the assets
# under /v/<version>/ (immutable), the shell's modulepreload list, and gzip and
# brotli copies. The e2e and browser tests serve it (tests/e2e/lib.mjs).
.PHONY: web-build
WEB_SRCS = $(shell find web -type f -not -name '.*')
$(BUILD)/web/index.html: $(WEB_SRCS) $(WEB_VENDOR) scripts/build-web.mjs
	node scripts/build-web.mjs web $(BUILD)/web
	@touch $@
web-build: $(BUILD)/web/index.html
test-e2e test-browser test-drills: web-build

# The browser-side crypto of secret votes, in node (tests/crypto/); the
# cross-implementation tests also use build/obrady when it has `verify`.
test-crypto-js: $(BUILD)/obrady web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=1 tests/crypto/

# The third verifier (Python 3 + libsodium via ctypes) over the v2 conformance suite.
.PHONY: test-pyverify
test-pyverify:
	python3 tests/pyverify/run_suite.py

bench-crypto-js: web-vendor
	node bench/crypto/js-bench.mjs --header

# Verifiable secret votes: known-answer vectors and the crypto benchmark.
$(BUILD)/rel/gen_evote_vectors: tests/vectors/gen_evote_vectors.c tests/unit/evote_vectors.h \
		tests/unit/evote_fixture.h $(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(BUILD)/rel/libobrady.a $(LDLIBS)
evote-vectors: $(BUILD)/rel/gen_evote_vectors
	$(BUILD)/rel/gen_evote_vectors > tests/vectors/evote-v1.json
# Spec v2 conformance suite (C, JS and tests/pyverify read it).
$(BUILD)/rel/gen_evote_suite: tests/vectors/gen_evote_suite.c tests/vectors/gen_evote_suite_cases.h \
		tests/unit/evote_fixture.h $(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(BUILD)/rel/libobrady.a $(LDLIBS)
evote-suite: $(BUILD)/rel/gen_evote_suite
	$(BUILD)/rel/gen_evote_suite > tests/vectors/evote-v2-suite.json
.PHONY: evote-suite
$(BUILD)/rel/bench_crypto: bench/crypto/bench_crypto.c bench/crypto/bench_util.h tests/unit/evote_fixture.h \
		$(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(BUILD)/rel/libobrady.a $(LDLIBS)
$(BUILD)/rel/bench_v2: bench/crypto/bench_v2.c bench/crypto/bench_util.h tests/unit/evote_fixture.h \
		$(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(BUILD)/rel/libobrady.a $(LDLIBS)
bench: $(BUILD)/rel/bench_crypto $(BUILD)/rel/bench_v2
	bench/crypto/run
.PHONY: evote-vectors
bench: web-vendor

# The browser's pure modules (the vote fold) under node's test runner.
.PHONY: test-web
test-web: node-deps web-vendor
	node --test tests/web/
# More of the PostgreSQL suites: files in PostgreSQL and the pg_dump backups
# (issue 12 item 6, issue 13); test-store-pg runs all its prerequisites.
test-store-pg: $(BUILD)/rel/tests/test_files_repo $(BUILD)/asan/tests/test_files_repo
E2E_PG_FILES += tests/e2e/pg_files.test.mjs tests/e2e/pg_backup.test.mjs
# Proxies (issue 17 item 6): the register, its documents in the store and proxy ballots.
E2E_PG_FILES += tests/e2e/proxies.test.mjs

# Failure drills (tests/drills/, issue 8): the short ones run with `make test`,
# all of them (with the long *.long.mjs) with `make drills`.
.PHONY: test-drills
DRILLS_SHORT := $(sort $(wildcard tests/drills/*.test.mjs))
DRILLS_LONG  := $(sort $(wildcard tests/drills/*.long.mjs))
test-drills: $(BUILD)/obrady node-deps web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=1 $(DRILLS_SHORT)
drills: $(BUILD)/obrady node-deps web-vendor
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=1 $(DRILLS_SHORT) $(DRILLS_LONG)

# Benchmarks (bench/, issue 8): each prints a table; see bench/README.md.
.PHONY: bench-replay bench-ballots bench-fanout bench-backup bench-ballots-pg
bench-replay:
	bench/replay/run
bench-ballots:
	bench/ballots/run
bench-fanout:
	bench/fanout/run
bench: bench-replay bench-ballots bench-fanout
# The same ballots benchmark with the store on a durable throw-away PostgreSQL cluster.
bench-ballots-pg:
	tests/pg/with-cluster.sh --durable bench/ballots/run
bench-backup:
	bench/backup/run
# 1 SQLite node, 1 PostgreSQL node, 2 PostgreSQL nodes behind nginx (issue 12).
.PHONY: bench-nodes
bench-nodes:
	bench/nodes/run $(NODES_ARGS)
bench: bench-replay bench-ballots bench-fanout bench-backup
# Issue 12 item 5: the per-request cost of state shared between nodes (PostgreSQL).
.PHONY: bench-shared
$(BUILD)/rel/bench_shared: bench/shared/bench_shared.c $(BUILD)/rel/libobrady.a
	$(CC) $(ALLCFLAGS) -I. -o $@ $< $(BUILD)/rel/libobrady.a $(LDLIBS)
bench-shared:
	bench/shared/run
# Issue 18: sign-in timing (known vs unknown address) and memory per connection.
.PHONY: bench-signin bench-connmem
bench-signin: node-deps
	bench/signin/run
bench-connmem: node-deps
	bench/connmem/run
# Issue 16: the peak evening (PEAK_MEETINGS meetings of 25 members, PEAK_SECONDS).
.PHONY: bench-peak
PEAK_MEETINGS ?= 400
PEAK_SECONDS ?= 60
bench-peak: node-deps
	bench/peak/run $(PEAK_MEETINGS) $(PEAK_SECONDS)

# Fuzzing (issue 18): libFuzzer harnesses in tests/fuzz/ link a third object
# tree (build/fuzz) of the sources they reach, compiled by clang with ASan and
# UBSan and libFuzzer's coverage. `make fuzz` runs each harness for
# FUZZ_MINUTES (default 5) on its seeds (tests/fuzz/corpus/<harness>/),
# keeping what it finds in build/fuzz/corpus/; `make test-fuzz` (in `make
# test`) replays the seeds and runs FUZZ_SECONDS (20) of fresh input per
# harness, two at a time.
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -O1 -g $(FUZZ_SAN) \
                -Isrc -Itests/fuzz -I$(BUILD)/fuzz/gen $(shell pkg-config --cflags $(PKGS))
FUZZ_SRCS    := $(sort $(wildcard src/util/*.c src/core/*.c src/crypto/*.c)) src/log/event.c \
                src/log/eventlog.c src/mail/mime.c src/mail/ics.c src/http/jspec.c src/http/router.c
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_MINUTES ?= 5
FUZZ_SECONDS ?= 20
.PHONY: fuzz test-fuzz fuzz-build
$(BUILD)/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(BUILD)/fuzz/libobrady.a: $(patsubst src/%.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_SRCS))
	ar rcs $@ $^
$(BUILD)/fuzz/gen/route_patterns.h: src/api/routes.c
	@mkdir -p $(dir $@)
	sed -n 's/^ *{"\([A-Z]*\)", "\([^"]*\)".*/    {"\1", "\2"},/p' $< > $@
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(BUILD)/fuzz/libobrady.a \
		$(BUILD)/fuzz/gen/route_patterns.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/libobrady.a $(LDLIBS)
fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build
	scripts/fuzz.sh $$(( $(FUZZ_MINUTES) * 60 )) 1 $(FUZZ_NAMES)
test-fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS) 2 $(FUZZ_NAMES)

# The Debian package (debian/, issue 19): the release build and the web
# files into build/deb/obrady_VERSION_ARCH.deb. tests/package/ builds it with
# `make deb`, installs it with dpkg (root; skipped otherwise) and purges it.
.PHONY: deb test-package
DEB_TMP := debian/obrady debian/.debhelper debian/files debian/*.substvars \
           debian/debhelper-build-stamp debian/*.debhelper.log debian/*.debhelper
deb: $(BUILD)/obrady web-build
	rm -rf $(BUILD)/deb $(DEB_TMP) && mkdir -p $(BUILD)/deb
	debian/rules binary
	rm -rf $(DEB_TMP)
	@ls $(BUILD)/deb/*.deb
test-package: $(BUILD)/obrady web-build node-deps
	OBRADY_BIN=$(CURDIR)/$(BUILD)/obrady node --test --test-concurrency=1 tests/package/
