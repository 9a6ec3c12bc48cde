# Kiosk firmware: build, run, test, bench, install, cross-build.
#
#   make              build into build/ (never installs packages; says which are missing)
#   make deps         install the missing Debian packages (as root)
#   make run          deps, build, open the kiosk on the demo content
#   make test         deps, build (normal + ASan/UBSan), run every test; ends with "N passed, N failed"
#   make bench        deps, build, figures for first frame, memory, frame times, idle CPU (README)
#   make bench-browser  the same Arabic list in the kiosk and in headless Chromium, side by side
#   make install      install a build (PREFIX, DESTDIR); make install-user creates the system user
#   make CROSS=aarch64-linux-gnu            cross-build for a Raspberry Pi (also arm-linux-gnueabihf)
#   make test-cross CROSS=aarch64-linux-gnu the unit tests of that build under qemu-user
#
# The usual variables are honoured: CC, AR, PKG_CONFIG, CPPFLAGS, CFLAGS, LDFLAGS, LDLIBS (e.g. a
# distribution's hardening flags); the flags the code needs are in KIOSK_* and always added.
# The top-level targets that install re-enter make, so pkg-config is only asked once the -dev
# packages are there.

DEB_PKGS := build-essential pkg-config gettext python3 sqlite3 clang libclang-rt-14-dev \
            libsdl2-dev libsdl2-image-dev libsdl2-ttf-dev libicu-dev libsqlite3-dev \
            libharfbuzz-dev libfreetype-dev libgettextpo-dev libjansson-dev libinih-dev libsodium-dev \
            libsystemd-dev libespeak-ng-dev espeak-ng-data libcurl4-openssl-dev nginx-light \
            fonts-noto-core libical-dev libqrencode-dev libxml2-dev radicale tzdata zbar-tools \
            libcsv-dev python3-jsonschema libpng-dev libzstd-dev
# make bench measures the X11 display path under Xvfb; make bench-browser runs Chromium and cog beside the kiosk.
BENCH_PKGS := xvfb xauth
BROWSER_PKGS := chromium cog
PKGS := sdl2 SDL2_image harfbuzz freetype2 icu-uc icu-i18n sqlite3 jansson inih libsodium libsystemd espeak-ng libcurl libical libqrencode libxml-2.0 libpng libzstd

# Cross-building: CROSS is a Debian triplet; the target's libraries come from a sysroot of
# Debian packages unpacked by cross/sysroot.sh (`make deps CROSS=...`), the demo database from
# the host's kiosk-pack.
CROSS ?=
ifneq ($(CROSS),)
DEB_ARCH_aarch64-linux-gnu := arm64
DEB_ARCH_arm-linux-gnueabihf := armhf
DEB_ARCH := $(or $(DEB_ARCH_$(CROSS)),$(error CROSS=$(CROSS): use aarch64-linux-gnu or arm-linux-gnueabihf))
QEMU_ARCH_arm64 := aarch64
QEMU_ARCH_armhf := arm
SYSROOT ?= sysroot/$(DEB_ARCH)
SYSROOT_ABS = $(abspath $(SYSROOT))
BUILD ?= build/$(CROSS)
ifeq ($(origin CC),default)
CC := $(CROSS)-gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS)-ar
endif
PKG_CONFIG ?= PKG_CONFIG_SYSROOT_DIR=$(SYSROOT_ABS) \
    PKG_CONFIG_LIBDIR=$(SYSROOT_ABS)/usr/lib/$(CROSS)/pkgconfig:$(SYSROOT_ABS)/usr/share/pkgconfig pkg-config
KIOSK_TARGET := --sysroot=$(SYSROOT_ABS)
HOST_PACK := build/kiosk-pack
HOST_CC ?= cc
HOST_AR ?= ar
HOST_CFLAGS ?= -g -O2
CROSS_HOST_PKGS := gcc-$(CROSS) qemu-user-static
# what the target build links against, and what its tests read at run time
TARGET_PKGS := $(filter-out libclang-rt-%,$(filter lib%-dev,$(DEB_PKGS))) espeak-ng-data libc6-dev
QEMU ?= $(firstword $(shell command -v qemu-$(QEMU_ARCH_$(DEB_ARCH))-static qemu-$(QEMU_ARCH_$(DEB_ARCH))))
endif

BUILD ?= build
PKG_CONFIG ?= pkg-config
HOST_PACK ?= $(BUILD)/kiosk-pack
SAN ?=
OPT ?= -O2
CFLAGS ?= -g $(OPT)
# Always: large files on 32-bit targets (armhf: a 2 GiB pack, readdir without EOVERFLOW).
KIOSK_CPPFLAGS = -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Ikiosk
KIOSK_CFLAGS = -std=c17 -Wall -Wextra -Werror -pthread $(KIOSK_TARGET) -MMD -MP
KIOSK_LDFLAGS = -pthread $(KIOSK_TARGET)
# Asked once per make run, when first needed (not at all for deps or clean).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell $$(PKG_CONFIG) --cflags $$(PKGS)))$(PKG_CFLAGS)
# libcurl, espeak-ng, SDL_image, libical, libgettextpo, libxml2, libqrencode and ICU's libicui18n
# are opened at run time when first needed (platform/curl_dl.h, speech.c, img_dl.h, ical_dl.h,
# gpo_dl.h, xml_dl.h, qr_dl.h, icu_dl.h): only their headers are used at build time, which keeps
# them and theirs off the start-up link. The tests that call them themselves link them (DL_LIBS).
DL_PKGS := libcurl espeak-ng SDL2_image libical libxml-2.0 libqrencode icu-i18n
# The order of the libraries is the order in which the dynamic loader searches for each of the
# ~10,700 symbols that the ~70 libraries at start bind (most of them BIND_NOW): libc, libm and
# libstdc++ (ICU's), where most of them are found, come first, then SQLite and ICU, which bind
# their own symbols through the search too, then SDL2 (its dependencies follow it). The same
# definitions win (none of the libraries before them defines their symbols), and the search costs
# 3.9 M instructions less at every start.
LINK_FIRST := -Wl,--no-as-needed -lc -lm -l:libstdc++.so.6 -Wl,--as-needed
PKGS_LINK_ORDER = sqlite3 icu-uc $(filter-out sqlite3 icu-uc $(DL_PKGS),$(PKGS))
PKG_LIBS = $(eval PKG_LIBS := $(LINK_FIRST) $$(shell $$(PKG_CONFIG) --libs $$(PKGS_LINK_ORDER)) -lcsv -lm -ldl)$(PKG_LIBS)
DL_LIBS = $(eval DL_LIBS := $$(shell $$(PKG_CONFIG) --libs SDL2_image libical icu-i18n) -lgettextpo)$(DL_LIBS)

COMPILE = $(CC) $(KIOSK_CPPFLAGS) $(CPPFLAGS) $(KIOSK_CFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LINK = $(CC) $(KIOSK_LDFLAGS) $(CFLAGS) $(SAN) $(LDFLAGS)

ROOMS := text i18n store pack ui app platform sync booking import
LIB_SRC := $(foreach r,$(ROOMS),$(filter-out %/main.c,$(wildcard kiosk/$(r)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/kiosk/app/main.o $(BUILD)/obj/kiosk/tools/kiosk_pack.o $(BUILD)/obj/kiosk/tools/kiosk_book.o
TEST_SRC := $(wildcard tests/unit/test_*.c) tests/unit/plural_index.c tests/unit/bench_search.c tests/unit/bench_booking.c \
            tests/unit/bench_pack.c
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The UI strings compiled beside their PO files (architecture-independent, so not under BUILD):
# the kiosk reads a .mo at least as new as its .po instead of parsing the PO (i18n.h).
MO := $(patsubst %.po,%.mo,$(wildcard translations/*.po))

.PHONY: all run test test-cross bench bench-browser deps build check-pkgs clean content shots fuzz install install-user

all: build

# Install what is missing from a list of Debian packages ($(1)); only deps does, and only as root.
define apt_install
missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" != 0 ]; then echo "missing packages:$$missing -- run as root or: sudo apt-get install$$missing"; exit 1; fi; \
  echo "installing:$$missing"; \
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
fi
endef

deps:
	@$(call apt_install,$(DEB_PKGS) $(CROSS_HOST_PKGS))
ifneq ($(CROSS),)
	@if [ "$$(cat $(SYSROOT)/.packages 2>/dev/null)" != "$(TARGET_PKGS)" ]; then \
	  echo "sysroot $(SYSROOT): downloading and unpacking $(DEB_ARCH) packages"; \
	  mkdir -p $(dir $(SYSROOT)) && \
	  cross/sysroot.sh $(DEB_ARCH) $(SYSROOT) $(TARGET_PKGS) > $(SYSROOT).log 2>&1 || { tail -n 20 $(SYSROOT).log; exit 1; }; \
	  echo "$(TARGET_PKGS)" > $(SYSROOT)/.packages; \
	fi
endif

# Before anything is compiled: are the libraries there? (A plain make never installs them.)
check-pkgs:
	@$(PKG_CONFIG) --exists $(PKGS) || { \
	  echo "missing libraries: $$($(PKG_CONFIG) --print-errors --exists $(PKGS) 2>&1 | sed -n "s/.*Package '\([^']*\)'.*/\1/p" | sort -u | tr '\n' ' ')"; \
	  echo "run: make deps$(if $(CROSS), CROSS=$(CROSS)) (as root)"; exit 1; }

build: $(BUILD)/kiosk $(BUILD)/kiosk-pack $(BUILD)/kiosk-book $(BUILD)/content/demo.db $(TEST_BIN) $(MO)
	@# kiosk-pack refuses a secret key its group or others may read; git keeps no such mode, so
	@# the (public, demo-only) key the tests sign with is made private here
	@chmod 600 content/keys/demo.secret

$(LIB_OBJ) $(MAIN_OBJ): | check-pkgs

translations/%.mo: translations/%.po
	@msgfmt -o $@.tmp $< && mv $@.tmp $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(COMPILE) -c $< -o $@

$(BUILD)/libkiosk.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/kiosk: $(BUILD)/obj/kiosk/app/main.o $(BUILD)/libkiosk.a
	$(LINK) $^ $(PKG_LIBS) $(LDLIBS) -o $@

$(BUILD)/kiosk-pack: $(BUILD)/obj/kiosk/tools/kiosk_pack.o $(BUILD)/libkiosk.a
	$(LINK) $^ $(PKG_LIBS) $(LDLIBS) -o $@

$(BUILD)/kiosk-book: $(BUILD)/obj/kiosk/tools/kiosk_book.o $(BUILD)/libkiosk.a
	$(LINK) $^ $(PKG_LIBS) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkiosk.a
	@mkdir -p $(dir $@)
	@$(COMPILE) -Itests/unit $< $(BUILD)/libkiosk.a $(KIOSK_LDFLAGS) $(LDFLAGS) $(PKG_LIBS) $(DL_LIBS) $(LDLIBS) -o $@

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d)

ifneq ($(CROSS),)
# The demo database is made by the host's kiosk-pack; the host build decides whether it is current.
$(HOST_PACK): FORCE
	@$(MAKE) --no-print-directory CROSS= BUILD=build CC=$(HOST_CC) AR=$(HOST_AR) PKG_CONFIG=pkg-config \
	    CFLAGS="$(HOST_CFLAGS)" CPPFLAGS= LDFLAGS= LDLIBS= build/kiosk-pack
FORCE:
endif

CONTENT_SRC := $(shell find content/demo content/pictograms -type f 2>/dev/null)
$(BUILD)/content/demo.db: $(HOST_PACK) $(CONTENT_SRC)
	@mkdir -p $(dir $@)
	$(HOST_PACK) build content/demo $@

run: deps
	@$(MAKE) --no-print-directory build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ ! -e /dev/dri/card0 ]; then \
	  echo "No display found (no DISPLAY, WAYLAND_DISPLAY or /dev/dri/card0)."; \
	  echo "Run headless and write screenshots instead, e.g.:"; \
	  echo "  SDL_VIDEODRIVER=dummy $(BUILD)/kiosk --config kiosk.example.ini --script tests/e2e/walk.txt --shots /tmp/shots"; \
	  echo "(then open /tmp/shots/*.png)"; \
	  exit 0; \
	fi; \
	exec $(BUILD)/kiosk --config kiosk.example.ini

test: deps
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory build BUILD=build/san OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
	@$(MAKE) --no-print-directory build/fuzz/fuzz_manifest build/fuzz/fuzz_offer
	@tests/run.sh

# The unit tests of a cross build, each binary under qemu-user with the sysroot as its root.
test-cross: deps
ifeq ($(CROSS),)
	@echo "make test-cross CROSS=aarch64-linux-gnu (or arm-linux-gnueabihf)"; exit 1
else
	@$(MAKE) --no-print-directory build
	@[ -n "$(QEMU)" ] || { echo "no qemu-$(QEMU_ARCH_$(DEB_ARCH))(-static): apt-get install qemu-user-static"; exit 1; }
	@tests/run.sh --cross $(BUILD) "$(QEMU)" $(SYSROOT)
endif

# libFuzzer targets (clang): build/fuzz/fuzz_manifest, build/fuzz/fuzz_offer. `make fuzz` builds
# them and runs each briefly on its corpus; run one longer with e.g. build/fuzz/fuzz_offer -max_total_time=600.
FUZZ_FLAGS = $(KIOSK_CPPFLAGS) -std=c17 -pthread -g -O1 -fsanitize=fuzzer,address,undefined -MMD -MP
FUZZ_LIB = $(filter kiosk/pack/% kiosk/store/% kiosk/i18n/% kiosk/text/% kiosk/platform/wallclock.c kiosk/platform/job.c kiosk/platform/secret.c kiosk/platform/fmt.c kiosk/platform/storage.c kiosk/platform/dl.c kiosk/platform/gpo_dl.c kiosk/platform/ical_dl.c kiosk/platform/icu_dl.c kiosk/booking/slots.c,$(LIB_SRC))
# libFuzzer comes with clang (DEB_PKGS has clang and its runtime); FUZZ_CC=clang-16 picks another.
FUZZ_CC ?= clang
build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@command -v $(FUZZ_CC) >/dev/null || { echo "$(FUZZ_CC) not found: the fuzz targets need clang (libFuzzer); run make deps (as root) or set FUZZ_CC"; exit 1; }
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) $< $(FUZZ_LIB) $(PKG_LIBS) -o $@
-include build/fuzz/fuzz_manifest.d build/fuzz/fuzz_offer.d

fuzz: build/fuzz/fuzz_manifest build/fuzz/fuzz_offer
	@mkdir -p build/fuzz/work-manifest build/fuzz/work-offer
	@build/fuzz/fuzz_manifest -runs=20000 -max_len=4096 build/fuzz/work-manifest tests/fuzz/corpus/manifest 2>&1 | tail -n 1
	@build/fuzz/fuzz_offer -runs=1500 -max_len=4096 build/fuzz/work-offer tests/fuzz/corpus/offer 2>&1 | tail -n 1

bench: deps
	@$(call apt_install,$(BENCH_PKGS))
	@$(MAKE) --no-print-directory build
	@BUILD=$(BUILD) tests/bench.sh

# The kiosk beside headless Chromium showing the same 500 Arabic offers (not part of make test).
bench-browser: deps
	@$(call apt_install,$(BROWSER_PKGS))
	@$(MAKE) --no-print-directory build
	@BUILD=$(BUILD) tests/bench_browser.sh

# Install a build onto a kiosk image (as root, or staged under DESTDIR): binaries, data, the
# unit (ExecStart from PREFIX, in systemd's unit directory), a config. The system user and its
# groups are `make install-user`, once per device (not for a staged DESTDIR).
PREFIX ?= /usr/local
SYSTEMD_UNIT_DIR ?= $(or $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk/kiosk/ui/icons $(DESTDIR)$(PREFIX)/share/kiosk/fonts \
	    $(DESTDIR)$(PREFIX)/share/kiosk/translations $(DESTDIR)/etc/kiosk $(DESTDIR)$(SYSTEMD_UNIT_DIR) $(DESTDIR)/var/lib/kiosk
	install -m 755 $(BUILD)/kiosk $(BUILD)/kiosk-pack $(BUILD)/kiosk-book $(DESTDIR)$(PREFIX)/bin/
	install -m 644 kiosk/ui/icons/*.svg $(DESTDIR)$(PREFIX)/share/kiosk/kiosk/ui/icons/
	install -m 644 fonts/fallback.ini $(DESTDIR)$(PREFIX)/share/kiosk/fonts/
	@# -p: each .mo keeps its build time, newer than its .po, so the kiosk reads it (i18n.h)
	install -p -m 644 translations/*.po translations/*.mo $(DESTDIR)$(PREFIX)/share/kiosk/translations/
	sed -e 's|^ExecStart=[^ ]*/kiosk |ExecStart=$(PREFIX)/bin/kiosk |' kiosk/platform/systemd/kiosk.service > $(BUILD)/kiosk.service
	install -m 644 $(BUILD)/kiosk.service $(DESTDIR)$(SYSTEMD_UNIT_DIR)/kiosk.service
	test -e $(DESTDIR)/etc/kiosk/kiosk.ini || sed -e 's|^content = .*|content = /var/lib/kiosk/content.db|' \
	    -e 's|^data_dir = .*|data_dir = $(PREFIX)/share/kiosk|' -e 's|^trusted_keys = .*|trusted_keys = /etc/kiosk/district.pub|' \
	    -e 's|^staff_pin_hash = .*|staff_pin_hash =|' kiosk.example.ini > $(DESTDIR)/etc/kiosk/kiosk.ini
	@# the PIN hash lives in kiosk.ini: root writes it, the kiosk (group) reads it, no one else
	chmod 640 $(DESTDIR)/etc/kiosk/kiosk.ini
	chown root:kiosk $(DESTDIR)/etc/kiosk/kiosk.ini 2>/dev/null || echo "no group kiosk yet: make install-user, then chown root:kiosk /etc/kiosk/kiosk.ini"
	@if [ -z "$(DESTDIR)" ]; then \
	  systemctl daemon-reload 2>/dev/null || true; \
	  id kiosk >/dev/null 2>&1 || echo "no user kiosk yet: make install-user"; \
	  echo "installed; put the district key in /etc/kiosk/district.pub, a PIN hash in /etc/kiosk/kiosk.ini,"; \
	  echo "a first pack with: kiosk-pack install PACK /etc/kiosk/district.pub /var/lib/kiosk/content.db"; \
	  echo "then: systemctl enable --now kiosk"; \
	fi

# The system user the unit runs as (User=kiosk): no login, home /var/lib/kiosk, and the groups
# for the display, touch input and sound. Run once on the device, as root.
install-user:
	id kiosk >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk
	for g in video input audio render; do getent group $$g >/dev/null && usermod -aG $$g kiosk || true; done
	install -d -m 700 -o kiosk -g kiosk /var/lib/kiosk
	if [ -e /etc/kiosk/kiosk.ini ]; then chown root:kiosk /etc/kiosk/kiosk.ini && chmod 640 /etc/kiosk/kiosk.ini; fi

clean:
	rm -rf build translations/*.mo
