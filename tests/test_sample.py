"""Tests for the seeded synthetic sample authority (sufficiency.sample)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sufficiency.sample import SAMPLE_RUN_DATE, generate_sample, sample_statistics
from sufficiency.sample.stats import (
    SUPPORTED,
    history_episodes,
    looked_after_on,
    returns_to_care,
)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generate seed 2026 twice and seed 7 once, each into its own folder."""
    out = {}
    for name, seed in (("a", 2026), ("b", 2026), ("c", 7)):
        folder = tmp_path_factory.mktemp(f"sample_{name}")
        generate_sample(seed, folder)
        out[name] = folder
    return out


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _episodes(folder: Path, year: int) -> pd.DataFrame:
    df = pd.read_csv(folder / "ssda903" / str(year) / "episodes.csv", dtype=str)
    df["decom"] = pd.to_datetime(df["DECOM"], format="%d/%m/%Y")
    df["dec"] = pd.to_datetime(df["DEC"], format="%d/%m/%Y")
    return df.sort_values(["CHILD", "decom"])


def test_same_seed_gives_identical_files(runs: dict[str, Path]) -> None:
    """The same seed writes byte-identical files; no temporary files are left behind."""
    a, b = _files(runs["a"]), _files(runs["b"])
    assert a == b
    assert not [k for k in a if k.endswith(".tmp")]
    assert "ssda903/2026/episodes.csv" in a and "placements.csv" in a and "README.md" in a


def test_different_seed_gives_different_files(runs: dict[str, Path]) -> None:
    """A different seed gives different episodes, register and referrals."""
    a, c = _files(runs["a"]), _files(runs["c"])
    for name in ("ssda903/2026/episodes.csv", "placements.csv", "referrals.csv"):
        assert a[name] != c[name]


def test_columns_match_dfe(runs: dict[str, Path]) -> None:
    """903 files have exactly DfE's columns for every collection year 2021-2026."""
    for year in range(2021, 2027):
        folder = runs["a"] / "ssda903" / str(year)
        assert list(pd.read_csv(folder / "header.csv", nrows=0).columns) == [
            "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB",
        ]  # fmt: skip
        assert list(pd.read_csv(folder / "uasc.csv", nrows=0).columns) == [
            "CHILD", "SEX", "DOB", "DUC",
        ]  # fmt: skip
        assert list(pd.read_csv(folder / "episodes.csv", nrows=0).columns) == [
            "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
            "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
        ]  # fmt: skip


def test_aggregates_resemble_national_picture(runs: dict[str, Path]) -> None:
    """31 March 2026 placement/age mix, starts, distance and stability are near DfE's."""
    s = sample_statistics(runs["a"] / "ssda903", 2026)
    assert 800 <= s["stock"] <= 1000
    assert 0.6 <= s["place_foster"] <= 0.76
    assert 0.1 <= s["place_kinship_foster"] <= 0.22
    assert 0.2 <= s["place_in_house_foster"] <= 0.35
    assert 0.18 <= s["place_ifa_foster"] <= 0.32
    assert 0.08 <= s["place_children_homes"] <= 0.18
    assert 0.04 <= s["place_supported"] <= 0.13
    assert 0.03 <= s["place_with_parents"] <= 0.1
    assert 0.005 <= s["place_adoption"] <= 0.05
    assert 0.01 <= s["age_under_1"] <= 0.07
    assert 0.3 <= s["age_10_15"] <= 0.45
    assert 0.18 <= s["age_16_plus"] <= 0.35
    assert 0.3 <= s["starts_to_stock"] <= 0.5
    assert 0.52 <= s["starts_male"] <= 0.7
    assert 0.08 <= s["starts_uasc"] <= 0.25
    assert 0.15 <= s["over_20_miles"] <= 0.3
    assert 0.05 <= s["three_plus_placements"] <= 0.15


def test_stock_is_stable_across_years(runs: dict[str, Path]) -> None:
    """Children looked after at 31 March stays within 800-1,000 in every year 2021-2026."""
    stocks = [sample_statistics(runs["a"] / "ssda903", y)["stock"] for y in range(2021, 2027)]
    assert all(800 <= s <= 1000 for s in stocks), stocks


def test_episodes_chain_without_overlaps(runs: dict[str, Path]) -> None:
    """Per child, episodes do not overlap, DEC > DECOM and X1 episodes chain to the next."""
    for year in range(2021, 2027):
        df = _episodes(runs["a"], year)
        closed = df["dec"].notna()
        assert (df.loc[closed, "dec"] > df.loc[closed, "decom"]).all()
        nxt = df.groupby("CHILD")["decom"].shift(-1)
        has_next = nxt.notna()
        assert (df.loc[has_next, "dec"] <= nxt[has_next]).all()
        x1 = df["REC"] == "X1"
        assert (df.loc[x1 & has_next, "dec"] == nxt[x1 & has_next]).all()
        assert (has_next | ~x1).all()  # an X1 episode always has a successor
        assert (df.groupby("CHILD")["dec"].apply(lambda s: s.isna().sum()) <= 1).all()


def test_placement_rules(runs: dict[str, Path]) -> None:
    """Placed-with-parents alone shares the home postcode; supported placements are 16+."""
    df = _episodes(runs["a"], 2026)
    header = pd.read_csv(runs["a"] / "ssda903" / "2026" / "header.csv", dtype=str)
    same = df["HOME_POST"] == df["PL_POST"]
    assert (df.loc[same, "PLACE"] == "P1").all()
    dob = pd.to_datetime(df["CHILD"].map(header.set_index("CHILD")["DOB"]), format="%d/%m/%Y")
    supported = df["PLACE"].isin(["K3", "H5", "P2"])
    assert ((df.loc[supported, "decom"] - dob[supported]).dt.days >= 16 * 365).all()
    assert not df["PLACE"].isin(["H5", "P2", "Z1"]).any()


def test_supported_accommodation_carries_on_across_april_2025(runs: dict[str, Path]) -> None:
    """H5's replacement by K3 neither empties supported accommodation nor ends placements."""
    eps = history_episodes(runs["a"] / "ssda903")
    month_ends = pd.date_range("2024-10-31", "2025-09-30", freq="ME")
    counts = [looked_after_on(eps, d.date(), SUPPORTED) for d in month_ends]
    assert min(counts) >= 0.7 * max(counts), counts
    last_h5_day = looked_after_on(eps, date(2025, 3, 31), SUPPORTED)
    assert last_h5_day >= 30
    assert abs(looked_after_on(eps, date(2025, 4, 1), SUPPORTED) - last_h5_day) <= 3


def test_h5_open_at_31_march_2025_continues_as_k3(runs: dict[str, Path]) -> None:
    """An H5 episode open at the end of 2024-25 opens 2025-26 as the same episode, coded K3."""
    end_2025 = _episodes(runs["a"], 2025)
    open_h5 = end_2025[(end_2025["PLACE"] == "H5") & end_2025["dec"].isna()]
    assert len(open_h5) >= 20
    first_2026 = _episodes(runs["a"], 2026).groupby("CHILD").head(1).set_index("CHILD")
    carried = first_2026.loc[open_h5["CHILD"]]
    assert (carried["PLACE"] == "K3").all()
    for col in ("DECOM", "RNE", "LS", "PLACE_PROVIDER", "PL_POST", "URN"):
        assert (carried[col].to_numpy() == open_h5[col].to_numpy()).all(), col


def test_children_come_back_into_care(runs: dict[str, Path]) -> None:
    """Some children who went home start a new period of care (RNE S) months or years later."""
    eps = history_episodes(runs["a"] / "ssda903")
    back = returns_to_care(eps)
    starts = eps[eps["RNE"] == "S"]
    start_year = starts["decom"].dt.year + (starts["decom"].dt.month >= 4)
    # 2021's returns are undercounted: the earlier period often ended before the history.
    for year in range(2022, 2027):
        share = (back["year"] == year).sum() / (start_year == year).sum()
        assert 0.05 <= share <= 0.2, (year, share)
    assert back["left_rec"].isin(["E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48"]).all()
    assert (back["gap_days"] >= 3).all()
    assert 0.3 <= (back["gap_days"] < 365).mean() <= 0.85
    assert (back["gap_days"] >= 730).any()
    # DfE: 30% of children who went home were back in care within five years.
    went_home = eps[
        eps["REC"].isin(["E4A", "E4B", "E13"])
        & (eps["dec"] >= pd.Timestamp(2020, 4, 1))
        & (eps["dec"] < pd.Timestamp(2021, 4, 1))
    ]
    returned = back[
        back["left_rec"].isin(["E4A", "E4B", "E13"])
        & back["left"].between(pd.Timestamp(2020, 4, 1), pd.Timestamp(2021, 3, 31))
        & (back["gap_days"] <= 5 * 365)
    ]
    assert 0.2 <= len(returned) / len(went_home) <= 0.4


def test_returns_to_care_leave_first_periods_and_register_alone(
    runs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without returns to care, every other episode, the register and referrals are unchanged."""
    from sufficiency.sample import reentries

    monkeypatch.setattr(reentries, "_REENTRY_BY_REC", {})
    generate_sample(2026, tmp_path)
    with_returns, without = _files(runs["a"]), _files(tmp_path)
    for name in ("placements.csv", "referrals.csv"):
        assert with_returns[name] == without[name]
    for year in range(2021, 2027):
        name = f"ssda903/{year}/episodes.csv"
        rows, first_periods = (set(f[name].decode().splitlines()) for f in (with_returns, without))
        assert first_periods < rows


def test_register_is_plausible(runs: dict[str, Path]) -> None:
    """The register has all settings, realistic costs and in-house foster without URNs."""
    reg = pd.read_csv(runs["a"] / "placements.csv", dtype={"urn": str, "current_ages": str})
    foster_ih = reg[(reg["setting"] == "foster") & (reg["provider"] == "in_house")]
    ifa = reg[reg["provider"] == "ifa"]
    assert 60 <= len(foster_ih) <= 90 and 150 <= len(ifa) <= 250
    assert foster_ih["weekly_cost"].between(550, 700).all()
    assert ifa["weekly_cost"].between(800, 1100).all()
    assert foster_ih["urn"].isna().all()
    homes = reg[reg["setting"] == "residential"]
    assert homes["weekly_cost"].between(4500, 15000).all()
    supported = reg[reg["setting"] == "supported"]
    assert ((supported["age_min"] == 16) & (supported["age_max"] == 17)).all()
    assert (reg["vacancies"] >= 0).all()


def test_referrals_cover_key_cases(runs: dict[str, Path]) -> None:
    """Referrals: 30-60 rows, sibling groups of 2+, KS4 pupils, UASC, nobody 18 or over."""
    ref = pd.read_csv(runs["a"] / "referrals.csv", dtype=str, keep_default_na=False)
    assert 30 <= len(ref) <= 60
    groups = ref.loc[ref["sibling_group"] != "", "sibling_group"].value_counts()
    assert len(groups) >= 1 and (groups >= 2).all()
    assert ref["school_year"].isin(["10", "11"]).sum() >= 2
    uasc = ref[ref["home_postcode"] == ""]
    assert len(uasc) >= 1
    dob = pd.to_datetime(ref["dob"], format="%d/%m/%Y")
    run = pd.Timestamp(SAMPLE_RUN_DATE)
    eighteenth = dob + pd.DateOffset(years=18)
    assert (eighteenth > run).all()
    assert (ref["responsible_la"] == "E10000034").all()


def test_bundled_sample_matches_generator(runs: dict[str, Path]) -> None:
    """The bundled data/sample is the output of seed 2026."""
    bundled = Path(__file__).resolve().parents[1] / "data" / "sample"
    if not (bundled / "ssda903").is_dir():
        pytest.skip("bundled sample not present")
    generated = _files(runs["a"])
    # Only the generator's own files: data/sample also holds hand-written inputs
    # (supply assumptions, scenarios) that the generator does not make.
    assert {k: v for k, v in _files(bundled).items() if k in generated} == generated
    assert date(2026, 4, 1) == SAMPLE_RUN_DATE
