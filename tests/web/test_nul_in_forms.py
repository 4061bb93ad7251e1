"""A NUL character (code 0) in any form field is refused with a sentence: PostgreSQL keeps
no NUL in text, so a user name, a decision's reason or a scenario's name holding one
(pasted from another program) was a fault page (500) with a traceback in the log, and
anyone could cause one on the sign-in page."""

from __future__ import annotations

import os

import pytest

from tests.store.conftest import PG_ENV, _reset_postgres
from tests.web.conftest import PASSWORD, csrf, form_token, site_of_its_own

SENTENCE = "holds a character that cannot be kept (NUL, code 0)"


def test_a_nul_in_a_form_is_refused_with_a_sentence(tmp_path, site) -> None:
    c = site.client()
    r = c.post("/sign-in", data={"csrftoken": csrf(c), "username": "place\x00ment",
                                 "password": PASSWORD, "code": "123456"})  # fmt: skip
    assert r.status_code == 400 and SENTENCE in r.text
    p = site.client("placement")
    token = form_token(p.get("/matching/children/R004").text)
    r = p.post("/matching/children/R004/decisions", data={
        "csrftoken": token, "decision": "pin", "placement_id": "PL0032",
        "reason": "agreed at\x00 panel"})  # fmt: skip
    assert r.status_code == 400 and SENTENCE in r.text
    cm = site.client("commissioner")
    r = cm.post("/scenarios/new", data={"csrftoken": csrf(cm), "name": "Entries\x00 up",
                                        "entries_pct": "5"})  # fmt: skip
    assert r.status_code == 400 and SENTENCE in r.text


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"set {PG_ENV} to run on PostgreSQL")
def test_a_nul_at_sign_in_on_postgresql_is_not_a_fault(tmp_path) -> None:
    _reset_postgres(os.environ[PG_ENV])
    with site_of_its_own(tmp_path, "placement", store_url=os.environ[PG_ENV]) as site:
        c = site.client()
        r = c.post("/sign-in", data={"csrftoken": csrf(c), "username": "place\x00ment",
                                     "password": PASSWORD, "code": "123456"})  # fmt: skip
        assert r.status_code == 400 and SENTENCE in r.text
        assert site.client("placement").get("/").status_code == 200  # the store still works
