#!/usr/bin/env python3
"""Write the shipped 30-day history Data/histories/east-west-hubs-30d/ for `greenshift simulate`.

    python3 Data/tools/make_history.py [--out DIR]   # write the history folder
    python3 Data/tools/make_history.py --stats       # forecast errors by lead and the weather calendar

The ten hubs of the default scenario (make_default_scenario.py: nodes, classes, links, the solar,
wind, temperature, grid-factor and demand models and their sources, imported, not copied; AI
training as it was before the scenario's AI pools, AI_TRAINING_FRACTION) from Monday 2026-11-16
for 30 days, in the history folder layout that `greenshift simulate` reads
(scenario.toml with one day's periods, actuals/, forecasts/YYYY-MM-DD/). The weather varies day
to day: a scripted synoptic calendar (EVENTS: a warm spell, a cold wave, windy and calm spells,
sunny and overcast days) plus seeded, spatially correlated AR(1) noise. Every night's 48-hour
forecast is the same physics driven by a forecast of the weather whose error is correlated in
time and across hubs and grows with lead time. Standard library only; a fixed seed, so the same
script always writes the same bytes.

Every choice is a named constant below and is explained in Data/README.md ("A 30-day history").
"""

import argparse
import csv
import datetime as dt
import functools
import math
import os
import random
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ beside the scripts
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_default_scenario as scenario  # noqa: E402  (nodes, classes and every physical model)

# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------

HISTORY_NAME = "east-west-hubs-30d"
TZ = dt.timezone(dt.timedelta(hours=scenario.UTC_OFFSET_HOURS))
# Monday 16 November to Tuesday 15 December 2026: the default scenario's day (Friday 27 November,
# day 12) sits inside it, so its late-November climate normals, plant sizes and windy-season
# assumptions hold; it is the season of the first cold waves, and of the last warm spells ahead
# of them.
START = dt.datetime(2026, 11, 16, tzinfo=TZ)
DAYS = 30
ACTUAL_DAYS = DAYS + 2          # actuals run to the end of day 32 (48 h look-ahead on day 30)
LEAD_HOURS = 48                 # each night's forecast: 48 hourly rows from the day's 00:00
HOURS = 24 * ACTUAL_DAYS
SEED = 20261116

# Groups of hubs that share a synoptic situation.
REGION = {
    "zhangjiakou": "north", "helinger": "north",
    "zhongwei": "northwest", "qingyang": "northwest",
    "tianfu": "southwest", "chongqing": "southwest", "guian": "southwest",
    "yangtze-demo": "east", "wuhu": "east",
    "shaoguan": "south",
}
NORTH = ("north", "northwest")
SOUTH = ("southwest", "east", "south")
EVERYWHERE = NORTH + SOUTH

# The synoptic calendar: (first day, last day, regions, variable, value), days counted from 1.
# Values are offsets added on those days: "temp_c" in K to the daily mean temperature, "wind" to
# the log of the hub-height wind speed (+0.7 is about twice the speed), "sky" to the latent cloud
# variable (+1 clearer, -1.5 overcast). Days without an event follow the AR(1) noise alone.
EVENTS = [
    (1, 4, NORTH, "sky", +1.0),            # settled autumn high: clear in the north
    (5, 10, ("east", "south"), "temp_c", +8.0),   # warm spell ahead of the cold wave
    (5, 10, ("southwest",), "temp_c", +6.0),
    (5, 9, NORTH, "temp_c", +5.0),
    (5, 8, NORTH, "wind", -0.6),           # stagnant air: calm in the north and north-west
    (5, 9, ("north", "east"), "sky", -2.0),       # haze and low cloud under the stagnant air
    (6, 9, ("southwest",), "sky", -1.5),
    (10, 12, NORTH, "wind", +0.45),         # cold wave: the front crosses the north on day 10
    (10, 11, SOUTH, "wind", +0.25),
    (10, 11, SOUTH, "sky", -2.5),          # frontal rain in the south on days 10 and 11
    (10, 10, NORTH, "temp_c", -3.0),
    (11, 14, NORTH, "temp_c", -9.0),       # cold spell behind the front
    (12, 14, SOUTH, "temp_c", -6.0),
    (15, 15, EVERYWHERE, "temp_c", -3.0),
    (11, 15, NORTH, "sky", +1.2),          # clear, dry polar air
    (12, 14, ("east", "south"), "sky", +0.8),
    (16, 20, NORTH, "wind", -0.5),         # a second calm spell under a high
    (17, 20, ("north", "east"), "sky", -1.0),
    (21, 22, NORTH, "wind", +0.3),         # a weaker front
    (22, 24, ("east", "south"), "sky", -2.5),
    (22, 26, ("southwest",), "sky", -2.0),
    (22, 24, EVERYWHERE, "temp_c", -3.0),
    (25, 27, NORTH, "sky", +0.8),
    (29, 31, NORTH, "wind", -0.4),
    (29, 30, EVERYWHERE, "sky", -4.0),
]

# Climatological cooling from late November into December (K per day, relative to day 12, the
# default scenario's day, where the scenario's normals hold): about 4-5 K from the November to
# the December normals in both the north and the south of China.
TREND_K_PER_DAY = -0.15

# ---------------------------------------------------------------------------
# Weather noise: daily (synoptic) AR(1) + hourly AR(1), correlated between hubs as
# exp(-distance / length)
# ---------------------------------------------------------------------------

# variable: (daily sd, daily phi, hourly sd, hourly phi, correlation length km)
NOISE = {
    "wind": (0.25, 0.6, 0.15, 0.85, 600.0),     # log wind speed
    "sky": (1.2, 0.4, 0.6, 0.8, 700.0),         # latent cloudiness
    "temp_c": (1.5, 0.7, 0.5, 0.9, 1000.0),     # K
    "grid": (0.015, 0.6, 0.01, 0.8, 800.0),     # relative departure of the grid factor (dispatch)
    "demand": (0.025, 0.5, 0.012, 0.7, 0.0),    # relative departure of arriving work, per hub
}

# Forecast error of each latent variable: sd at lead 24 h, growing linearly with lead from
# ERROR_START of it at lead 0; AR(1) in lead with this e-folding time (hours); correlated between
# hubs (the same weather model runs everywhere) with this length. The sizes are tuned so that
# the resulting power, load, temperature and grid-factor errors match published figures
# (Data/README.md); `--stats` measures them.
FORECAST_ERROR = {
    # variable: (sd at 24 h, e-folding hours, correlation length km)
    "wind": (0.18, 12.0, 500.0),
    "sky": (3.2, 8.0, 500.0),
    "temp_c": (1.6, 18.0, 800.0),
    "grid": (0.015, 12.0, 800.0),
    "demand": (0.035, 12.0, 0.0),
}
ERROR_START = 0.35
# Power and the grid factor are non-linear in the weather (the power curve, the clear-sky cap), so
# power computed from an unbiased weather forecast is biased (too high in light wind, too low
# near clear sky). Forecast providers remove such biases with model output statistics (MOS): here
# each hub's wind, solar and grid-factor forecasts are scaled by actual / forecast over all nights.
MOS_SERIES = ("wind", "solar", "carbon")

# ---------------------------------------------------------------------------
# Physics on top of the default scenario's models
# ---------------------------------------------------------------------------

# Wind turbine power curve (per unit of nameplate): cubic from cut-in to rated speed, flat above
# (storm cut-out ignored). Hub-height speed u = U_hub * exp(x) * diurnal^(1/3), where diurnal is
# the default scenario's wind profile (so the power keeps its diurnal shape in the cubic part) and
# U_hub is calibrated so that the mean capacity factor over the 32 days is the scenario's cf.
CUT_IN_M_S, RATED_M_S = 3.0, 12.0
# Clearness (fraction of the clear-sky PV output): K_MIN + (1 - K_MIN) * logistic(a_hub + z),
# with a_hub calibrated so that the mean over daylight hours is the scenario's clearness.
K_MIN = 0.08
# The diurnal temperature range shrinks under cloud and widens in clear air:
# DTR_day = DTR * clamp(DTR_BASE + (1 - DTR_BASE) * k_day / k_clim, DTR_LOW, DTR_HIGH).
DTR_BASE, DTR_LOW, DTR_HIGH = 0.45, 0.45, 1.35
# Share of wind in each province's generation (rounded assumptions of the order of the 2023
# provincial mix): the grid factor falls by share * (relative wind surplus) on windy days and
# rises on calm days. The solar effect is the default scenario's noon dip, scaled by the day's
# clearness.
WIND_SHARE = {
    "CN-HE": 0.12, "CN-SH": 0.02, "CN-AH": 0.04, "CN-GD": 0.04, "CN-SC": 0.03,
    "CN-CQ": 0.03, "CN-GZ": 0.05, "CN-NM": 0.16, "CN-GS": 0.18, "CN-NX": 0.15,
}
# Reference wind speed (m/s) of the provincial wind fleet, for the grid's wind index at every hub.
PROVINCE_WIND_M_S = 7.5
# A provincial wind fleet spread over hundreds of km rarely makes more than three times its mean.
WIND_INDEX_MAX = 3.0

# Arriving work: the Google trace (Data/histories/google-borg, 28 days), weekday-aligned, so that
# the default scenario's day (Friday 27 November, history day 12) is trace day 23, the day the
# default scenario uses. Normalized by the 28-day mean, so the trace's own day-to-day and weekly
# variation stays. On Saturdays and Sundays the classes below are scaled (fewer ETL runs, far
# fewer analysts), weekdays scaled up so that the weekly mean is the scenario's daily total.
TRACE_FILE = Path(__file__).resolve().parents[1] / "histories" / "google-borg" / "demand_borg.csv"
TRACE_CELL_CU = 10_000
TRACE_DAY_OF_HISTORY_DAY_12 = 23
WEEKEND_FACTOR = {"web": 1.0, "batch": 0.85, "ai-training": 1.0, "analytics": 0.6}

# The default scenario as it was when the history was written, before its AI pools (Data/README.md,
# "AI pools"): AI training is general work in CU*h at these fractions of its origin's capacity, with
# 0.01 GB per CU*h, and no node has an AI pool. The shipped history, and every simulate figure
# measured on it (README.md, docs/simulate.md), come from these; writing the history from today's
# default scenario would change them all.
AI_TRAINING_FRACTION = {"zhangjiakou": 0.12, "yangtze-demo": 0.10, "wuhu": 0.05, "shaoguan": 0.08,
                        "tianfu": 0.05, "chongqing": 0.04, "qingyang": 0.05}
AI_TRAINING_CLASS = dict(id="ai-training", deadline_hours=24.0, movable=True, gb_per_cu_h=0.01)
CLASSES = [AI_TRAINING_CLASS if c["id"] == "ai-training" else c for c in scenario.CLASSES]

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

NODES = [h[0] for h in scenario.HUBS]
HUB = scenario.hub_by_id()


def stamp(hour):
    return (START + dt.timedelta(hours=hour)).isoformat()


def set_day(day_index):
    """Point the scenario's one-day models (START, hence the sun and the clock) at a history day."""
    scenario.START = START + dt.timedelta(days=day_index)


def cholesky(a):
    n = len(a)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(max(s, 1e-12)) if i == j else s / low[j][j]
    return low


def correlation_factor(length_km):
    if length_km <= 0:
        return None  # independent hubs
    corr = [[math.exp(-scenario.haversine_km(HUB[a][3:5], HUB[b][3:5]) / length_km) for b in NODES] for a in NODES]
    return cholesky(corr)


def normals(rng, factor):
    e = [rng.gauss(0.0, 1.0) for _ in NODES]
    if factor is None:
        return e
    return [sum(factor[i][k] * e[k] for k in range(i + 1)) for i in range(len(NODES))]


def ar1(rng, factor, steps, phi):
    """Stationary unit-variance AR(1) at every hub: steps x nodes."""
    x = normals(rng, factor)
    out = []
    for _ in range(steps):
        out.append(x)
        e = normals(rng, factor)
        x = [phi * a + math.sqrt(1.0 - phi * phi) * b for a, b in zip(x, e)]
    return out


def rng(*names):
    return random.Random(":".join([str(SEED)] + [str(n) for n in names]))


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


def bisect(f, lo, hi, target):
    """x in [lo, hi] with f(x) = target, f increasing."""
    for _ in range(80):
        mid = (lo + hi) / 2.0
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def power_curve(u):
    if u <= CUT_IN_M_S:
        return 0.0
    if u >= RATED_M_S:
        return 1.0
    return (u ** 3 - CUT_IN_M_S ** 3) / (RATED_M_S ** 3 - CUT_IN_M_S ** 3)


# ---------------------------------------------------------------------------
# The latent weather: actual and forecast
# ---------------------------------------------------------------------------


def scripted(kind):
    """Hourly event offsets per node, linearly interpolated between day centres (12:00)."""
    daily = {n: [0.0] * (ACTUAL_DAYS + 2) for n in NODES}  # days 0 .. ACTUAL_DAYS + 1 (1-based)
    for first, last, regions, k, value in EVENTS:
        if k != kind:
            continue
        for n in NODES:
            if REGION[n] in regions:
                for d in range(first, last + 1):
                    daily[n][d] += value
    return {n: interpolate_days(v) for n, v in daily.items()}


def interpolate_days(daily):
    """daily[d] for days d = 0 .. ACTUAL_DAYS + 1 (1-based; 0 and the last are margins) -> hours."""
    out = []
    for t in range(HOURS):
        pos = (t + 0.5 - 12.0) / 24.0 + 1.0  # position in days, 1.0 = noon of day 1
        i = int(math.floor(pos))
        w = pos - i
        out.append(daily[i] * (1.0 - w) + daily[i + 1] * w)
    return out


class Latent:
    """One variable at every hub: calendar + daily AR(1) + hourly AR(1); and its forecasts."""

    def __init__(self, kind, stream=""):
        d_sd, d_phi, h_sd, h_phi, length = NOISE[kind]
        self.kind, self.stream, self.h_phi = kind, stream, h_phi
        factor = correlation_factor(length)
        base = scripted(kind) if any(e[3] == kind for e in EVENTS) else {n: [0.0] * HOURS for n in NODES}
        days = ar1(rng(kind, stream, "daily"), factor, ACTUAL_DAYS + 2, d_phi)
        slow_noise = {n: interpolate_days([d_sd * days[d][i] for d in range(ACTUAL_DAYS + 2)])
                      for i, n in enumerate(NODES)}
        # The slow part: what a good weather model gets right (with the forecast error below).
        self.slow = {n: [b + s for b, s in zip(base[n], slow_noise[n])] for n in NODES}
        # The fast part: hour-scale fluctuations, known only by persistence. Index t + 1 is hour t.
        fast = ar1(rng(kind, stream, "hourly"), factor, HOURS + 1, h_phi)
        self.fast = {n: [h_sd * fast[t][i] for t in range(HOURS + 1)] for i, n in enumerate(NODES)}
        err_sd, efold, err_len = FORECAST_ERROR[kind]
        self.err_sd, self.err_phi = err_sd, math.exp(-1.0 / efold)
        # One unit AR(1) error path per night; centred over the nights at every hub and lead, so that
        # the 30 nights (only a few dozen independent weather situations) show no bias by chance.
        factor = correlation_factor(err_len)
        paths = [ar1(rng(kind, stream, "forecast", d), factor, LEAD_HOURS, self.err_phi) for d in range(DAYS)]
        mean = [[sum(p[h][i] for p in paths) / DAYS for i in range(len(NODES))] for h in range(LEAD_HOURS)]
        self.err = [[[p[h][i] - mean[h][i] for i in range(len(NODES))] for h in range(LEAD_HOURS)] for p in paths]

    def actual(self, n, t):
        return self.slow[n][t] + self.fast[n][t + 1]

    def forecast(self, day):
        """node -> LEAD_HOURS values issued at the start of `day` (0-based)."""
        t0 = 24 * day
        g = self.err[day]
        out = {}
        for i, n in enumerate(NODES):
            last_fast = self.fast[n][t0]  # the hour before the issue
            vals = []
            for h in range(1, LEAD_HOURS + 1):
                t = t0 + h - 1
                sd = self.err_sd * (ERROR_START + (1.0 - ERROR_START) * h / 24.0)
                vals.append(self.slow[n][t] + sd * g[h - 1][i] + last_fast * self.h_phi ** h)
            out[n] = vals
        return out


# ---------------------------------------------------------------------------
# From the weather to the scenario's series
# ---------------------------------------------------------------------------


class Physics:
    """The default scenario's per-day models, evaluated once for every hour of the history."""

    def __init__(self):
        self.clear_solar = {n: [] for n in NODES}   # MW under a clear sky
        self.wind_shape = {n: [] for n in NODES}    # the scenario's diurnal wind profile, mean 1
        self.noon = {n: [] for n in NODES}          # sun term of the grid factor's noon dip
        self.t_wave = {n: [] for n in NODES}        # unit diurnal temperature wave
        self.daylight = {n: [] for n in NODES}
        default_start = scenario.START
        for d in range(ACTUAL_DAYS):
            set_day(d)
            for n in NODES:
                _, _, prov, lat, lon, _ = HUB[n]
                solar_mw, clearness, wind_mw, cf, _ = scenario.RENEWABLES[n]
                solar = scenario.solar_series(n)
                self.clear_solar[n] += [p / clearness for p in solar]
                self.daylight[n] += [p > 0.0 for p in solar]
                if wind_mw > 0:
                    self.wind_shape[n] += [w / (wind_mw * cf) for w in scenario.wind_series(n)]
                else:
                    self.wind_shape[n] += [1.0] * 24
                shape = [scenario.ghi_shape(lat, lon, k) for k in range(24)]
                mean = sum(shape) / 24.0
                top = max(shape) - mean
                self.noon[n] += [(s - mean) / top for s in shape]
                t_rise = scenario.sunrise_solar_hour(lat)
                wave = [sum(scenario.two_piece_cosine(scenario.solar_hour(h, lon), t_rise, scenario.T_MAX_SOLAR_HOUR)
                            for h in scenario.sample_hours(k)) / scenario.SUBSAMPLES for k in range(24)]
                wm = sum(wave) / 24.0
                self.t_wave[n] += [w - wm for w in wave]
        scenario.START = default_start

    def calibrate(self, wind, sky):
        """U_hub and a_hub from the actual weather, so the 32-day means are the scenario's."""
        self.u_hub, self.a_hub = {}, {}
        for n in NODES:
            solar_mw, clearness, wind_mw, cf, _ = scenario.RENEWABLES[n]
            xs = [wind.actual(n, t) for t in range(HOURS)]
            shape = self.wind_shape[n]
            if wind_mw > 0:
                self.u_hub[n] = bisect(lambda u: sum(power_curve(u * math.exp(x) * s ** (1 / 3))
                                                     for x, s in zip(xs, shape)) / HOURS, 0.1, 40.0, cf)
            zs = [sky.actual(n, t) for t in range(HOURS) if self.daylight[n][t]]
            self.a_hub[n] = bisect(lambda a: sum(self.clearness(n, z, a) for z in zs) / len(zs), -10.0, 15.0,
                                   clearness)
        # The provincial wind fleet: the same reference speed everywhere, index mean 1 per hub.
        self.wind_index_mean = {n: sum(power_curve(PROVINCE_WIND_M_S * math.exp(wind.actual(n, t)))
                                       for t in range(HOURS)) / HOURS for n in NODES}

    def clearness(self, n, z, a=None):
        """Clearness of latent cloudiness z at hub n (or with offset a, while calibrating)."""
        return K_MIN + (1.0 - K_MIN) * logistic((self.a_hub[n] if a is None else a) + z)

    def series(self, n, t0, wind_x, sky_z, temp_x, grid_x):
        """The hub's series for hours t0 .. t0 + len - 1, from latent weather values."""
        solar_mw, k_clim, wind_mw, _, _ = scenario.RENEWABLES[n]
        _, _, prov, _, _, _ = HUB[n]
        g2023 = scenario.EMISSION_FACTORS_2023[prov]
        dip = scenario.CARBON_NOON_DIP[prov]
        mean_t, dtr = scenario.CLIMATE[n]
        out = dict(solar=[], wind=[], temp=[], carbon=[])
        k = [self.clearness(n, z) for z in sky_z]
        # Mean clearness of each day's daylight hours, from the same series (actual or forecast).
        lit = {}
        for j, kj in enumerate(k):
            if self.daylight[n][t0 + j]:
                lit.setdefault((t0 + j) // 24, []).append(kj)
        for j in range(len(wind_x)):
            t = t0 + j
            solar = self.clear_solar[n][t] * k[j]
            wind = 0.0
            if wind_mw > 0:
                u = self.u_hub[n] * math.exp(wind_x[j]) * self.wind_shape[n][t] ** (1 / 3)
                wind = wind_mw * power_curve(u)
            day = t // 24
            k_day = sum(lit[day]) / len(lit[day]) if day in lit else k_clim
            dtr_day = dtr * clamp(DTR_BASE + (1.0 - DTR_BASE) * k_day / k_clim, DTR_LOW, DTR_HIGH)
            temp = mean_t + TREND_K_PER_DAY * (day - 11) + temp_x[j] + dtr_day / 2.0 * self.t_wave[n][t]
            fleet = power_curve(PROVINCE_WIND_M_S * math.exp(wind_x[j]))
            wind_index = min(WIND_INDEX_MAX, fleet / self.wind_index_mean[n])
            carbon = g2023 * (1.0 - dip * self.noon[n][t] * k[j] / k_clim) \
                * (1.0 - WIND_SHARE[prov] * (wind_index - 1.0)) * (1.0 + grid_x[j])
            out["solar"].append(solar)
            out["wind"].append(wind)
            out["temp"].append(temp)
            out["carbon"].append(max(0.0, carbon))
        return out


@functools.cache
def trace_hours():
    with open(TRACE_FILE, newline="", encoding="utf-8") as f:
        cells = [float(r["cell"]) for r in csv.DictReader(f)]
    # The default scenario's copied day must be this file's trace day 23.
    first = scenario.TRACE_FIRST_HOUR
    assert [round(c / TRACE_CELL_CU, 5) for c in cells[first:first + 24]] == scenario.TRACE_DAY, "trace differs"
    mean = sum(cells) / len(cells)
    return [c / mean for c in cells]


def demand_base(cls, node):
    """Expected arriving work (CU*h per hour) of a class at an origin, every hour, or None."""
    frac = AI_TRAINING_FRACTION.get(node) if cls == "ai-training" else scenario.DEMAND_FRACTION[node].get(cls)
    if frac is None:
        return None
    trace = trace_hours()
    w = scenario.CLASS_SHAPE_WEIGHT[cls]
    we = WEEKEND_FACTOR[cls]
    wd = (7.0 - 2.0 * we) / 5.0
    per_hour = frac * scenario.NODES[node]["capacity_cu"]
    out = []
    for t in range(HOURS):
        day = t // 24
        trace_day = (TRACE_DAY_OF_HISTORY_DAY_12 - 11 + day) % 28
        s = trace[24 * trace_day + t % 24]
        weekday = (START + dt.timedelta(days=day)).weekday()
        out.append(per_hour * (1.0 - w + w * s) * (we if weekday >= 5 else wd))
    return out


# ---------------------------------------------------------------------------
# Building the history
# ---------------------------------------------------------------------------


def build():
    """The files as written ({"actuals": files, "forecasts": [files per night]}, files = name ->
    (node -> values, decimals)), the unrounded solar/wind/temperature/carbon parts, and the physics."""
    wind, sky, temp, grid = Latent("wind"), Latent("sky"), Latent("temp_c"), Latent("grid")
    phys = Physics()
    phys.calibrate(wind, sky)

    def weather(n, t0, length, fc=None):
        if fc is None:
            xs = [[v.actual(n, t) for t in range(t0, t0 + length)] for v in (wind, sky, temp, grid)]
            return phys.series(n, t0, *xs)
        return phys.series(n, t0, *[f[n] for f in fc])

    actual = {"solar": {}, "wind": {}, "temp": {}, "carbon": {}}
    for n in NODES:
        s = weather(n, 0, HOURS)
        for key in actual:
            actual[key][n] = s[key]
    forecasts = []
    for d in range(DAYS):
        fc = [v.forecast(d) for v in (wind, sky, temp, grid)]
        day = {"solar": {}, "wind": {}, "temp": {}, "carbon": {}}
        for n in NODES:
            s = weather(n, 24 * d, LEAD_HOURS, fc)
            for key in day:
                day[key][n] = s[key]
        forecasts.append(day)
    for key in MOS_SERIES:
        for n in NODES:
            # Solar is scaled in its cloud deficit (clear-sky output minus output), so that it stays
            # between 0 and the clear sky; wind and the grid factor in their value.
            top = [phys.clear_solar[n][24 * d:24 * d + LEAD_HOURS] if key == "solar" else [0.0] * LEAD_HOURS
                   for d in range(DAYS)]
            got = sum(sum(v - c for v, c in zip(f[key][n], top[d])) for d, f in enumerate(forecasts))
            want = sum(sum(v - c for v, c in zip(actual[key][n][24 * d:24 * d + LEAD_HOURS], top[d]))
                       for d in range(DAYS))
            scale = want / got if got != 0 else 1.0
            cap = scenario.RENEWABLES[n][2] if key == "wind" else math.inf
            for d, f in enumerate(forecasts):
                f[key][n] = [min(cap, max(0.0, c + (v - c) * scale)) for v, c in zip(f[key][n], top[d])]
    def files(parts, demand):
        out = {
            "renewable_mw.csv": ({n: [round(a, 2) + round(b, 2) for a, b in zip(parts["solar"][n], parts["wind"][n])]
                                  for n in NODES}, 2),
            "carbon_intensity.csv": ({n: [round(v, 1) for v in parts["carbon"][n]] for n in NODES}, 1),
            "temperature_c.csv": ({n: [round(v, 1) for v in parts["temp"][n]] for n in NODES}, 1),
        }
        for cls, cols in demand.items():
            out[f"demand_{cls}.csv"] = (cols, 0)
        return out

    demand_actual = {c["id"]: {} for c in CLASSES}
    demand_fc = [{c["id"]: {} for c in CLASSES} for _ in range(DAYS)]
    for c in CLASSES:
        cls = c["id"]
        lat = Latent("demand", cls)
        issued = [lat.forecast(d) for d in range(DAYS)]
        for n in NODES:
            base = demand_base(cls, n)
            if base is None:
                continue
            demand_actual[cls][n] = [float(round(b * max(0.0, 1.0 + lat.actual(n, t)))) for t, b in enumerate(base)]
            for d in range(DAYS):
                f = issued[d][n]
                demand_fc[d][cls][n] = [float(round(base[24 * d + h] * max(0.0, 1.0 + f[h])))
                                        for h in range(LEAD_HOURS)]

    parts = {"actual": actual, "forecasts": forecasts}
    written = {"actuals": files(actual, demand_actual),
               "forecasts": [files(forecasts[d], demand_fc[d]) for d in range(DAYS)]}
    return written, parts, phys


def write_csv(path, first_hour, columns, decimals):
    nodes = [n for n in NODES if n in columns]
    rows = len(columns[nodes[0]])
    lines = [",".join(["timestamp"] + nodes)]
    for k in range(rows):
        lines.append(",".join([stamp(first_hour + k)] + [scenario.fmt(columns[n][k], decimals) for n in nodes]))
    write_text(path, "\n".join(lines) + "\n")


def write_text(path, text):
    """Replace a file whole (a simulate run reading the history never sees half a file)."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8", newline="\n")
    os.replace(part, path)


def history_toml():
    """The default scenario.toml with the history's name and day 1 as start, periods = one day, and
    the history's classes without AI pools (AI_TRAINING_CLASS)."""
    saved = scenario.SCENARIO_NAME, scenario.START, scenario.PERIODS, scenario.CLASSES, scenario.AI_POOLS
    scenario.SCENARIO_NAME, scenario.START, scenario.PERIODS = HISTORY_NAME, START, 24
    scenario.CLASSES, scenario.AI_POOLS = CLASSES, {}
    try:
        body = scenario.scenario_toml()
    finally:
        (scenario.SCENARIO_NAME, scenario.START, scenario.PERIODS,
         scenario.CLASSES, scenario.AI_POOLS) = saved
    lines = body.split("\n")
    assert lines[2].startswith("# Generated by"), "scenario.toml header changed"
    head = ["# History of the default greenshift scenario (the ten \"East Data, West Compute\" clusters)",
            f"# over {DAYS} days from {START.date().isoformat()}, for `greenshift simulate`. periods is one day.",
            "# Generated by Data/tools/make_history.py; do not edit by hand.",
            "# Every number is explained in Data/README.md."]
    return "\n".join(head + lines[4:])


HISTORY_README = f"""# {HISTORY_NAME}

The ten hubs of the default scenario (`Data/scenarios/east-west-hubs`) over {DAYS} days from
{START.strftime("%A %d %B %Y")}, for `greenshift simulate`: `actuals/` (hourly, to the end of day
{ACTUAL_DAYS}) and `forecasts/YYYY-MM-DD/` (issued at each day's 00:00, {LEAD_HOURS} h). Synthetic weather from
the default scenario's models; where every number comes from, the weather day by day and the
measured forecast errors: `Data/README.md`, "A 30-day history". Written by
`Data/tools/make_history.py`; do not edit by hand.
"""


def write(out):
    written, _, _ = build()
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "scenario.toml", history_toml())
    write_text(out / "README.md", HISTORY_README)
    folders = [(out / "actuals", 0, written["actuals"])]
    for d in range(DAYS):
        day = (START + dt.timedelta(days=d)).date().isoformat()
        folders.append((out / "forecasts" / day, 24 * d, written["forecasts"][d]))
    for folder, first, files in folders:
        folder.mkdir(parents=True, exist_ok=True)
        for f in folder.glob("*.csv"):  # drop files an earlier version wrote
            if f.name not in files:
                f.unlink()
        for name, (cols, decimals) in files.items():
            write_csv(folder / name, first, cols, decimals)


# ---------------------------------------------------------------------------
# --stats: forecast errors by lead, and the weather calendar
# ---------------------------------------------------------------------------

LEAD_BUCKETS = [(1, 6), (7, 24), (25, 48)]


def stats():
    written, parts, phys = build()
    act, fcs = parts["actual"], parts["forecasts"]
    acts, files = written["actuals"], written["forecasts"]

    def errors(actual, forecast, nodes, norm, keep=lambda n, t: True):
        """(lead, error, normalizer, night, node) of every forecast value; actual[n][t] and
        forecast(d)[n][lead - 1]; norm(n, actual value) is what NMAE divides by."""
        out = []
        for d in range(DAYS):
            fc = forecast(d)
            for n in nodes:
                for h in range(1, LEAD_HOURS + 1):
                    t = 24 * d + h - 1
                    if keep(n, t):
                        a = actual[n][t]
                        out.append((h, fc[n][h - 1] - a, norm(n, a), d, n))
        return out

    def row(name, unit, norm_label, errs):
        """MAE (and NMAE = sum |e| / sum normalizer) per lead bucket, bias, error autocorrelation."""
        cells = []
        for lo, hi in LEAD_BUCKETS:
            sel = [e for e in errs if lo <= e[0] <= hi]
            if not sel:
                cells.append("-")  # solar: leads 1-6 h are the night after the 00:00 issue
                continue
            total = sum(abs(e[1]) for e in sel)
            mae = total / len(sel)
            nmae = total / sum(e[2] for e in sel)
            cells.append(f"{mae:.2f}" if norm_label is None else f"{mae:.2f} / {100 * nmae:.1f} %")
        bias = sum(e[1] for e in errs) / sum(e[2] for e in errs)
        cells.append(f"{bias:+.2f} {unit}" if norm_label is None else f"{100 * bias:+.1f} %")
        by_key = {(e[3], e[4], e[0]): e[1] for e in errs}
        lags = []
        for lag in (1, 6):
            both = [(e, by_key[(d, n, h + lag)]) for (d, n, h), e in by_key.items() if (d, n, h + lag) in by_key]
            ma, mb = (sum(x[i] for x in both) / len(both) for i in (0, 1))
            cov = sum((a - ma) * (b - mb) for a, b in both)
            var = math.sqrt(sum((a - ma) ** 2 for a, _ in both) * sum((b - mb) ** 2 for _, b in both))
            lags.append(f"{cov / var:.2f}")
        print(f"| {name} | {unit} | {norm_label or '-'} | " + " | ".join(cells) + " | " + " / ".join(lags) + " |")

    def capacity(index):
        return lambda n, a: sum(scenario.RENEWABLES[n][i] for i in index)

    def file_of(name):
        return lambda d: files[d][name][0]

    wind_nodes = [n for n in NODES if scenario.RENEWABLES[n][2] > 0]
    daylight = lambda n, t: phys.daylight[n][t]  # noqa: E731
    print(f"Forecast errors over the {DAYS} nightly forecasts (MAE in the unit / NMAE), by lead:\n")
    print("| series | unit | NMAE relative to | 1-6 h | 7-24 h | 25-48 h | bias | error autocorrelation 1 h / 6 h |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    row("wind power (5 sites)", "MW", "wind capacity",
        errors(act["wind"], lambda d: fcs[d]["wind"], wind_nodes, capacity([2])))
    for label, norm in (("solar capacity", capacity([0])), ("actual", lambda n, a: a)):
        row("solar power (10 sites, daylight hours)", "MW", label,
            errors(act["solar"], lambda d: fcs[d]["solar"], NODES, norm, daylight))
    row("renewable_mw (all hubs, all hours)", "MW", "installed solar + wind",
        errors(acts["renewable_mw.csv"][0], file_of("renewable_mw.csv"), NODES, capacity([0, 2])))
    for c in CLASSES:
        name = f"demand_{c['id']}.csv"
        cols = acts[name][0]
        row(f"demand {c['id']}", "CU*h", "actual", errors(cols, file_of(name), list(cols), lambda n, a: a))
    row("temperature", "K", None,
        errors(acts["temperature_c.csv"][0], file_of("temperature_c.csv"), NODES, lambda n, a: 1.0))
    row("grid factor", "kg/MWh", "actual",
        errors(acts["carbon_intensity.csv"][0], file_of("carbon_intensity.csv"), NODES, lambda n, a: a))

    print("\nWeather by day (actuals): mean clearness of daylight hours (1 = clear sky) and wind capacity")
    print("factor, north (Zhangjiakou, Helinger) / north-west (Zhongwei, Qingyang); daily mean temperature")
    print("anomaly against the day's normal, north / east (Yangtze delta, Wuhu) / south (Shaoguan):\n")
    print("| day | date | sky N | sky NW | sky E | wind N | wind NW | T N | T E | T S |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    groups = {"north": ["zhangjiakou", "helinger"], "northwest": ["zhongwei", "qingyang"],
              "east": ["yangtze-demo", "wuhu"], "south": ["shaoguan"]}
    temp = acts["temperature_c.csv"][0]

    def mean(values):
        values = list(values)
        return sum(values) / len(values)

    for d in range(ACTUAL_DAYS):
        hours = range(24 * d, 24 * d + 24)
        sky = [mean(act["solar"][n][t] / phys.clear_solar[n][t] for n in groups[g] for t in hours if daylight(n, t))
               for g in ("north", "northwest", "east")]
        wind = [mean(act["wind"][n][t] / scenario.RENEWABLES[n][2] for n in groups[g] for t in hours)
                for g in ("north", "northwest")]
        normal = {n: scenario.CLIMATE[n][0] + TREND_K_PER_DAY * (d - 11) for n in NODES}
        anomaly = [mean(temp[n][t] - normal[n] for n in groups[g] for t in hours) for g in ("north", "east", "south")]
        date = (START + dt.timedelta(days=d)).strftime("%a %d %b")
        cells = [f"{v:.2f}" for v in sky + wind] + [f"{v:+.1f}" for v in anomaly]
        print(f"| {d + 1} | {date} | " + " | ".join(cells) + " |")


def main(argv=None):
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=repo / "Data" / "histories" / HISTORY_NAME,
                    help=f"history folder to write (default: Data/histories/{HISTORY_NAME})")
    ap.add_argument("--stats", action="store_true",
                    help="print forecast errors by lead and the weather by day; write nothing")
    args = ap.parse_args(argv)
    # The published inputs the default scenario copied, checked as its own script does.
    shared = repo.parent / "shared" / "data"
    if shared.is_dir():
        problems = scenario.check_sources(shared)
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        if problems:
            return 1
    if args.stats:
        stats()
        return 0
    write(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
