"""Pages a commissioner, finance officer or placement worker reads told them to run a
program: "Run `sufficiency forecast --store ...` first." (a command in code type, on an
empty forecast, spend or commissioning page, a forecast without supply or backtest), and
the Decisions page led with "the nightly job with `decisions = "store"`". None of them
runs a command: each page now says what is missing and whom to ask, in words, and gives
the command last, for whoever runs the jobs, in plain text."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_empty_pages_say_what_is_missing_and_whom_to_ask(tmp_path, chromium):
    with site_of_its_own(tmp_path, "commissioner", "placement") as site:
        page = chromium.new_page()
        browser_sign_in(page, site, "commissioner")
        for path, said in (
            ("/forecast", "There is no forecast yet: these pages show one once the nightly "
                          "job, or whoever runs the forecast, has recorded it"),
            ("/spend", "There is no spend projection yet: these pages show one once the "
                       "nightly job, or whoever runs the spend projection, has recorded it"),
            ("/commissioning", "There is no commissioning case yet: this page shows one once "
                               "whoever runs the commissioning model has recorded it"),
        ):  # fmt: skip
            page.goto(site.url + path)
            lead = page.locator("main p.lead").first.inner_text()
            assert lead.startswith(said), (path, lead)
            assert page.locator("main code").count() == 0, path
        page.close()
        page = chromium.new_page()
        browser_sign_in(page, site, "placement")
        page.goto(site.url + "/decisions")
        lead = page.locator("main p.lead").first.inner_text()
        assert lead.startswith("The next matching run uses these: Re-run matching now does, "
                               "and so does the nightly run when it is set up to read the "
                               "team's decisions"), lead  # fmt: skip
        assert page.locator("main code").count() == 0
        page.close()


def test_a_forecast_without_supply_or_backtest_says_whom_to_ask(site, chromium, sample_dir):
    """The shared site's forecast (tests/web/conftest.py) has supply; one of its own here
    has neither supply nor a backtest."""
    from tests.web.conftest import RUN_DATE, run_cli

    with site_of_its_own(site.out / "bare", "commissioner") as own:
        run_cli("forecast", "--history", str(sample_dir / "ssda903"), "--out",
                str(own.out / "forecast"), "--date", RUN_DATE, "--paths", "50",
                "--store", own.store_url)  # fmt: skip
        page = chromium.new_page()
        browser_sign_in(page, own, "commissioner")
        page.goto(own.url + "/forecast/shortfall")
        main = page.inner_text("main")
        assert (
            "This forecast was run without supply information (the places the homes "
            "have), so there is no shortfall to show. Ask whoever runs the forecast" in main
        )
        page.goto(own.url + "/forecast/backtest")
        main = page.inner_text("main")
        assert (
            "No backtest was run with this forecast: it would show how past forecasts "
            "compared with what happened"
            in main
            and "Ask whoever runs the forecast" in main
        )
        assert page.locator("main code").count() == 0
        page.close()
