# Kiosk firmware: build, run, test, bench.
#
#   make run    install missing Debian packages (as root), build, open the kiosk on the demo content
#   make test   install, build (normal + ASan/UBSan), run every test; ends with "N passed, N failed"
#   make bench  figures for first frame, memory, frame times, idle CPU (targets in README)
#
# The top-level targets install packages first and then re-enter make, so pkg-config is only
# asked once the -dev packages are there.

DEB_PKGS := build-essential pkg-config gettext python3 sqlite3 clang libclang-rt-14-dev \
            libsdl2-dev libsdl2-image-dev libsdl2-ttf-dev libicu-dev libsqlite3-dev \
            libharfbuzz-dev libfreetype-dev libgettextpo-dev libjansson-dev libinih-dev libsodium-dev \
            libsystemd-dev libespeak-ng-dev espeak-ng-data libcurl4-openssl-dev nginx-light \
            fonts-noto-core libical-dev libqrencode-dev libxml2-dev radicale tzdata
PKGS := sdl2 SDL2_image harfbuzz freetype2 icu-uc icu-i18n sqlite3 jansson inih libsodium libsystemd espeak-ng libcurl libical libqrencode libxml-2.0

BUILD ?= build
SAN ?=
CC ?= cc
OPT ?= -O2
CFLAGS_BASE = -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) -Ikiosk $(SAN)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libcurl and espeak-ng are opened at run time when first needed (see sync.c, speech.c): only
# their headers are used at build time, and --as-needed keeps them off the start-up link.
PKG_LIBS = -Wl,--as-needed $(shell pkg-config --libs $(filter-out libcurl espeak-ng,$(PKGS))) -lgettextpo -lm -lpthread -ldl

ROOMS := text i18n store pack ui app platform sync booking
LIB_SRC := $(foreach r,$(ROOMS),$(filter-out %/main.c,$(wildcard kiosk/$(r)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c) tests/unit/plural_index.c tests/unit/bench_search.c tests/unit/bench_booking.c
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test bench deps build clean content shots fuzz install

all: deps
	@$(MAKE) --no-print-directory build

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing packages:$$missing -- run as root or: sudo apt-get install$$missing"; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi

build: $(BUILD)/kiosk $(BUILD)/kiosk-pack $(BUILD)/kiosk-book $(BUILD)/content/demo.db $(TEST_BIN)

$(BUILD)/obj/%.o: %.c $(wildcard kiosk/*/*.h)
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libkiosk.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/kiosk: $(BUILD)/obj/kiosk/app/main.o $(BUILD)/libkiosk.a
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

$(BUILD)/kiosk-pack: $(BUILD)/obj/kiosk/tools/kiosk_pack.o $(BUILD)/libkiosk.a
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

$(BUILD)/kiosk-book: $(BUILD)/obj/kiosk/tools/kiosk_book.o $(BUILD)/libkiosk.a
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(BUILD)/libkiosk.a
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS_BASE) $(PKG_CFLAGS) -Itests/unit $< $(BUILD)/libkiosk.a $(PKG_LIBS) -o $@

CONTENT_SRC := $(shell find content/demo content/pictograms -type f 2>/dev/null)
$(BUILD)/content/demo.db: $(BUILD)/kiosk-pack $(CONTENT_SRC)
	@mkdir -p $(dir $@)
	$(BUILD)/kiosk-pack build content/demo $@

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

# libFuzzer targets (clang): build/fuzz/fuzz_manifest, build/fuzz/fuzz_offer. `make fuzz` builds
# them and runs each briefly on its corpus; run one longer with e.g. build/fuzz/fuzz_offer -max_total_time=600.
FUZZ_FLAGS = -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Ikiosk
FUZZ_LIB = $(filter kiosk/pack/% kiosk/store/% kiosk/i18n/%,$(LIB_SRC))
build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) $(wildcard kiosk/*/*.h)
	@mkdir -p $(dir $@)
	@clang $(FUZZ_FLAGS) $(PKG_CFLAGS) $< $(FUZZ_LIB) $(PKG_LIBS) -o $@

fuzz: build/fuzz/fuzz_manifest build/fuzz/fuzz_offer
	@mkdir -p build/fuzz/work-manifest build/fuzz/work-offer
	@build/fuzz/fuzz_manifest -runs=20000 -max_len=4096 build/fuzz/work-manifest tests/fuzz/corpus/manifest 2>&1 | tail -n 1
	@build/fuzz/fuzz_offer -runs=1500 -max_len=4096 build/fuzz/work-offer tests/fuzz/corpus/offer 2>&1 | tail -n 1

bench: deps
	@$(MAKE) --no-print-directory build
	@tests/bench.sh

# Install onto a kiosk image (as root): binaries, data, the unit, a config, the kiosk user.
# DESTDIR=/some/root stages the files only (no user, no systemctl).
PREFIX ?= /usr/local
install: deps
	@$(MAKE) --no-print-directory build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiosk/kiosk/ui/icons $(DESTDIR)$(PREFIX)/share/kiosk/fonts \
	    $(DESTDIR)$(PREFIX)/share/kiosk/translations $(DESTDIR)/etc/kiosk $(DESTDIR)/etc/systemd/system $(DESTDIR)/var/lib/kiosk
	install -m 755 build/kiosk build/kiosk-pack build/kiosk-book $(DESTDIR)$(PREFIX)/bin/
	install -m 644 kiosk/ui/icons/*.svg $(DESTDIR)$(PREFIX)/share/kiosk/kiosk/ui/icons/
	install -m 644 fonts/fallback.ini $(DESTDIR)$(PREFIX)/share/kiosk/fonts/
	install -m 644 translations/*.po $(DESTDIR)$(PREFIX)/share/kiosk/translations/
	install -m 644 kiosk/platform/systemd/kiosk.service $(DESTDIR)/etc/systemd/system/
	test -e $(DESTDIR)/etc/kiosk/kiosk.ini || sed -e 's|^content = .*|content = /var/lib/kiosk/content.db|' \
	    -e 's|^data_dir = .*|data_dir = $(PREFIX)/share/kiosk|' -e 's|^trusted_keys = .*|trusted_keys = /etc/kiosk/district.pub|' \
	    -e 's|^staff_pin_hash = .*|staff_pin_hash =|' kiosk.example.ini > $(DESTDIR)/etc/kiosk/kiosk.ini
	@if [ -z "$(DESTDIR)" ]; then \
	  id kiosk >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk; \
	  for g in video input audio render; do getent group $$g >/dev/null && usermod -aG $$g kiosk; done; \
	  chown kiosk:kiosk /var/lib/kiosk; \
	  systemctl daemon-reload 2>/dev/null || true; \
	  echo "installed; put the district key in /etc/kiosk/district.pub, a PIN hash in /etc/kiosk/kiosk.ini,"; \
	  echo "a first pack with: kiosk-pack install PACK /etc/kiosk/district.pub /var/lib/kiosk/content.db"; \
	  echo "then: systemctl enable --now kiosk"; \
	fi

clean:
	rm -rf build
