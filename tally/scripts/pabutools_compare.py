#!/usr/bin/env python3
"""Independent cross-check of the tally crate against pabutools (PyPI).

For every approval (and choose-1) election in the pabulib folder with at most
20,000 voters, computes with pabutools, lexicographic tie-breaking and cost
satisfaction (Cost_Sat):
  greedy   greedy_utilitarian_welfare
  mes      method_of_equal_shares (no completion)
  mes-add1 method_of_equal_shares(voter_budget_increment=1): every voter's
           share is raised by 1 until the outcome is exhaustive or overspends
           (then the previous outcome is taken).
Results are appended one election at a time to a JSON-lines file, so an
interrupted run resumes where it stopped; --compact then writes the golden
file tally/testdata/pabutools-golden.json (file -> rule -> selected ids).

Usage:
  python3 tally/scripts/pabutools_compare.py [--data DIR] [--max-voters N]
        [--timeout SECONDS] [--rules greedy,mes,mes-add1] [--max-memory-gb G]
        [--shard K/N] [--progress FILE] [--compact]
"""
import argparse
import json
import os
import multiprocessing
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
ROOT = os.path.dirname(CRATE)


def meta_of(path):
    meta = {}
    with open(path, encoding="utf-8-sig") as f:
        section = None
        for line in f:
            s = line.strip()
            if s.lower() == "meta":
                section = "meta"
                continue
            if s.lower() in ("projects", "votes"):
                break
            if section == "meta" and ";" in s:
                k, v = s.split(";", 1)
                meta[k.strip()] = v.strip()
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get(
        "FAIRSHARE_DATA_DIR", os.path.join(ROOT, "..", "shared", "data")))
    ap.add_argument("--max-voters", type=int, default=20000)
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds per election and rule before giving up")
    ap.add_argument("--progress", default=os.path.join(
        ROOT, "target", "conformance", "pabutools-progress.jsonl"))
    ap.add_argument("--golden", default=os.path.join(
        CRATE, "testdata", "pabutools-golden.json"))
    ap.add_argument("--compact", action="store_true",
                    help="only write the golden file from the progress file")
    ap.add_argument("--only", default=None, help="only files containing this")
    ap.add_argument("--shard", default="0/1",
                    help="K/N: only every N-th election from the K-th (0-based), "
                         "to share the work between processes (give each its "
                         "own --progress file)")
    ap.add_argument("--rules", default="greedy,mes,mes-add1",
                    help="comma-separated subset of greedy, mes, mes-add1")
    ap.add_argument("--max-memory-gb", type=float, default=4.0,
                    help="address-space limit for each count (pabutools' "
                         "Add1 can grow without bound on some elections)")
    args = ap.parse_args()

    if args.compact:
        compact(args.progress, args.golden)
        return

    folder = os.path.join(args.data, "pabulib")
    if not os.path.isdir(folder):
        folder = args.data
    done = set()
    # Elections already in the committed golden file need no recount, so a
    # run on a fresh checkout carries on where the last one stopped.
    if os.path.exists(args.golden):
        with open(args.golden) as f:
            for name, by_rule in json.load(f).items():
                done.update((name, r) for r in by_rule)
    # So are counts that already failed within limits at least as large.
    for r in read_unfinished(args.golden):
        if settled(r, args):
            done.add((r["file"], r["rule"]))
    os.makedirs(os.path.dirname(args.progress), exist_ok=True)
    if os.path.exists(args.progress):
        with open(args.progress) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if settled(r, args):
                    done.add((r.get("file"), r.get("rule")))
    files = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".pb") or (args.only and args.only not in name):
            continue
        path = os.path.join(folder, name)
        m = meta_of(path)
        if m.get("vote_type") not in ("approval", "choose-1"):
            continue
        try:
            n = int(m.get("num_votes", "0"))
        except ValueError:
            n = 0
        if n > args.max_voters:
            continue
        files.append((n, name, path))
    files.sort()
    k, n_shards = (int(x) for x in args.shard.split("/"))
    files = files[k::n_shards]
    wanted = [r for r in RULES if r in args.rules.split(",")]
    # Imported once here; each count runs in a forked child that has them.
    import pabutools.election  # noqa: F401
    import pabutools.rules  # noqa: F401
    import pabutools.tiebreaking  # noqa: F401
    ctx = multiprocessing.get_context("fork")
    with open(args.progress, "a") as out:
        for n, name, path in files:
            for r in wanted:
                if (name, r) in done:
                    continue
                rec = in_child(ctx, count_one, (path, r), args.timeout, args.max_memory_gb)
                rec = {"file": name, "rule": r, **rec}
                out.write(json.dumps(rec) + "\n")
                out.flush()
                print(f"{name} {r} {n} voters: "
                      f"{rec.get('seconds', rec.get('timeout', rec.get('error')))}",
                      file=sys.stderr, flush=True)
    compact(args.progress, args.golden)


RULES = ("greedy", "mes", "mes-add1")


def unfinished_path(golden):
    return os.path.join(os.path.dirname(golden), "pabutools-unfinished.tsv")


def unfinished_reason(r):
    if "timeout" in r:
        return f"no result within {r['timeout']} s"
    reason = r.get("error", "unknown")
    if "max_memory_gb" in r and "GB" not in reason:
        reason += f" at {r['max_memory_gb']} GB"
    return reason


def read_unfinished(golden):
    """The committed list of counts pabutools could not finish, as progress
    records, so that a fresh checkout neither retries them within the same
    limits nor loses them from the list."""
    recs = []
    path = unfinished_path(golden)
    if not os.path.exists(path):
        return recs
    with open(path) as f:
        next(f, None)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            name, rule, reason = parts
            r = {"file": name, "rule": rule}
            m = re.fullmatch(r"no result within (\d+) s", reason)
            if m:
                r["timeout"] = int(m.group(1))
            else:
                r["error"] = reason
                m = re.search(r"at ([0-9.]+) GB", reason)
                if m:
                    r["max_memory_gb"] = float(m.group(1))
                elif "memory" in reason:
                    r["max_memory_gb"] = 4.0
            recs.append(r)
    return recs


def settled(r, args):
    """Whether a recorded count needs no new try: it has a result, or it
    failed within limits at least as large as this run's (a count that ran
    out of time or memory is tried again when this run allows more)."""
    if "selected" in r:
        return True
    if "timeout" in r:
        return r["timeout"] >= args.timeout
    if "max_memory_gb" in r:
        return r["max_memory_gb"] >= args.max_memory_gb
    return "error" in r


def count_one(path, rule):
    """In a child process: count one election with pabutools."""
    from pabutools.election import parse_pabulib, Cost_Sat
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import lexico_tie_breaking
    instance, profile = parse_pabulib(path)
    if rule == "mes-add1":
        forget_memo_between_runs(instance)
    t0 = time.time()
    if rule == "greedy":
        alloc = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, tie_breaking=lexico_tie_breaking)
    else:
        alloc = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, tie_breaking=lexico_tie_breaking,
            voter_budget_increment=1 if rule == "mes-add1" else None)
    return {"selected": sorted(str(p.name) for p in alloc),
            "seconds": round(time.time() - t0, 3)}


def forget_memo_between_runs(instance):
    """pabutools memoises each voter's budget / satisfaction keyed by the
    budget, and never forgets: Add1 changes the budget every run, so the
    memo grows by megabytes per run and ran the long counts out of memory.
    Clearing it before each run (pabutools tests feasibility once per run)
    bounds the memory; a cleared memo is recomputed, so no result changes."""
    from pabutools.rules.mes import mes_rule
    voters = []
    init = mes_rule.MESVoter.__init__

    def tracked_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        voters.append(self)

    mes_rule.MESVoter.__init__ = tracked_init
    is_feasible = instance.is_feasible

    def feasible_and_forget(projects):
        for v in voters:
            v.budget_over_sat_map.clear()
        return is_feasible(projects)

    instance.is_feasible = feasible_and_forget


def in_child(ctx, work, args, timeout, max_memory_gb):
    """Runs `work(*args)` in a forked child whose address space is capped,
    so that a timeout, a memory limit or a crash in a native library (GMP
    aborts when it cannot allocate) costs one result, not the run. Returns
    the dict `work` returned, {"timeout": timeout}, or an "error" with the
    memory limit when pabutools ran out of memory or failed."""
    recv, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(work, args, max_memory_gb, send))
    child.start()
    send.close()
    rec = None
    if recv.poll(timeout):
        try:
            rec = recv.recv()
        except EOFError:
            rec = None
    if rec is None and child.is_alive():
        child.kill()
        rec = {"timeout": timeout}
    child.join()
    if rec is None:
        rec = {"error": f"pabutools stopped (exit code {child.exitcode}); "
                        f"likely out of memory at {max_memory_gb} GB",
               "max_memory_gb": max_memory_gb}
    return rec


def _child(work, args, max_memory_gb, conn):
    import resource
    limit = int(max_memory_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(work(*args))
    except MemoryError:
        conn.send({"error": "out of memory", "max_memory_gb": max_memory_gb})
    except Exception as e:  # a file pabutools cannot read or count
        conn.send({"error": str(e)[:200] or type(e).__name__})


def compact(progress, golden):
    """Merges every pabutools-*.jsonl next to `progress` (and `progress`
    itself) into the golden file, keeping what the golden file already has,
    and lists the counts pabutools could not finish (timeout, memory) in
    pabutools-unfinished.tsv beside it."""
    res = {}
    if os.path.exists(golden):
        with open(golden) as f:
            res = json.load(f)
    folder = os.path.dirname(progress) or "."
    unfinished = {(r["file"], r["rule"]): unfinished_reason(r)
                  for r in read_unfinished(golden)}
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder)
                   if f.startswith("pabutools-") and f.endswith(".jsonl"))
    if progress not in paths and os.path.exists(progress):
        paths.append(progress)
    for path in paths:
        with open(path) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if "selected" in r:
                    res.setdefault(r["file"], {})[r["rule"]] = r["selected"]
                elif "file" in r and "rule" in r:
                    unfinished[(r["file"], r["rule"])] = unfinished_reason(r)
    os.makedirs(os.path.dirname(golden), exist_ok=True)
    with open(golden, "w") as f:
        json.dump(res, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {golden}: {len(res)} elections", file=sys.stderr)
    # Counts pabutools itself could not finish, so they are known, not lost.
    with open(unfinished_path(golden), "w") as f:
        f.write("file\trule\treason\n")
        for (name, rule), reason in sorted(unfinished.items()):
            if rule not in res.get(name, {}):
                f.write(f"{name}\t{rule}\t{reason}\n")


if __name__ == "__main__":
    main()
