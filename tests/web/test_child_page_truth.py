"""A child's page says what the run's outputs say: why no other option is listed (pinned,
not placed, set aside), the report's own words ("None"), and children whose IDs pandas
reads as missing ("NA", "None"). Each test records its own matching run of the sample
(changed as it needs) and reads the pages over HTTP, as the team does."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.matching.text_rows import fold_texts
from tests.web.conftest import Site, run_cli, site_of_its_own

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
NO_OTHER = "No other home meets every rule for this child."


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def own(tmp_path) -> Iterator[Site]:
    with site_of_its_own(tmp_path, "placement") as site:
        yield site


def _inputs(tmp: Path, referrals=None, placements=None) -> tuple[Path, Path]:
    """The sample's referrals and register, each changed by a function of its lines."""
    out = []
    for name, change in (("referrals.csv", referrals), ("placements.csv", placements)):
        lines = (SAMPLE / name).read_text(encoding="utf-8").splitlines(keepends=True)
        path = tmp / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("".join(change(lines) if change else lines), encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def _match(site: Site, tmp: Path, referrals: Path, placements: Path, *extra: str) -> Path:
    out = tmp / "match"
    run_cli("match", "--referrals", str(referrals), "--placements", str(placements), "--date",
            "2026-04-01", "--out", str(out), "--store", site.store_url, *extra)  # fmt: skip
    return out


def _section(page: str, heading: str) -> str:
    return _text(page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0])


def test_a_pinned_child_is_not_said_to_have_no_other_home(own, tmp_path):
    """R045 pinned to its proposal: the report says the plan considered no other home
    ("None listed: the team pinned the child here"), and its next best option "None"; the
    page said "No other home meets every rule for this child" (it has three that do) and
    left the next best option blank (pandas read the cell "None" as missing)."""
    referrals, placements = _inputs(tmp_path)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("child_id,placement_id,decision,reason,decided_by,until\n"
                         "R045,PL0016,pin,Agreed at panel,ann,\n")  # fmt: skip
    before = _match(own, tmp_path / "a", referrals, placements)
    assert (pd.read_csv(before / "alternatives.csv")["child_id"] == "R045").sum() == 3
    out = _match(own, tmp_path / "b", referrals, placements, "--decisions", str(decisions))
    sheet = pd.read_excel(out / "match_report.xlsx", sheet_name="Children placed", dtype=str,
                          keep_default_na=False)  # fmt: skip
    report = fold_texts(sheet, "Children placed").set_index("Child")
    assert report.loc["R045", "Next best option"] == "None"
    why_not = report.loc["R045", "Why not"]
    assert why_not.startswith("None listed: the team pinned the child here")
    page = own.client("placement").get("/matching/children/R045").text
    assert NO_OTHER not in _text(page)
    assert why_not in _section(page, "Other options and why not")
    assert "<dt>Next best option</dt><dd>None</dd>" in page


def test_a_child_not_placed_for_want_of_room_is_not_said_to_have_no_home(own, tmp_path):
    """On a register of 20 homes, R002 is not placed: "4 placements meet every hard rule,
    but each is needed for other children". Its page went on: "No other home meets every
    rule for this child", contradicting the reason above it; then "other options are
    listed beside a proposal", offering none of them. Now they are listed (up to three),
    none said to cost more or less than a proposal the child does not have."""
    referrals, placements = _inputs(tmp_path, placements=lambda lines: lines[:21])
    out = _match(own, tmp_path, referrals, placements)
    unplaced = pd.read_csv(out / "unplaced.csv", dtype=str).set_index("child_id")
    assert unplaced.loc["R002", "num_suitable_placements"] == "4"
    page = _text(own.client("placement").get("/matching/children/R002").text)
    assert "4 placements meet every hard rule" in page
    assert NO_OTHER not in page
    assert "Other homes meeting every rule, best first: the run lists up to 3 a child" in page
    assert "Its only place goes to R036 in the plan." in _section(
        own.client("placement").get("/matching/children/R002").text, "Other options and why not"
    )
    assert "against the proposal" not in page


def test_a_child_set_aside_is_not_said_to_have_no_home_nor_offered_an_empty_form(own, tmp_path):
    """R010's referral is set aside (a date of birth that is no date): the run did not
    match the child. The page said "No other home meets every rule for this child" and
    offered pin and exclude forms whose list of homes was empty."""

    def bad_dob(lines: list[str]) -> list[str]:
        return [re.sub(r"^R010,[^,]*,", "R010,31/02/2015,", line) for line in lines]

    referrals, placements = _inputs(tmp_path, referrals=bad_dob)
    out = _match(own, tmp_path, referrals, placements)
    summary = json.loads((out / "summary.json").read_text())
    assert [r["id"] for r in summary["set_aside"]] == ["R010"]
    page = own.client("placement").get("/matching/children/R010").text
    text = _text(page)
    assert NO_OTHER not in text
    assert "the child's referral was set aside for an error" in _section(
        page, "Other options and why not"
    )
    assert "<select" not in page
    assert "no home is named above for this child" in text.lower()


def test_children_whose_ids_read_as_missing_keep_them(own, tmp_path):
    """IDs that pandas reads as missing by default and matching takes as written
    ("1.#IND" and "1.#QNAN"; "NA", "None", "N/A" and "<NA>", placeholders, are now set
    aside as no child's ID): the pages read the report with pandas' default missing
    values, so such children became "nan": tonight's matches was a fault page (500) and
    the child's page was not found."""
    from urllib.parse import quote

    def rename(lines: list[str]) -> list[str]:
        return [re.sub(r"^R045,", "1.#QNAN,", re.sub(r"^R044,", "1.#IND,", line)) for line in lines]

    referrals, placements = _inputs(tmp_path, referrals=rename)
    out = _match(own, tmp_path, referrals, placements)
    matches = pd.read_csv(out / "matches.csv", dtype=str, keep_default_na=False)
    homes = matches.set_index("child_id")["placement_id"]
    c = own.client("placement")
    rows = _text(c.get("/matching").text)
    assert "nan" not in rows.split()
    for child in ("1.#IND", "1.#QNAN"):
        assert f" {child} {homes[child]} " in rows, child
        page = c.get(f"/matching/children/{quote(child, safe='')}")
        assert page.status_code == 200, child
        assert f"{homes[child]}:" in _section(page.text, "Proposal"), child


def test_tonights_matches_says_what_the_report_marks_to_check(own, tmp_path):
    """The report's first page marks "Check" on an urgent child not placed, key stage 4
    school moves, a team decision refused, a plan not proven best...; tonight's matches
    said none of it (the pin of R016 the run refused was on the Decisions page only)."""
    referrals, placements = _inputs(tmp_path)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("child_id,placement_id,decision,reason,decided_by,until\n"
                         "R016,PL0017,pin,Spot purchase agreed,ann,\n")  # fmt: skip
    out = _match(own, tmp_path, referrals, placements, "--decisions", str(decisions))
    first = pd.read_excel(out / "match_report.xlsx", sheet_name="Summary", header=None,
                          dtype=object)  # fmt: skip
    marked = first[first[2] == "Check"]
    assert {"Urgent children not placed", "Key stage 4 school moves",
            "Team decisions refused or ignored"} <= set(marked[0])  # fmt: skip
    page = own.client("placement").get("/matching").text
    listed = page.split("<h2>To check</h2>", 1)[1].split("</ul>", 1)[0]
    items = [_text(li) for li in listed.split("<li>")[1:]]
    assert len(items) == len(marked), items
    for what, figure, words in zip(marked[0], marked[1], marked[3], strict=True):
        said = [i for i in items if i.startswith(f"{what}:")]
        assert len(said) == 1, (what, items)
        assert words in said[0] and str(figure) in said[0], (what, said)
    assert any(i.startswith("Team decisions refused or ignored: 1.") for i in items), items


def test_the_other_options_say_how_many_the_run_lists(own, tmp_path):
    """R001 has three other options listed, the run's limit (num_alternatives = 3), under
    "Other homes meeting every rule, best first": read as the only three that do."""
    out = _match(own, tmp_path, *_inputs(tmp_path))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["config"]["matching"]["num_alternatives"] == 3
    assert (pd.read_csv(out / "alternatives.csv")["child_id"] == "R001").sum() == 3
    page = own.client("placement").get("/matching/children/R001").text
    caption = _text(page.split("<caption>", 1)[1].split("</caption>", 1)[0])
    assert caption == "Other homes meeting every rule, best first: the run lists up to 3 a child"
