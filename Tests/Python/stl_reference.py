"""statsmodels' STL, and MSTL as statsforecast composes it from STL, on seeded series: the
reference for Tests/GreenShiftTests/STLDifferentialTests.swift. Writes one JSON document to stdout.

MSTL follows statsforecast.mstl.mstl (seasons shortest first, seasonal spans 7 + 4 i, a flat
seasonal loess, two passes over the seasons), with two inner STL iterations as greenshift runs it.
"""
import json
import sys

import numpy as np
from statsmodels.tsa.seasonal import STL


def series(rng, n, kind):
    t = np.arange(n)
    daily = 5 * np.sin(2 * np.pi * t / 24) + 2 * np.cos(4 * np.pi * t / 24)
    weekly = np.where((t // 24) % 7 >= 5, -6.0, 1.5) + 0.5 * np.sin(2 * np.pi * t / 168)
    noise = rng.normal(0, 1, n)
    if kind == "noise":
        return 100 + noise
    if kind == "trend-daily":
        return 50 + 0.02 * t + daily + noise
    return 30 + 0.01 * t + daily + weekly + noise + 3 * np.sin(2 * np.pi * t / (24 * 40))


def mstl(x, periods, inner):
    seas = np.zeros((len(periods), len(x)))
    deseas = np.copy(x)
    for _ in range(2 if len(periods) > 1 else 1):
        for i, p in enumerate(periods):
            deseas = deseas + seas[i]
            fit = STL(deseas, period=p, seasonal=7 + 4 * (i + 1), seasonal_deg=0).fit(inner_iter=inner, outer_iter=0)
            seas[i] = fit.seasonal
            deseas = deseas - seas[i]
    return seas


def main():
    seed = int(sys.argv[1])
    rng = np.random.default_rng(seed)
    cases = []
    for n, kind in [(60, "noise"), (24 * 9, "trend-daily"), (24 * 20, "daily-weekly"), (24 * 45, "daily-weekly")]:
        y = series(rng, n, kind)
        stl = []
        for period, span, degree in [(24, 11, 0), (24, 7, 1), (7, 15, 0)]:
            if n < 2 * period:
                continue
            fit = STL(y, period=period, seasonal=span, seasonal_deg=degree).fit(inner_iter=2, outer_iter=0)
            stl.append({"period": period, "span": span, "degree": degree,
                        "seasonal": fit.seasonal.tolist(), "trend": fit.trend.tolist()})
        periods = [24, 168] if n >= 2 * 168 else [24]
        cases.append({"y": y.tolist(), "stl": stl, "mstl_periods": periods,
                      "mstl": mstl(y, periods, 2).tolist()})
    json.dump(cases, sys.stdout)


if __name__ == "__main__":
    main()
