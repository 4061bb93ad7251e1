"""Re-running matching while others do, over real HTTP on the live server, on SQLite and
on PostgreSQL (when SUFFICIENCY_TEST_PG_URL is set): a double click starts one re-run,
and none starts while another matching run (the nightly job) is under way."""

from __future__ import annotations

import httpx

from tests.web.conftest import form_token
from tests.web.test_concurrent_decisions import at_once, team, told

__all__ = ["team"]  # the fixture, shared


def rerun_form(c: httpx.Client) -> dict[str, str]:
    return {"csrftoken": form_token(c.get("/matching").text)}


def test_a_rerun_started_twice_at_once_runs_once(team):
    """A double click on "Re-run matching now" (or two tabs): one re-run starts, the other
    request is told who started it; one new matching run is recorded. (Right before this
    change: the claim is one compare-and-swap in the store.)"""
    ann, bob = team.client("ann"), team.client("bob")
    fa, fb = rerun_form(ann), rerun_form(bob)
    ra, rb = at_once(lambda: ann.post("/matching/rerun", data=fa),
                     lambda: bob.post("/matching/rerun", data=fb))  # fmt: skip
    assert sorted([ra.status_code, rb.status_code]) == [303, 409]
    won, lost = ("ann", rb) if ra.status_code == 303 else ("bob", ra)
    assert f"A re-run started by {won} at " in told(lost) and "is still running" in told(lost)
    for _ in range(6):  # the status page waits up to 20 s for the re-run to end
        if "still running" not in told(ann.get("/matching/rerun")):
            break
    assert [r["status"] for r in team.store.list_runs(kind="match")] == ["succeeded"] * 2


def test_no_rerun_while_a_matching_run_is_under_way(team):
    """The nightly job has started tonight's matching run and not finished. Before, a
    re-run started then re-ran last night's run and, started later, was listed after the
    nightly run as tonight's proposals, over the new night's. Now it is refused with a
    sentence naming the run under way, and nothing is started."""
    from sufficiency.web import rerun

    ann = team.client("ann")
    nightly = team.store.start("match", {})  # running, in this (live) process
    try:
        r = ann.post("/matching/rerun", data=rerun_form(ann))
        assert r.status_code == 409
        assert "A newer matching (the nightly job, or sufficiency match) started at " in told(r)
        assert ("is still running; a re-run now would re-run the one before it, shown as "
                "tonight's matches.") in told(r)  # fmt: skip
        assert f"run {nightly}" not in told(r).split("In the run store")[0]  # said by when
        assert rerun.current(team.store) is None
        assert [x["id"] for x in team.store.list_runs(kind="match")] == [nightly, 1]
    finally:
        team.store.finish(nightly, succeeded=False, failure_reason="a test's stand-in")
