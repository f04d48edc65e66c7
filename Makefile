# goinstr - build Go programs that log their reflect and unsafe operations.
#
#   make            build build/goinstr (fetches pinned deps on first run)
#   make demo       build, then instrument examples/demo and summarize its log
#   make check      the quick tier (minutes): unit, goldens, report fixtures,
#                   one end-to-end build and run
#   make test       every test, with Go 1.26 and 1.27 (what CI runs)
#   make fuzz       the libFuzzer targets of tests/fuzz, FUZZTIME seconds each
#   make install PREFIX=~/.local   (default PREFIX: /usr/local)
#   make dist       statically linked release archives for linux-amd64 and
#                   linux-arm64 with SHA256SUMS, in build/dist (scripts/dist.sh)

CC      ?= cc
PREFIX  ?= /usr/local
DEPS    := build/deps
TS      := $(DEPS)/tree-sitter/vendor/tree-sitter/lib
TSGO    := $(DEPS)/tree-sitter-go/src
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS := -D_GNU_SOURCE -Isrc -Ibuild/gen -I$(TS)/include
LDLIBS  := -ljansson -lcrypto -lz

SRCS := $(wildcard src/*.c)
OBJS := $(patsubst src/%.c,build/obj/%.o,$(SRCS))
LIBOBJS := $(filter-out build/obj/main.o build/obj/commands.o build/obj/cmd_%.o,$(OBJS))
INJECT := $(sort $(wildcard inject/*/*.go))
# goinstr-types, the type checker's helper: built by goinstr per Go release
# from these embedded sources (src/gotypes.h).
HELPER := $(sort $(filter-out %_test.go,$(wildcard helper/*.go))) helper/go.mod
MANIFESTS := $(wildcard manifests/releases.pack)
TSOBJS := build/obj/ts_lib.o build/obj/ts_go_parser.o

all: build/goinstr

$(DEPS)/.ok: scripts/deps.sh
	sh scripts/deps.sh $(DEPS)

# What only the tests need: chromium, python3-jsonschema, the SARIF schema.
$(DEPS)/.ok-test: scripts/deps.sh
	sh scripts/deps.sh --test $(DEPS)

build/obj/.dir:
	mkdir -p build/obj build/gen build/tests && touch $@

build/obj/%.o: src/%.c $(wildcard src/*.h) $(DEPS)/.ok build/obj/.dir
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

# Third-party code: compiled as shipped, without our warning flags.
build/obj/ts_lib.o: $(DEPS)/.ok build/obj/.dir
	$(CC) -std=gnu11 -O2 -I$(TS)/include -I$(TS)/src -c -o $@ $(TS)/src/lib.c
build/obj/ts_go_parser.o: $(DEPS)/.ok build/obj/.dir
	$(CC) -std=gnu11 -O2 -I$(TSGO) -c -o $@ $(TSGO)/parser.c

build/embed: tools/embed.c build/obj/.dir
	$(CC) $(WARN) -O2 -o $@ $<

build/gen/embedded_data.c: build/embed $(INJECT) $(HELPER) $(MANIFESTS)
	build/embed $@ $(foreach f,$(INJECT),$(patsubst inject/%,%,$(f))=$(f)) \
		$(foreach f,$(HELPER) $(MANIFESTS),$(f)=$(f))

build/obj/embedded_data.o: build/gen/embedded_data.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

# Every command's help, from docs/commands.md (src/commands.h).
build/cmddocs: tools/cmddocs.c build/obj/.dir
	$(CC) $(WARN) -O2 -o $@ $<

build/gen/cmddocs.c build/gen/cmddocs.h &: build/cmddocs docs/commands.md
	build/cmddocs docs/commands.md build/gen/cmddocs.c build/gen/cmddocs.h

build/obj/cmddocs.o: build/gen/cmddocs.c build/gen/cmddocs.h
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

build/obj/commands.o build/fuzz/obj/commands.o: build/gen/cmddocs.h

# goinstr's identity in cache keys (hash.h, self_digest): a digest of
# everything it is built from, so a changed goinstr never reuses a rewrite
# made by another, without hashing its own binary on every run.
build/gen/digest.c: $(SRCS) $(wildcard src/*.h) tools/embed.c tools/cmddocs.c docs/commands.md \
		$(INJECT) $(HELPER) $(MANIFESTS) Makefile scripts/deps.sh $(DEPS)/.ok build/obj/.dir
	{ cat $(filter-out build/obj/.dir,$^); echo '$(CC) $(CFLAGS)'; $(CC) --version; } | \
		sha256sum | sed 's/ .*//; s/.*/const char goinstr_build_digest[] = "&";/' >$@

build/obj/digest.o: build/gen/digest.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

GENOBJS := build/obj/embedded_data.o build/obj/digest.o build/obj/cmddocs.o

build/goinstr: $(OBJS) $(GENOBJS) $(TSOBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# goinstr-types built with the Go in PATH, for the tests that run it
# directly (goinstr itself builds it per Go release: src/gotypes.h).
build/goinstr-types: $(HELPER) build/obj/.dir
	cd helper && go build -trimpath -o ../$@ .

# C test programs link everything but main.o.
build/tests/%: tests/unit/%.c $(LIBOBJS) $(GENOBJS) $(TSOBJS)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -o $@ $^ $(LDLIBS)

UNIT := $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/*.c))

# libFuzzer targets: tests/fuzz/NAME.c is build/fuzz/NAME, linked with
# goinstr's library objects built again by clang with the fuzzer's
# coverage and the address and undefined-behaviour sanitizers (in
# build/fuzz/obj). tests/fuzz.sh runs each (make test: 20 s a target);
# `make fuzz FUZZTIME=600` runs each for longer (seconds).
FUZZCC    ?= clang
FUZZFLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
FUZZ      := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/*.c))
FUZZOBJS  := $(patsubst build/obj/%,build/fuzz/obj/%,$(LIBOBJS) $(GENOBJS) $(TSOBJS))
FUZZTIME  ?= 300

demo: # quiet until goinstr speaks: the build's commands are not the demo
	@$(MAKE) -s build/goinstr build/goinstr-types
	@sh examples/demo.sh

check: build/goinstr build/goinstr-types $(UNIT)
	sh tests/run.sh --check

test: build/goinstr build/goinstr-types $(UNIT) $(DEPS)/.ok-test $(DEPS)/.ok-dist $(FUZZ)
	sh tests/run.sh

build/fuzz/obj/.dir:
	mkdir -p build/fuzz/obj && touch $@
build/fuzz/obj/%.o: src/%.c $(wildcard src/*.h) $(DEPS)/.ok build/fuzz/obj/.dir
	$(FUZZCC) $(CPPFLAGS) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/obj/%.o: build/gen/%.c build/fuzz/obj/.dir
	$(FUZZCC) $(CPPFLAGS) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/obj/ts_lib.o: $(DEPS)/.ok build/fuzz/obj/.dir
	$(FUZZCC) -std=gnu11 $(FUZZFLAGS) -I$(TS)/include -I$(TS)/src -c -o $@ $(TS)/src/lib.c
build/fuzz/obj/ts_go_parser.o: $(DEPS)/.ok build/fuzz/obj/.dir
	$(FUZZCC) -std=gnu11 $(FUZZFLAGS) -I$(TSGO) -c -o $@ $(TSGO)/parser.c
build/fuzz/libgoinstr.a: $(FUZZOBJS)
	rm -f $@ && ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libgoinstr.a
	$(FUZZCC) $(CPPFLAGS) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< \
		build/fuzz/libgoinstr.a $(LDLIBS)

fuzz: $(FUZZ)
	FUZZTIME=$(FUZZTIME) sh tests/fuzz.sh

# The standard library's tests plain and instrumented (goinstr selftest),
# and the compatibility corpus (tests/compat, every module; needs the Go
# module proxy). Neither is part of `make test` in full.
selftest: build/goinstr
	build/goinstr selftest --quick

compat: build/goinstr
	sh tests/compat.sh

install: build/goinstr
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 build/goinstr $(DESTDIR)$(PREFIX)/bin/goinstr

# What dist needs beyond the build: the arm64 cross compiler and static libs.
$(DEPS)/.ok-dist: scripts/deps.sh
	sh scripts/deps.sh --dist $(DEPS) && touch $@

dist: build/goinstr $(DEPS)/.ok-dist
	sh scripts/dist.sh

clean:
	rm -rf build/obj build/gen build/tests build/goinstr build/goinstr-types build/embed build/cmddocs \
		build/fuzz \
		build/dist

.PHONY: all demo check test fuzz install dist clean
.PHONY: selftest compat
