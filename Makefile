# greenshift: `make run` optimizes the default scenario, `make test` runs every test.
# Both install GLPK (Debian's libglpk-dev) first when it is missing.

SCENARIO ?= Data/scenarios/east-west-hubs
OUT      ?= out
SWIFT    ?= swift
BIN      := .build/debug/greenshift

.PHONY: all deps build run test release bench clean

all: build

# GLPK's header and library; glpk-utils brings glpsol for `make bench`.
deps:
	@if [ ! -f /usr/include/glpk.h ]; then \
		echo "Installing libglpk-dev (GLPK) with apt-get..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libglpk-dev glpk-utils >/dev/null; \
	fi

build: deps
	$(SWIFT) build

run: build
	$(BIN) optimize $(SCENARIO) --out $(OUT)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release

clean:
	rm -rf .build $(OUT)
