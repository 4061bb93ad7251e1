"""What the Uploads page says to an administrator sending the wrong thing, in headless
Chromium: an empty CSV was "empty.csv: read as unreadable"; accepting referrals said
"Accepted: the Referrals is now in the data folder"; a file over the limit was told to be
sent "in smaller parts", which a referrals file (one CSV) cannot be."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import Site, browser_sign_in, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "admin", max_upload_mb=1) as site:
        yield site


def _upload(page, site: Site, kind: str, path: Path) -> None:
    page.goto(f"{site.url}/admin/uploads")
    page.check(f"#kind-{kind}")
    page.set_input_files("#files", str(path))
    page.get_by_role("button", name="Check the upload").click()
    page.wait_for_load_state()


def test_the_uploads_page_says_what_happened_in_plain_words(own, tmp_path, chromium):
    page = chromium.new_page()
    browser_sign_in(page, own, "admin")

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _upload(page, own, "referrals", empty)
    text = page.inner_text("main")
    assert "read as unreadable" not in text
    assert "empty.csv: could not be read (the problem is listed below)" in text
    assert "is empty" in page.get_by_role("table", name="Every problem found").inner_text()

    for kind, said in (("referrals", "the referrals are"),
                       ("placements", "the placement register is")):  # fmt: skip
        _upload(page, own, kind, SAMPLE / f"{kind}.csv")
        page.get_by_role("button", name="Accept and use it").click()
        page.wait_for_load_state()
        assert page.get_by_role("status").inner_text() == (
            f"Accepted: {said} now in the data folder; the next run reads it."
        )

    huge = tmp_path / "referrals-all-years.csv"
    lines = (SAMPLE / "referrals.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    huge.write_text(lines[0] + "".join(lines[1:]) * 300, encoding="utf-8")  # about 1.6 MB
    _upload(page, own, "referrals", huge)
    text = page.inner_text("main")
    assert "Too large" in text and "smaller parts" not in text
    assert "larger than the limit of 1 MB, so nothing was read" in text
    assert "check it is the file you meant" in text
    assert (tmp_path / "data" / "referrals.csv").read_bytes() == (
        SAMPLE / "referrals.csv"
    ).read_bytes()
