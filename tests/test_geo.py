"""Postcode normalisation, lookup and DfE distances."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sufficiency.geo import (
    PostcodeStatus,
    dfe_distance_miles,
    directory,
    is_wellformed,
    normalise_postcodes,
    upper_tier_authority,
)


def test_normalise_postcodes_strips_case_and_spacing():
    """Case and spacing do not matter; blanks become missing."""
    out = normalise_postcodes(pd.Series([" wr1 1aa", "WR11AA", "wr1-1aa", "", None]))
    assert out.tolist()[:3] == ["WR11AA"] * 3
    assert out.isna().tolist()[3:] == [True, True]


def test_is_wellformed_accepts_uk_shapes_only():
    """Shapes like A9 9AA, AA9A 9AA pass; junk fails."""
    s = normalise_postcodes(pd.Series(["M1 1AE", "SW1A 1AA", "WR99", "12345", "GIR 0AA"]))
    assert is_wellformed(s).tolist() == [True, True, False, False, True]


@pytest.mark.parametrize(
    ("a", "b", "miles"),
    [("SW1A 1AA", "M1 1AE", 162.9), ("LS1 1UR", "M1 1AE", 35.7), ("WR1 1AA", "WR1 1AA", 0.0)],
)
def test_distance_known_pairs_match_dfe(a, b, miles):
    """Known pairs give the figures worked by hand from DfE's formula."""
    assert directory().distance_miles([a], [b])[0] == pytest.approx(miles, abs=0.05)


def test_distance_formula_matches_hand_calculation():
    """sqrt(dE^2 + dN^2) / 1000 / 1.6093, one decimal place."""
    lk = directory().lookup(["WR1 1AA", "B1 1AA"])
    de = lk.easting[0] - lk.easting[1]
    dn = lk.northing[0] - lk.northing[1]
    expected = round(math.sqrt(de**2 + dn**2) / 1000 / 1.6093, 1)
    got = dfe_distance_miles(lk.easting[:1], lk.northing[:1], lk.easting[1:], lk.northing[1:])
    assert got[0] == expected


def test_lookup_reports_unusable_postcodes_without_raising():
    """Unknown, malformed, blank, Channel Islands and Northern Ireland give unknown distance."""
    values = ["ZZ9 9ZZ", "WR99", "", "GY1 1AA", "BT1 1AA", "WR1 1AA"]
    lk = directory().lookup(values)
    assert lk.status.tolist() == [
        PostcodeStatus.UNKNOWN,
        PostcodeStatus.MALFORMED,
        PostcodeStatus.BLANK,
        PostcodeStatus.NO_GRID,
        PostcodeStatus.NOT_GB_GRID,
        PostcodeStatus.OK,
    ]
    d = directory().distance_miles(values, ["WR1 1AA"] * len(values))
    assert np.isnan(d[:5]).all() and d[5] == 0.0


def test_postcodes_for_sampling_are_all_ones_the_lookup_reads():
    """The directory holds Newport's retired postcodes of the old form ("NPT 0AD"), which
    the lookup reads as malformed; the postcodes the sample and benchmark generators draw
    from leave them out (benchmarks/matching/generate.py drew some, and its own register
    rows were then set aside as malformed)."""
    d = directory()
    d.load(["N"])
    sample = d.districts()
    n = sample[sample["postcode"].str.startswith("N")]
    assert len(n) > 10_000 and not n["postcode"].str.startswith("NPT").any()
    status = d.lookup(n["postcode"]).status
    assert not status.isin([PostcodeStatus.MALFORMED, PostcodeStatus.UNKNOWN]).any()
    assert d.lookup(["NPT 0AD"]).status.tolist() == [PostcodeStatus.MALFORMED]


def test_lookup_preserves_input_order_and_length():
    """Results align with the input, duplicates included."""
    values = ["B1 1AA", "WR1 1AA", "B1 1AA", None]
    lk = directory().lookup(values)
    assert lk.postcode.tolist()[:3] == ["B1 1AA", "WR1 1AA", "B1 1AA"]
    assert lk.easting[0] == lk.easting[2] and lk.easting[0] != lk.easting[1]


def test_upper_tier_covers_counties_unitaries_and_2023_unitaries():
    """Districts map to counties; new unitaries and devolved nations are covered."""
    lad = pd.Series(["E07000237", "E06000063", "E06000066", "E08000038", "W06000015", "S12000036"])
    assert upper_tier_authority(lad).tolist() == [
        "E10000034", "E06000063", "E06000066", "E08000038", "WAL", "SCO",
    ]  # fmt: skip


def test_lookup_gives_worcestershire_for_a_worcester_postcode():
    """WR1 1AA is in Worcester district, in Worcestershire county."""
    lk = directory().lookup(["WR1 1AA"])
    assert lk.district[0] == "E07000237" and lk.upper_tier[0] == "E10000034"


def test_cached_directory_gives_the_same_lookups_as_the_package(tmp_path):
    """Postcodes read back from the NumPy cache resolve exactly as when read from the package."""
    from sufficiency.geo import PostcodeDirectory

    queries = [
        "WR1 1AA",
        "wr11aa",
        "SW1A 1AA",
        "BT1 1AA",
        "GY1 1AA",
        "ZZ99 9ZZ",
        "",
        None,
        "W1A 1AA",
    ]
    fresh = PostcodeDirectory(cache_dir=None).lookup(queries).to_frame()
    building = PostcodeDirectory(cache_dir=tmp_path).lookup(queries).to_frame()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "B.npz",
        "G.npz",
        "S.npz",
        "W.npz",
        "Z.npz",
    ]
    cached = PostcodeDirectory(cache_dir=tmp_path).lookup(queries).to_frame()
    pd.testing.assert_frame_equal(fresh, building)
    pd.testing.assert_frame_equal(fresh, cached)
    assert fresh.loc[0, "status"] == "ok" and fresh.loc[5, "status"] == "unknown"


def test_corrupt_cache_file_is_rebuilt(tmp_path):
    """A damaged cache file is read from the package again and rewritten, not an error."""
    from sufficiency.geo import PostcodeDirectory

    PostcodeDirectory(cache_dir=tmp_path).load(["W"])
    (tmp_path / "W.npz").write_bytes(b"not a zip file")
    look = PostcodeDirectory(cache_dir=tmp_path).lookup(["WR1 1AA"])
    assert look.status.iloc[0] == "ok" and look.upper_tier.iloc[0] == "E10000034"
    assert (tmp_path / "W.npz").read_bytes()[:2] == b"PK"


def test_reading_the_package_with_warnings_as_errors(tmp_path):
    """The first read of a letter's postcodes (nothing cached: a new machine's first night)
    under ``python -W error`` stopped with the package's pandas deprecation as a traceback:
    its reader calls ``reset_index(inplace=True)``."""
    import warnings

    from sufficiency.geo import PostcodeDirectory

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        look = PostcodeDirectory(cache_dir=tmp_path).lookup(["WR1 1AA"])
    assert look.status.iloc[0] == "ok" and look.upper_tier.iloc[0] == "E10000034"
    assert (tmp_path / "W.npz").is_file()
