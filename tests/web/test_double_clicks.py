"""Forms sent twice (a double click: the browser shows the second answer) say what the
first did, so nothing shown once is lost without a word."""

from __future__ import annotations

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
