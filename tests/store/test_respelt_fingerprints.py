"""An ID respelt between two matching nights (``R039`` then ``r039``, ``PL0007`` then
``pl0007``) is one child, one home, as matching reads them (:mod:`sufficiency.io.ids`).
What changed said of a respelt child who moved for another reason "the child's referral
changed" (the row's fingerprint held the ID as written), and of children at a respelt
home that they moved to it from a home "no longer on the register"."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.store.record import match_records
from sufficiency.store.types import ChildOutcome, InputRow

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


class _Run:
    """The tables of a matching run the store records: one child placed."""

    def __init__(self, child: str, home: str) -> None:
        self.referrals = pd.DataFrame({"child_id": [child], "dob": ["2015-01-01"]})
        self.placements = pd.DataFrame({"placement_id": [home], "vacancies": [1],
                                        "setting": ["foster"], "provider": ["in_house"],
                                        "postcode": ["WR1 1AA"]})  # fmt: skip
        self.matches = pd.DataFrame({"child_id": [child], "placement_id": [home],
                                     "weekly_cost": [600.0]})  # fmt: skip
        self.unplaced = pd.DataFrame({"child_id": [], "reason": []})


def test_a_rows_fingerprint_reads_its_id_as_matching_does() -> None:
    (ref, plc), _ = match_records(_Run("R007", "PL1"))
    (ref2, plc2), _ = match_records(_Run(" r 007", "pl1"))
    assert (ref.key, plc.key, ref2.key, plc2.key) == ("R007", "PL1", " r 007", "pl1")
    assert (ref.row_sha256, plc.row_sha256) == (ref2.row_sha256, plc2.row_sha256)
    (other, _), _ = match_records(_Run("R008", "PL1"))
    assert other.row_sha256 != ref.row_sha256
    # an ID in capitals without spaces hashes as the store recorded it before: nights
    # recorded earlier compare with tonight's
    as_before = json.dumps({"child_id": "R007", "dob": "2015-01-01"}, sort_keys=True)
    assert ref.row_sha256 == hashlib.sha256(as_before.encode()).hexdigest()


def _night(store, day, outcomes, homes, decisions=()):
    when = T0 + dt.timedelta(days=day)
    rows = [InputRow("referral", c, "row", None) for c in outcomes]
    rows += [InputRow("placement", p, "same", n) for p, n in homes.items()]
    rid = store.start("match", {}, rows=rows, now=when)
    store.finish(rid, succeeded=True, objective=1.0, solver_status="optimal",
                 summary={"run_date": f"{when.date():%Y-%m-%d}"},
                 outcomes=[ChildOutcome(c, p, None, None) for c, p in outcomes.items()],
                 decisions=list(decisions), now=when)  # fmt: skip
    return rid


def test_a_home_respelt_is_the_same_home(store_url):
    """Children at ``PL1`` then ``pl1`` have not moved; a child who left it for another
    reason reads that reason, and how the earlier night wrote the home."""
    store = RunStore(store_url)
    pin = {"child_id": "C3", "placement_id": "P2", "decision": "pin", "status": "applied",
           "note": "", "reason": "near school", "decided_by": "ann"}  # fmt: skip
    a = _night(store, 0, {"C1": "PL1", "C2": "PL1", "C3": "PL1"}, {"PL1": 3, "P2": 1})
    b = _night(store, 1, {"C1": "pl1", "C2": "pl1", "C3": "P2"}, {"pl1": 3, "P2": 1}, [pin])
    (row,) = store.diff(a, b)
    assert (row.child_id, row.before, row.after) == ("C3", "pl1", "P2")
    assert row.reason == (
        f"pinned by ann: near school; placement pl1, which run {a} wrote "
        "PL1 (IDs are compared ignoring case and spaces, as matching does)"
    )
    # two homes read alike on one night are two homes, as matching keeps them
    c = _night(store, 2, {"C1": "pl1", "C2": "PL1", "C3": "P2"}, {"pl1": 1, "PL1": 2, "P2": 1})
    moved = {r.child_id: (r.before, r.after) for r in store.diff(b, c)}
    assert moved == {"C2": ("pl1", "PL1")}
    store.close()


def test_two_nights_of_the_sample_with_a_child_and_a_home_respelt(tmp_path: Path) -> None:
    """``match --store`` on the sample, then the next night with ``R039`` written
    ``r039`` and its home PL0006 full, and PL0007 (R034's and R044's) written ``pl0007``."""
    referrals = (SAMPLE / "referrals.csv").read_text(encoding="utf-8")
    register = (SAMPLE / "placements.csv").read_text(encoding="utf-8")
    (tmp_path / "referrals.csv").write_text(referrals.replace("\nR039,", "\nr039,"))
    (tmp_path / "placements.csv").write_text(
        register.replace("\nPL0007,", "\npl0007,").replace(
            "\nPL0006,foster,in_house,WR14 2YJ,3,", "\nPL0006,foster,in_house,WR14 2YJ,0,"
        )
    )
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    for day, folder in (("2026-04-01", SAMPLE), ("2026-04-02", tmp_path)):
        res = CliRunner().invoke(main, [
            "match", "--referrals", str(folder / "referrals.csv"), "--placements",
            str(folder / "placements.csv"), "--date", day, "--out", str(tmp_path / day),
            "--store", url])  # fmt: skip
        assert res.exit_code == 0, res.output
    store = RunStore(url)
    rows = {r.child_id: r for r in store.diff(1, 2)}
    store.close()
    assert (rows["r039"].before, rows["r039"].after[:2]) == ("PL0006", "PL"), rows
    assert rows["r039"].reason.startswith(
        "placement PL0006 has no vacancy now (filled); the same child, whose ID run 1 wrote R039"
    )
    assert not {"R034", "R044", "R039"} & set(rows)
    said = " ".join(r.reason for r in rows.values())
    assert "referral changed" not in said and "no longer on the register" not in said
