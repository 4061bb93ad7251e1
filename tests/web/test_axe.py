"""axe-core in headless Chromium on every page of the application: every GET route of the
router (enumerated, so a new page cannot be missed) as each role that may use it, the
sign-in page, and the refusal page a role sees when it may not use a page. No serious or
critical violation (WCAG 2.2 AA and axe's best practice) on any of them.

axe-core is the copy bundled in the PyPI package ``axe-playwright-python``; nothing is
fetched. Playwright's evaluation runs outside the page's content security policy, which
allows no scripts, so the page under test is exactly what a user gets."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.routing import Route

from sufficiency.web.framework import PUBLIC
from tests.web.conftest import browser_sign_in
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


def _pages(app: Any) -> dict[str, list[str]]:
    """Each signed-in role and the GET paths it may open (path parameters filled in)."""
    import re

    pages: dict[str, list[str]] = {}
    for r in app.routes:
        assert isinstance(r, Route)
        if "GET" not in (r.methods or ()) or r.roles is PUBLIC:
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PARAMS[m.group(1)], r.path)
        for role in sorted(r.roles):
            pages.setdefault(role, []).append(path)
    return pages


def test_every_page_passes_axe(site, chromium):
    found: list[str] = []
    checked: list[str] = []
    context = chromium.new_context(bypass_csp=False)
    page = context.new_page()
    page.goto(site.url + "/sign-in")
    checked.append("anonymous /sign-in")
    found += [f"/sign-in: {_describe(v)}" for v in _axe(page)]
    context.close()
    for role, paths in _pages(site.app).items():
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        browser_sign_in(page, site, role)
        for path in paths:
            resp = page.request.get(site.url + path)
            if resp.status != 200 or "text/html" not in resp.headers.get("content-type", ""):
                continue  # a download, or a file the sample run has not written
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
    assert len(checked) >= 12, checked
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
