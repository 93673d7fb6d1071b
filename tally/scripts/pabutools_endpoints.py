#!/usr/bin/env python3
"""Checks with pabutools the end point of Add1 where one call takes hours.

For some elections pabutools' `method_of_equal_shares(voter_budget_increment=1)`
cannot finish in one call (pabutools_compare.py lists them in
tally/testdata/pabutools-unfinished.tsv until pabutools_add1_pieces.py has run
the loop in pieces; those are in tally/testdata/pabutools-add1-pieces.json):
Add1 in forint steps needs up to 153,146 complete runs of the method. For
each of them this script takes the
step where tally's Add1 stopped and has pabutools check it, running one
iteration of pabutools' own Add1 loop (method_of_equal_shares_scheme) at each
chosen step k, with every voter's share the budget / n + k:

  * at tally's final step: pabutools' outcome and whether it is feasible and
    exhaustive (tally stops there because it is exhaustive, or because the
    next step overspends);
  * at the next step, when tally stopped because it would overspend: that it
    overspends;
  * at the step before and at up to --samples evenly spaced earlier steps:
    that the outcome is feasible and not exhaustive, so Add1 goes on.

What pabutools reports at each step (cost, feasible, exhaustive, and the
projects at the last two steps) is written to
tally/testdata/pabutools-endpoints.json; tests/pabutools_golden.rs then
requires tally's count to agree with it.

Usage:
  cargo build --release -p tally --features cli
  python3 tally/scripts/pabutools_endpoints.py [--data DIR] [--only TEXT]
        [--samples N] [--timeout SECONDS] [--max-memory-gb G]
        [--shard K/N --out FILE]

With --shard, give each process its own --out file; then
`--merge FILE [FILE ...]` adds what they checked to the committed file.
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time

import pabutools_compare as pc

OUT = os.path.join(pc.CRATE, "testdata", "pabutools-endpoints.json")


class _Stop(Exception):
    pass


def steps_once(path, steps):
    """In a child process: one iteration of pabutools' Add1 loop at each
    step, recording its outcome and what the loop tests on it."""
    from pabutools.election import parse_pabulib, Cost_Sat
    from pabutools.election.profile import AbstractApprovalProfile
    from pabutools.fractions import frac
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking
    instance, profile = parse_pabulib(path)
    sat_profile = profile.as_sat_profile(sat_class=Cost_Sat)
    n = profile.num_ballots()
    base = frac(instance.budget_limit, n)
    feasible, exhaustive = instance.is_feasible, instance.is_exhaustive
    out = []
    seconds = 0.0
    for k in steps:
        t0 = time.time()
        seen = {}

        def is_feasible(projects):
            seen["selected"] = sorted(str(p.name) for p in projects)
            seen["cost"] = str(sum(p.cost for p in projects))
            seen["feasible"] = feasible(projects)
            return seen["feasible"]

        def is_exhaustive(projects, available_projects=None):
            seen["exhaustive"] = exhaustive(projects, available_projects)
            raise _Stop

        instance.is_feasible = is_feasible
        instance.is_exhaustive = is_exhaustive
        try:
            # The loop stops after its first outcome: when it is not
            # feasible it returns, otherwise is_exhaustive stops it.
            method_of_equal_shares_scheme(
                instance, profile, sat_profile, base + k, BudgetAllocation(),
                lexico_tie_breaking, resoluteness=True, voter_budget_increment=1,
                binary_sat=isinstance(profile, AbstractApprovalProfile))
        except _Stop:
            pass
        out.append({"step": k, **seen})
        seconds += time.time() - t0
    return {"steps": out, "seconds": round(seconds, 1)}


def tally_add1(tally, path):
    """tally's Add1 count: its selection, number of runs and why it stopped."""
    res = subprocess.run(
        [tally, "count", path, "--rule", "mes-add1", "--tie-break", "lexicographic", "--json"],
        check=True, capture_output=True, text=True)
    d = json.loads(res.stdout)
    es = d["details"]["equal_shares"]
    return sorted(d["selected"]), es["add1_runs"], es["stop_reason"]


def chosen_steps(runs, stop_reason, samples):
    """The final step and the steps around and before it to check."""
    overspent = stop_reason.startswith("raising the share once more")
    final = runs - 2 if overspent else runs - 1
    steps = {final}
    if overspent:
        steps.add(final + 1)
    if final >= 1:
        steps.add(final - 1)
    if final >= 2 and samples > 0:
        for i in range(samples):
            steps.add(i * (final - 1) // samples)
    return final, sorted(steps)


def write(res, out):
    """Sorted JSON with one step per line."""
    with open(out, "w") as f:
        f.write("{\n")
        for i, (name, ep) in enumerate(sorted(res.items())):
            f.write(f' {json.dumps(name)}: {{"final_step": {ep["final_step"]}, '
                    f'"tally_stop_reason": {json.dumps(ep["tally_stop_reason"])}, "steps": [\n')
            f.write(",\n".join("  " + json.dumps(st, sort_keys=True) for st in ep["steps"]))
            f.write("\n ]}" + ("," if i + 1 < len(res) else "") + "\n")
        f.write("}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get(
        "FAIRSHARE_DATA_DIR", os.path.join(pc.ROOT, "..", "shared", "data")))
    ap.add_argument("--tally", default=os.path.join(pc.ROOT, "target", "release", "tally"))
    ap.add_argument("--only", default=None, help="only files containing this")
    ap.add_argument("--samples", type=int, default=200,
                    help="evenly spaced earlier steps to check besides the last ones")
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--max-memory-gb", type=float, default=9.0)
    ap.add_argument("--shard", default="0/1",
                    help="K/N: only every N-th election from the K-th (0-based)")
    ap.add_argument("--out", default=OUT,
                    help="where to write; the elections already there are kept")
    ap.add_argument("--merge", nargs="+", metavar="FILE",
                    help="only add the elections checked in these files to the committed one")
    args = ap.parse_args()
    if args.merge:
        res = {}
        for known in [OUT, *args.merge]:
            with open(known) as f:
                res.update(json.load(f))
        write(res, OUT)
        return
    folder = os.path.join(args.data, "pabulib")
    if not os.path.isdir(folder):
        folder = args.data
    golden = os.path.join(pc.CRATE, "testdata", "pabutools-golden.json")
    with open(golden) as f:
        done = json.load(f)
    long_counts = {r["file"] for r in pc.read_unfinished(golden)
                   if r["rule"] == "mes-add1" and "mes-add1" not in done.get(r["file"], {})}
    pieces = os.path.join(pc.CRATE, "testdata", "pabutools-add1-pieces.json")
    if os.path.exists(pieces):
        with open(pieces) as f:
            long_counts.update(json.load(f))
    todo = sorted(name for name in long_counts if args.only is None or args.only in name)
    k, n_shards = (int(x) for x in args.shard.split("/"))
    todo = todo[k::n_shards]
    res = {}
    for known in {OUT, args.out}:
        if os.path.exists(known):
            with open(known) as f:
                res.update(json.load(f))
    import pabutools.election  # noqa: F401  (imported once, forked children have it)
    import pabutools.rules  # noqa: F401
    ctx = multiprocessing.get_context("fork")
    for name in todo:
        path = os.path.join(folder, name)
        selected, runs, stop_reason = tally_add1(args.tally, path)
        final, steps = chosen_steps(runs, stop_reason, args.samples)
        prev = res.get(name, {})
        if prev.get("final_step") == final and {s["step"] for s in prev.get("steps", [])} >= set(steps):
            continue
        rec = pc.in_child(ctx, steps_once, (path, steps), args.timeout, args.max_memory_gb)
        if "steps" not in rec:
            print(f"{name}: {rec}", file=sys.stderr, flush=True)
            continue
        for st in rec["steps"]:
            if st["step"] < final - 1:
                del st["selected"]  # only whether the loop goes on matters
        res[name] = {"final_step": final, "tally_stop_reason": stop_reason,
                     "steps": rec["steps"]}
        at_final = next(s for s in rec["steps"] if s["step"] == final)
        print(f"{name}: {len(steps)} steps checked in "
              f"{rec['seconds']} s; pabutools at step {final} "
              f"{'agrees' if at_final['selected'] == selected else 'DIFFERS'}",
              file=sys.stderr, flush=True)
        write(res, args.out)


if __name__ == "__main__":
    main()
