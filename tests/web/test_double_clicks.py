"""Forms sent twice (a double click: the browser shows the second answer) say what the
first did, so nothing shown once is lost without a word."""

from __future__ import annotations

import httpx
import pytest

from sufficiency.store.accounts import get_user
from tests.web.conftest import csrf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_adding_a_user_twice_says_the_first_added_them(site):
    """The second 'Add the user' answered "There is already a user called 'dbl'.", and the
    page showing dbl's password and code, once, was gone: nobody knew they were made."""
    admin = site.client("admin")
    form = {"csrftoken": csrf(admin), "username": "dbl", "role": "finance",
            "sign_in": "password"}  # fmt: skip
    first = admin.post("/admin/users", data=form)
    assert first.status_code == 200 and "shows these once" in first.text
    second = admin.post("/admin/users", data=form)
    assert second.status_code == 400
    assert "Already added: you added dbl at " in second.text
    assert ("Give dbl a new password and a new authenticator code below, and pass those "
            "on.") in second.text  # fmt: skip
    assert get_user(site.store, "dbl").role == "finance"
    # another administrator, or another role: the name is taken, as before
    other = site.client(site.add("admin3", "admin"))
    r = other.post("/admin/users", data={**form, "csrftoken": csrf(other)})
    assert r.status_code == 400 and "There is already a user called &#39;dbl&#39;" in r.text
    r = admin.post("/admin/users", data={**form, "role": "placement"})
    assert r.status_code == 400 and "Already added" not in r.text


def test_running_a_scenario_twice_starts_one_run(site, forecast_run, monkeypatch):
    """'Run this scenario' clicked twice started two runs of the same scenario (each
    minutes on a real history, one after the other, both in its history); the second
    click now goes to the first's page, "Already running"."""
    import threading

    from sufficiency.store.saved_scenarios import scenario_runs
    from sufficiency.web import scenario_run

    hold = threading.Event()
    real = scenario_run.run_scenario

    def held(*args):  # the run lasts until the test has clicked twice
        hold.wait(60)
        return real(*args)

    monkeypatch.setattr(scenario_run, "run_scenario", held)
    c = site.client("commissioner")
    token = csrf(c)
    r = c.post("/scenarios/new", data={"csrftoken": token, "name": "Clicked twice",
                                       "entries_pct": "5"})  # fmt: skip
    page = r.headers["location"]
    # two requests at once, as two clicks send them (each its own session, so each page's
    # message is its own)
    clients = [c, site.client("commissioner")]
    answers: dict[int, httpx.Response] = {}

    def click(i: int) -> None:
        answers[i] = clients[i].post(page + "/run", data={"csrftoken": csrf(clients[i])})

    clicks = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for t in clicks:
        t.start()
    for t in clicks:
        t.join(60)
    hold.set()
    assert [answers[i].status_code for i in range(2)] == [303, 303]
    run_page = answers[0].headers["location"]
    assert answers[1].headers["location"] == run_page
    sid = int(page.rsplit("/", 1)[1])
    assert len(scenario_runs(site.store, sid)) == 1
    said = [clients[i].get(run_page).text for i in range(2)]
    assert sum("Already running: commissioner started this run at" in t for t in said) == 1
