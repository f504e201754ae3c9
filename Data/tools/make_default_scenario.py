#!/usr/bin/env python3
"""Write the default greenshift scenario folder Data/scenarios/east-west-hubs/.

    python3 Data/tools/make_default_scenario.py [--out DIR] [--check-sources DIR]

Deterministic and standard-library only: the same script always writes the
same bytes. The published inputs it needs (the ten "East Data, West Compute"
clusters, the 2023 provincial grid emission factors and one day of the Google
2019 cluster trace) are copied into the tables below, with their sources, so
the script runs without any other file. When the project's shared/data/
folder sits next to the repository (or is given with --check-sources), the
script first checks that every copied value still matches it.

Every number and formula is explained in Data/README.md.
"""

import argparse
import csv
import datetime as dt
import math
import os
import sys
from pathlib import Path

# ---------------------------------------------------------------------------
# Horizon
# ---------------------------------------------------------------------------

SCENARIO_NAME = "east-west-hubs"
UTC_OFFSET_HOURS = 8  # China Standard Time
START = dt.datetime(2026, 11, 27, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=UTC_OFFSET_HOURS)))
PERIOD_MINUTES = 60
PERIODS = 24
SUBSAMPLES = 12  # each period's value is the mean of 12 equally spaced samples (5 min apart)

# ---------------------------------------------------------------------------
# Published inputs (copied; see --check-sources)
# ---------------------------------------------------------------------------

# shared/data/china-compute-hubs.csv: NDRC et al. approvals, Dec 2021 - Feb 2022.
# (cluster_id, name, province_code, latitude, longitude, region)
HUBS = [
    ("zhangjiakou", "Zhangjiakou", "CN-HE", 40.8, 115.0, "east"),
    ("yangtze-demo", "Yangtze River Delta demonstration zone (Qingpu/Wujiang/Jiashan)", "CN-SH", 31.0, 120.9, "east"),
    ("wuhu", "Wuhu", "CN-AH", 31.35, 118.4, "east"),
    ("shaoguan", "Shaoguan", "CN-GD", 24.8, 113.6, "east"),
    ("tianfu", "Tianfu", "CN-SC", 30.4, 104.1, "east"),
    ("chongqing", "Chongqing", "CN-CQ", 29.7, 106.5, "east"),
    ("guian", "Gui'an", "CN-GZ", 26.4, 106.4, "west"),
    ("helinger", "Helinger", "CN-NM", 40.4, 111.8, "west"),
    ("qingyang", "Qingyang", "CN-GS", 35.7, 107.6, "west"),
    ("zhongwei", "Zhongwei", "CN-NX", 37.5, 105.2, "west"),
]

# shared/data/china-grid-emission-factors-2023.csv: MEE and NBS, Announcement
# 2025 No. 47, table 3 (provincial average CO2 emission factors, 2023), kg/MWh.
EMISSION_FACTORS_2023 = {
    "CN-HE": 651.6,  # Hebei
    "CN-SH": 573.7,  # Shanghai
    "CN-AH": 655.3,  # Anhui
    "CN-GD": 441.9,  # Guangdong
    "CN-SC": 156.4,  # Sichuan
    "CN-CQ": 558.1,  # Chongqing
    "CN-GZ": 568.3,  # Guizhou
    "CN-NM": 647.9,  # Inner Mongolia
    "CN-GS": 447.1,  # Gansu
    "CN-NX": 618.7,  # Ningxia
}

# shared/data/google-2019-cluster-cpu-hourly.csv, rows hour = 552 .. 575
# (trace day 23, counted from 0; 2019-05-24, a Friday like 2026-11-27).
# Google cluster-usage traces v3 (ClusterData2019), CC-BY 4.0.
TRACE_FIRST_HOUR = 552
TRACE_DAY = [
    0.53313, 0.46707, 0.47100, 0.45219, 0.46535, 0.48268,
    0.49169, 0.50019, 0.49716, 0.49365, 0.49365, 0.48972,
    0.48879, 0.46280, 0.39666, 0.50805, 0.54377, 0.51940,
    0.52926, 0.51089, 0.53547, 0.54483, 0.52811, 0.49935,
]
# Trace hour-of-day h is read as Beijing clock hour (h + TRACE_SHIFT_HOURS) mod 24.
# The trace day's busy evening (hours 16-22) already falls on China's evening
# peak, so no shift is applied.
TRACE_SHIFT_HOURS = 0

# ---------------------------------------------------------------------------
# Modelling choices (each explained in Data/README.md)
# ---------------------------------------------------------------------------

# Server power, Fan/Weber/Barroso linear model: P = idle + (peak - idle) * u.
PEAK_IT_MW_PER_CU = 0.0005  # 500 W per server-equivalent at full load

# AI (intelligent-computing) pools, in accelerators: the unit of "ai" work is one
# reference accelerator busy for an hour. An 8-GPU training server draws about
# 10.2 kW at full load (NVIDIA DGX H100 datasheet), 1.3 kW per accelerator with
# its share of CPUs, memory and fabric; about 30 % of that idle. Sizes are this
# scenario's assumptions; which hubs have them is explained in Data/README.md.
AI_PEAK_IT_MW_PER_ACCELERATOR = 0.0013
AI_IDLE_FRACTION = 0.30
AI_POOLS = {"helinger": 8000, "zhongwei": 6000, "qingyang": 6000, "guian": 3000,
            "yangtze-demo": 2000, "shaoguan": 1500}

# Per node: capacity (CU), idle fraction of peak IT power, cooling model,
# grid import limit (MW, None = unlimited), battery (energy MWh, power MW,
# round-trip efficiency, initial state of charge) or None.
NODES = {
    "zhangjiakou": dict(capacity_cu=150000, idle_fraction=0.30, cooling="air-economizer",
                        grid_import_mw=None, battery=(40.0, 20.0, 0.90, 0.5)),
    "yangtze-demo": dict(capacity_cu=200000, idle_fraction=0.33, cooling="water-economizer",
                         grid_import_mw=120.0, battery=(20.0, 10.0, 0.90, 0.5)),
    "wuhu": dict(capacity_cu=100000, idle_fraction=0.30, cooling="water-economizer",
                 grid_import_mw=None, battery=None),
    "shaoguan": dict(capacity_cu=120000, idle_fraction=0.30, cooling="water-economizer",
                     grid_import_mw=None, battery=None),
    "tianfu": dict(capacity_cu=100000, idle_fraction=0.30, cooling="water-economizer",
                   grid_import_mw=None, battery=None),
    "chongqing": dict(capacity_cu=100000, idle_fraction=0.35, cooling="chiller-only",
                      grid_import_mw=None, battery=None),
    "guian": dict(capacity_cu=120000, idle_fraction=0.28, cooling="water-economizer",
                  grid_import_mw=60.0, battery=None),
    "helinger": dict(capacity_cu=150000, idle_fraction=0.27, cooling="air-economizer",
                     grid_import_mw=45.0, battery=(50.0, 25.0, 0.88, 0.5)),
    "qingyang": dict(capacity_cu=120000, idle_fraction=0.25, cooling="liquid-cooling",
                     grid_import_mw=40.0, battery=None),
    "zhongwei": dict(capacity_cu=150000, idle_fraction=0.27, cooling="air-economizer",
                     grid_import_mw=45.0, battery=(60.0, 20.0, 0.88, 0.5)),
}

# Late-November daily mean temperature (C) and mean diurnal range (K),
# rounded approximations of climate normals (see Data/README.md).
CLIMATE = {
    "zhangjiakou": (-3.0, 12.0),
    "yangtze-demo": (12.0, 7.0),
    "wuhu": (10.0, 8.0),
    "shaoguan": (15.0, 9.0),
    "tianfu": (11.0, 6.0),
    "chongqing": (12.0, 5.0),
    "guian": (9.0, 6.0),
    "helinger": (-6.0, 14.0),
    "qingyang": (2.0, 12.0),
    "zhongwei": (1.0, 14.0),
}
T_MAX_SOLAR_HOUR = 15.0  # daily maximum at 15:00 local solar time

# Renewable plants whose output the node can use (MW nameplate):
# (solar_mw, sky_clearness, wind_mw, wind_mean_cf, wind_diurnal_amplitude)
RENEWABLES = {
    "zhangjiakou": (50.0, 0.90, 100.0, 0.35, 0.35),
    "yangtze-demo": (5.0, 0.65, 0.0, 0.0, 0.0),
    "wuhu": (5.0, 0.65, 0.0, 0.0, 0.0),
    "shaoguan": (8.0, 0.70, 0.0, 0.0, 0.0),
    "tianfu": (5.0, 0.45, 0.0, 0.0, 0.0),
    "chongqing": (3.0, 0.40, 0.0, 0.0, 0.0),
    "guian": (20.0, 0.45, 20.0, 0.25, 0.15),
    "helinger": (100.0, 0.95, 150.0, 0.40, 0.35),
    "qingyang": (120.0, 0.95, 80.0, 0.30, 0.35),
    "zhongwei": (150.0, 0.95, 60.0, 0.30, 0.35),
}
PV_PERFORMANCE_RATIO = 0.80   # inverter, wiring, soiling, temperature losses
DIFFUSE_FRACTION = 0.10       # clear-sky diffuse horizontal = 0.1 * DNI (PVEducation)
WIND_PEAK_SOLAR_HOUR = 2.0    # hub-height wind peaks around 02:00 solar time (nocturnal jet)

# Diurnal modulation of the grid emission factor: relative dip at solar noon
# (daily mean kept equal to the published factor).
CARBON_NOON_DIP = {
    "CN-HE": 0.06, "CN-SH": 0.03, "CN-AH": 0.04, "CN-GD": 0.04, "CN-SC": 0.02,
    "CN-CQ": 0.02, "CN-GZ": 0.03, "CN-NM": 0.08, "CN-GS": 0.10, "CN-NX": 0.10,
}

# Workload classes.
CLASSES = [
    dict(id="web", deadline_hours=0.0, movable=False),
    dict(id="batch", deadline_hours=12.0, movable=True, gb_per_cu_h=0.05),
    dict(id="ai-training", deadline_hours=24.0, movable=True, gb_per_cu_h=0.05, pool="ai"),
    dict(id="analytics", deadline_hours=4.0, movable=True, max_latency_ms=10.0, gb_per_cu_h=0.2),
]
# How much of the trace's diurnal swing each class keeps: 1 = proportional to
# the trace, 0 = flat.
CLASS_SHAPE_WEIGHT = {"web": 1.0, "batch": 0.5, "ai-training": 0.2, "analytics": 1.0}
# Mean arriving work per hour, as a fraction of the origin node's capacity.
DEMAND_FRACTION = {
    "zhangjiakou": {"web": 0.30, "batch": 0.15, "analytics": 0.05},
    "yangtze-demo": {"web": 0.35, "batch": 0.15, "analytics": 0.06},
    "wuhu": {"web": 0.25, "batch": 0.15, "analytics": 0.03},
    "shaoguan": {"web": 0.35, "batch": 0.12, "analytics": 0.05},
    "tianfu": {"web": 0.30, "batch": 0.10, "analytics": 0.04},
    "chongqing": {"web": 0.30, "batch": 0.12, "analytics": 0.04},
    "guian": {"web": 0.06, "batch": 0.04},
    "helinger": {"web": 0.03, "batch": 0.03},
    "qingyang": {"web": 0.02, "batch": 0.02},
    "zhongwei": {"web": 0.04, "batch": 0.03},
}
# AI training arriving per hour, in accelerator-hours: the eastern model builders'
# jobs (most of them at nodes without an AI pool) and Qingyang's own; about 40 %
# of the AI pools' 26,500 accelerators on average.
AI_DEMAND_PER_HOUR = {"zhangjiakou": 2400.0, "yangtze-demo": 3000.0, "wuhu": 800.0,
                      "shaoguan": 1200.0, "tianfu": 800.0, "chongqing": 600.0,
                      "qingyang": 1500.0}

# Network.
FIBRE_KM_PER_MS = 200.0   # light in glass, about 2/3 c
ROUTE_FACTOR = 1.5        # fibre route length / great-circle distance
EQUIPMENT_MS = 2.0        # switching, routing, DWDM
EARTH_RADIUS_KM = 6371.0
KWH_PER_GB = 0.06         # shared/data/README.md (green-dcc benchmark figure)
CORRIDOR_GBPS = 1600.0    # assumed east-west corridors, see Data/README.md
OTHER_EAST_WEST_GBPS = 400.0
CORRIDORS = {
    ("zhangjiakou", "helinger"), ("zhangjiakou", "zhongwei"),
    ("yangtze-demo", "qingyang"), ("yangtze-demo", "zhongwei"), ("wuhu", "qingyang"),
    ("shaoguan", "guian"), ("tianfu", "qingyang"), ("tianfu", "guian"),
    ("chongqing", "guian"), ("chongqing", "qingyang"),
}
EAST_EAST_LINKS = [("zhangjiakou", "yangtze-demo"), ("yangtze-demo", "wuhu"),
                   ("yangtze-demo", "shaoguan"), ("tianfu", "chongqing")]
WEST_WEST_LINKS = [("helinger", "zhongwei"), ("zhongwei", "qingyang")]

UNSERVED_PENALTY_KG_PER_CU_H = 10000.0

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def fmt(x, decimals):
    """Fixed-point text without negative zero."""
    s = f"{x:.{decimals}f}"
    if float(s) == 0.0:
        s = f"{0.0:.{decimals}f}"
    return s


def timestamps():
    return [(START + dt.timedelta(minutes=PERIOD_MINUTES * k)).isoformat() for k in range(PERIODS)]


def sample_hours(k):
    """Clock hours (since local midnight of the start day) sampled within period k."""
    p = PERIOD_MINUTES / 60.0
    t0 = START.hour + START.minute / 60.0 + k * p
    return [t0 + (i + 0.5) * p / SUBSAMPLES for i in range(SUBSAMPLES)]


def day_angle():
    """Spencer (1971) day angle for the start date, radians."""
    n = START.timetuple().tm_yday
    return 2.0 * math.pi * (n - 1) / 365.0


def declination():
    """Solar declination, radians (Spencer 1971 Fourier series)."""
    g = day_angle()
    return (0.006918 - 0.399912 * math.cos(g) + 0.070257 * math.sin(g)
            - 0.006758 * math.cos(2 * g) + 0.000907 * math.sin(2 * g)
            - 0.002697 * math.cos(3 * g) + 0.00148 * math.sin(3 * g))


def equation_of_time_min():
    """Equation of time, minutes (Spencer 1971)."""
    g = day_angle()
    return 229.18 * (0.000075 + 0.001868 * math.cos(g) - 0.032077 * math.sin(g)
                     - 0.014615 * math.cos(2 * g) - 0.040849 * math.sin(2 * g))


def solar_hour(clock_hour, lon):
    """Local apparent solar time (hours) for a clock hour at UTC+8."""
    return clock_hour + (lon - 15.0 * UTC_OFFSET_HOURS) / 15.0 + equation_of_time_min() / 60.0


def cos_zenith(lat, solar_h):
    d = declination()
    phi = math.radians(lat)
    omega = math.radians(15.0 * (solar_h - 12.0))
    return math.sin(phi) * math.sin(d) + math.cos(phi) * math.cos(d) * math.cos(omega)


def sunrise_solar_hour(lat):
    x = -math.tan(math.radians(lat)) * math.tan(declination())
    x = max(-1.0, min(1.0, x))
    return 12.0 - math.degrees(math.acos(x)) / 15.0


def poa_irradiance(lat, solar_h):
    """Clear-sky irradiance on a south-facing array tilted at the latitude, W/m2.

    Air mass: Kasten and Young (1989). Direct normal: Meinel and Meinel (1976),
    DNI = 1353 * 0.7 ** (AM ** 0.678). Diffuse horizontal = 0.1 * DNI, isotropic
    sky. With tilt = latitude the beam incidence is cos(theta) = cos(decl) * cos(omega).
    """
    cz = cos_zenith(lat, solar_h)
    if cz <= 0.0:
        return 0.0
    zen_deg = math.degrees(math.acos(cz))
    am = 1.0 / (cz + 0.50572 * (96.07995 - zen_deg) ** -1.6364)
    dni = 1353.0 * 0.7 ** (am ** 0.678)
    omega = math.radians(15.0 * (solar_h - 12.0))
    cos_inc = max(0.0, math.cos(declination()) * math.cos(omega))
    tilt = math.radians(lat)
    return dni * cos_inc + DIFFUSE_FRACTION * dni * (1.0 + math.cos(tilt)) / 2.0


def ghi_shape(lat, lon, k):
    """Relative clear-sky sun (cos zenith, >= 0) averaged over period k."""
    return sum(max(0.0, cos_zenith(lat, solar_hour(h, lon))) for h in sample_hours(k)) / SUBSAMPLES


def two_piece_cosine(s, t_min, t_max):
    """Unit diurnal temperature wave: -1 at t_min (sunrise), +1 at t_max (solar hours)."""
    s = s % 24.0
    if t_min <= s <= t_max:
        return -math.cos(math.pi * (s - t_min) / (t_max - t_min))
    span = 24.0 - (t_max - t_min)
    return math.cos(math.pi * ((s - t_max) % 24.0) / span)


def haversine_km(a, b):
    p1, l1, p2, l2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    x = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(x))


def round_keep_mean(values, decimals, target_mean):
    """Round to `decimals` so that the rounded values average exactly target_mean
    (rounded to `decimals`): largest-remainder apportionment in integer units."""
    scale = 10 ** decimals
    target_total = round(target_mean * scale) * len(values)
    scaled = [v * scale for v in values]
    floors = [math.floor(v) for v in scaled]
    missing = target_total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [f / scale for f in floors]


# ---------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------


def hub_by_id():
    return {h[0]: h for h in HUBS}


def temperature_series(node):
    _, _, _, lat, lon, _ = hub_by_id()[node]
    mean, dtr = CLIMATE[node]
    t_min = sunrise_solar_hour(lat)
    raw = []
    for k in range(PERIODS):
        hs = sample_hours(k)
        raw.append(sum(two_piece_cosine(solar_hour(h, lon), t_min, T_MAX_SOLAR_HOUR) for h in hs) / len(hs))
    # Shift so that the period values average exactly the daily mean.
    offset = sum(raw) / len(raw)
    return round_keep_mean([mean + dtr / 2.0 * (r - offset) for r in raw], 1, mean)


def solar_series(node):
    _, _, _, lat, lon, _ = hub_by_id()[node]
    solar_mw, clearness, _, _, _ = RENEWABLES[node]
    out = []
    for k in range(PERIODS):
        poa = sum(poa_irradiance(lat, solar_hour(h, lon)) for h in sample_hours(k)) / SUBSAMPLES
        out.append(solar_mw * min(1.0, poa / 1000.0) * PV_PERFORMANCE_RATIO * clearness)
    return out


def wind_series(node):
    _, _, _, _, lon, _ = hub_by_id()[node]
    _, _, wind_mw, cf, amp = RENEWABLES[node]
    out = []
    for k in range(PERIODS):
        hs = sample_hours(k)
        c = sum(cf * (1.0 + amp * math.cos(2.0 * math.pi * (solar_hour(h, lon) - WIND_PEAK_SOLAR_HOUR) / 24.0))
                for h in hs) / len(hs)
        out.append(wind_mw * min(1.0, max(0.0, c)))
    return out


def carbon_series(node):
    _, _, prov, lat, lon, _ = hub_by_id()[node]
    g = EMISSION_FACTORS_2023[prov]
    dip = CARBON_NOON_DIP[prov]
    shape = [ghi_shape(lat, lon, k) for k in range(PERIODS)]
    mean = sum(shape) / len(shape)
    dev = [s - mean for s in shape]
    dev_max = max(dev)
    raw = [g * (1.0 - dip * d / dev_max) for d in dev]
    return round_keep_mean(raw, 1, g)


def trace_shape():
    """Relative diurnal shape (mean 1) indexed by period, in Beijing clock hours."""
    mean = sum(TRACE_DAY) / len(TRACE_DAY)
    by_clock = [0.0] * 24
    for h, u in enumerate(TRACE_DAY):
        by_clock[(h + TRACE_SHIFT_HOURS) % 24] = u / mean
    out = []
    for k in range(PERIODS):
        clock = int(round(START.hour + k * PERIOD_MINUTES / 60.0)) % 24
        out.append(by_clock[clock])
    return out


def demand_series(node, cls):
    if cls == "ai-training":
        per_hour = AI_DEMAND_PER_HOUR.get(node)
    else:
        frac = DEMAND_FRACTION[node].get(cls)
        per_hour = None if frac is None else frac * NODES[node]["capacity_cu"]
    if per_hour is None:
        return None
    w = CLASS_SHAPE_WEIGHT[cls]
    p = PERIOD_MINUTES / 60.0
    # Whole CU*h per period; the rounded values keep the exact daily total.
    return round_keep_mean([per_hour * p * (1.0 - w + w * s) for s in trace_shape()], 0, per_hour * p)


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def node_params(node):
    n = NODES[node]
    peak = n["capacity_cu"] * PEAK_IT_MW_PER_CU
    idle = n["idle_fraction"] * peak
    per_cu = (1.0 - n["idle_fraction"]) * PEAK_IT_MW_PER_CU
    return idle, per_cu


def links():
    hubs = hub_by_id()
    east = [h[0] for h in HUBS if h[5] == "east"]
    west = [h[0] for h in HUBS if h[5] == "west"]
    pairs = [(e, w) for e in east for w in west] + EAST_EAST_LINKS + WEST_WEST_LINKS
    out = []
    for a, b in pairs:
        d = haversine_km(hubs[a][3:5], hubs[b][3:5])
        latency = d * ROUTE_FACTOR / FIBRE_KM_PER_MS + EQUIPMENT_MS
        if (a, b) in CORRIDORS:
            bw = CORRIDOR_GBPS
        elif hubs[a][5] != hubs[b][5]:
            bw = OTHER_EAST_WEST_GBPS
        else:
            bw = None  # metro / regional links: not limiting
        out.append((a, b, d, latency, bw))
    return out


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_toml():
    L = []
    L.append("# Default greenshift scenario: the ten national data-center clusters of")
    L.append("# China's \"East Data, West Compute\" programme on one late-November day.")
    L.append("# Generated by Data/tools/make_default_scenario.py; do not edit by hand.")
    L.append("# Every number is explained in Data/README.md.")
    L.append("")
    L.append("[scenario]")
    L.append(f"name = {toml_str(SCENARIO_NAME)}")
    L.append(f"start = {toml_str(START.isoformat())}")
    L.append(f"period_minutes = {PERIOD_MINUTES}")
    L.append(f"periods = {PERIODS}")
    L.append("")
    L.append("[objective]")
    L.append(f"unserved_penalty_kg_per_cu_h = {UNSERVED_PENALTY_KG_PER_CU_H:.1f}")
    for cid, name, prov, lat, lon, region in HUBS:
        n = NODES[cid]
        idle, per_cu = node_params(cid)
        L.append("")
        L.append(f"# {region}, {prov}, grid factor {EMISSION_FACTORS_2023[prov]} kg/MWh (2023)")
        L.append("[[nodes]]")
        L.append(f"id = {toml_str(cid)}")
        L.append(f"name = {toml_str(name)}")
        L.append(f"latitude = {lat}")
        L.append(f"longitude = {lon}")
        general = [f"capacity_cu = {n['capacity_cu']:.1f}",
                   f"idle_it_mw = {round(idle, 4)!r}",
                   f"it_mw_per_cu = {round(per_cu, 7)!r}"]
        if cid not in AI_POOLS:
            L.extend(general)
        L.append(f"cooling_model = {toml_str(n['cooling'])}")
        if n["grid_import_mw"] is not None:
            L.append(f"grid_import_mw = {n['grid_import_mw']:.1f}")
        if cid in AI_POOLS:
            accelerators = AI_POOLS[cid]
            L.append("")
            L.append("[[nodes.pools]]")
            L.append('type = "general"')
            L.extend(general)
            L.append("")
            L.append("[[nodes.pools]]")
            L.append('type = "ai"')
            L.append(f"capacity_cu = {accelerators:.1f}")
            L.append(f"idle_it_mw = {round(accelerators * AI_PEAK_IT_MW_PER_ACCELERATOR * AI_IDLE_FRACTION, 4)!r}")
            L.append(f"it_mw_per_cu = {round(AI_PEAK_IT_MW_PER_ACCELERATOR * (1 - AI_IDLE_FRACTION), 7)!r}")
        if n["battery"] is not None:
            e, p, rte, soc = n["battery"]
            L.append("")
            L.append("[nodes.battery]")
            L.append(f"energy_mwh = {e:.1f}")
            L.append(f"power_mw = {p:.1f}")
            L.append(f"round_trip_efficiency = {rte}")
            L.append(f"initial_soc = {soc}")
    for c in CLASSES:
        L.append("")
        L.append("[[classes]]")
        L.append(f"id = {toml_str(c['id'])}")
        L.append(f"deadline_hours = {c['deadline_hours']:.1f}")
        L.append(f"movable = {'true' if c['movable'] else 'false'}")
        if "max_latency_ms" in c:
            L.append(f"max_latency_ms = {c['max_latency_ms']:.1f}")
        if "gb_per_cu_h" in c:
            L.append(f"gb_per_cu_h = {c['gb_per_cu_h']}")
        if "pool" in c:
            L.append(f"pool = {toml_str(c['pool'])}")
    for a, b, d, latency, bw in links():
        L.append("")
        L.append(f"# great-circle {d:.0f} km")
        L.append("[[links]]")
        L.append(f"a = {toml_str(a)}")
        L.append(f"b = {toml_str(b)}")
        L.append(f"latency_ms = {fmt(latency, 1)}")
        if bw is not None:
            L.append(f"bandwidth_gbps = {bw:.1f}")
        L.append(f"kwh_per_gb = {KWH_PER_GB}")
    return "\n".join(L) + "\n"


def write_csv(path, columns, series, decimals):
    """columns: node ids; series: dict node -> list of PERIODS floats."""
    ts = timestamps()
    lines = [",".join(["timestamp"] + columns)]
    for k in range(PERIODS):
        lines.append(",".join([ts[k]] + [fmt(series[c][k], decimals) for c in columns]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def build(out_dir):
    node_ids = [h[0] for h in HUBS]
    ts_dir = out_dir / "timeseries"
    ts_dir.mkdir(parents=True, exist_ok=True)
    wanted = {"renewable_mw.csv", "carbon_intensity.csv", "temperature_c.csv"}
    wanted |= {f"demand_{c['id']}.csv" for c in CLASSES}
    for f in ts_dir.glob("*.csv"):  # drop files an earlier version wrote
        if f.name not in wanted:
            f.unlink()

    (out_dir / "scenario.toml").write_text(scenario_toml(), encoding="utf-8", newline="\n")

    renew = {n: [s + w for s, w in zip(solar_series(n), wind_series(n))] for n in node_ids}
    write_csv(ts_dir / "renewable_mw.csv", node_ids, renew, 2)
    write_csv(ts_dir / "carbon_intensity.csv", node_ids, {n: carbon_series(n) for n in node_ids}, 1)
    write_csv(ts_dir / "temperature_c.csv", node_ids, {n: temperature_series(n) for n in node_ids}, 1)
    for c in CLASSES:
        series = {n: demand_series(n, c["id"]) for n in node_ids}
        cols = [n for n in node_ids if series[n] is not None]
        write_csv(ts_dir / f"demand_{c['id']}.csv", cols, series, 0)


# ---------------------------------------------------------------------------
# Source check
# ---------------------------------------------------------------------------


def check_sources(data_dir):
    problems = []
    with open(data_dir / "china-compute-hubs.csv", newline="", encoding="utf-8") as f:
        rows = {r["cluster_id"]: r for r in csv.DictReader(f)}
    if set(rows) != {h[0] for h in HUBS}:
        problems.append("china-compute-hubs.csv: cluster ids differ")
    for cid, name, prov, lat, lon, region in HUBS:
        r = rows.get(cid)
        if r is None:
            continue
        if (r["cluster"], r["province_code"], float(r["latitude"]), float(r["longitude"]), r["region"]) != \
                (name, prov, lat, lon, region):
            problems.append(f"china-compute-hubs.csv: {cid} differs")
    with open(data_dir / "china-grid-emission-factors-2023.csv", newline="", encoding="utf-8") as f:
        ef = {r["province_code"]: float(r["kg_co2_per_mwh"]) for r in csv.DictReader(f)}
    for prov, g in EMISSION_FACTORS_2023.items():
        if ef.get(prov) != g:
            problems.append(f"china-grid-emission-factors-2023.csv: {prov} is {ef.get(prov)}, copied {g}")
    with open(data_dir / "google-2019-cluster-cpu-hourly.csv", newline="", encoding="utf-8") as f:
        trace = {int(r["hour"]): float(r["cpu_utilization"]) for r in csv.DictReader(f)}
    for i, u in enumerate(TRACE_DAY):
        if trace.get(TRACE_FIRST_HOUR + i) != u:
            problems.append(f"google-2019-cluster-cpu-hourly.csv: hour {TRACE_FIRST_HOUR + i} differs")
    return problems


def main(argv=None):
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=repo / "Data" / "scenarios" / SCENARIO_NAME,
                    help="scenario folder to write (default: Data/scenarios/east-west-hubs)")
    ap.add_argument("--check-sources", type=Path, default=None, metavar="DIR",
                    help="shared/data folder to check the copied inputs against "
                         "(default: ../shared/data next to the repository, when present)")
    args = ap.parse_args(argv)

    data_dir = args.check_sources
    if data_dir is None:
        guess = repo.parent / "shared" / "data"
        data_dir = guess if guess.is_dir() else None
    if data_dir is not None:
        problems = check_sources(data_dir)
        if problems:
            for p in problems:
                print(f"error: {p}", file=sys.stderr)
            return 1

    build(args.out)
    print(f"wrote {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
