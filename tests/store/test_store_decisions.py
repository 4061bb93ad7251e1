"""Team decisions recorded with a run, and named by ``diff`` as the cause of a change."""

from __future__ import annotations

import datetime as dt

from sufficiency.store import RunStore
from sufficiency.store.types import ChildOutcome, InputRow

T0 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC)


def _decision(child, place, kind, status="applied", **kw):
    """A decision as DecisionNote.as_dict gives it."""
    row = {"child_id": child, "placement_id": place, "decision": kind, "status": status,
           "note": "the child is matched to this placement.", "reason": "agreed at panel",
           "decided_by": "J Smith", "decided_on": "2026-03-30", "until": None}  # fmt: skip
    row.update(kw)
    return row


def _night(store, when, outcomes, decisions=()):
    """One matching night with unchanged inputs, its outcomes and decisions."""
    rows = [InputRow("referral", c, "same", None) for c in outcomes]
    rows += [InputRow("placement", p, "same", 1) for p in ("P1", "P2", "P3")]
    rid = store.start("match", {}, rows=rows, now=when)
    store.finish(rid, succeeded=True, objective=1.0,
                 outcomes=[ChildOutcome(c, p, None if p else "no option", None)
                           for c, p in outcomes.items()],
                 decisions=list(decisions), now=when)  # fmt: skip
    return rid


def test_decisions_are_recorded_with_the_run(store_url):
    """Every decision comes back with its status, note, author and dates."""
    store = RunStore(store_url)
    rid = _night(store, T0, {"C1": "P1"}, [
        _decision("C1", "P1", "pin"),
        _decision("C2", "P2", "exclude", status="ignored", until="2026-03-01",
                  note="it expired on 2026-03-01."),
    ])  # fmt: skip
    got = store.get(rid)["decisions"]
    assert [(d["child_id"], d["decision"], d["status"]) for d in got] == [
        ("C1", "pin", "applied"), ("C2", "exclude", "ignored"),
    ]  # fmt: skip
    assert got[0]["decided_on"] == dt.date(2026, 3, 30) and got[0]["decided_by"] == "J Smith"
    assert got[1]["until"] == dt.date(2026, 3, 1)
    # pruned with its run (the latest run of its kind is kept, so a newer one is recorded)
    _night(store, T0 + dt.timedelta(days=1), {"C1": "P1"}, [])
    assert store.prune(dt.timedelta(days=0), now=T0 + dt.timedelta(days=2)) == 1
    store.close()


def test_diff_names_the_decision_that_moved_a_child(store_url):
    """A new pin, a new exclusion, a place taken by a pinned child and a lifted pin are
    each named as the cause, with who decided, when and why."""
    store = RunStore(store_url)
    a = _night(store, T0, {"C1": "P1", "C2": "P2", "C3": "P3", "C4": "P3"},
               [_decision("C4", "P3", "pin")])  # fmt: skip
    b = _night(store, T0 + dt.timedelta(days=1),
               {"C1": "P2", "C2": "P3", "C3": None, "C4": "P1"}, [
                   _decision("C1", "P2", "pin", reason="near school"),
                   _decision("C2", "P2", "exclude", reason="carer unwell", decided_on=None),
                   _decision("C3", "P9", "pin", status="ignored"),
                   _decision("C4", "P3", "pin", status="ignored", note="it expired on 2026-04-01."),
                   _decision("C9", "P3", "pin", status="refused"),
               ])  # fmt: skip
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    assert why["C1"] == "pinned by J Smith on 30 March 2026: near school"
    assert why["C2"] == "excluded from P2 by J Smith: carer unwell"
    assert why["C4"] == ("the pin to P3 recorded with the earlier run no longer applies "
                         "(ignored: it expired on 2026-04-01)")  # fmt: skip
    # C2, excluded from P2, took C3's place at P3
    assert why["C3"] == "its place at P3 went to C2 (excluded from P2 by J Smith: carer unwell)"
    store.close()


def test_diff_says_a_decision_made_in_the_application_was_withdrawn_or_expired(store_url):
    """A pin or exclusion the team withdrew, or whose date passed, is not read by the next
    night at all; the diff says which, with who withdrew it and when, not only that it
    'no longer applies'."""
    from sufficiency.store.team_decisions import add_decision, withdraw_decision

    store = RunStore(store_url)
    ex = add_decision(store, "C1", "P1", "exclude", "too far", "J Smith", now=T0)
    add_decision(store, "C2", "P3", "pin", "agreed", "J Smith", until=dt.date(2026, 4, 1),
                 now=T0)  # fmt: skip
    a = _night(store, T0, {"C1": "P2", "C2": "P3"},
               [_decision("C1", "P1", "exclude"), _decision("C2", "P3", "pin")])  # fmt: skip
    withdraw_decision(store, ex.id, "A Jones", now=T0 + dt.timedelta(hours=10))
    b = _night(store, T0 + dt.timedelta(days=1), {"C1": "P1", "C2": "P2"})
    rows = {r.child_id: r.reason for r in store.diff(a, b)}
    assert rows["C1"] == ("the exclusion from P1 recorded with the earlier run no longer "
                          "applies (withdrawn by A Jones on 1 April 2026)")  # fmt: skip
    assert rows["C2"] == ("the pin to P3 recorded with the earlier run no longer applies "
                          "(it expired on 1 April 2026)")  # fmt: skip
    store.close()


def test_a_fault_s_message_leaves_out_the_values_it_was_writing(store_url):
    """A failed write's message quoted every value it was writing (SQLAlchemy's
    '[parameters: ...]'), and the web application's log holds the fault's message: a
    decision's reason, free text about a child, went to the server's log. (PostgreSQL's
    own detail of a constraint broken still quotes the row: the write here fails before
    it, on SQLite's NOT NULL and on psycopg's refusal of a NUL.)"""
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import SQLAlchemyError

    from sufficiency.store.models import TeamDecision

    store = RunStore(store_url)
    reason = "R001 told us about 12 Example Road"
    with pytest.raises(SQLAlchemyError) as failed, store.engine.begin() as conn:
        conn.execute(insert(TeamDecision).values(
            child_id="R001", placement_id="P1", decision="pin", reason=reason + "\x00",
            decided_by="J Smith", decided_at=None))  # fmt: skip
    assert reason not in str(failed.value) and "Example Road" not in str(failed.value)
    store.close()


def test_a_constraint_s_detail_is_left_out_of_the_log(store_url):
    """PostgreSQL's message of a broken constraint quotes the failing row ('DETAIL:
    Failing row contains (..., the reason, ...)'), and a fault's traceback goes to the
    server's log: the log's filter (sufficiency.logs.DetailLeftOut, on the nightly job's
    handler and serve's) keeps the fault and leaves the row out."""
    import io
    import logging

    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import SQLAlchemyError

    from sufficiency.logs import DetailLeftOut
    from sufficiency.store.models import TeamDecision

    store = RunStore(store_url)
    reason = "R001 told us about 12 Example Road"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(DetailLeftOut())
    log = logging.getLogger("test.detail_left_out")
    log.addHandler(handler)
    try:
        with pytest.raises(SQLAlchemyError) as failed, store.engine.begin() as conn:
            when = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
            conn.execute(insert(TeamDecision).values(
                child_id=None, placement_id="P1", decision="pin", reason=reason,
                decided_by="J Smith", decided_at=when))  # fmt: skip
        try:
            raise failed.value
        except SQLAlchemyError:
            log.exception("request failed: %s", failed.value)
    finally:
        log.removeHandler(handler)
        store.close()
    text = stream.getvalue()
    if store_url.startswith("postgresql"):  # the database quotes the row: the filter must act
        assert reason in str(failed.value) and "DETAIL:" in text
    assert "IntegrityError" in text and "team_decisions" in text
    assert reason not in text and "Example Road" not in text


def test_a_failure_reason_keeps_no_detail_line(store_url):
    """A job that crashed on a database fault is recorded as failed with its reason, which
    `runs show`, the web pages and the night's console print: PostgreSQL's DETAIL line,
    which quotes the failing row (a team decision's reason about a child), is left out
    there as it is in the log; the fault itself stays."""
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import SQLAlchemyError

    from sufficiency.nightly_checks import crashed
    from sufficiency.store.models import TeamDecision
    from sufficiency.store.saved_scenarios import (
        finish_scenario_run,
        get_scenario_run,
        save_scenario,
        start_scenario_run,
    )

    store = RunStore(store_url)
    reason = "R001 told us about 12 Example Road"
    with pytest.raises(SQLAlchemyError) as failed, store.engine.begin() as conn:
        conn.execute(insert(TeamDecision).values(
            child_id=None, placement_id="P1", decision="pin", reason=reason,
            decided_by="J Smith", decided_at=T0))  # fmt: skip
    fault = f"{type(failed.value).__name__}: {failed.value}"
    if store_url.startswith("postgresql"):  # the database quotes the row
        assert reason in fault and "DETAIL:" in fault
    rid = store.start("match", {}, now=T0)
    store.finish(rid, succeeded=False, failure_reason=fault, now=T0)
    scenario = save_scenario(store, "fewer homes", {}, "jsmith", now=T0)
    srid = start_scenario_run(store, scenario, rid, {}, "jsmith", now=T0)
    finish_scenario_run(store, srid, failure_reason=fault, now=T0)
    scenario_run = get_scenario_run(store, srid)
    assert scenario_run is not None
    for kept in (
        store.get(rid)["failure_reason"],
        scenario_run.failure_reason,
        crashed(failed.value),
    ):
        assert "IntegrityError" in kept and "team_decisions" in kept
        assert reason not in kept and "Example Road" not in kept
    store.close()


def test_referral_gaps_finds_the_nights_a_decision_s_child_was_not_referred(store_url, tmp_path):
    """The nights of the same referrals file since a decision was made on which its child
    was not referred, the child's ID typed in another case or with spaces; a night before
    the decision, a night of another referrals file and a night with nothing recorded say
    nothing. A decision with no date is dated by the first night that read it."""
    import pandas as pd

    from sufficiency.store.referral_gaps import referral_gaps

    refs, other = tmp_path / "referrals.csv", tmp_path / "other.csv"
    for path in (refs, other):
        path.write_text("x")
    store = RunStore(store_url)

    def night(day: int, kids: list[str], path=refs, decisions=()) -> None:
        when = T0 + dt.timedelta(days=day)
        rows = [InputRow("referral", k, "same", None) for k in kids]
        rid = store.start("match", {}, inputs={"referrals": path}, rows=rows, now=when)
        store.finish(rid, succeeded=True, summary={"run_date": when.date().isoformat()},
                     decisions=list(decisions), now=when)  # fmt: skip

    night(0, ["C2"], decisions=[_decision("C2", "P1", "pin")])  # 01/04: C1 not referred
    night(1, ["C1", "C2"])
    night(2, ["C2"], path=other)  # another file: not tonight's referrals
    night(3, [])  # nothing recorded
    night(4, ["C2"])  # 05/04: C1 not referred
    night(5, ["C1"])  # 06/04: C2 not referred
    decisions = pd.DataFrame({"child_id": [" c1", "C2"], "placement_id": ["P1", "P1"],
                              "decision": ["exclude", "pin"],
                              "decided_on": [pd.Timestamp("2026-04-01"), pd.NaT]})  # fmt: skip
    gaps = referral_gaps(store, refs, dt.date(2026, 4, 8), decisions)
    assert gaps.away == {"C1": (dt.date(2026, 4, 5),), "C2": (dt.date(2026, 4, 6),)}
    assert gaps.first_read == {("C2", "P1", "pin"): dt.date(2026, 4, 1)}
    # nights on or after the run date are not earlier nights
    assert referral_gaps(store, refs, dt.date(2026, 4, 5), decisions).away == {}
    store.close()


def test_diff_names_the_referral_change_behind_a_refused_pin(store_url):
    """A pin refused because the child's referral changed (a new risk to animals against
    a home with pets, rule 13) is named with the change in the referral, not only as a
    pin that no longer applies; a pin refused with the referral unchanged is not."""
    store = RunStore(store_url)
    refused = _decision("C1", "P1", "pin", status="refused",
                        note="the placement has pets and the child is a risk to animals: "
                             "rule 13 (risk to animals).")  # fmt: skip
    a = _night(store, T0, {"C1": "P1", "C2": "P2"},
               [_decision("C1", "P1", "pin"), _decision("C2", "P2", "pin")])  # fmt: skip
    rows = [InputRow("referral", "C1", "new risk", None), InputRow("referral", "C2", "same", None)]
    rows += [InputRow("placement", p, "same", 1) for p in ("P1", "P2", "P3")]
    b = store.start("match", {}, rows=rows, now=T0 + dt.timedelta(days=1))
    store.finish(b, succeeded=True, objective=1.0,
                 outcomes=[ChildOutcome(c, "P3", None, None) for c in ("C1", "C2")],
                 decisions=[refused, {**refused, "child_id": "C2", "placement_id": "P2"}],
                 now=T0 + dt.timedelta(days=1))  # fmt: skip
    why = {r.child_id: r.reason for r in store.diff(a, b)}
    assert why["C1"] == (
        "the pin to P1 recorded with the earlier run no longer applies (refused: the "
        "placement has pets and the child is a risk to animals: rule 13 (risk to animals)); "
        "the child's referral changed since the earlier run"
    )
    assert why["C2"].endswith("rule 13 (risk to animals))")
    store.close()
