#!/usr/bin/env python3
"""Write example actuals for the default scenario: Data/scenarios/east-west-hubs/actuals/.

    python3 Data/tools/make_actuals.py [--scenario DIR] [--out DIR]

The "morning after" of the forecast day, for `greenshift evaluate`: the
scenario's own forecasts (timeseries/*.csv) with the departures listed in the
constants below, written in the same format. Deterministic and standard-library
only: the same forecasts always give the same bytes. Series left unchanged are
not written, so the evaluation takes them as forecast.

Every departure is explained in Data/README.md ("Example actuals").
"""

import argparse
import csv
import math
import os
import random
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_default_scenario as scenario  # noqa: E402  (the wind model, to take 20 % off the wind alone)

# Wind at these sites delivered this fraction less than forecast, every hour
# (a weaker low-level jet than the numerical weather forecast had).
WIND_SHORTFALL = {"helinger": 0.20}

# A warm spell in the south-east: this many degrees C above the forecast at
# the peak (15:00 local), on a half sine from 11:00 to 20:00 local.
HOT_AFTERNOON_C = {"yangtze-demo": 4.0, "wuhu": 3.5, "shaoguan": 3.0}
HOT_FROM_HOUR, HOT_TO_HOUR = 11, 20

# Grid emission factors: relative departures drawn from a normal distribution
# with this standard deviation (seeded, so always the same draws), plus the
# evening peak (17:00-21:00 local) met by more coal than forecast in these provinces.
CARBON_NOISE_SD = 0.015
CARBON_SEED = 20261127
EVENING_PEAK = {"zhangjiakou": 0.04, "yangtze-demo": 0.03, "wuhu": 0.03}
EVENING_FROM_HOUR, EVENING_TO_HOUR = 17, 21

# Work arriving: (class, origin) -> (relative change, first hour, last hour), local time.
DEMAND_CHANGES = {
    ("batch", "yangtze-demo"): (+0.10, 9, 12),   # a late ETL backlog: extra batch in the morning
    ("web", "shaoguan"): (-0.05, 18, 22),        # a quieter evening than forecast
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return header, [r[0] for r in body], {c: [float(r[k]) for r in body] for k, c in enumerate(header) if k > 0}


def write_csv(path, header, stamps, columns, decimals):
    lines = [",".join(header)]
    for k, stamp in enumerate(stamps):
        lines.append(",".join([stamp] + [scenario.fmt(columns[c][k], decimals) for c in header[1:]]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def local_hour(stamp):
    """Clock hour of an ISO 8601 timestamp as written (the scenario's own offset)."""
    return int(stamp[11:13])


def build(scenario_dir, out_dir):
    ts = scenario_dir / "timeseries"
    out_dir.mkdir(parents=True, exist_ok=True)

    header, stamps, renew = read_csv(ts / "renewable_mw.csv")
    for node, shortfall in WIND_SHORTFALL.items():
        wind = scenario.wind_series(node)
        renew[node] = [max(0.0, r - shortfall * w) for r, w in zip(renew[node], wind)]
    write_csv(out_dir / "renewable_mw.csv", header, stamps, renew, 2)

    header, stamps, temp = read_csv(ts / "temperature_c.csv")
    span = HOT_TO_HOUR - HOT_FROM_HOUR
    for node, peak in HOT_AFTERNOON_C.items():
        for k, stamp in enumerate(stamps):
            h = local_hour(stamp) + 0.5 - HOT_FROM_HOUR  # middle of the hour
            if 0 < h < span:
                temp[node][k] += peak * math.sin(math.pi * h / span)
    write_csv(out_dir / "temperature_c.csv", header, stamps, temp, 1)

    header, stamps, carbon = read_csv(ts / "carbon_intensity.csv")
    draws = random.Random(CARBON_SEED)
    for node in header[1:]:
        for k, stamp in enumerate(stamps):
            change = draws.gauss(0.0, CARBON_NOISE_SD)
            if EVENING_FROM_HOUR <= local_hour(stamp) <= EVENING_TO_HOUR:
                change += EVENING_PEAK.get(node, 0.0)
            carbon[node][k] *= 1.0 + change
    write_csv(out_dir / "carbon_intensity.csv", header, stamps, carbon, 1)

    for cls in sorted({c for c, _ in DEMAND_CHANGES}):
        header, stamps, demand = read_csv(ts / f"demand_{cls}.csv")
        for (c, node), (change, first, last) in DEMAND_CHANGES.items():
            if c != cls:
                continue
            for k, stamp in enumerate(stamps):
                if first <= local_hour(stamp) <= last:
                    demand[node][k] = round(demand[node][k] * (1.0 + change))
        write_csv(out_dir / f"demand_{cls}.csv", header, stamps, demand, 0)


def main(argv=None):
    repo = Path(__file__).resolve().parents[2]
    default = repo / "Data" / "scenarios" / scenario.SCENARIO_NAME
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=default, help="scenario folder whose forecasts to start from")
    ap.add_argument("--out", type=Path, default=None, help="folder to write (default: SCENARIO/actuals)")
    args = ap.parse_args(argv)
    out = args.out or args.scenario / "actuals"
    build(args.scenario, out)
    print(f"wrote {os.path.relpath(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
