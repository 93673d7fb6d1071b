#!/usr/bin/env python3
"""Runs pabutools' own Add1 loop in pieces, for the counts too long for one go.

pabutools' `method_of_equal_shares(voter_budget_increment=1)` is a loop over
steps k = 0, 1, 2, ...: every voter's share is budget / n + k; it runs the
method, returns the previous outcome if this one is not feasible, returns this
one if it is exhaustive, and goes on otherwise. Before each step it resets
every voter's budget and every project's affordability, so the loop from step
k0 on is `method_of_equal_shares_scheme` started with the share budget / n + k0.

For the counts pabutools_compare.py could not finish (Add1 in forint steps
takes up to 153,146 steps, hours in pabutools), this script runs that loop a
piece at a time: --piece steps in a child process capped in time and memory.
After each piece it records in tally/testdata/pabutools-add1-pieces.json how
far the loop has gone and the outcome of its last step, so that a later run,
in this checkout or a fresh one, carries on from there. When the loop stops,
its outcome goes to the golden file like any other pabutools count
(pabutools_compare.compact), and tests/pabutools_golden.rs compares it.

Usage:
  python3 tally/scripts/pabutools_add1_pieces.py [--data DIR] [--only TEXT]
        [--shard K/N] [--piece STEPS] [--timeout SECONDS] [--max-memory-gb G]
Several shards may run at once: they share the state file under a lock.

  python3 tally/scripts/pabutools_add1_pieces.py --verify FILE --piece 50
counts an election that pabutools has finished in one go, in pieces and with
a scratch state file, and says whether the two outcomes are the same.
"""
import argparse
import fcntl
import json
import multiprocessing
import os
import sys
import time

import pabutools_compare as pc

STATE = os.path.join(pc.CRATE, "testdata", "pabutools-add1-pieces.json")
LOCK = os.path.join(pc.ROOT, "target", "conformance", "pabutools-add1-pieces.lock")
GOLDEN = os.path.join(pc.CRATE, "testdata", "pabutools-golden.json")
PROGRESS = os.path.join(pc.ROOT, "target", "conformance", "pabutools-pieces.jsonl")


class _PieceDone(Exception):
    pass


def piece(path, first_step, steps):
    """In a child process: pabutools' Add1 loop from `first_step` for at most
    `steps` steps."""
    from pabutools.election import parse_pabulib, Cost_Sat
    from pabutools.election.profile import AbstractApprovalProfile
    from pabutools.fractions import frac
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking
    t0 = time.time()
    instance, profile = parse_pabulib(path)
    sat_profile = profile.as_sat_profile(sat_class=Cost_Sat)
    share = frac(instance.budget_limit, profile.num_ballots())
    # As in pabutools_compare: pabutools' per-voter memo would grow by
    # megabytes a step; clearing it at each step changes no result.
    pc.forget_memo_between_runs(instance)
    feasible, exhaustive = instance.is_feasible, instance.is_exhaustive
    seen = {"continued": 0}

    def is_feasible(projects):
        seen["selected"] = sorted(str(p.name) for p in projects)
        seen["feasible"] = feasible(projects)
        return seen["feasible"]

    def is_exhaustive(projects, available_projects=None):
        seen["exhaustive"] = exhaustive(projects, available_projects)
        if not seen["exhaustive"]:
            seen["continued"] += 1
            seen["last_selected"] = seen["selected"]
            if seen["continued"] == steps:
                raise _PieceDone
        return seen["exhaustive"]

    instance.is_feasible = is_feasible
    instance.is_exhaustive = is_exhaustive
    try:
        outcome = method_of_equal_shares_scheme(
            instance, profile, sat_profile, share + first_step, BudgetAllocation(),
            lexico_tie_breaking, resoluteness=True, voter_budget_increment=1,
            binary_sat=isinstance(profile, AbstractApprovalProfile))
    except _PieceDone:
        return {"continued": steps, "last_selected": seen["last_selected"],
                "seconds": round(time.time() - t0, 1)}
    return {"continued": seen["continued"],
            "last_selected": seen.get("last_selected"),
            "stopped": "not feasible" if not seen["feasible"] else "exhaustive",
            "selected": sorted(str(p.name) for p in outcome),
            "seconds": round(time.time() - t0, 1)}


class Locked:
    """The state file, read and written under an exclusive lock."""

    def __enter__(self):
        os.makedirs(os.path.dirname(LOCK), exist_ok=True)
        self.lock = open(LOCK, "w")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        self.state = {}
        if os.path.exists(STATE):
            with open(STATE) as f:
                self.state = json.load(f)
        return self.state

    def __exit__(self, *exc):
        if exc[0] is None:
            with open(STATE + ".tmp", "w") as f:
                json.dump(self.state, f, indent=1, sort_keys=True)
                f.write("\n")
            os.replace(STATE + ".tmp", STATE)
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get(
        "FAIRSHARE_DATA_DIR", os.path.join(pc.ROOT, "..", "shared", "data")))
    ap.add_argument("--only", default=None, help="only files containing this")
    ap.add_argument("--shard", default="0/1",
                    help="K/N: only every N-th election from the K-th (0-based)")
    ap.add_argument("--piece", type=int, default=2000, help="steps per child process")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per piece")
    ap.add_argument("--max-memory-gb", type=float, default=4.0)
    ap.add_argument("--verify", metavar="FILE",
                    help="count an election already in the golden file in pieces and compare")
    args = ap.parse_args()
    global STATE
    if args.verify:
        STATE = os.path.join(os.path.dirname(LOCK), "pabutools-add1-pieces-verify.json")
        if os.path.exists(STATE):
            os.remove(STATE)
    folder = os.path.join(args.data, "pabulib")
    if not os.path.isdir(folder):
        folder = args.data
    with open(GOLDEN) as f:
        done = json.load(f)
    todo = sorted(r["file"] for r in pc.read_unfinished(GOLDEN)
                  if r["rule"] == "mes-add1" and "mes-add1" not in done.get(r["file"], {})
                  and (args.only is None or args.only in r["file"]))
    k, n_shards = (int(x) for x in args.shard.split("/"))
    if args.verify:
        todo, k, n_shards = [args.verify], 0, 1
    import pabutools.election  # noqa: F401  (imported once, forked children have it)
    import pabutools.rules  # noqa: F401
    ctx = multiprocessing.get_context("fork")
    for name in todo[k::n_shards]:
        path = os.path.join(folder, name)
        while True:
            with Locked() as state:
                st = state.get(name, {"next_step": 0, "last_selected": None, "seconds": 0.0})
            if "result" in st:
                break
            rec = pc.in_child(ctx, piece, (path, st["next_step"], args.piece),
                              args.timeout, args.max_memory_gb)
            if "timeout" in rec:
                rec = {"error": f"piece not done within {rec['timeout']} s"}
            if "error" in rec:
                print(f"{name} from step {st['next_step']}: {rec['error']}",
                      file=sys.stderr, flush=True)
                break
            with Locked() as state:
                st = state.setdefault(name, st)
                first = st["next_step"]
                st["seconds"] = round(st["seconds"] + rec["seconds"], 1)
                if "stopped" in rec:
                    stop_step = first + rec["continued"]
                    selected = rec["selected"]
                    if rec["stopped"] == "not feasible" and rec["continued"] == 0 and first > 0:
                        # The loop returns the previous step's outcome; at a
                        # piece's first step, that step ran in the last piece.
                        selected = st["last_selected"]
                    st["result"] = {"stop_step": stop_step, "reason": rec["stopped"],
                                    "selected": selected}
                    st["next_step"] = stop_step + 1
                else:
                    st["next_step"] = first + rec["continued"]
                if rec["last_selected"] is not None:
                    st["last_selected"] = rec["last_selected"]
            print(f"{name}: steps {first}..{st['next_step'] - 1} in {rec['seconds']} s"
                  + (f"; pabutools stops at step {st['result']['stop_step']} "
                     f"({st['result']['reason']})" if "result" in st else ""),
                  file=sys.stderr, flush=True)
        if "result" in st and args.verify:
            expected = done.get(name, {}).get("mes-add1")
            same = expected == st["result"]["selected"]
            print(f"{name}: in pieces {'the same as' if same else 'DIFFERENT from'} "
                  f"pabutools in one go", file=sys.stderr)
            sys.exit(0 if same else 1)
        if "result" in st:
            os.makedirs(os.path.dirname(PROGRESS), exist_ok=True)
            with Locked():
                with open(PROGRESS, "a") as f:
                    f.write(json.dumps({"file": name, "rule": "mes-add1",
                                        "selected": st["result"]["selected"],
                                        "seconds": st["seconds"]}) + "\n")
                pc.compact(PROGRESS, GOLDEN)


if __name__ == "__main__":
    main()
