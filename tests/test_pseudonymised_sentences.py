"""A pseudonymised night names no child by ID in any sentence of its tables.

``pseudonymise_run`` replaced the ID columns of matches.csv and unplaced.csv but left
their sentence columns as written, so a split sibling group's ``sibling_note`` ("R002 is
pinned to PL0073", written whenever the team's pins keep siblings apart) carried a real
child ID into outputs meant to carry none; only ``why_not`` and ``reason`` were read."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from sufficiency.matching.run import match, pseudonymise_run
from sufficiency.pseudonymise import pseudonym

KEY = b"a-secret-key-of-some-length"
#: The sentence columns of matches.csv, unplaced.csv and alternatives.csv.
TEXT_COLUMNS = ("why_not", "reason", "sibling_note", "distance_note", "flags", "nearest_breaks")


def test_every_sentence_column_names_children_by_pseudonym(sample_dir):
    run = match(sample_dir / "referrals.csv", sample_dir / "placements.csv",
                run_date="2026-04-01")  # fmt: skip
    ids = [str(c) for c in run.referrals["child_id"]]
    a, b = ids[:2]
    said = f"{b} is pinned to PL0073, so {a} is placed apart"  # as sibling_notes writes it
    matches = run.matches.copy()
    for col in ("sibling_note", "distance_note", "flags"):
        matches[col] = matches[col].astype(object)
        matches.loc[matches.index[0], col] = said
    unplaced = run.unplaced.copy()
    if len(unplaced):
        unplaced["nearest_breaks"] = unplaced["nearest_breaks"].astype(object)
        unplaced.loc[unplaced.index[0], "nearest_breaks"] = said
    out = pseudonymise_run(replace(run, matches=matches, unplaced=unplaced), ids, KEY)
    mention = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    for name, table in (("matches", out.matches), ("unplaced", out.unplaced),
                        ("alternatives", out.alternatives)):  # fmt: skip
        for col in [c for c in TEXT_COLUMNS if c in table.columns]:
            text = " ".join(table[col].dropna().astype(str))
            assert not mention.search(text), (name, col, mention.search(text))
    note = str(out.matches["sibling_note"].iloc[0])
    assert (
        note == f"{pseudonym(b, KEY)} is pinned to PL0073, so {pseudonym(a, KEY)} is placed apart"
    )
    assert isinstance(out.alternatives["why_not"].dtype, pd.StringDtype)  # kept as it was
