"""A placement team deciding at the same moment, over real HTTP on the live server, on
SQLite and on PostgreSQL (when SUFFICIENCY_TEST_PG_URL is set): no decision is lost or
doubled in silence, none is recorded against proposals its user did not see, and each
user is told what happened in a sentence, never a fault page."""

from __future__ import annotations

import html
import os
import threading
from collections.abc import Callable, Iterator

import httpx
import pytest

from sufficiency.pages.render import uk_time
from sufficiency.store.models import TeamDecision
from sufficiency.store.team_decisions import decisions_in_force
from tests.web.conftest import Site, form_token, run_match, site_of_its_own

PG_ENV = "SUFFICIENCY_TEST_PG_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def team(request, tmp_path) -> Iterator[Site]:
    """A live site over a store holding the sample's matching run, with two placement
    workers, ``ann`` and ``bob``."""
    url = None
    if request.param == "postgresql":
        from tests.store.conftest import _reset_postgres

        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"set {PG_ENV} to run on PostgreSQL")
        _reset_postgres(url)
    url = url or f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_match(url, tmp_path / "match")
    with site_of_its_own(tmp_path, store_url=url) as site:
        site.add("ann", "placement")
        site.add("bob", "placement")
        yield site


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Send the requests at the same moment (a thread each, released together)."""
    go = threading.Barrier(len(calls))
    got: list[httpx.Response | None] = [None] * len(calls)

    def send(i: int) -> None:
        go.wait()
        got[i] = calls[i]()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(r is not None for r in got)
    return [r for r in got if r is not None]


def form_of(page: str, **fields: str) -> dict[str, str]:
    """The decision form's hidden fields as the page gave them, with ``fields``."""

    def hidden(name: str) -> str:
        return page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]

    return {"csrftoken": form_token(page), "run_id": hidden("run_id"), "seen": hidden("seen"),
            **fields}  # fmt: skip


def decide(c: httpx.Client, child: str, form: dict[str, str]) -> Callable[[], httpx.Response]:
    """The form sent as after "Pin anyway": a pin parting a child from their siblings is
    shown back first (test_sibling_pin_warning); these tests are about two at once."""
    return lambda: c.post(f"/matching/children/{child}/decisions", data={"split_ok": "yes", **form})


def withdraw(c: httpx.Client, decision: int, form: dict[str, str]) -> Callable[[], httpx.Response]:
    return lambda: c.post(f"/decisions/{decision}/withdraw", data=form)


def in_force(site: Site, child: str) -> list[tuple[str, str, str]]:
    return [(d.placement_id, d.decision, d.decided_by)
            for d in decisions_in_force(site.store, child_id=child)]  # fmt: skip


def told(r: httpx.Response) -> str:
    """The page's 'not recorded' summary (after a refusal) or the next page's message."""
    return " ".join(html.unescape(r.text).split())


def test_two_users_deciding_on_one_child_at_once(team):
    """Ann pins R004 to one home, Bob to another, at the same moment; then Ann excludes a
    home for R005 while Bob pins R005 there. Before, the second pair were both recorded
    on SQLite (an exclusion and a pin of one pair in force, both told 'Recorded') and on
    PostgreSQL Bob's pin replaced Ann's exclusion unseen: now one is recorded and the
    other user is told, in a sentence, what was recorded meanwhile."""
    ann, bob = team.client("ann"), team.client("bob")
    cases = (("R004", ("pin", "PL0032"), ("pin", "PL0066"), "PL0038"),
             ("R005", ("exclude", "PL0032"), ("pin", "PL0032"), "PL0017"))  # fmt: skip
    for child, a, b, other in cases:
        fa = form_of(ann.get(f"/matching/children/{child}").text, decision=a[0],
                     placement_id=a[1], reason="agreed with the social worker")  # fmt: skip
        fb = form_of(bob.get(f"/matching/children/{child}").text, decision=b[0],
                     placement_id=b[1], reason="agreed at the placement panel")  # fmt: skip
        ra, rb = at_once(decide(ann, child, fa), decide(bob, child, fb))
        assert sorted([ra.status_code, rb.status_code]) == [303, 409], (ra.text, rb.text)
        won, lost = (("ann", a), rb) if ra.status_code == 303 else (("bob", b), ra)
        assert in_force(team, child) == [(won[1][1], won[1][0], won[0])]
        verb = "Pinned to" if won[1][0] == "pin" else "Excluded from"
        assert "The decision was not recorded" in told(lost)
        assert (f"The decisions about {child} changed after this page was shown: {won[0]} "
                f'recorded "{verb} {won[1][1]} by {won[0]}') in told(lost)  # fmt: skip
        assert "Nothing was recorded" in told(lost)
        # the page shown with the refusal lists the new decision and lets the user go on
        again = form_of(lost.text, decision="exclude", placement_id=other,
                        reason="too far from school")  # fmt: skip
        user = bob if lost is rb else ann
        assert user.post(f"/matching/children/{child}/decisions", data=again).status_code == 303


def test_a_decision_about_another_home_meanwhile_does_not_refuse_one(team):
    """Ann and Bob open R004's page; Ann excludes PL0066. Bob's exclusion of PL0074 from
    the page he has was refused ("The decisions about R004 changed after this page was
    shown"), though nothing in it bears on Ann's: now it is recorded. His pin of PL0066,
    which Ann has just excluded, is still refused, saying what changed, with his reason
    and last day filled in again to send."""
    ann, bob = team.client("ann"), team.client("bob")
    page_a, page_b = (
        ann.get("/matching/children/R004").text,
        bob.get("/matching/children/R004").text,
    )
    fa = form_of(page_a, decision="exclude", placement_id="PL0066", reason="too far from school")
    assert decide(ann, "R004", fa)().status_code == 303
    fb = form_of(page_b, decision="exclude", placement_id="PL0074", reason="carer on leave")
    r = decide(bob, "R004", fb)()
    assert r.status_code == 303, told(r)
    assert in_force(team, "R004") == [("PL0066", "exclude", "ann"), ("PL0074", "exclude", "bob")]
    pin = form_of(page_b, decision="pin", placement_id="PL0066",
                  reason="agreed at the placement panel", until="2099-01-31")  # fmt: skip
    r = decide(bob, "R004", pin)()
    assert r.status_code == 409
    assert ('The decisions about R004 changed after this page was shown: ann recorded '
            '"Excluded from PL0066 by ann: too far from school" at ') in told(r)  # fmt: skip
    assert "bob recorded" not in told(r)  # his own, which bears on nothing, is not news
    assert "with your decision filled in again: send it if it still holds" in told(r)
    assert ">agreed at the placement panel</textarea>" in r.text
    assert 'name="until" type="date" min="' in r.text and 'value="2099-01-31"' in r.text


def test_two_children_pinned_into_the_last_place_at_once(team):
    """PL0017 has one vacancy in the register the run read. Ann pins R002 there while Bob
    pins R003 there (and so for two more homes). Before, both were recorded, and matching
    then refused both (a home's pins past its room are all refused until the team
    chooses): each pin undid the other unseen. Now one is recorded and the other is
    refused, naming the child pinned there."""
    ann, bob = team.client("ann"), team.client("bob")
    for home, a, b in (("PL0017", "R002", "R003"), ("PL0031", "R014", "R017"),
                       ("PL0037", "R023", "R032")):  # fmt: skip
        fa = form_of(ann.get(f"/matching/children/{a}").text, decision="pin",
                     placement_id=home, reason="agreed at the placement panel")  # fmt: skip
        fb = form_of(bob.get(f"/matching/children/{b}").text, decision="pin",
                     placement_id=home, reason="agreed at the placement panel")  # fmt: skip
        ra, rb = at_once(decide(ann, a, fa), decide(bob, b, fb))
        assert sorted([ra.status_code, rb.status_code]) == [303, 400], (ra.text, rb.text)
        pinned = [d.child_id for d in decisions_in_force(team.store) if d.placement_id == home]
        assert len(pinned) == 1
        lost = rb if ra.status_code == 303 else ra
        assert (f"{home} had 1 vacancy in the placement register matching run 1 read, and "
                f"{pinned[0]} (decision ") in told(lost)  # fmt: skip
        assert "is pinned there already: matching would refuse every pin to it" in told(lost)


def test_a_form_sent_twice_is_recorded_once(team):
    """A double click (two requests at once), then the browser's back button and the same
    form sent again: before, each was recorded, replacing the one before (two rows in the
    trail, or two identical decisions in force when they raced). Now the second is told it
    was already recorded, and nothing is recorded twice."""
    ann = team.client("ann")
    sent = (("R006", "pin", "PL0048"), ("R001", "exclude", "PL0066"),
            ("R004", "exclude", "PL0074"), ("R010", "exclude", "PL0017"))  # fmt: skip
    for child, kind, home in sent:
        form = form_of(ann.get(f"/matching/children/{child}").text, decision=kind,
                       placement_id=home, reason="agreed at the placement panel")  # fmt: skip
        first, second = at_once(decide(ann, child, form), decide(ann, child, form))
        assert first.status_code == second.status_code == 303
        again = decide(ann, child, form)()  # back, and send the same page's form again
        assert again.status_code == 303
        assert in_force(team, child) == [(home, kind, "ann")]
        page = told(ann.get(f"/matching/children/{child}"))
        verb = "Pinned to" if kind == "pin" else "Excluded from"
        assert f"Already recorded: {verb} {home} by ann: agreed at the placement panel" in page
        assert "it was not recorded twice" in page
    with team.store.engine.connect() as conn:
        rows = conn.execute(TeamDecision.__table__.select()).fetchall()
    assert len(rows) == len(sent)  # none recorded twice, none replaced by its copy
    # the same decision made again on a page that shows it (the browser's back button
    # fetches the page again, so it lists the decision) is a deliberate re-make
    remade = form_of(ann.get("/matching/children/R006").text, decision="pin",
                     placement_id="PL0048", reason="agreed at the placement panel")  # fmt: skip
    assert decide(ann, "R006", remade)().status_code == 303
    page = told(ann.get("/matching/children/R006"))
    # the page says what it replaced (it said only "Recorded" before)
    first = next(r.id for r in rows if r.child_id == "R006")
    assert (f"Recorded: Pinned to PL0048 by ann: agreed at the placement panel. The next "
            f"matching run will use it. It replaces decision {first}, Pinned to PL0048 by "
            "ann: agreed at the placement panel (ann, ") in page  # fmt: skip


def test_a_decision_from_a_page_of_last_nights_run(team, tmp_path):
    """Ann opens R004's page; tonight's run finishes; she pins from the page she has.
    Before, the pin was recorded against tonight's run, whose proposals she had not seen,
    with no word. Now nothing is recorded and the page says which run finished since and
    shows it; a decision made from that page is recorded."""
    ann = team.client("ann")
    form = form_of(ann.get("/matching/children/R004").text, decision="pin",
                   placement_id="PL0066", reason="agreed at the placement panel")  # fmt: skip
    run_match(team.store_url, tmp_path / "tonight")
    r = decide(ann, "R004", form)()
    assert r.status_code == 409
    started = [uk_time(team.store.get(i)["started_at"], "{day}, %H:%M") for i in (1, 2)]
    assert (
        f"A newer matching (for 1 April 2026, started {started[1]}) finished after this page "
        f"was shown (it showed the matching started {started[0]}), so nothing was recorded. "
        "The page below shows the newer matching"
    ) in told(r)
    assert "showed matching run" not in told(r) and "shows run 2" not in told(r)
    assert in_force(team, "R004") == []
    fresh = form_of(r.text, decision="pin", placement_id="PL0066", reason="agreed at panel")
    assert fresh["run_id"] == "2"
    assert decide(ann, "R004", fresh)().status_code == 303
    assert in_force(team, "R004") == [("PL0066", "pin", "ann")]


def test_two_users_withdrawing_one_decision_at_once(team):
    """Ann and Bob withdraw the same pin at the same moment (four times). Before, both
    were told "Withdrawn" (the second written over the first's name in the trail); now one
    is, and the other is told who withdrew it and when, nothing changed."""
    from sufficiency.store.team_decisions import add_decision

    ann, bob = team.client("ann"), team.client("bob")
    for child, home in (("R007", "PL0056"), ("R008", "PL0056"), ("R012", "PL0017"),
                        ("R013", "PL0074")):  # fmt: skip
        pin = add_decision(team.store, child, home, "pin", "agreed at panel", "carol")
        forms = [{"csrftoken": form_token(c.get("/decisions").text)} for c in (ann, bob)]
        ra, rb = at_once(withdraw(ann, pin.id, forms[0]), withdraw(bob, pin.id, forms[1]))
        assert sorted([ra.status_code, rb.status_code]) == [303, 409]
        won, lost = ("ann", rb) if ra.status_code == 303 else ("bob", ra)
        said = (f"There is no decision {pin.id} in force: {won} withdrew "
                f'"Pinned to {home} by carol: agreed at panel" (or replaced it) at ')  # fmt: skip
        assert said in told(lost) and "Nothing was changed." in told(lost)
        with team.store.engine.connect() as conn:
            row = conn.execute(TeamDecision.__table__.select().filter_by(id=pin.id)).one()
        assert row.withdrawn_by == won


def test_a_decision_while_another_job_holds_the_store(tmp_path):
    """Another job (the nightly run recording its results) holds a SQLite store's write
    lock past its busy timeout (10 s): the decision is not recorded and the page says so
    and to try again (503), where before it was a fault page (500); once the store is free
    the same form is recorded."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_match(url, tmp_path / "match")
    with site_of_its_own(tmp_path, "placement", store_url=url) as site:
        c = site.client("placement")
        form = form_of(c.get("/matching/children/R004").text, decision="exclude",
                       placement_id="PL0032", reason="too far from school")  # fmt: skip
        other = sqlite3.connect(tmp_path / "runs.sqlite", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            r = decide(c, "R004", form)()
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert r.status_code == 503
        said = ("The run store could not be written just now (another job is writing to it, "
                "or it cannot be reached), so nothing was recorded; try again")  # fmt: skip
        assert said in told(r)
        assert in_force(site, "R004") == []
        assert decide(c, "R004", form)().status_code == 303
        assert in_force(site, "R004") == [("PL0032", "exclude", "placement")]
