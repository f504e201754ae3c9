#!/usr/bin/env python3
"""Solve an MPS file with HiGHS (highspy) and print one tab-separated line:
status, objective, seconds (read + solve, wall clock), simplex iterations, IPM iterations.

Used by Benchmarks/bench.sh for perspective on greenshift's GLPK times. HiGHS runs with its
defaults (it chooses the method itself) and one thread, like GLPK.
"""
import sys
import time

import highspy


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: highs_solve.py FILE.mps", file=sys.stderr)
        return 2
    started = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.readModel(sys.argv[1])
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    print(f"{status}\t{info.objective_function_value:.6f}\t{seconds:.3f}\t"
          f"{info.simplex_iteration_count}\t{info.ipm_iteration_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
