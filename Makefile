# griot - build, test and run. See README.md.
#
#   make            build ./griot
#   make run        install missing packages, build, start griot on ./griot-data
#   make check      install, build with -Werror, unit + integration tests, unit tests under ASan+UBSan
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS (default 60)
#   make bench      benchmarks (bench/*.sh), not part of check
#   make format / check-format

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libcrypto yaml-0.1 libargon2 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# wslay (ws/): Debian 12's libwslay-dev ships no libwslay.pc, and one missing package would
# empty PKG_* above, so it is looked up on its own with a plain -lwslay fallback.
WSLAY_LIBS := $(shell pkg-config --libs libwslay 2>/dev/null || echo -lwslay)

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
           -Wcast-qual -Wformat=2 -Wundef -Wvla -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE -Isrc $(WARN) $(OPT) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL := $(PKG_LIBS) $(WSLAY_LIBS) -lpthread -lm

# Objects go to build/<variant>/; the sanitizer build is a separate variant.
ifneq ($(SANITIZE),)
VARIANT := san
CFLAGS_ALL += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS_ALL := $(filter-out -O2,$(CFLAGS_ALL)) -O1
LDFLAGS_ALL := -fsanitize=$(SANITIZE)
else
VARIANT := rel
endif
B := build/$(VARIANT)

SRCS     := $(shell find src -name '*.c' ! -name main.c | sort)
OBJS     := $(SRCS:%.c=$(B)/%.o)
LIB      := $(B)/libgriot.a
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%)

.PHONY: all run check unit unit-san integration deps fuzz bench clean format check-format pkgflags

all: griot

griot: $(B)/src/main.o $(LIB)
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(LDLIBS_ALL)

$(LIB): $(OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(B)/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIB) $(LDFLAGS_ALL) $(LDLIBS_ALL) -lcmocka

-include $(OBJS:.o=.d) $(B)/src/main.d

deps:
	@tools/install-deps.sh

run: deps
	$(MAKE) griot
	./griot serve --data ./griot-data

unit: $(UNIT_BINS)
	@tools/run-unit.sh $(UNIT_BINS)

unit-san:
	$(MAKE) SANITIZE=address,undefined WERROR=1 unit

integration: griot
	@tools/run-integration.sh

check: deps
	$(MAKE) WERROR=1 griot
	$(MAKE) WERROR=1 unit
	$(MAKE) WERROR=1 integration
	$(MAKE) unit-san
	@echo "make check: all green"

FUZZ_SECONDS ?= 60
fuzz:
	@tools/fuzz.sh $(FUZZ_SECONDS)

bench: griot
	bench/ingest.sh
	bench/rest_posts.sh

# The libraries' flags, for scripts that build outside make (tools/fuzz.sh).
pkgflags:
	@echo $(PKG_CFLAGS) $(PKG_LIBS) $(WSLAY_LIBS)

format:
	clang-format -i $$(find src tests -name '*.[ch]')

check-format:
	clang-format --dry-run -Werror $$(find src tests -name '*.[ch]')

clean:
	rm -rf build griot
