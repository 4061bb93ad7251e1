"""``sufficiency users`` and ``serve`` on the command line: clear sentences, no traceback."""

from __future__ import annotations

import pyotp
from click.testing import CliRunner

from sufficiency.cli import main
from sufficiency.store import RunStore
from sufficiency.web.auth import sign_in


def test_users_add_list_and_sign_in(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run = CliRunner().invoke
    r = run(main, ["users", "list", "--store", url])
    assert r.exit_code == 0 and "No users yet: add one with" in r.output
    r = run(main, ["users", "add", "jo", "--role", "placement", "--password-stdin", "--store",
                   url], input="a long enough password\n")  # fmt: skip
    assert r.exit_code == 0, r.output
    secret = r.output.split("secret: ")[1].split()[0]
    assert f"otpauth://totp/sufficiency:jo?secret={secret}" in r.output
    r = run(main, ["users", "add", "jo", "--role", "finance", "--password-stdin", "--store",
                   url], input="another long password\n")  # fmt: skip
    assert r.exit_code == 1 and "Error: there is already a user called 'jo'" in r.output
    r = run(main, ["users", "add", "al", "--role", "admin", "--password-stdin", "--store",
                   url], input="short\n")  # fmt: skip
    assert r.exit_code == 1 and "at least 12 characters" in r.output
    assert "Traceback" not in r.output
    r = run(main, ["users", "add", "ann@council.gov.uk", "--role", "commissioner", "--oidc",
                   "--store", url])  # fmt: skip
    assert r.exit_code == 0 and "secret" not in r.output
    r = run(main, ["users", "list", "--store", url])
    assert "jo\tplacement\tpassword and code" in r.output
    assert "ann@council.gov.uk\tcommissioner\torganisation sign-in" in r.output
    store = RunStore(url)
    code = pyotp.TOTP(secret).now()
    assert sign_in(store, "jo", "a long enough password", code).account is not None
    assert sign_in(store, "jo", "a long enough password", "").account is None
    # an organisation-only account cannot sign in with a password
    assert sign_in(store, "ann@council.gov.uk", "", "").account is None
    store.close()


def test_data_dir_is_relative_to_the_configuration(tmp_path):
    from sufficiency.config import load_params
    from sufficiency.web.commands import web_params
    from sufficiency.web.uploads import input_paths

    config = tmp_path / "conf" / "serve.toml"
    config.parent.mkdir()
    config.write_text('[web]\ndata_dir = "../inputs"\n')
    params = web_params(load_params(config).web, config)
    paths = input_paths(params)
    assert paths["referrals"] == (tmp_path / "inputs" / "referrals.csv").resolve()
    assert paths["history"].name == "ssda903" and paths["placements"].name == "placements.csv"
    absolute = load_params(None).web.model_copy(update={"data_dir": str(tmp_path / "x")})
    assert web_params(absolute, config).data_dir == str(tmp_path / "x")


def test_data_dir_may_begin_with_the_home(tmp_path, monkeypatch):
    """data_dir = "~/inputs" was a folder named "~" beside the configuration file; the
    nightly job's paths read ~ as the home folder, as the shell does."""
    from sufficiency.config import load_params
    from sufficiency.web.commands import web_params

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = tmp_path / "conf" / "serve.toml"
    config.parent.mkdir()
    config.write_text('[web]\ndata_dir = "~/inputs"\n')
    params = web_params(load_params(config).web, config)
    assert params.data_dir == str(tmp_path / "home" / "inputs")
    assert web_params(load_params(config).web, None).data_dir == params.data_dir


def test_users_list_gives_times_as_in_england_and_says_who_is_locked(tmp_path):
    """users list printed the last sign-in in UTC without saying so (a sign-in at 09:15 in
    summer listed at 08:15), and not that an account was locked after failed sign-ins."""
    import datetime as dt

    from sqlalchemy import update

    from sufficiency.store.accounts import MAX_FAILURES, begin_sign_in, record_failure
    from sufficiency.store.models import User

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    run = CliRunner().invoke
    r = run(main, ["users", "add", "jo", "--role", "placement", "--password-stdin", "--store",
                   url], input="a long enough password\n")  # fmt: skip
    assert r.exit_code == 0, r.output
    store = RunStore(url)
    summer = dt.datetime(2026, 6, 2, 8, 15, tzinfo=dt.UTC)  # 09:15 BST
    with store.engine.begin() as conn:
        conn.execute(update(User).where(User.username == "jo").values(last_sign_in_at=summer))
    now = dt.datetime.now(dt.UTC)
    for _ in range(MAX_FAILURES):
        begin_sign_in(store, "jo", now)
        record_failure(store, "jo", now)
    store.close()
    r = run(main, ["users", "list", "--store", url])
    assert r.exit_code == 0, r.output
    assert "last signed in 2026-06-02 09:15" in r.output
    assert "active, locked until " in r.output
