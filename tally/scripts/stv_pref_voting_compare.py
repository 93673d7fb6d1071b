#!/usr/bin/env python3
"""Independent cross-check of the Scottish STV count against `pref_voting`.

Runs `pref_voting.proportional_methods.stv_scottish` (pref_voting on PyPI) on
every `.blt` file of a folder and writes the winners of each election, sorted,
as a golden file that the Rust test `tally/tests/ranked_reference.rs` reads,
so that CI does not need Python.

Usage (from the workspace root):

    pip install pref_voting
    python3 tally/scripts/stv_pref_voting_compare.py \
        ../shared/data/scottish-stv/wards tally/testdata/blt/pref_voting_golden.json

The BLT reading here follows the same conventions as `tally::ranked::parse_blt`:
comment lines start with `#`, commas on number lines separate like spaces
(one trailing comma is dropped from names when the header line ends in a comma,
as in files exported through a spreadsheet), a quoted name has `""` for a literal quote, and
when a file lists no candidate names but has `# ALTERNATIVE NAME i: NAME`
comments for every candidate, those comments name the candidates; a quoted
name may be followed by further quoted fields (a party), which are ignored.

"By lot" decisions in pref_voting use a `random.Random(0)`; every such draw is
printed on stderr so that a disagreement caused by a lot can be told apart from
a rule difference.
"""
import json
import os
import random
import re
import sys
import time

from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.proportional_methods import stv_scottish

ALT_NAME = re.compile(r"^#\s*ALTERNATIVE NAME\s+(\d+)\s*:\s*(.*?)\s*$")


def unquote(line):
    """First field of a name line: a quoted string with "" for a literal
    quote (further quoted fields, such as a party, are ignored), or the bare
    line."""
    line = line.strip()
    if not line.startswith('"'):
        return line
    out = []
    i = 1
    while i < len(line):
        c = line[i]
        if c == '"':
            if i + 1 < len(line) and line[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            break
        out.append(c)
        i += 1
    return "".join(out)


def read_blt(text):
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    alt = {}
    content = []
    for raw in lines:
        s = raw.strip()
        m = ALT_NAME.match(s)
        if m:
            alt[int(m.group(1))] = m.group(2)
            continue
        if not s or s.startswith("#"):
            continue
        content.append(s)
    it = iter(content)
    header = next(it)
    # Some files were exported through a spreadsheet: every line ends in ",".
    csv_style = header.endswith(",")
    n, seats = (int(x) for x in header.replace(",", " ").split()[:2])
    withdrawn = set()
    ballots = []
    for line in it:
        nums = line.split("#")[0].replace(",", " ").split()
        if nums and all(x.startswith("-") for x in nums):
            withdrawn |= {-int(x) for x in nums}
            continue
        if nums == ["0"]:
            break
        weight = int(nums[0])
        prefs = [int(x) for x in nums[1:-1]]
        ballots.append((weight, prefs))
    rest = list(it)
    if csv_style:
        rest = [x[:-1].rstrip() if x.endswith(",") else x for x in rest]
    if len(rest) < n and len(alt) >= n and all(i in alt for i in range(1, n + 1)):
        names = [alt[i] for i in range(1, n + 1)]
    else:
        names = [unquote(x) for x in rest[:n]]
    return n, seats, withdrawn, ballots, names


class RecordingRandom(random.Random):
    """A seeded Random that records each "by lot" draw."""

    def __init__(self, seed):
        super().__init__(seed)
        self.draws = []

    def choice(self, seq):
        picked = super().choice(seq)
        self.draws.append((list(seq), picked))
        return picked


def count(path):
    with open(path, encoding="utf-8") as f:
        n, seats, withdrawn, ballots, names = read_blt(f.read())
    rankings = []
    counts = []
    for weight, prefs in ballots:
        if not prefs:
            continue
        rankings.append({c - 1: r for r, c in enumerate(prefs, start=1)})
        counts.append(weight)
    cands = list(range(n))
    profile = ProfileWithTies(rankings, rcounts=counts, candidates=cands)
    curr = [c for c in cands if c + 1 not in withdrawn]
    rng = RecordingRandom(0)
    winners = stv_scottish(profile, num_seats=seats, curr_cands=curr, rng=rng)
    lots = [([names[c] for c in seq], names[p]) for seq, p in rng.draws]
    return sorted(names[c] for c in winners), lots


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/scottish-stv/wards"
    out = sys.argv[2] if len(sys.argv) > 2 else "tally/testdata/blt/pref_voting_golden.json"
    files = sorted(f for f in os.listdir(folder) if f.endswith(".blt"))
    golden = {}
    start = time.time()
    for i, name in enumerate(files):
        winners, lots = count(os.path.join(folder, name))
        golden[name] = winners
        for tied, picked in lots:
            print(f"{name}: pref_voting drew lots among {tied} -> {picked}", file=sys.stderr)
        if (i + 1) % 50 == 0:
            print(f"{i + 1}/{len(files)} files, {time.time() - start:.1f}s", file=sys.stderr)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print(f"{len(files)} elections counted in {time.time() - start:.1f}s -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
