"""The ``match`` command end to end on small CSV files, and output determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from match_builders import POSTCODES, placement, placements_frame, referral, referrals_frame

from sufficiency.commands.match import match


def _csv_value(v: object) -> object:
    if isinstance(v, tuple):
        return ";".join(str(x) for x in v)
    if isinstance(v, bool):
        return "Y" if v else "N"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%d/%m/%Y")
    return v


def write_inputs(folder: Path) -> tuple[Path, Path]:
    """A small authority as CSV: three children (two siblings) and four offers."""
    refs = referrals_frame([
        referral("C1", sibling_group="G1", age=9),
        referral("C2", sibling_group="G1", age=7),
        referral("C3", age=15, school_postcode=POSTCODES["malvern"], school_year=10),
    ])  # fmt: skip
    plcs = placements_frame([
        placement("P1", vacancies=2),
        placement("P2", postcode=POSTCODES["birmingham"], provider="ifa", weekly_cost=900.0),
        placement("P3", setting="residential", weekly_cost=5200.0),
        placement("P4", vacancies=0),
    ])  # fmt: skip
    paths = folder / "referrals.csv", folder / "placements.csv"
    for frame, path in zip((refs, plcs), paths, strict=True):
        frame.map(_csv_value).to_csv(path, index=False)
    return paths


def test_match_writes_every_output(tmp_path: Path) -> None:
    """The command exits 0, writes the five outputs and reports the status."""
    refs, plcs = write_inputs(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        match, ["--referrals", str(refs), "--placements", str(plcs), "--date", "2026-03-01",
                "--out", str(out), "--time-limit", "30"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("optimal: placed 3 of 3 children")  # stages on stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs_sha256"]["referrals"]
    assert summary["config"]["matching"]["weights"]["sibling_split"] == 3000.0
    assert summary["greedy_baseline"]["objective_gbp"] >= summary["objective_gbp"]
    matches = pd.read_csv(out / "matches.csv")
    assert list(matches["child_id"]) == ["C1", "C2", "C3"]


def test_match_output_is_deterministic(tmp_path: Path) -> None:
    """Two runs on the same input give byte-identical CSV outputs."""
    refs, plcs = write_inputs(tmp_path)
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        CliRunner().invoke(
            match, ["--referrals", str(refs), "--placements", str(plcs), "--date", "2026-03-01",
                    "--out", str(out)],
        )  # fmt: skip
        outs.append(out)
    for name in ("matches.csv", "unplaced.csv", "alternatives.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_match_bad_file_is_one_clear_error(tmp_path: Path) -> None:
    """A placement file missing required columns fails with exit code 1 and no traceback."""
    refs, _ = write_inputs(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("placement_id,colour\nP1,red\n")
    res = CliRunner().invoke(
        match, ["--referrals", str(refs), "--placements", str(bad), "--date", "2026-03-01",
                "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith("[0:00] Reading the referrals and the placement register\nError:")
    assert "Traceback" not in res.output


def test_unplaced_counts_stay_whole_numbers_beside_a_set_aside_referral(tmp_path: Path) -> None:
    """A referral set aside for an error has no counts; the other unplaced children's
    counts are still written as whole numbers ("1", not "1.00")."""
    refs = referrals_frame([referral("C1", sex="F"), referral("C2", age=12)])
    plcs = placements_frame([placement("P1", sex="M")])
    paths = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    for frame, path in zip((refs, plcs), paths, strict=True):
        frame.map(_csv_value).to_csv(path, index=False)
    text = paths[0].read_text().replace("C2,01/02/2014", "C2,02/31/2014")  # a US date
    paths[0].write_text(text)
    out = tmp_path / "out"
    res = CliRunner().invoke(
        match, ["--referrals", str(paths[0]), "--placements", str(paths[1]),
                "--date", "2026-03-01", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = (out / "unplaced.csv").read_text().splitlines()
    header = rows[0].split(",")
    c1 = next(r for r in rows if r.startswith("C1,")).split(",")[-len(header) :]
    assert rows[-1].startswith("C2,") and "Set aside for errors" in rows[-1]
    fields = dict(zip(header, c1, strict=True))
    assert fields["num_suitable_placements"] == "0"
    assert fields["excluded_sex"] == "1"


def test_over_20_miles_says_whom_it_leaves_out(tmp_path: Path) -> None:
    """A child placed at a distance from home not known (no home postcode, a home postcode
    not located, or a home whose postcode is not located under rule 15's assume_far) is
    not counted "over 20 miles": the console, summary.json and the report say how many
    were left out and why, as DfE's statistics count them "not known"."""
    refs = referrals_frame([
        referral("C1", home_postcode=pd.NA),
        referral("C2", home_postcode="WR99 9ZZ"),  # well formed, not in the directory
        referral("C3", home_postcode=POSTCODES["birmingham"]),
        referral("C4", foster_suitability="unsuitable", residential_suitability="preferred"),
    ])  # fmt: skip
    plcs = placements_frame([
        # three households (their home_ids): rows alike in every cell are otherwise one home
        *[placement(f"P{i}", vacancies=1, home_id=f"H{i}") for i in (1, 2, 3)],
        placement("P4", setting="residential", postcode="WR99 9ZY", weekly_cost=5200.0),
    ])  # fmt: skip
    paths = tmp_path / "referrals.csv", tmp_path / "placements.csv"
    for frame, path in zip((refs, plcs), paths, strict=True):
        frame.map(_csv_value).to_csv(path, index=False)
    config = tmp_path / "config.toml"
    config.write_text('[matching]\nunlocatable = "assume_far"\n')
    out = tmp_path / "out"
    res = CliRunner().invoke(match, ["--referrals", str(paths[0]), "--placements",
                                     str(paths[1]), "--date", "2026-03-01", "--out", str(out),
                                     "--config", str(config)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(out / "matches.csv")["child_id"]) == {"C1", "C2", "C3", "C4"}
    said = (
        "1 placed over 20 miles from home, not counting 3 children placed at a distance from "
        "home not known (1 with no home postcode, 1 whose home postcode could not be located "
        "and 1 in a home whose postcode could not be located (charged as far))"
    )
    assert said in res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["placed_over_20_miles"] == 1 and summary["placed_distance_not_known"] == 3
    assert summary["distance_not_known_why"] == {
        "no_home_postcode": 1, "home_postcode_not_located": 1,
        "placement_postcode_not_located": 1,
    }  # fmt: skip
    page = (out / "match_report.html").read_text()
    assert "Children placed more than 20 miles from home, not counting 3 children" in page
    assert "1 over 20 miles from home and 3 at a distance from home not known (plan: 1" in page
