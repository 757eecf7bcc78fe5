# Developer build for lua-authlete. It mirrors authlete-scm-1.rockspec:
# the same sources, the same module names.
#
#   make                  build the C modules for Lua 5.4 into build/lua5.4
#   make LUA=luajit       build the same sources for LuaJIT 2.1 into build/luajit
#   make LUA=lua5.1       and for PUC Lua 5.1 into build/lua5.1
#   make test             install missing Debian packages, build, lint, run every spec
#   make test-asan        the Lua 5.4 suite against ASan/UBSan builds of the C modules
#   make test-valgrind    the Lua 5.4 suite under valgrind
#   make fuzz             run the libFuzzer harnesses (FUZZ_SECONDS each)
#   make demo             run the examples against the bundled mock server
#   make bench            run the benchmarks (bench/README.md has the results)
#   make bench-instructions  instructions per call, by callgrind (repeatable)
#   make bench-nginx      one nginx worker: this module vs proxy_pass vs capture+cjson
#   make bench-import     authlete-tokens import: rows/s at --parallel 1, 8, 32
#   make bench-page       the connected-apps page: a view with names new, and cached
#   make types            LuaLS annotations (types/) from the model table
#   make rock             build/authlete-1.0.0-1.src.rock from HEAD (installs offline)
#   make screenshot       retake the README's picture of the connected-apps page (chromium)
#   make install PREFIX=/usr/local [DESTDIR=…]  (LUA=luajit: for LuaJIT, commands included)
#   make uninstall PREFIX=/usr/local            what install put there
#   make lint | clean
#
# Overridable: LUA, LUA_INCDIR, CFLAGS, PREFIX, DESTDIR, CC, PKG_CONFIG.

LUA        ?= lua5.4
PREFIX     ?= /usr/local
DESTDIR    ?=
CC         ?= cc
PKG_CONFIG ?= pkg-config

SANITIZE ?=

ifeq ($(LUA),luajit)
  LUA_PC  := luajit
  LUA_ABI := 5.1
else ifeq ($(LUA),lua5.4)
  LUA_PC  := lua5.4
  LUA_ABI := 5.4
else ifeq ($(LUA),lua5.1)
  LUA_PC  := lua5.1
  LUA_ABI := 5.1
else
  $(error LUA must be lua5.4, luajit or lua5.1, not '$(LUA)')
endif

# SANITIZE=asan builds the Lua 5.4 modules with AddressSanitizer and
# UndefinedBehaviorSanitizer (with float-cast-overflow: a double too big for
# its integer type) into build/asan (make test-asan runs the suite
# against them).
ifeq ($(SANITIZE),asan)
  BUILD := build/asan
  SANITIZER_FLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer
else
  BUILD := build/$(LUA)
  SANITIZER_FLAGS :=
endif

# Asked of pkg-config only when a compile needs them (=, not :=): on a
# fresh machine `make demo` and `make test` install the packages first, and
# pkg-config must not complain about them before that.
ifdef LUA_INCDIR
  LUA_CFLAGS = -I$(LUA_INCDIR)
else
  LUA_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LUA_PC))
endif
CURL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcurl)
CURL_LIBS   = $(shell $(PKG_CONFIG) --libs libcurl)

CFLAGS   ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ALL_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -fPIC -fvisibility=hidden \
              $(WARNINGS) $(CFLAGS) $(SANITIZER_FLAGS) -Icsrc $(LUA_CFLAGS)
# Lua modules are not linked against liblua: the interpreter provides it.
LDFLAGS  ?=
SHARED   := -shared $(SANITIZER_FLAGS)

CORE_SRC := $(wildcard csrc/core/*.c)
CURL_SRC := $(wildcard csrc/curl/*.c)
HEADERS  := $(wildcard csrc/*.h csrc/core/*.h csrc/curl/*.h)
LUA_SRC  := $(shell find lua -name '*.lua' | sort)
BIN      := bin/authlete-mock bin/authlete-tokens

CORE_OBJ := $(CORE_SRC:csrc/%.c=$(BUILD)/obj/%.o)
CURL_OBJ := $(CURL_SRC:csrc/%.c=$(BUILD)/obj/%.o)
CORE_SO  := $(BUILD)/authlete/core.so
CURL_SO  := $(BUILD)/authlete/curl.so

LIBDIR   := $(DESTDIR)$(PREFIX)/lib/lua/$(LUA_ABI)
SHAREDIR := $(DESTDIR)$(PREFIX)/share/lua/$(LUA_ABI)
BINDIR   := $(DESTDIR)$(PREFIX)/bin

.PHONY: all test test-asan test-valgrind fuzz demo bench bench-instructions bench-nginx bench-import bench-page rock screenshot types lint install uninstall clean deps

all: $(CORE_SO) $(CURL_SO)

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CURL_CFLAGS) -c $< -o $@

$(CORE_SO): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SHARED) $(LDFLAGS) -o $@ $^

$(CURL_SO): $(CURL_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SHARED) $(LDFLAGS) -o $@ $^ $(CURL_LIBS)

deps:
	tools/deps

test:
	tools/run-tests

test-asan:
	tools/run-sanitized asan

test-valgrind:
	tools/run-sanitized valgrind

# FUZZ_SECONDS per harness (core.parse, core.prepare); see tools/fuzz.
FUZZ_SECONDS ?= 600
fuzz:
	tools/fuzz $(FUZZ_SECONDS)

demo:
	tools/demo

bench:
	bench/run

bench-instructions:
	bench/run --instructions

bench-nginx:
	bench/run --nginx

bench-import:
	bench/run --import

bench-page:
	bench/run --page

# The README's picture of the connected-apps page, as the browser spec took it.
screenshot: all
	tools/deps --browser
	lua5.4 "$$(command -v busted)" --run=browser
	cp build/connected-apps.png docs/images/connected-apps.png

# build/authlete-1.0.0-1.src.rock from HEAD: luarocks install ./build/….src.rock
rock:
	tools/make-rock

# LuaLS annotations from the model table (spec/build/types_spec.lua checks them).
types: all
	LUA_PATH='./lua/?.lua;./lua/?/init.lua;;' LUA_CPATH='./build/lua5.4/?.so;;' lua5.4 tools/types.lua types

lint:
	luacheck --quiet .

install: all
	install -d $(LIBDIR)/authlete $(BINDIR)
	install -m 0755 $(CORE_SO) $(CURL_SO) $(LIBDIR)/authlete/
	for f in $(LUA_SRC:lua/%=%); do \
	  install -d $(SHAREDIR)/$$(dirname $$f) && \
	  install -m 0644 lua/$$f $(SHAREDIR)/$$f || exit 1; \
	done
	# the commands run on the Lua they were installed for
	for f in $(BIN); do \
	  sed '1s|^#!/usr/bin/env lua5.4$$|#!/usr/bin/env $(LUA)|' $$f > $(BINDIR)/$$(basename $$f) && \
	  chmod 0755 $(BINDIR)/$$(basename $$f) || exit 1; \
	done

# What install put there, and the folders it made that are left empty.
uninstall:
	rm -f $(LIBDIR)/authlete/core.so $(LIBDIR)/authlete/curl.so
	for f in $(LUA_SRC:lua/%=%); do rm -f $(SHAREDIR)/$$f; done
	for f in $(BIN); do rm -f $(BINDIR)/$$(basename $$f); done
	find $(SHAREDIR)/authlete $(LIBDIR)/authlete -depth -type d -empty -delete 2>/dev/null || true

clean:
	rm -rf build
