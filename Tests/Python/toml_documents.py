"""Writes random TOML documents with tomli-w and tomlkit, and what Python's tomllib reads from
each, for TOMLDifferentialTests: `toml_documents.py OUT_DIR COUNT SEED` writes OUT_DIR/NNNN.toml
and OUT_DIR/NNNN.json (toml-test's tagged JSON of tomllib's reading)."""
import datetime
import json
import math
import random
import sys
import tomllib

import tomli_w
import tomlkit

KEY_CHARS = "abcXYZ019_-"
STRING_CHARS = ["a", "Z", " ", "\t", "\n", "\r", "\"", "'", "\\", "#", "=", "[", "é", "日", "\U0001F600",
                "\x00", "\x1f", "\x7f", "\x08", "\x0c", "\u2028"]


def key(r):
    if r.random() < 0.7:
        return "".join(r.choice(KEY_CHARS) for _ in range(r.randint(1, 6)))
    # Keys that need quotes: spaces, dots, quotes, non-ASCII, empty.
    return "".join(r.choice(STRING_CHARS[:14]) for _ in range(r.randint(0, 5)))


def string(r):
    return "".join(r.choice(STRING_CHARS) for _ in range(r.randint(0, 12)))


def scalar(r):
    kind = r.randrange(8)
    if kind == 0:
        return string(r)
    if kind == 1:
        return r.choice([0, -1, 1, 2**63 - 1, -2**63, r.randint(-10**12, 10**12)])
    if kind == 2:
        return r.choice([0.0, -0.0, 1.5, -2.25e-308, 5e-324, 1.7976931348623157e308, math.inf, -math.inf,
                         math.nan, r.uniform(-1e6, 1e6), r.uniform(-1, 1) * 10 ** r.randint(-300, 300)])
    if kind == 3:
        return r.random() < 0.5
    day = datetime.date(r.randint(1, 9999), r.randint(1, 12), r.randint(1, 28))
    moment = datetime.time(r.randint(0, 23), r.randint(0, 59), r.randint(0, 59), r.choice([0, 123000, 999999]))
    if kind == 4:
        return day
    if kind == 5:
        return moment
    if kind == 6:
        return datetime.datetime.combine(day, moment)
    offset = datetime.timezone(datetime.timedelta(minutes=r.randint(-23 * 60 - 59, 23 * 60 + 59)))
    return datetime.datetime.combine(day, moment, tzinfo=offset)


def value(r, depth):
    roll = r.random()
    if depth > 4 or roll < 0.6:
        return scalar(r)
    if roll < 0.8:
        return [value(r, depth + 1) for _ in range(r.randint(0, 4))]
    if roll < 0.9:
        return [table(r, depth + 1) for _ in range(r.randint(1, 3))]
    return table(r, depth + 1)


def table(r, depth):
    return {key(r): value(r, depth) for _ in range(r.randint(0, 5))}


def tagged(v):
    """toml-test's tagged JSON."""
    if isinstance(v, dict):
        return {k: tagged(x) for k, x in v.items()}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, bool):
        return {"type": "bool", "value": "true" if v else "false"}
    if isinstance(v, int):
        return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        text = "nan" if math.isnan(v) else "inf" if v == math.inf else "-inf" if v == -math.inf else repr(v)
        return {"type": "float", "value": text}
    if isinstance(v, str):
        return {"type": "string", "value": v}
    if isinstance(v, datetime.datetime):
        return {"type": "datetime" if v.tzinfo else "datetime-local", "value": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"type": "date-local", "value": v.isoformat()}
    if isinstance(v, datetime.time):
        return {"type": "time-local", "value": v.isoformat()}
    raise TypeError(type(v))


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    r = random.Random(seed)
    for n in range(count):
        document = table(r, 0)
        if n % 2 == 0:
            text = tomli_w.dumps(document, multiline_strings=r.random() < 0.5)
        else:
            text = tomlkit.dumps(document)
        with open(f"{out}/{n:04d}.toml", "w", encoding="utf-8", newline="") as f:
            f.write(text)
        with open(f"{out}/{n:04d}.json", "w", encoding="utf-8") as f:
            json.dump(tagged(tomllib.loads(text)), f, ensure_ascii=False)


main()
