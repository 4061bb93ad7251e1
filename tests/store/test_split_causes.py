"""What changed names a sibling group split by the team's own decision: a pin of one
sibling elsewhere (or of another child into the home they shared), an exclusion of one
from it. The sibling who moved read "the team's decisions changed, so the best overall
plan changed", and the child pinned only the pin; the children pushed on by the sibling
read the same generic sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.store.types import ChildOutcome, InputRow

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
GROUP = {"S1": {"sibling_group": "G1"}, "S2": {"sibling_group": "G1"}}


def _night(store, when, at, decisions=()):
    """One matching night of the same referrals and register: S1 and S2 (a sibling
    group) and C3; homes P1 (two places), P2 and P3 (one each)."""
    rows = [InputRow("referral", c, c, None) for c in ("S1", "S2", "C3")]
    rows += [InputRow("placement", p, p, v) for p, v in (("P1", 2), ("P2", 1), ("P3", 1))]
    rid = store.start("match", {}, rows=rows, now=when)
    store.finish(rid, succeeded=True, objective=1.0, solver_status="optimal",
                 outcomes=[ChildOutcome(c, p, None, GROUP.get(c)) for c, p in at.items()],
                 decisions=decisions, now=when + dt.timedelta(seconds=5))  # fmt: skip
    return rid


def _decision(child, home, kind):
    return {"child_id": child, "placement_id": home, "decision": kind, "status": "applied",
            "note": "", "reason": "nearer school", "decided_by": "ann",
            "decided_on": dt.date(2026, 4, 2), "until": None}  # fmt: skip


def test_a_pin_that_splits_a_sibling_group_is_named_for_each_of_them(store_url):
    store = RunStore(store_url)
    a = _night(store, T0, {"S1": "P1", "S2": "P1", "C3": "P3"})
    # S1 pinned to P2; S2 moves to P3, and C3 out of it to P1
    b = _night(store, T0 + dt.timedelta(days=1), {"S1": "P2", "S2": "P3", "C3": "P1"},
               [_decision("S1", "P2", "pin")])  # fmt: skip
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    pin = "S1 pinned to P2 by ann on 2 April 2026: nearer school"
    assert why == {
        "S1": "pinned by ann on 2 April 2026: nearer school; this split its sibling group "
        "(S2 at P3)",
        "S2": f"its sibling group was split by the team's decision: {pin}",
        "C3": f"its place at P3 went to S2 (its sibling group was split by the team's "
        f"decision: {pin})",
    }
    # a sibling who stayed is not a row, but the pinned child's line says where it is
    c = _night(store, T0 + dt.timedelta(days=2), {"S1": "P1", "S2": "P1", "C3": "P3"})
    d = _night(store, T0 + dt.timedelta(days=3), {"S1": "P2", "S2": "P1", "C3": "P3"},
               [_decision("S1", "P2", "pin")])  # fmt: skip
    assert {r.child_id: r.reason for r in store.diff(c, d)} == {
        "S1": "pinned by ann on 2 April 2026: nearer school; this split its sibling group "
        "(S2 at P1)"
    }
    # a sibling the decision leaves not placed is said so (not "at unplaced")
    f = _night(store, T0 + dt.timedelta(days=5), {"S1": "P2", "S2": None, "C3": "P3"},
               [_decision("S1", "P2", "pin")])  # fmt: skip
    assert {r.child_id: r.reason for r in store.diff(c, f)}["S1"] == (
        "pinned by ann on 2 April 2026: nearer school; this split its sibling group (S2 not placed)"
    )
    # a split with no decision about any of them (nor a pin into their home) names none
    e = _night(store, T0 + dt.timedelta(days=4), {"S1": "P2", "S2": "P3", "C3": "P1"},
               [_decision("C3", "P9", "exclude")])  # fmt: skip
    assert "sibling group" not in " ".join(r.reason for r in store.diff(c, e))
    store.close()


def test_what_changed_names_the_pin_that_split_a_sample_group(store_url, tmp_path):
    """Through the matching command: the sample's R001 and R002 (SG01) share PL0073; the
    team pins R001 to PL0013, and R002 goes elsewhere."""
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("child_id,placement_id,decision,reason,decided_by,until,decided_on\n"
                         "R001,PL0013,pin,nearer school,ann,,2026-04-01\n")  # fmt: skip
    outs = []
    for night, extra in (("n1", []), ("n2", ["--decisions", str(decisions)])):
        out = tmp_path / night
        result = CliRunner().invoke(main, [
            "match", "--referrals", str(SAMPLE / "referrals.csv"), "--placements",
            str(SAMPLE / "placements.csv"), "--date", "2026-04-01", "--out", str(out),
            "--store", store_url, *extra])  # fmt: skip
        assert result.exit_code == 0, result.output
        outs.append(pd.read_csv(out / "matches.csv").set_index("child_id")["placement_id"])
    assert outs[0]["R001"] == outs[0]["R002"] == "PL0073"
    assert outs[1]["R001"] == "PL0013" and outs[1]["R002"] != "PL0073"
    store = RunStore(store_url)
    why = {r.child_id: r.reason for r in store.diff(1, 2)}
    assert why["R001"] == (f"pinned by ann on 1 April 2026: nearer school; this split its "
                           f"sibling group (R002 at {outs[1]['R002']})")  # fmt: skip
    assert why["R002"] == ("its sibling group was split by the team's decision: R001 "
                           "pinned to PL0013 by ann on 1 April 2026: nearer school")  # fmt: skip
    store.close()
