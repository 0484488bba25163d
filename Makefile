# tcptalk - talk to a TCP peer.  `make run` builds and listens on 8888,
# `make check` runs every test; both install missing dependencies first.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man/man1
ZHMANDIR ?= $(PREFIX)/share/man/zh_CN/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
DOCDIR	?= $(PREFIX)/share/doc/tcptalk
LOCALEDIR ?= $(PREFIX)/share/locale
CC	?= cc
PKG_CONFIG ?= pkg-config
# Aligned functions and loops: without them the chat's hot loops moved with
# unrelated code, and the UI flood's CPU went up or down by 20% with changes
# that never run in it (bench/ui-flood.sh with TCPTALK_BASE).
CFLAGS	?= -O2 -g -falign-functions=64 -falign-loops=32 -falign-jumps=32
VERSION	= 0.1.0

# Deferred (=) so a sub-make started after install-deps sees the libraries.
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw readline 2>/dev/null)
LIB_LIBS = $(shell $(PKG_CONFIG) --libs ncursesw readline 2>/dev/null)
# TLS when libssl is there (NO_TLS=1 builds without it); tls_none.c otherwise.
ifeq ($(NO_TLS),1)
HAVE_TLS =
else
HAVE_TLS = $(shell $(PKG_CONFIG) --exists openssl 2>/dev/null && echo 1)
endif
ifeq ($(HAVE_TLS),1)
TLS_CFLAGS = -DHAVE_OPENSSL $(shell $(PKG_CONFIG) --cflags openssl 2>/dev/null)
TLS_LIBS = $(shell $(PKG_CONFIG) --libs openssl 2>/dev/null)
TLS_SRC_OUT = src/tls_none.c
else
TLS_CFLAGS =
TLS_LIBS =
TLS_SRC_OUT = src/tls.c
endif
# libpcap for --trace (pkg-config, else pcap-config; NO_PCAP=1 builds
# without it): trace_none.c otherwise.
ifeq ($(NO_PCAP),1)
HAVE_PCAP =
else
HAVE_PCAP = $(shell { $(PKG_CONFIG) --exists libpcap || pcap-config --libs; } >/dev/null 2>&1 && echo 1)
endif
ifeq ($(HAVE_PCAP),1)
PCAP_CFLAGS = -DHAVE_PCAP $(shell $(PKG_CONFIG) --cflags libpcap 2>/dev/null || pcap-config --cflags 2>/dev/null)
PCAP_LIBS = $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || pcap-config --libs 2>/dev/null)
PCAP_SRC_OUT = src/trace_none.c
else
PCAP_CFLAGS =
PCAP_LIBS =
PCAP_SRC_OUT = src/trace.c
endif
# Messages through gettext (include/i18n.h); NO_NLS=1 builds without: no
# catalogues, no gettext calls.  The languages are po/LINGUAS's.
LINGUAS	= $(shell grep -E '^[a-z]{2,3}(_[A-Z]{2})?$$' po/LINGUAS 2>/dev/null)
ifeq ($(NO_NLS),1)
NLS_CFLAGS = -DNO_NLS
MOS	=
else
NLS_CFLAGS = -DLOCALEDIR='"$(LOCALEDIR)"'
MOS	= $(LINGUAS:%=build/locale/%/LC_MESSAGES/tcptalk.mo)
endif
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ifeq ($(SANITIZE),1)
BUILD	= build/san
BIN	= build/san/tcptalk
SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(NO_TLS),1)
BUILD	= build/notls
BIN	= build/notls/tcptalk
SAN	=
else ifeq ($(NO_NLS),1)
BUILD	= build/nonls
BIN	= build/nonls/tcptalk
SAN	=
else ifeq ($(NO_PCAP),1)
BUILD	= build/nopcap
BIN	= build/nopcap/tcptalk
SAN	=
else
BUILD	= build/std
BIN	= tcptalk
SAN	=
endif

ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DTCPTALK_VERSION='"$(VERSION)"' $(NLS_CFLAGS) $(CPPFLAGS)
# WERROR=0 for compilers newer than ours that warn about new things.
WERROR	?= 1
ifeq ($(WERROR),1)
WFLAGS	= -Wall -Wextra -Werror
else
WFLAGS	= -Wall -Wextra
endif
ALL_CFLAGS = -std=c11 $(WFLAGS) $(SAN) $(LIB_CFLAGS) $(TLS_CFLAGS) $(PCAP_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

SRCS	= $(filter-out $(TLS_SRC_OUT) $(PCAP_SRC_OUT),$(wildcard src/*.c))
OBJS	= $(SRCS:src/%.c=$(BUILD)/%.o)
TESTS	= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

# Each unit test links only the modules it tests (and what they need), so a
# test of pure logic can never pull in curses, readline or the network.
MODS_test_buf		= buf crlf
MODS_test_opts		= opts starttls
MODS_test_prompt	= prompt width
MODS_test_session	= session buf crlf clock stream tls_none starttls udp net
MODS_test_text		= lines sanitize width scrollback cmd
MODS_test_transcript	= transcript roomline scrollback lines sanitize width
MODS_test_roomline	= roomline sanitize width cmd
MODS_test_peer		= peer session buf crlf clock loop listener net proxy stream tls_none starttls udp tcpstats tcpinfo tcpinfo_fmt outfile status width
MODS_test_proxy	= proxy net clock
MODS_test_loop		= loop clock
MODS_test_room		= room sanitize width
MODS_test_status	= status width
MODS_test_help		= cmd width
MODS_test_tcpinfo	= tcpinfo tcpinfo_fmt status width
MODS_test_tcppanel	= tcppanel tcppanel_layout tcpinfo_fmt status width
MODS_test_input_view	= input_view width
MODS_test_bytes		= escape hexfmt
MODS_test_log		= log hexfmt outfile clock
MODS_test_logtrace	= log hexfmt outfile clock
MODS_test_outfile	= outfile clock
MODS_test_invisible	= invisible sanitize width
MODS_test_search	= search transcript roomline scrollback lines sanitize width
MODS_test_bytering	= bytering hexview hexfmt
MODS_test_marks		= marks
MODS_test_sha256	= sha256
MODS_test_knownhosts	= knownhosts
ifeq ($(HAVE_TLS),1)
MODS_test_tls		= tls knownhosts stream buf sanitize width
else
MODS_test_tls		= tls_none
endif
MODS_test_record	= record outfile clock transcript roomline scrollback lines sanitize width
MODS_test_starttls	= starttls
MODS_test_udp		= udp buf net clock
MODS_test_tracefmt	= tracefmt
mods = $(patsubst %,$(BUILD)/%.o,$(MODS_$(notdir $(1))))
# Tests that make allocations fail (tests/unit/failalloc.h) wrap them.
FAILALLOC = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc
LDFLAGS_test_transcript	= $(FAILALLOC)
LDFLAGS_test_peer	= $(FAILALLOC)
LDFLAGS_test_prompt	= $(FAILALLOC)
LDFLAGS_test_tls	= $(TLS_LIBS)

.PHONY: all run check unit e2e install uninstall clean deps ensure-deps bench lint pot

all: $(BIN) $(MOS)

$(BIN): $(OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIB_LIBS) $(TLS_LIBS) $(PCAP_LIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# main.o has LOCALEDIR compiled in: a make install PREFIX=/usr after a
# plain make must rebuild it, or the binary looks for its catalogues in
# /usr/local.  The stamp changes only when LOCALEDIR does.
ifneq ($(NO_NLS),1)
$(BUILD)/localedir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LOCALEDIR)' | cmp -s - $@ 2>/dev/null || echo '$(LOCALEDIR)' >$@
$(BUILD)/main.o: $(BUILD)/localedir
endif
FORCE:
.PHONY: FORCE

# tls_none.o is only a test object when TLS is built in: keep it.
.PRECIOUS: $(BUILD)/%.o
.SECONDEXPANSION:
$(BUILD)/tests/%: tests/unit/%.c $$(call mods,$$@)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(TEST_CFLAGS) -MMD -MP -o $@ $< \
		$(call mods,$@) $(ALL_LDFLAGS) $(LDFLAGS_$(notdir $@)) $(if $(filter test_prompt,$(notdir $@)),$(LIB_LIBS)) $(TEST_LIBS)

-include $(OBJS:.o=.d) $(TESTS:=.d)

# Catalogues: build/locale is where tcptalk looks when it runs from the
# build tree (main.c), so `make run` speaks the user's language uninstalled.
build/locale/%/LC_MESSAGES/tcptalk.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template from the sources (xgettext, flags in scripts/make-pot);
# rewritten only when a message changed, so its date is not diff noise.
pot:
	@scripts/make-pot po/tcptalk.pot $(VERSION)

# After a message changed: the template, then every po/LANG.po merged with
# it (new messages untranslated, changed ones fuzzy) - what check-po wants.
.PHONY: update-po
update-po: pot
	@for l in $(LINGUAS); do \
		msgmerge --quiet --update --backup=off po/$$l.po po/tcptalk.pot || exit 1; \
	done

deps:
	scripts/install-deps

# Install only when something is missing, so `make run` stays quick.
# (the tests' peers and tools too: tmux, python3, perl, socat, redis, nc)
ensure-deps:
	@ok=1; $(PKG_CONFIG) --exists ncursesw readline cmocka openssl libpcap 2>/dev/null || ok=; \
	for c in tmux python3 perl socat redis-server nc ncat openssl mandoc ss bc zsh dh lintian msgfmt xgettext; do \
		command -v $$c >/dev/null 2>&1 || ok=; \
	done; [ -n "$$ok" ] || scripts/install-deps

run: ensure-deps
	@$(MAKE) --no-print-directory all
	@echo "tcptalk: listening on port 8888; in a second terminal run: ./tcptalk localhost 8888"
	./$(BIN) -l 8888

check: ensure-deps
	@$(MAKE) --no-print-directory all unit-bins
	@$(MAKE) --no-print-directory unit e2e
	@$(MAKE) --no-print-directory faults

unit-bins: $(TESTS)

unit: $(TESTS)
	@scripts/guard-rails
	@mandoc -Tlint -W warning man/tcptalk.1
	@fail=0; for t in $(TESTS); do \
		INPUTRC=/dev/null $$t || fail=1; \
	done; exit $$fail

e2e: $(BIN)
	@TCPTALK=$(CURDIR)/$(BIN) SANITIZE=$(SANITIZE) bash tests/e2e/run.sh

# Network faults (loss, rate limit, cut, partition over a veth pair between
# network namespaces; resets, silent and slow peers on loopback); the
# namespace tests are skipped, with the reason, where they are not permitted.
.PHONY: faults
faults: $(BIN)
	@TCPTALK=$(CURDIR)/$(BIN) SANITIZE=$(SANITIZE) bash tests/faults/run.sh

bench: $(BIN)
	bash bench/pipe.sh
	bash bench/ui-flood.sh
	bash bench/tls.sh

lint:
	@scripts/lint

# libFuzzer harnesses (tests/fuzz), each for FUZZ_SECONDS; skipped without clang.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# Every tcptalk under valgrind memcheck (the normal build): the pipe e2e tests
# and scripted chat sessions; any memory error or definite leak fails.
.PHONY: valgrind
valgrind:
	@$(MAKE) --no-print-directory SANITIZE= all
	@TCPTALK_REAL=$(CURDIR)/tcptalk bash tests/valgrind/run.sh

# The binary, the man page, the completions and the docs; uninstall removes
# exactly these files, and the doc directory only when nothing else is in it.
install: $(BIN) $(MOS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(ZHMANDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/tcptalk
	install -m 644 man/tcptalk.1 $(DESTDIR)$(MANDIR)/tcptalk.1
	install -m 644 man/zh_CN/tcptalk.1 $(DESTDIR)$(ZHMANDIR)/tcptalk.1
	install -m 644 completions/tcptalk.bash $(DESTDIR)$(BASHCOMPDIR)/tcptalk
	install -m 644 completions/_tcptalk $(DESTDIR)$(ZSHCOMPDIR)/_tcptalk
	install -m 644 README.md README.zh.md LICENSE $(DESTDIR)$(DOCDIR)
	for l in $(if $(MOS),$(LINGUAS)); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 build/locale/$$l/LC_MESSAGES/tcptalk.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tcptalk.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tcptalk $(DESTDIR)$(MANDIR)/tcptalk.1 \
		$(DESTDIR)$(ZHMANDIR)/tcptalk.1 \
		$(DESTDIR)$(BASHCOMPDIR)/tcptalk $(DESTDIR)$(ZSHCOMPDIR)/_tcptalk \
		$(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/README.zh.md \
		$(DESTDIR)$(DOCDIR)/LICENSE
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	for l in $(LINGUAS); do \
		rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/tcptalk.mo; \
	done

# A Debian package (debhelper, debian/) built in a copy under build/deb and
# checked with lintian; prints the .deb's path.
.PHONY: deb
deb:
	@scripts/make-deb

clean:
	rm -rf build tcptalk
