#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for FUZZ_SECONDS (default 60), seeded with a corpus
# from the shipped scenarios and cooling models, plus deeply nested TOML. A crash leaves crash-* files in Fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${FUZZ_SECONDS:-60}
swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >/dev/null
bin=$(swift build --show-bin-path -Xswiftc -sanitize=fuzzer,address)
corpus=$(mktemp -d)
mkdir -p "$corpus"/{csv,toml,cooling} findings
cp ../Data/scenarios/*/timeseries/*.csv "$corpus/csv/"
cp ../Tests/GreenShiftCLITests/Fixtures/two-nodes/timeseries/*.csv "$corpus/csv/"
for f in ../Data/scenarios/*/scenario.toml ../Tests/GreenShiftCLITests/Fixtures/two-nodes/scenario.toml; do cp "$f" "$corpus/toml/$(basename "$(dirname "$f")").toml"; done
cp ../Models/cooling/*.toml "$corpus/cooling/"
# Hostile nesting, which overflowed the stack before TOMLDocument.maximumNesting: 40,000 '[',
# 10,000 nested inline tables, a table header of 30,000 dotted parts.
for dir in toml cooling; do
    { printf 'x = '; printf '[%.0s' $(seq 40000); } >"$corpus/$dir/nested-arrays.toml"
    { printf 'x = '; printf '{ a = %.0s' $(seq 10000); } >"$corpus/$dir/nested-tables.toml"
    { printf '['; printf 'a.%.0s' $(seq 30000); printf 'a]\n'; } >"$corpus/$dir/dotted-header.toml"
done
status=0
for target in FuzzCSV:csv FuzzScenarioTOML:toml FuzzCoolingModel:cooling; do
    name=${target%%:*}; dir=${target#*:}
    echo "== $name: ${seconds}s"
    if ! "$bin/$name" "$corpus/$dir" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -artifact_prefix="findings/$name-" -print_final_stats=1 2>"findings/$name.log"; then
        echo "$name found a problem: see Fuzz/findings/$name.log"; status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "findings/$name.log" | tail -3
done
rm -rf "$corpus"
exit $status
