#!/usr/bin/env python3
"""greenshift's forecasts side by side with Nixtla's statsforecast (`make bench-forecast`).

For each history folder and each column of its series, runs the same rolling-origin backtest
twice: `greenshift backtest` (its `auto` and its best single method, from backtest.json) and
statsforecast's cross_validation with AutoETS (daily season), MSTL (daily and weekly seasons,
AutoETS trend) and SeasonalNaive (day and week). Prints MASE (scaled by the weekly seasonal naive
on the same windows, as greenshift does), WAPE, the coverage of the 10 % and 90 % quantiles
(statsforecast's 80 % interval) and run time. statsforecast's numba code is compiled on a small
series first, so its times are warm.
"""
import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS, SeasonalNaive


def read_wide(path):
    frame = pd.read_csv(path)
    stamps = [dt.datetime.fromisoformat(s).replace(tzinfo=None) for s in frame["timestamp"]]
    return stamps, {c: frame[c].to_numpy(dtype=float) for c in frame.columns[1:]}


def models(m):
    return [
        AutoETS(season_length=m, alias="AutoETS"),
        MSTL(season_length=[m, 7 * m], trend_forecaster=AutoETS(model="ZZN"), alias="MSTL"),
        SeasonalNaive(season_length=m, alias="SeasonalNaive-day"),
        SeasonalNaive(season_length=7 * m, alias="SeasonalNaive-week"),
    ]


def cross_validate(stamps, y, horizon, windows, step, m):
    """Per model: forecasts, lo-80, hi-80 as [window][lead] arrays, the actuals, and seconds."""
    df = pd.DataFrame({"unique_id": "s", "ds": stamps, "y": y})
    out = {}
    for model in models(m):
        start = time.perf_counter()
        sf = StatsForecast(models=[model], freq=f"{int(1440 / m)}min", n_jobs=1)
        cv = sf.cross_validation(df=df, h=horizon, n_windows=windows, step_size=step, level=[80])
        seconds = time.perf_counter() - start
        cv = cv.sort_values(["cutoff", "ds"])
        shape = (windows, horizon)
        name = model.alias
        out[name] = {
            "forecast": cv[name].to_numpy().reshape(shape),
            "lo": cv[f"{name}-lo-80"].to_numpy().reshape(shape),
            "hi": cv[f"{name}-hi-80"].to_numpy().reshape(shape),
            "seconds": seconds,
        }
        actual = cv["y"].to_numpy().reshape(shape)
    return out, actual


def metrics(f, lo, hi, actual, scale, ratio):
    e = np.abs(f - actual)
    mae = e.mean()
    return {
        "mase": mae / scale if scale > 0 else float("nan"),
        "wape": e.sum() / np.abs(actual).sum() if ratio and np.abs(actual).sum() > 0 else float("nan"),
        "q10": float((actual <= lo).mean()) if lo is not None else float("nan"),
        "q90": float((actual <= hi).mean()) if hi is not None else float("nan"),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("histories", nargs="+")
    p.add_argument("--greenshift", default=".build/release/greenshift")
    p.add_argument("--horizon", type=int, default=24)
    p.add_argument("--windows", type=int, default=7)
    p.add_argument("--json", help="also write the table here")
    a = p.parse_args()

    # Warm-up: numba compiles statsforecast's models on first use.
    warm = [dt.datetime(2020, 1, 1) + dt.timedelta(hours=t) for t in range(24 * 21)]
    cross_validate(warm, 10 + np.sin(np.arange(len(warm)) * 2 * np.pi / 24), 24, 1, 24, 24)

    rows = []
    header = f"{'series':<34} {'method':<28} {'MASE':>7} {'WAPE %':>7} {'cov q10':>8} {'cov q90':>8} {'time s':>8}"
    print(header)
    print("-" * len(header))
    for folder in a.histories:
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([a.greenshift, "backtest", folder, "--horizon", str(a.horizon), "--windows", str(a.windows),
                            "--quantiles", "0.1,0.9", "--out", out, "--quiet"], check=True)
            wall = time.perf_counter() - start
            with open(os.path.join(out, "backtest.json")) as f:
                backtest = json.load(f)
        m = 1440 // backtest["period_minutes"]
        for s in backtest["series"]:
            name = f"{os.path.basename(folder.rstrip('/'))}/{s['file']}:{s['column']}"
            stamps, columns = read_wide(os.path.join(folder, s["file"] + ".csv"))
            sf, actual = cross_validate(stamps, columns[s["column"]], a.horizon, a.windows, a.horizon, m)
            ratio = s["file"] != "temperature_c"
            scale = np.abs(sf["SeasonalNaive-week"]["forecast"] - actual).mean()
            by = {r["method"]: r for r in s["methods"]}
            lines = []
            for method in ["auto", s["best"]]:
                r = by[method]
                label = "greenshift " + (f"auto ({', '.join(sorted(set(r['chosen'])))})" if method == "auto" else method)
                lines.append((label, {"mase": r["overall"]["mase"], "wape": r["overall"]["wape"] or float("nan"),
                                      "q10": r["coverage"].get("q10"), "q90": r["coverage"].get("q90"),
                                      "seconds": r["seconds"]}))
            sf_rows = {k: dict(metrics(v["forecast"], v["lo"], v["hi"], actual, scale, ratio), seconds=v["seconds"]) for k, v in sf.items()}
            best = min(sf_rows, key=lambda k: sf_rows[k]["mase"])
            for k, v in sf_rows.items():
                lines.append(("statsforecast " + k + (" (best)" if k == best else ""), v))
            for label, v in lines:
                print(f"{name:<34} {label:<28} {v['mase']:>7.3f} {100 * v['wape']:>7.2f} {v['q10'] if v['q10'] is not None else float('nan'):>8.3f} "
                      f"{v['q90'] if v['q90'] is not None else float('nan'):>8.3f} {v['seconds']:>8.2f}")
            g = by["auto"]["overall"]["mase"]
            verdict = "within 5 %" if g <= 1.05 * sf_rows[best]["mase"] else "NOT within 5 %"
            print(f"{name:<34} => greenshift auto / statsforecast best ({best}) MASE = {g / sf_rows[best]['mase']:.3f} ({verdict}); "
                  f"time {by['auto']['seconds']:.2f} s vs {sf_rows[best]['seconds']:.2f} s (all statsforecast models "
                  f"{sum(v['seconds'] for v in sf_rows.values()):.2f} s, whole greenshift backtest {wall:.2f} s)")
            print()
            rows.append({"series": name, "greenshift": dict(lines[:2]), "statsforecast": sf_rows, "statsforecast_best": best,
                         "greenshift_backtest_wall_seconds": wall})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1, default=float)


if __name__ == "__main__":
    main()
