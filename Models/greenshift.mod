/* greenshift: where and when data-center work runs, to cut carbon.
   The linear program of docs/model.md (version 2: pools, backlog from state.json, the battery's
   start from the state, the chosen carbon signal in G), stated directly in GNU MathProg.

   Data: `greenshift export SCENARIO --format mathprog-data --out data.dat` writes every set and
   parameter below from a scenario folder (PUE already evaluated from the cooling curves, windows
   and allowed placements already worked out).

   Solve:  glpsol --model Models/greenshift.mod --data data.dat -o solution.txt

   Units: work in CU*h, power in MW, energy in MWh, emissions in kg. */

/* ---- Sets and data ---- */

param T integer > 0;                    /* number of periods */
param D > 0;                            /* period length, hours */
set PERIODS := 0 .. T - 1;

set NODES;
set CLASSES;

param K{CLASSES} integer >= 0;          /* window: work arriving in t may run in t .. t + K */
param gb_per_cu_h{CLASSES} >= 0;

/* Pools: (n, p) for every pool of type p at node n; class w runs only in pools of type pool_of[w]. */
set POOL_TYPES;
set NODE_POOLS within {NODES, POOL_TYPES};
param pool_of{CLASSES} symbolic in POOL_TYPES;

/* Backlog from state.json: entry b of class backlog_class[b] from backlog_origin[b], runnable
   from period 0 through backlog_last[b] (K_b capped at T - 1). */
set BACKLOG;
param backlog_class{BACKLOG} symbolic in CLASSES;
param backlog_origin{BACKLOG} symbolic in NODES;
param backlog_last{BACKLOG} integer >= 0, < T;
param backlog_cu_h{BACKLOG} >= 0;

/* (w, o, n): class w's work from origin o may run at node n, which has pool_of[w]. */
set PLACEMENTS within {CLASSES, NODES, NODES};

/* Directed links (o, n) with their network energy; BANDWIDTH_LINKS have a bandwidth. */
set LINKS within {NODES, NODES};
param kwh_per_gb{LINKS} >= 0;
set BANDWIDTH_LINKS within LINKS;
param bandwidth_gbps{BANDWIDTH_LINKS} >= 0;

param A{CLASSES, NODES, PERIODS} >= 0, default 0;   /* demand, CU*h */
param R{NODES, PERIODS} >= 0;                       /* renewables, MW */
param G{NODES, PERIODS} >= 0;                       /* grid emission factor, kg/MWh */
param PUE{NODES, PERIODS} > 0;

param capacity_cu{NODE_POOLS} >= 0;
param idle_it_mw{NODE_POOLS} >= 0;
param it_mw_per_cu{NODE_POOLS} >= 0;

set GRID_CAPPED within NODES;
param grid_import_mw{GRID_CAPPED} >= 0;

set BATTERIES within NODES;
param energy_mwh{BATTERIES} >= 0;
param power_mw{BATTERIES} >= 0;
param round_trip_efficiency{BATTERIES} > 0, <= 1;
param initial_soc{BATTERIES} >= 0, <= 1;
param start_energy_mwh{BATTERIES} >= 0;    /* s[-1]: state.json's energy, else initial_soc x energy */
param e{b in BATTERIES} := sqrt(round_trip_efficiency[b]);

param unserved_penalty_kg_per_cu_h >= 0;

/* ---- Variables ---- */

var x{PLACEMENTS, PERIODS} >= 0;                                 /* work run, CU*h */
var u{w in CLASSES, o in NODES, t in PERIODS} >= 0, <= A[w, o, t]; /* never served, CU*h */
var ub{b in BACKLOG} >= 0, <= backlog_cu_h[b];                   /* backlog never served, CU*h */
var r{n in NODES, t in PERIODS} >= 0, <= R[n, t];                /* renewables used, MW */
var g{NODES, PERIODS} >= 0;                                      /* grid power, MW */
var c{b in BATTERIES, PERIODS} >= 0, <= power_mw[b];             /* battery charge, MW */
var d{b in BATTERIES, PERIODS} >= 0, <= power_mw[b];             /* battery discharge, MW */
var s{b in BATTERIES, PERIODS} >= 0, <= energy_mwh[b];           /* battery energy at the end of t, MWh */

/* Running totals, so that constraints 1-3 stay linear in the horizon: the work of class w
   from origin o run by the end of period t, and the work that arrived by then and was not
   dropped. (Written out as sums over tau <= t, constraints 1-3 have O(T^2) terms: on a week of
   hourly periods, about 80 million.) */
var run_by{CLASSES, NODES, PERIODS};
var kept_by{CLASSES, NODES, PERIODS};

s.t. run_total{w in CLASSES, o in NODES, t in PERIODS}:
    run_by[w, o, t] = (if t > 0 then run_by[w, o, t - 1]) + sum{(w, o, n) in PLACEMENTS} x[w, o, n, t];

s.t. kept_total{w in CLASSES, o in NODES, t in PERIODS}:
    kept_by[w, o, t] = (if t > 0 then kept_by[w, o, t - 1]) + A[w, o, t] - u[w, o, t];

/* ---- Constraints ---- */

/* 1. Nothing runs before it arrives (the served backlog is there from period 0). */
s.t. arrived{w in CLASSES, o in NODES, t in PERIODS}:
    run_by[w, o, t] <= kept_by[w, o, t]
        + sum{b in BACKLOG: backlog_class[b] = w and backlog_origin[b] = o} (backlog_cu_h[b] - ub[b]);

/* 2. Everything due by the end of t has finished: arrivals K or more periods ago, and the
   backlog whose last period is t or earlier. */
s.t. finished{w in CLASSES, o in NODES, t in PERIODS}:
    run_by[w, o, t] >= (if t >= K[w] then kept_by[w, o, t - K[w]])
        + sum{b in BACKLOG: backlog_class[b] = w and backlog_origin[b] = o and backlog_last[b] <= t}
              (backlog_cu_h[b] - ub[b]);

/* 3. The horizon's end is every deadline's end. */
s.t. horizon_end{w in CLASSES, o in NODES}:
    run_by[w, o, T - 1] = kept_by[w, o, T - 1]
        + sum{b in BACKLOG: backlog_class[b] = w and backlog_origin[b] = o} (backlog_cu_h[b] - ub[b]);

/* 4. Compute capacity, per pool. */
s.t. capacity{(n, p) in NODE_POOLS, t in PERIODS}:
    sum{(w, o, n) in PLACEMENTS: pool_of[w] = p} x[w, o, n, t] <= capacity_cu[n, p] * D;

/* 5 and 6. Power balance: facility power plus charging = renewables + grid + discharging,
   IT power summed over the node's pools. */
s.t. balance{n in NODES, t in PERIODS}:
    PUE[n, t] * sum{(n, p) in NODE_POOLS}
        (idle_it_mw[n, p] + it_mw_per_cu[n, p] * (sum{(w, o, n) in PLACEMENTS: pool_of[w] = p} x[w, o, n, t]) / D)
        + (if n in BATTERIES then c[n, t] - d[n, t] else 0)
        = r[n, t] + g[n, t];

s.t. grid_limit{n in GRID_CAPPED, t in PERIODS}: g[n, t] <= grid_import_mw[n];

/* 7. Battery energy. */
s.t. battery{b in BATTERIES, t in PERIODS}:
    s[b, t] = (if t = 0 then start_energy_mwh[b] else s[b, t - 1])
              + e[b] * c[b, t] * D - d[b, t] * D / e[b];

/* 8. The battery ends at least at initial_soc, wherever the state says it starts. */
s.t. battery_end{b in BATTERIES}: s[b, T - 1] >= initial_soc[b] * energy_mwh[b];

/* 9. Network bandwidth, each direction. */
s.t. bandwidth{(o, n) in BANDWIDTH_LINKS, t in PERIODS}:
    sum{(w, o, n) in PLACEMENTS} gb_per_cu_h[w] * x[w, o, n, t] <= bandwidth_gbps[o, n] * 450 * D;

/* ---- Objective ---- */

minimize emissions_and_penalty:
    sum{n in NODES, t in PERIODS} G[n, t] * g[n, t] * D
  + sum{(w, o, n) in PLACEMENTS, t in PERIODS: n != o}
        G[o, t] * kwh_per_gb[o, n] / 1000 * gb_per_cu_h[w] * x[w, o, n, t]
  + unserved_penalty_kg_per_cu_h * (sum{w in CLASSES, o in NODES, t in PERIODS} u[w, o, t] + sum{b in BACKLOG} ub[b]);

solve;

printf "carbon_kg %.6f\n",
    sum{n in NODES, t in PERIODS} G[n, t] * g[n, t] * D
  + sum{(w, o, n) in PLACEMENTS, t in PERIODS: n != o}
        G[o, t] * kwh_per_gb[o, n] / 1000 * gb_per_cu_h[w] * x[w, o, n, t];
printf "unserved_cu_h %.6f\n", sum{w in CLASSES, o in NODES, t in PERIODS} u[w, o, t] + sum{b in BACKLOG} ub[b];
printf "objective %.6f\n", emissions_and_penalty;

end;
