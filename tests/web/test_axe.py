"""axe-core in headless Chromium on every page of the application: every GET route of the
router (enumerated, so a new page cannot be missed) as each role that may use it, the
sign-in page, and the refusal page a role sees when it may not use a page. No serious or
critical violation (WCAG 2.2 AA and axe's best practice) on any of them.

axe-core is the copy bundled in the PyPI package ``axe-playwright-python``; nothing is
fetched. Playwright's evaluation runs outside the page's content security policy, which
allows no scripts, so the page under test is exactly what a user gets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.routing import Route

from sufficiency.store.saved_scenarios import list_scenarios, scenario_runs
from sufficiency.web.framework import PUBLIC
from tests.web.conftest import browser_sign_in, csrf, until
from tests.web.test_security import PARAMS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.base import AXE_FILE_PATH

    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def _describe(v: dict[str, Any]) -> str:
    target = " ".join(str(t) for t in (v.get("nodes") or [{}])[0].get("target", []))
    return f"{v['id']} ({v['impact']}): {v.get('help')}; first: {target}"


def _pages(app: Any, params: dict[str, str]) -> dict[str, list[str]]:
    """Each signed-in role and the GET paths it may open (path parameters filled in)."""
    pages: dict[str, list[str]] = {}
    for r in app.routes:
        assert isinstance(r, Route)
        if "GET" not in (r.methods or ()) or r.roles is PUBLIC:
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: params[m.group(1)], r.path)
        for role in sorted(r.roles):
            pages.setdefault(role, []).append(path)
    return pages


def test_every_page_passes_axe(site, chromium, forecast_run, spend_run, commission_run, sample_dir):
    """The site holds the sample's matching, forecast, spend and commissioning runs, so
    every page has its figures (a page that does not answer 200 fails the test)."""
    found: list[str] = []
    checked: list[str] = []
    # a saved scenario and its finished run, made in the browser (the form's error state,
    # the run page and the comparison are pages too)
    context = chromium.new_context()
    page = context.new_page()
    browser_sign_in(page, site, "commissioner")
    page.goto(site.url + "/scenarios/new")
    page.get_by_label("Name", exact=True).fill("Accessibility check")
    page.get_by_label("Share made in-house (%)").fill("two thirds")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_role("alert").wait_for()
    checked.append("commissioner /scenarios/new with an error")
    found += [f"scenario form with an error: {_describe(v)}" for v in _axe(page)]
    page.get_by_label("Share made in-house (%)").fill("30")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_role("button", name="Run this scenario").click()
    page.wait_for_load_state()
    checked.append("commissioner scenario run page")
    found += [f"scenario run page: {_describe(v)}" for v in _axe(page)]
    table = page.get_by_role("table", name=re.compile("^Children looked after by placement"))
    until(page, table.is_visible)
    context.close()
    saved = [s for s in list_scenarios(site.store) if s.name == "Accessibility check"]
    # an upload's check (its own page since it is kept on the server): a register with a
    # bad row, so the page has its table of problems
    admin = site.client("admin")
    lines = (sample_dir / "placements.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",691.21,", ",a lot,")
    sent = admin.post("/admin/uploads", data={"csrftoken": csrf(admin), "kind": "placements"},
                      files=[("files", ("placements.csv", "\n".join(lines).encode(),
                                        "text/csv"))])  # fmt: skip
    params = {**PARAMS, "scenario_id": str(saved[0].id),
              "run_id": str(scenario_runs(site.store, saved[0].id)[0].id),
              "upload_id": sent.headers["location"].rsplit("/", 1)[1]}  # fmt: skip
    context = chromium.new_context(bypass_csp=False)
    page = context.new_page()
    page.goto(site.url + "/sign-in")
    checked.append("anonymous /sign-in")
    found += [f"/sign-in: {_describe(v)}" for v in _axe(page)]
    context.close()
    for role, paths in _pages(site.app, params).items():
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        browser_sign_in(page, site, role)
        for path in paths:
            resp = page.request.get(site.url + path)
            if "/download/" in path and (
                "text/html" not in resp.headers.get("content-type", "") or resp.status == 404
            ):
                continue  # a file, not a page (or no such file of the run filled in)
            assert resp.status == 200, (role, path, resp.status)
            page.goto(site.url + path)
            checked.append(f"{role} {path}")
            found += [f"{role} {path}: {_describe(v)}" for v in _axe(page)]
        context.close()
    # the page a role sees when refused: a commissioner guessing a child's URL
    context = chromium.new_context()
    page = context.new_page()
    browser_sign_in(page, site, "commissioner")
    page.goto(site.url + "/matching/children/R001")
    assert "cannot use this page" in page.content()
    checked.append("commissioner refused /matching/children/R001")
    found += [f"refusal page: {_describe(v)}" for v in _axe(page)]
    context.close()
    assert len(checked) >= 30, checked
    assert not found, "\n".join(found)


def test_axe_check_sees_a_violation(site, chromium):
    """The check can fail: a page with an unlabelled field and low contrast is caught."""
    page = chromium.new_page()
    page.set_content(
        '<html lang="en"><body><main><input type="text">'
        '<p style="color:#ccc;background:#fff">faint</p></main></body></html>'
    )
    ids = {v["id"] for v in _axe(page)}
    page.close()
    assert {"label", "color-contrast"} <= ids, ids
