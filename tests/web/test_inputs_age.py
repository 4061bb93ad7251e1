"""A page read days after its run says how old its inputs are: the placement register
and referrals of the matching run (as at when each file was last written), a matching
run for a day before yesterday, and a forecast whose 903 history is over a year older
than the day the page is read (in-process ASGI client, real SQLite store, no browser)."""

from __future__ import annotations

import datetime as dt
import html
import os
import shutil

import pyotp
from starlette.testclient import TestClient

from sufficiency import clock
from sufficiency.store import RunStore
from sufficiency.store.accounts import add_user
from sufficiency.web.app import create_app
from sufficiency.web.auth import hash_password, new_totp_secret
from sufficiency.web.inputs_age import run_date_note
from tests.web.conftest import PASSWORD, form_token, run_cli

QUICK = ["--paths", "20", "--horizon-months", "12"]


def _pages(url: str, role: str, paths: list[str]) -> dict[str, str]:
    """Each page's text, words spaced once, as ``role`` reads it."""
    store = RunStore(url)
    try:
        secret = new_totp_secret()
        add_user(store, role, role, hash_password(PASSWORD), secret)
        with TestClient(create_app(store), base_url="http://127.0.0.1") as c:
            page = c.get("/sign-in")
            r = c.post("/sign-in", data={"csrftoken": form_token(page.text), "username": role,
                                         "password": PASSWORD,
                                         "code": pyotp.TOTP(secret).now()},
                       follow_redirects=False)  # fmt: skip
            assert r.status_code == 303
            return {p: " ".join(html.unescape(c.get(p).text).split()) for p in paths}
    finally:
        store.close()


def test_the_forecast_page_says_a_history_over_a_year_older_than_today(tmp_path, sample_dir):
    """A forecast starting on 30/06/2025, run on 1 December 2025, said nothing of its
    history's age (it was five months old then); read a year on, the page said nothing
    either. It now says so on the day it is read; a run that said it already says it once."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    history = str(sample_dir / "ssda903")
    run_cli("forecast", "--history", history, "--out", str(tmp_path / "then"), *QUICK,
            "--start", "2025-06-30", "--date", "2025-12-01", "--store", url)  # fmt: skip
    today = clock.today()
    text = _pages(url, "commissioner", ["/forecast"])["/forecast"]
    assert "Read with care" in text
    assert ("The forecast starts on 30 June 2025 (the 903 history's last day "
            f"used), more than a year before today ({today.day} {today:%B %Y}): the children "
            "looked after 'now' are those on 30 June 2025") in text  # fmt: skip
    run_cli("forecast", "--history", history, "--out", str(tmp_path / "later"), *QUICK,
            "--start", "2025-06-30", "--date", "2027-01-01", "--store", url)  # fmt: skip
    text = _pages(url, "finance", ["/forecast"])["/forecast"]
    assert text.count("The forecast starts on 30 June 2025") == 1
    assert "more than a year before the run date 1 January 2027" in text


def test_the_matching_pages_say_when_the_register_was_written_and_an_old_runs_date(
    tmp_path, sample_dir
):
    """A placement team reading the matches a week after the last night saw "Matching
    run N for 1 April 2026" and nothing of how old its register was."""
    for name in ("referrals.csv", "placements.csv"):
        shutil.copy(sample_dir / name, tmp_path / name)
    written = dt.datetime(2026, 3, 30, 22, 10, tzinfo=dt.UTC).timestamp()  # 23:10 in BST
    os.utime(tmp_path / "placements.csv", (written, written))
    os.utime(tmp_path / "referrals.csv", (written - 3600, written - 3600))
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run_cli("match", "--referrals", str(tmp_path / "referrals.csv"), "--placements",
            str(tmp_path / "placements.csv"), "--date", "2026-04-01",
            "--out", str(tmp_path / "out"), "--store", url)  # fmt: skip
    (tmp_path / "placements.csv").touch()  # the next export: the run's record still says
    store = RunStore(url)
    child = store.get(store.list_runs()[0]["id"])["outcomes"][0]["child_id"]
    store.close()
    pages = _pages(url, "placement", ["/matching", f"/matching/children/{child}"])
    days = (clock.today() - dt.date(2026, 4, 1)).days
    for path, text in pages.items():
        assert ("Placement register as at 30 March 2026 23:10 and referrals as at 30 March 2026 "
                "22:10 (UK time, when each file was last written).") in text, path  # fmt: skip
        assert (
            f"This matching run is for 1 April 2026, {days} days before today, and no "
            "later one has been recorded (has the nightly job run?)"
        ) in text, path


def test_a_run_for_today_or_yesterday_is_not_called_old():
    """The night for today may not have run yet (a page read at 00:10): yesterday's is
    not old; the day before is."""
    today = dt.date(2026, 12, 6)
    assert run_date_note("2026-12-06", today) == run_date_note("2026-12-05", today) == ""
    assert run_date_note("2026-12-04", today).startswith(
        "This matching run is for 4 December 2026, 2 days before today"
    )


def test_the_spend_and_commissioning_pages_say_a_history_over_a_year_older_than_today(
    tmp_path, sample_dir
):
    """As the forecast page: a spend projection from 30/06/2025 and a commissioning case
    on the returns to 2025, each run in December 2025, said nothing of their history's
    age when read a year on."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    history = tmp_path / "ssda903"
    shutil.copytree(sample_dir / "ssda903", history, ignore=shutil.ignore_patterns("2026"))
    run_cli("spend", "--history", str(sample_dir / "ssda903"), "--out", str(tmp_path / "spend"),
            *QUICK, "--start", "2025-06-30", "--date", "2025-12-01", "--store", url)  # fmt: skip
    run_cli("commission", "--history", str(history), "--levers", str(sample_dir / "levers.toml"),
            "--out", str(tmp_path / "commission"), *QUICK, "--eval-paths", "20",
            "--no-sensitivity", "--date", "2025-12-01", "--store", url)  # fmt: skip
    today = f"more than a year before today ({clock.today().day} {clock.today():%B %Y})"
    spend = _pages(url, "finance", ["/spend"])["/spend"]
    assert (
        f"The forecast starts on 30 June 2025 (the 903 history's last day used), {today}" in spend
    )
    case = _pages(url, "commissioner", ["/commissioning"])["/commissioning"]
    assert (
        f"The forecast starts on 31 March 2025 (the 903 history's last day used), {today}" in case
    )
