# greenshift: `make run` optimizes the default scenario, `make test` runs every test.
# Both install GLPK (Debian's libglpk-dev) first when it is missing.

SCENARIO ?= Data/scenarios/east-west-hubs
OUT      ?= out
SWIFT    ?= swift
BIN      := .build/debug/greenshift

.PHONY: all deps build run test test-venv test-slurm test-kubernetes release bench bench-forecast simulate clean fuzz report-png toml-test chromium test-report-layout

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

test: deps test-venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

# Python packages for the differential TOML test (Tests/Python/requirements.txt) in .venv-tests.
# Without python3 there is nothing to make, and that test skips itself.
VENV := .venv-tests
test-venv:
	@if ! command -v python3 >/dev/null; then echo "no python3: the differential TOML test will be skipped"; \
	elif [ ! -f $(VENV)/.installed ] || [ Tests/Python/requirements.txt -nt $(VENV)/.installed ]; then \
		python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r Tests/Python/requirements.txt && touch $(VENV)/.installed; \
	fi

# greenshift's Slurm reservations and sbatch wrapper against a real one-machine Slurm (munged,
# slurmctld, slurmd on localhost, all files in a temporary folder): Tests/slurm/round-trip.sh.
# Installs Debian's slurm-wlm and munge when missing; run as root.
test-slurm: build
	Tests/slurm/round-trip.sh

# The Kueue and Karmada manifests against the upstream CRD schemas (ClusterQueue v1beta1,
# PropagationPolicy v1alpha1), read from GitHub at pinned releases by Tests/kubernetes/crds.sh
# (or from git mirrors under $$UPSTREAM_MIRROR); needs PyYAML (python3-yaml, installed when missing).
test-kubernetes: deps
	@Tests/kubernetes/crds.sh .build/crds || { status=$$?; [ $$status = 77 ] && exit 0; exit $$status; }; \
	$(SWIFT) build --build-tests && \
	GREENSHIFT_CRDS=$(abspath .build/crds) $(SWIFT) test --skip-build --disable-xctest --filter KubernetesSchemaTests

release: deps
	$(SWIFT) build -c release

# greenshift against glpsol (MPS and MathProg) and HiGHS on generated scenarios S, M and L:
# Benchmarks/bench.sh, explained in docs/performance.md. `make bench BENCH_SIZES="S M"` for fewer.
# About 1.5 hours, mostly the peers: each peer run is capped at BENCH_TIMEOUT (900 s).
BENCH_SIZES ?= S M L
bench: deps
	$(SWIFT) build -c release
	Benchmarks/bench.sh .build/release/greenshift $(BENCH_SIZES)

# greenshift's forecasts against Nixtla's statsforecast (AutoETS, MSTL, SeasonalNaive) on the real
# histories in Data/histories (the folders with series at their top; not east-west-hubs-30d, a
# simulate history): Benchmarks/bench-forecast.py, explained in docs/forecast.md.
# statsforecast goes into a virtual environment, $(FORECAST_VENV), when missing. A few minutes.
FORECAST_VENV ?= .build/forecast-venv
bench-forecast: deps
	$(SWIFT) build -c release
	@if [ ! -x $(FORECAST_VENV)/bin/python ] || ! $(FORECAST_VENV)/bin/python -c 'import statsforecast' 2>/dev/null; then \
		echo "Installing statsforecast into $(FORECAST_VENV)..."; \
		python3 -m venv $(FORECAST_VENV) && $(FORECAST_VENV)/bin/pip install -q statsforecast; \
	fi
	$(FORECAST_VENV)/bin/python -W ignore Benchmarks/bench-forecast.py --greenshift .build/release/greenshift $(sort $(dir $(wildcard Data/histories/*/*.csv)))

# The shipped 30-day history under every policy, release build (docs/simulate.md): prints the
# table and the wall time; simulation.json, simulation.html and every day in $(SIM_OUT). A rerun
# continues where the last one stopped: remove $(SIM_OUT) to measure afresh. About a minute.
HISTORY    ?= Data/histories/east-west-hubs-30d
# FORECASTS=greenshift plans on greenshift's own forecasts, FORECASTS=perfect on the actuals.
LOOK_AHEAD ?= 24
FORECASTS  ?= files
SIM_OUT    ?= out/simulate-$(LOOK_AHEAD)h$(if $(filter-out files,$(FORECASTS)),-$(FORECASTS))
simulate: release
	@start=$$(date +%s); .build/release/greenshift simulate $(HISTORY) --out $(SIM_OUT) --look-ahead-hours $(LOOK_AHEAD) --forecasts $(FORECASTS) \
		&& echo "wall time $$(( $$(date +%s) - start )) s"

# Debian's chromium, installed when missing, for the two report targets below.
chromium:
	@if ! command -v chromium >/dev/null; then \
		echo "Installing chromium with apt-get..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The default scenario's report.html as $(OUT)/report.png (1280 px wide) and $(OUT)/report-420.png
# (a 420 px phone-sized window), to look at: headless Chromium. The window is taller than the page.
REPORT_PNG_HEIGHT ?= 5000
report-png: run chromium
	@rm -f $(OUT)/report.png $(OUT)/report-420.png
	@# Chromium complains about D-Bus on a headless machine: harmless, so filtered out.
	@for w in 1280 420; do \
		png=$(abspath $(OUT))/report$$( [ $$w = 1280 ] || echo -$$w ).png; \
		chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=$$w,$(REPORT_PNG_HEIGHT) \
			--screenshot=$$png file://$(abspath $(OUT))/report.html 2>&1 | grep -v -i 'dbus' || true; \
		test -s $$png && echo "wrote $$png"; \
	done

# The default scenario's report, a backtest's backtest.html and a two-day simulation.html in a
# 420 px Chromium window: no element may reach past the window (Tests/report-layout/widest.sh
# measures each in a copy; the pages themselves have no script).
test-report-layout: build chromium
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
		$(BIN) optimize $(SCENARIO) --out $$out/plan >/dev/null && \
		Tests/report-layout/widest.sh $$out/plan/report.html 420 && \
		$(BIN) backtest Data/histories/greensboro-tmy --horizon 24 --windows 3 --out $$out/backtest >/dev/null && \
		Tests/report-layout/widest.sh $$out/backtest/backtest.html 420 && \
		$(BIN) simulate Data/histories/east-west-hubs-30d --days 2 --policies greenshift,no-shift --out $$out/simulate --quiet >/dev/null && \
		Tests/report-layout/widest.sh $$out/simulate/simulation.html 420

clean:
	rm -rf .build $(OUT) $(VENV)

# libFuzzer on the CSV reader, the scenario TOML loader and the cooling-model loader
# (FUZZ_SECONDS per target, default 60).
fuzz: deps
	Fuzz/run.sh

# The official TOML 1.0 suite (toml-lang/toml-test) against the TOML reader, from a checkout
# outside the repository: `make toml-test TOML_TEST=/path/to/toml-test`. Prints how many of its
# valid files read to their values and how many invalid files are refused.
toml-test: deps
	@test -f "$(TOML_TEST)/tests/files-toml-1.0.0" || { echo "set TOML_TEST to a toml-test checkout (git clone https://github.com/toml-lang/toml-test)"; exit 2; }
	$(SWIFT) build --build-tests
	TOML_TEST_SUITE=$(abspath $(TOML_TEST))/tests $(SWIFT) test --skip-build --disable-xctest --filter TOMLConformanceTests
