"""The spend and commissioning pages say the run's "Read with care" notes, as its workbook
does (in-process ASGI client, real SQLite store, no browser)."""

from __future__ import annotations

import html

import openpyxl
import pyotp
from click.testing import CliRunner
from starlette.testclient import TestClient

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.store.accounts import add_user
from sufficiency.web.app import create_app
from sufficiency.web.auth import hash_password, new_totp_secret
from tests.web.conftest import PASSWORD, form_token

QUICK = ["--paths", "20", "--horizon-months", "12", "--date", "2027-06-01"]


def _cautions(workbook) -> list[str]:
    book = openpyxl.load_workbook(workbook, read_only=True)
    return [str(r[1]) for ws in book for r in ws.iter_rows(max_col=2, values_only=True)
            if r and r[0] == "Read with care"]  # fmt: skip


def test_spend_and_commissioning_pages_say_the_workbook_s_cautions(tmp_path, sample_dir):
    """A spend run on last year's 903 return (data to 31/03/2026, run on 1 June 2027)
    said in spend.xlsx that 2026-27 is over yet projected, and commissioning.xlsx that its
    history is over a year old; the web pages a finance officer and a commissioner read
    said neither (nor any other of the run's cautions)."""
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    history = str(sample_dir / "ssda903")
    for args in (
        ["spend", "--history", history, "--out", str(tmp_path / "spend"), *QUICK],
        ["commission", "--history", history, "--levers", str(sample_dir / "levers.toml"),
         "--out", str(tmp_path / "commission"), *QUICK, "--eval-paths", "20",
         "--no-sensitivity"],
    ):  # fmt: skip
        result = CliRunner().invoke(main, [*args, "--store", url])
        assert result.exit_code == 0, result.output
    spend_notes = _cautions(tmp_path / "spend" / "spend.xlsx")
    case_notes = _cautions(tmp_path / "commission" / "commissioning.xlsx")
    assert any("2026-27 is over" in n for n in spend_notes)
    assert any("more than a year before the run date" in n for n in case_notes)
    store = RunStore(url)
    try:
        for user, role in (("fo", "finance"), ("co", "commissioner")):
            secret = new_totp_secret()
            add_user(store, user, role, hash_password(PASSWORD), secret)
            with TestClient(create_app(store), base_url="http://127.0.0.1") as c:
                page = c.get("/sign-in")
                r = c.post("/sign-in", data={"csrftoken": form_token(page.text),
                                             "username": user, "password": PASSWORD,
                                             "code": pyotp.TOTP(secret).now()},
                           follow_redirects=False)  # fmt: skip
                assert r.status_code == 303
                pages = ["/spend", "/spend/quarters", "/spend/months"]
                for path in pages if role == "finance" else ["/commissioning"]:
                    text = " ".join(html.unescape(c.get(path).text).split())
                    assert "Read with care" in text, path
                    for note in spend_notes if role == "finance" else case_notes:
                        assert " ".join(note.split()) in text, (path, note)
    finally:
        store.close()
