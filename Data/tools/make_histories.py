#!/usr/bin/env python3
"""Writes the real-data histories in Data/histories/ (see Data/README.md, "Histories").

Three histories, each a folder of series in the scenario's wide CSV layout:

  google-borg/      demand_borg.csv: the Google 2019 cluster trace (shared/data), hourly CPU
                    utilization of one Borg cell x 10 000 CU, 28 days
  england-wales/    demand_grid.csv: electricity demand of England and Wales, June-August 2000
                    (Taylor 2003), half-hourly MW averaged to hours, 84 days; shipped by the PyPI
                    package pmdarima 2.1.1 (pmdarima/datasets/taylor.py)
  greensboro-tmy/   renewable_mw.csv and temperature_c.csv: a 50 MW solar farm proportional to global
                    horizontal irradiance, and the dry-bulb temperature, of the NREL TMY3 file for
                    Greensboro NC (723170TYA.CSV, shipped by the PyPI package pvlib 0.16.1), June and
                    July, 61 days

The two PyPI packages are read from their wheels, never imported: give them with --pmdarima-wheel
and --pvlib-wheel, or let the script fetch them with `pip download --no-deps`. Standard library
only; the same inputs always give the same bytes.
"""
import argparse
import ast
import csv
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import zipfile

PMDARIMA = "pmdarima==2.1.1"
PVLIB = "pvlib==0.16.1"
# A cell of this many CU: utilization 1 is this much work per hour.
BORG_CELL_CU = 10_000
# The solar farm's capacity: output = capacity x GHI / 1000 W/m^2 (no temperature or angle losses).
SOLAR_MW = 50.0
# TMY months used (each month of a TMY comes from one real year: June 1989, July 1981).
TMY_MONTHS = (6, 7)
TMY_FILE = "pvlib/data/723170TYA.CSV"
# Labels only: the Borg trace starts on 2019-05-01 (US Pacific); Taylor's series on Monday
# 2000-06-05, British Summer Time; the TMY is labelled with a nominal year in local standard time.
BORG_START = dt.datetime(2019, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
TAYLOR_START = dt.datetime(2000, 6, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
TMY_YEAR = 2026


def wheel(spec, given, scratch):
    if given:
        return given
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", scratch, spec], check=True)
    name = spec.split("==")[0]
    return next(os.path.join(scratch, f) for f in sorted(os.listdir(scratch)) if f.startswith(name + "-"))


def number(v, decimals):
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write(folder, name, column, start, values, decimals):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w", newline="\n") as f:
        f.write(f"timestamp,{column}\n")
        for t, v in enumerate(values):
            f.write(f"{(start + dt.timedelta(hours=t)).isoformat()},{number(v, decimals)}\n")


def borg(shared):
    with open(os.path.join(shared, "google-2019-cluster-cpu-hourly.csv")) as f:
        rows = list(csv.DictReader(f))
    assert [int(r["hour"]) for r in rows] == list(range(len(rows))), "hours must run 0, 1, 2, ..."
    return [BORG_CELL_CU * float(r["cpu_utilization"]) for r in rows]


def taylor(path):
    with zipfile.ZipFile(path) as z:
        source = z.read("pmdarima/datasets/taylor.py").decode()
    # The data is the list literal inside np.array([...]) in load_taylor.
    start = source.index("np.array([") + len("np.array(")
    end = source.index("])", start) + 1
    half_hours = ast.literal_eval(source[start:end])
    assert len(half_hours) == 4032, len(half_hours)
    return [(half_hours[2 * k] + half_hours[2 * k + 1]) / 2 for k in range(len(half_hours) // 2)]


def tmy(path):
    with zipfile.ZipFile(path) as z:
        lines = z.read(TMY_FILE).decode().splitlines()
    rows = list(csv.reader(lines[1:]))
    head, rows = rows[0], rows[1:]
    ghi, temp = head.index("GHI (W/m^2)"), head.index("Dry-bulb (C)")
    chosen = [r for r in rows if int(r[0][:2]) in TMY_MONTHS]
    # TMY3 hours are hour-ending local standard time: "01:00" is the hour from 00:00.
    first_month = int(chosen[0][0][:2])
    assert chosen[0][1] == "01:00" and chosen[0][0][3:5] == "01"
    return first_month, [SOLAR_MW * float(r[ghi]) / 1000 for r in chosen], [float(r[temp]) for r in chosen]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(repo, "Data", "histories"))
    p.add_argument("--shared", default=os.path.join(os.path.dirname(repo), "shared", "data"),
                   help="the project's shared/data folder (google-2019-cluster-cpu-hourly.csv)")
    p.add_argument("--pmdarima-wheel")
    p.add_argument("--pvlib-wheel")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        write(os.path.join(a.out, "google-borg"), "demand_borg.csv", "cell", BORG_START, borg(a.shared), 1)
        write(os.path.join(a.out, "england-wales"), "demand_grid.csv", "england-wales", TAYLOR_START,
              taylor(wheel(PMDARIMA, a.pmdarima_wheel, scratch)), 1)
        month, solar, temperature = tmy(wheel(PVLIB, a.pvlib_wheel, scratch))
        start = dt.datetime(TMY_YEAR, month, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        folder = os.path.join(a.out, "greensboro-tmy")
        write(folder, "renewable_mw.csv", "greensboro", start, solar, 3)
        write(folder, "temperature_c.csv", "greensboro", start, temperature, 1)
    print(f"wrote {a.out}/google-borg, england-wales, greensboro-tmy")


if __name__ == "__main__":
    main()
