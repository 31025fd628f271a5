# sentry-ha-setup — build, run, test.
#
#   make            build ./sentry-ha-setup
#   make run        install what is missing, build, start the wizard on the
#                   demo answers (on a terminal; otherwise generate from them)
#   make test       install what is missing, run every test (unit tests under
#                   AddressSanitizer + UndefinedBehaviorSanitizer, CLI and
#                   manifest tests, third-party manifest validators)
#   make check      the tests that need no install and no server: unit, CLI,
#                   golden output, the layering check
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (60)
#   make bench      time `check` over ten endpoints (three silent), the
#                   wizard's start and bytes per keystroke, hostile input,
#                   runs killed with SIGKILL, and the air-gap bundle's size
#                   against one archive an image and load.sh's verification
#   make install    PREFIX=/usr/local (binary, profiles, assets, man page,
#                   bash completion; DESTDIR for a staging root)
#   make deb        build/deb/sentry-ha-setup_VERSION_ARCH.deb (PREFIX=/usr)
#   make deps       install the Debian packages the build and the tests need
#   make V=1        show the compiler command lines

V        ?= 0
Q         = $(if $(filter 1,$(V)),,@)
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/sentry-ha-setup
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CC       ?= cc
VERSION  := 0.1.0

# The real client library of each server the live checks talk to.
PKGS      := yaml-0.1 libcrypto libpq hiredis libmemcached rdkafka libcurl \
             libssh2 libtirpc
# The terminal front end (ui/) alone uses curses.
UI_PKGS   := ncursesw
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla \
             -Wno-format-nonliteral
BASEFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARN) \
             -DSHS_VERSION='"$(VERSION)"' -DSHS_DATADIR='"$(DATADIR)"'
CFLAGS    ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread
SANITIZE  := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined

# The core, by layer (README "Layout"; tests/check-layers.sh holds each to
# the layers below it). main.c is the program's, not the unit tests'.
LAYERS    := base input plan probes emit rules app wiz cli
CORE_SRC  := $(filter-out src/cli/main.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
CORE_INC  := $(addprefix -Isrc/,$(LAYERS))
UI_SRC    := $(wildcard ui/*.c)
UI_CFLAGS  = $(shell pkg-config --cflags $(UI_PKGS) 2>/dev/null)
UI_LIBS    = $(shell pkg-config --libs $(UI_PKGS) 2>/dev/null)
UNIT_SRC  := $(wildcard tests/unit/*.c)
# Each object lists the headers it read (-MMD), and a header that goes away
# breaks nothing (-MP).
DEPFLAGS  := -MMD -MP

REL_OBJ   := $(CORE_SRC:src/%.c=build/rel/%.o) build/rel/cli/main.o \
             $(UI_SRC:ui/%.c=build/rel/ui/%.o)
UI_TST_OBJ := $(UI_SRC:ui/%.c=build/asan/ui/%.o)
TST_OBJ   := $(CORE_SRC:src/%.c=build/asan/%.o)
UNIT_OBJ  := $(UNIT_SRC:tests/unit/%.c=build/asan/unit/%.o)
# The parts of ui/ that need no terminal, unit-tested with the core.
UI_PURE_OBJ := build/asan/ui/keyseq.o build/asan/ui/edit.o
ALL_OBJ   := $(REL_OBJ) $(UI_TST_OBJ) $(TST_OBJ) build/asan/cli/main.o $(UNIT_OBJ)

# Debian packages: for building, and in addition for testing.
DEB_BUILD := gcc make pkg-config libyaml-dev libssl-dev libncurses-dev libpq-dev \
             libhiredis-dev libmemcached-dev librdkafka-dev \
             libcurl4-openssl-dev libssh2-1-dev libtirpc-dev
DEB_TEST  := check clang@clang nodejs@node npm@npm kubernetes-client@kubectl \
             docker-compose@docker-compose docker.io@docker docker.io@dockerd \
             busybox-static sshfs fuse3 ca-certificates \
             postgresql@pg_ctl redis-server memcached clickhouse-server \
             zookeeper openssh-server openssh-client exim4-daemon-light \
             python3@python3 netcat-openbsd tmux strace libclang-rt-14-dev \
             nfs-ganesha@ganesha.nfsd nfs-ganesha-mem \
             docker-registry skopeo apache2-utils@htpasswd openssl \
             groff-base@groff mandoc man-db@man dpkg-dev binutils@objdump

.PHONY: all run test check fuzz bench install uninstall deps test-deps clean \
        check-layers check-clang deb FORCE

all: sentry-ha-setup

sentry-ha-setup: $(REL_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $(REL_OBJ) $(PKG_LIBS) $(UI_LIBS)

build/rel/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	@echo "  CC    $<"
	$(Q)$(CC) $(BASEFLAGS) $(DEPFLAGS) -D_XOPEN_SOURCE_EXTENDED $(CFLAGS) \
	    $(CORE_INC) $(PKG_CFLAGS) $(UI_CFLAGS) -c -o $@ $<

build/rel/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC    $<"
	$(Q)$(CC) $(BASEFLAGS) $(DEPFLAGS) $(CFLAGS) $(CORE_INC) $(PKG_CFLAGS) -c -o $@ $<

build/asan/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	@echo "  CC    $< (sanitizers)"
	$(Q)$(CC) $(BASEFLAGS) $(DEPFLAGS) -D_XOPEN_SOURCE_EXTENDED -O1 -g $(SANITIZE) \
	    $(CORE_INC) $(PKG_CFLAGS) $(UI_CFLAGS) -c -o $@ $<

build/asan/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	@echo "  CC    $<"
	$(Q)$(CC) $(BASEFLAGS) $(DEPFLAGS) -Wno-missing-prototypes -O1 -g $(SANITIZE) \
	    $(CORE_INC) -Iui $(PKG_CFLAGS) $(shell pkg-config --cflags check) -c -o $@ $<

build/asan/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC    $< (sanitizers)"
	$(Q)$(CC) $(BASEFLAGS) $(DEPFLAGS) -O1 -g $(SANITIZE) $(CORE_INC) $(PKG_CFLAGS) -c -o $@ $<

# The same program, built with the sanitizers, for the CLI tests.
build/asan/sentry-ha-setup: $(TST_OBJ) build/asan/cli/main.o $(UI_TST_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) -g $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(UI_LIBS)

build/asan/unit-tests: $(TST_OBJ) $(UNIT_OBJ) $(UI_PURE_OBJ)
	@echo "  LINK  $@"
	$(Q)$(CC) -g $(SANITIZE) -o $@ $^ $(PKG_LIBS) $(shell pkg-config --libs check)

# The fuzzers (libFuzzer, clang): the core again, built for coverage.
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
FUZZ_OBJ  := $(CORE_SRC:src/%.c=build/fuzz/%.o)
FUZZ_SECONDS ?= 60

build/fuzz/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC    $< (fuzzing)"
	$(Q)clang $(BASEFLAGS) $(DEPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link \
	    $(CORE_INC) $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/oracle.c tests/fuzz/oracle.h $(FUZZ_OBJ)
	@echo "  LINK  $@"
	$(Q)clang $(BASEFLAGS) -Wno-missing-prototypes $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    $(CORE_INC) -Itests/fuzz $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_$*.c \
	    tests/fuzz/oracle.c $(FUZZ_OBJ) $(PKG_LIBS)

# Each fuzzer for FUZZ_SECONDS (make fuzz FUZZ_SECONDS=3600 for a long run).
fuzz: build/fuzz/fuzz-answers build/fuzz/fuzz-profile
	@./tests/fuzz/run.sh $(FUZZ_SECONDS)

-include $(ALL_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

# DATADIR is compiled in (SHS_DATADIR, the last place cli_data_dir() looks):
# the one object that reads it is rebuilt when it changes, so that
# `make install PREFIX=/usr` after a plain `make` installs a binary that
# looks in /usr/share/sentry-ha-setup, not /usr/local/share.
build/datadir: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = '$(DATADIR)' ] || printf '%s\n' '$(DATADIR)' >$@
build/rel/cli/cli.o build/asan/cli/cli.o build/fuzz/cli/cli.o: build/datadir

# librdkafka's mock Kafka cluster, for the live tests (no Kafka in Debian).
build/kafka-mock: tests/live/kafka-mock.c
	@mkdir -p $(@D)
	@echo "  LINK  $@"
	$(Q)$(CC) $(BASEFLAGS) -O1 -g -o $@ $< $$(pkg-config --cflags --libs rdkafka)

# The demo answers are copied (once) into sentry-ha-demo/, which git ignores,
# so the keys generated on the first run stay out of the source tree.
DEMO := sentry-ha-demo

run: deps sentry-ha-setup
	@mkdir -p $(DEMO)
	@for f in assets/demo/*; do \
	    [ -e $(DEMO)/$${f##*/} ] || cp "$$f" $(DEMO)/; done
	@if [ -t 0 ] && [ -t 1 ]; then \
	    SENTRY_DEMO_PG_PASSWORD=$${SENTRY_DEMO_PG_PASSWORD:-demo-only} \
	    ./sentry-ha-setup wizard -a $(DEMO)/sentry-ha.yaml -o $(DEMO)/out; \
	else \
	    echo "No terminal: generating from the demo answers instead of the wizard."; \
	    SENTRY_DEMO_PG_PASSWORD=$${SENTRY_DEMO_PG_PASSWORD:-demo-only} \
	    ./sentry-ha-setup generate -a $(DEMO)/sentry-ha.yaml -o $(DEMO)/out; \
	    echo; \
	    echo "On a terminal, make run starts the wizard on $(DEMO)/sentry-ha.yaml."; \
	fi

# Everything that needs nothing but the build's own packages and `check`:
# no apt-get, no npm, no server. `make test` runs it too, first.
check: check-layers build/asan/unit-tests build/asan/sentry-ha-setup sentry-ha-setup
	@./tests/run-all.sh check

test: deps test-deps check-layers check-clang build/asan/unit-tests \
      build/asan/sentry-ha-setup sentry-ha-setup build/kafka-mock \
      build/fuzz/fuzz-answers build/fuzz/fuzz-profile
	@./tests/run-all.sh all

bench: deps test-deps sentry-ha-setup
	@./tests/bench/check-bench.sh ./sentry-ha-setup
	@./tests/bench/wizard-bench.sh ./sentry-ha-setup
	@./tests/bench/bundle-bench.sh ./sentry-ha-setup
	@./tests/bench/input-bench.sh ./sentry-ha-setup

# The same warnings, from the other compiler.
check-clang:
	@echo "  CLANG src/*/*.c ui/*.c tests/unit/*.c (-fsyntax-only)"
	$(Q)for f in $(CORE_SRC) src/cli/main.c; do \
	    clang $(BASEFLAGS) $(CORE_INC) $(PKG_CFLAGS) -fsyntax-only $$f || exit 1; done
	$(Q)for f in $(UI_SRC); do \
	    clang $(BASEFLAGS) -D_XOPEN_SOURCE_EXTENDED $(CORE_INC) $(PKG_CFLAGS) \
	    $(UI_CFLAGS) -fsyntax-only $$f || exit 1; done
	$(Q)for f in $(UNIT_SRC); do \
	    clang $(BASEFLAGS) -Wno-missing-prototypes $(CORE_INC) -Iui $(PKG_CFLAGS) \
	    $$(pkg-config --cflags check) -fsyntax-only $$f || exit 1; done

# Each layer of src/ uses only the layers below it; the outputs, probes and
# rules never read the answers; the core never includes curses.
check-layers:
	@echo "  LAYERS src/ (tests/check-layers.sh)"
	@./tests/check-layers.sh

# The man page and the completion go where man and bash-completion look,
# not to DATADIR/assets as well; the README's picture (assets/readme) is
# not the program's.
install: sentry-ha-setup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/assets \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 sentry-ha-setup $(DESTDIR)$(BINDIR)/sentry-ha-setup
	cp -R profiles $(DESTDIR)$(DATADIR)/
	for d in assets/*; do case $$d in assets/man|assets/completion|assets/readme) ;; \
	    *) cp -R $$d $(DESTDIR)$(DATADIR)/assets/ ;; esac; done
	install -m 0644 assets/man/sentry-ha-setup.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 assets/completion/sentry-ha-setup.bash \
	    $(DESTDIR)$(BASHCOMPDIR)/sentry-ha-setup

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sentry-ha-setup
	rm -f $(DESTDIR)$(MANDIR)/man1/sentry-ha-setup.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/sentry-ha-setup
	rm -rf $(DESTDIR)$(DATADIR)

# The Debian package: `make install` into a staging root with PREFIX=/usr,
# the binary stripped as dh_strip does, the man page gzipped, and
# DEBIAN/control with the Depends that dpkg-shlibdeps computes from the
# libraries the binary links (their packages' symbols and shlibs files
# give the minimum versions). dpkg-shlibdeps wants a debian/control, so it
# runs in a folder of its own with a minimal one. The archive's times are
# the last commit's (SOURCE_DATE_EPOCH), its files owned by root.
DEB_PKG   := dpkg-dev binutils
DEB_DIR   := build/deb
DEB_ROOT  := $(DEB_DIR)/root
DEB_MAINTAINER ?= sentry-ha-setup maintainers <maintainers@users.noreply.r-seed-0c9d8f05.example>

deb:
	@./tests/install-deps.sh $(DEB_PKG)
	$(Q)rm -rf $(DEB_ROOT) $(DEB_DIR)/shlibs $(DEB_DIR)/*.deb
	$(Q)umask 022 && $(MAKE) --no-print-directory install PREFIX=/usr \
	    DESTDIR=$(CURDIR)/$(DEB_ROOT) >/dev/null
	$(Q)strip --remove-section=.comment --remove-section=.note \
	    --strip-unneeded $(DEB_ROOT)/usr/bin/sentry-ha-setup
	$(Q)gzip -9n $(DEB_ROOT)/usr/share/man/man1/sentry-ha-setup.1
	$(Q)mkdir -p $(DEB_DIR)/shlibs/debian $(DEB_ROOT)/DEBIAN
	$(Q)printf 'Source: sentry-ha-setup\n\nPackage: sentry-ha-setup\nArchitecture: any\n' \
	    >$(DEB_DIR)/shlibs/debian/control
	$(Q)set -e; root=$(CURDIR)/$(DEB_ROOT); \
	    version=$$(./sentry-ha-setup --version | sed -n 's/^sentry-ha-setup //p'); \
	    arch=$$(dpkg --print-architecture); \
	    depends=$$(cd $(DEB_DIR)/shlibs && dpkg-shlibdeps -O \
	        -e"$$root/usr/bin/sentry-ha-setup" 2>warnings | \
	        sed -n 's/^shlibs:Depends=//p'); \
	    [ -n "$$depends" ] || { cat $(DEB_DIR)/shlibs/warnings >&2; \
	        echo "make deb: dpkg-shlibdeps found no Depends" >&2; exit 1; }; \
	    [ "$$version" = '$(VERSION)' ] || { echo "make deb: the binary says" \
	        "version '$$version', the Makefile $(VERSION)" >&2; exit 1; }; \
	    size=$$(du -sk --exclude=DEBIAN "$$root" | cut -f1); \
	    { echo "Package: sentry-ha-setup"; echo "Version: $$version"; \
	      echo "Architecture: $$arch"; echo "Maintainer: $(DEB_MAINTAINER)"; \
	      echo "Installed-Size: $$size"; echo "Depends: $$depends"; \
	      echo "Section: admin"; echo "Priority: optional"; \
	      echo "Description: highly available Sentry on Kubernetes or Docker Swarm"; \
	      echo " sentry-ha-setup turns one answers file (sentry-ha.yaml) into per-service"; \
	      echo " manifests for a highly available Sentry self-hosted on Kubernetes or"; \
	      echo " Docker Swarm, with external PostgreSQL, Redis, Kafka, ClickHouse and"; \
	      echo " Memcached, the Sentry configuration files and a runbook. It checks every"; \
	      echo " endpoint live, explains the rules it applies, and plans upgrades hop by"; \
	      echo " hop through every hard stop. A terminal wizard and a command line."; \
	      echo " The release profiles and templates are included: it needs no network"; \
	      echo " to generate."; } >"$$root/DEBIAN/control"; \
	    (cd "$$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) \
	        >"$$root/DEBIAN/md5sums"; \
	    out=$(DEB_DIR)/sentry-ha-setup_$${version}_$$arch.deb; \
	    SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} \
	        dpkg-deb --build --root-owner-group "$$root" "$$out" >/dev/null; \
	    echo "  DEB   $$out"

# Installs only what is missing; a no-op on a machine that has everything.
deps:
	@./tests/install-deps.sh $(DEB_BUILD)

test-deps:
	@./tests/install-deps.sh $(DEB_TEST)
	@./tests/install-node-tools.sh

clean:
	rm -rf build sentry-ha-setup
