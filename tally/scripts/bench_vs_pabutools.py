#!/usr/bin/env python3
"""Times pabutools and the tally CLI on the same elections, in the same run,
and prints the ratio.

  plain MES on Poland_Warszawa_2026.pb
  MES with Add1 on Poland_Wieliczka_2023_Green_Budget.pb
      (pabutools: method_of_equal_shares(voter_budget_increment=1);
       tally: --rule mes-add1, the same definition)
  MES with Add1 on Poland_Warszawa_2026.pb: pabutools runs in a child
      process stopped after --add1-cap seconds (default 300; it needs far
      longer), so the ratio printed is a lower bound

Both sides are timed end to end: reading and parsing the file plus the count
(tally's time also includes process start-up and writing the JSON result).

Usage: python3 tally/scripts/bench_vs_pabutools.py [--data DIR] [--tally PATH]
           [--repeat N] [--add1-cap SECONDS]
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
    ap.add_argument("--add1-cap", type=int, default=300,
                    help="seconds pabutools gets for Add1 on Warszawa 2026")
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
        ("Poland_Warszawa_2026.pb", "mes", None, None),
        ("Poland_Wieliczka_2023_Green_Budget.pb", "mes-add1", 1, None),
        ("Poland_Warszawa_2026.pb", "mes-add1", 1, args.add1_cap),
    ]
    for name, rule, increment, cap in cases:
        path = os.path.join(folder, name)
        if cap is None:
            t0 = time.perf_counter()
            instance, profile = parse_pabulib(path)
            sel = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                         tie_breaking=lexico_tie_breaking,
                                         voter_budget_increment=increment)
            t_py = time.perf_counter() - t0
            theirs = sorted(str(p.name) for p in sel)
        else:
            t_py, theirs = capped(path, increment, cap)
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
        if theirs is None:
            print(f"{name} {rule}: pabutools had not finished after {t_py:.0f} s "
                  f"(stopped), tally {best * 1000:.1f} ms, ratio > {t_py / best:.0f}x",
                  flush=True)
        else:
            print(f"{name} {rule}: pabutools {t_py:.2f} s, tally {best * 1000:.1f} ms, "
                  f"ratio {t_py / best:.0f}x, identical selection: {ours == theirs}",
                  flush=True)


def capped(path, increment, cap):
    """pabutools in a child process, stopped after `cap` seconds: (seconds,
    selection), or (cap, None) when it had not finished."""
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    t0 = time.perf_counter()
    child = ctx.Process(target=_count, args=(path, increment, send))
    child.start()
    send.close()
    theirs = recv.recv() if recv.poll(cap) else None
    seconds = time.perf_counter() - t0
    if child.is_alive():
        child.kill()
    child.join()
    return (seconds, theirs) if theirs is not None else (cap, None)


def _count(path, increment, conn):
    import resource
    from pabutools.election import parse_pabulib, Cost_Sat
    from pabutools.rules import method_of_equal_shares
    from pabutools.tiebreaking import lexico_tie_breaking
    sys.path.insert(0, HERE)
    from pabutools_compare import forget_memo_between_runs
    # At most 4 GB: pabutools' per-voter memo grows with every Add1 step
    # unless cleared between steps (no result changes).
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    instance, profile = parse_pabulib(path)
    forget_memo_between_runs(instance)
    sel = method_of_equal_shares(instance, profile, sat_class=Cost_Sat,
                                 tie_breaking=lexico_tie_breaking,
                                 voter_budget_increment=increment)
    conn.send(sorted(str(p.name) for p in sel))


if __name__ == "__main__":
    main()
