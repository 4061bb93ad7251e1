"""Real postcodes and a fictional provider estate for the synthetic sample authority.

Postcodes are taken from the offline postcode directory (:mod:`sufficiency.geo`)
and sorted before sampling, so the sample does not depend on the order in which
other code loaded the directory. Providers, URNs and carers are invented.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sufficiency.geo import METRES_PER_MILE, directory

#: The sample's responsible authority: Worcestershire County Council.
SAMPLE_LA = "E10000034"
#: Worcestershire's six districts (Bromsgrove, Malvern Hills, Redditch, Worcester,
#: Wychavon, Wyre Forest).
COUNTY_DISTRICTS = ("E07000234", "E07000235", "E07000236", "E07000237", "E07000238", "E07000239")
#: Upper-tier neighbours: Herefordshire, Shropshire, Telford and Wrekin, Gloucestershire,
#: Warwickshire, Staffordshire and the West Midlands metropolitan boroughs.
NEIGHBOUR_AUTHORITIES = (
    "E06000019",
    "E06000051",
    "E06000020",
    "E10000013",
    "E10000031",
    "E10000028",
    "E08000025",
    "E08000027",
    "E08000028",
    "E08000029",
    "E08000030",
    "E08000031",
)
#: Districts created after the 2021 district-to-county lookup DfE's validator uses.
NEW_DISTRICTS = ("E06000063", "E06000064", "E06000065", "E06000066", "E08000038", "E08000039")
#: First letters of the postcode areas the sample draws from.
POSTCODE_LETTERS = "WBDHGST"


@dataclass(frozen=True)
class Pool:
    """Candidate postcodes with grid references, in a fixed order."""

    postcode: np.ndarray  # display form, object dtype
    easting: np.ndarray
    northing: np.ndarray
    in_county: np.ndarray  # bool

    def miles_from(self, east: float, north: float) -> np.ndarray:
        """Straight-line miles from one grid reference to every postcode in the pool."""
        return np.hypot(self.easting - east, self.northing - north) / METRES_PER_MILE


@dataclass(frozen=True)
class Setting:
    """One fictional provider setting (a home, supported accommodation or agency office)."""

    urn: str
    provider_903: str  # PR1, PR4, PR5
    postcode: str
    easting: float
    northing: float
    in_county: bool


@dataclass
class Estate:
    """Postcode pools and the fictional providers the sample places children with."""

    county: Pool
    everywhere: Pool  # county + neighbours + further away (England only)
    la_fostering_urn: str
    raa_urn: str
    vaa_urns: list[str]
    ifa_agencies: list[tuple[str, str]]  # (urn, PR4/PR5)
    homes_in_house: list[Setting]
    homes_external: list[Setting]
    supported: list[Setting]
    schools: list[Setting]
    used_urns: set[str] = field(default_factory=set)


def _urn(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        urn = f"SC{int(rng.integers(0, 1_000_000)):06d}"
        if urn not in used:
            used.add(urn)
            return urn


def _sample_rows(df: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    idx = rng.choice(len(df), size=min(n, len(df)), replace=False)
    return df.iloc[np.sort(idx)]


def _pool(df: pd.DataFrame, county: bool | np.ndarray) -> Pool:
    flag = np.broadcast_to(np.asarray(county, bool), (len(df),)).copy()
    return Pool(
        postcode=df["postcode"].astype(str).to_numpy(object),
        easting=df["easting"].to_numpy(float),
        northing=df["northing"].to_numpy(float),
        in_county=flag,
    )


@functools.cache
def load_postcode_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """County, neighbour and further-away English postcodes, each sorted by postcode.

    Cached for the process; callers must not modify the frames.
    """
    from sufficiency.geo import upper_tier_authority

    d = directory()
    d.load(POSTCODE_LETTERS)
    df = d.districts()
    post = df["postcode"].to_numpy(dtype="U8")
    first = post.view("U1").reshape(len(post), 8)[:, 0]
    district = df["district"].astype(object).fillna("").to_numpy(object)
    uniq = sorted(set(district) - {""})
    upper = dict(
        zip(uniq, upper_tier_authority(pd.Series(uniq, dtype="string")).fillna(""), strict=True)
    )
    # English districts the validator's 2021 authority lookup knows (it cannot place the
    # 2023 unitaries, so DfE's PL_LA would be blank there).
    english = [k for k in uniq if k.startswith("E") and k not in NEW_DISTRICTS]
    ok = (
        np.isin(first, list(POSTCODE_LETTERS))
        & np.isin(district, english)
        & ~np.isnan(df["easting"].to_numpy(float))
        & ~np.isnan(df["northing"].to_numpy(float))
    )
    in_county = np.isin(district, list(COUNTY_DISTRICTS))
    near = np.isin(district, [k for k in uniq if upper[k] in NEIGHBOUR_AUTHORITIES])

    def part(mask: np.ndarray) -> pd.DataFrame:
        sub = df[ok & mask]
        order = np.argsort(post[ok & mask], kind="stable")
        return sub.iloc[order].reset_index(drop=True)

    return part(in_county), part(near), part(~in_county & ~near)


def build_estate(rng: np.random.Generator) -> Estate:
    """Draw postcode pools and invent the providers (deterministic for a given ``rng``)."""
    county_df, neighbour_df, rest_df = load_postcode_frames()
    county = _sample_rows(county_df, 2500, rng)
    neighbour = _sample_rows(neighbour_df, 2000, rng)
    rest = _sample_rows(rest_df, 1500, rng)
    everywhere = pd.concat([county, neighbour, rest], ignore_index=True)
    flags = np.r_[np.ones(len(county), bool), np.zeros(len(neighbour) + len(rest), bool)]
    used: set[str] = set()

    def settings(
        frame: pd.DataFrame, n: int, providers: list[str], p: list[float]
    ) -> list[Setting]:
        rows = _sample_rows(frame, n, rng)
        in_county = bool(frame is county_df)
        out = []
        for r in rows.itertuples(index=False):
            prov = str(rng.choice(providers, p=p))
            out.append(
                Setting(
                    _urn(rng, used),
                    prov,
                    str(r.postcode),
                    float(r.easting),
                    float(r.northing),
                    in_county,
                )
            )
        return out

    ext = ["PR4", "PR5"]
    homes_external = (
        settings(county_df, 30, ext, [0.85, 0.15])
        + settings(neighbour_df, 45, ext, [0.85, 0.15])
        + settings(rest_df, 60, ext, [0.85, 0.15])
    )
    return Estate(
        county=_pool(county, True),
        everywhere=_pool(everywhere, flags),
        la_fostering_urn=_urn(rng, used),
        raa_urn=_urn(rng, used),
        vaa_urns=[_urn(rng, used) for _ in range(3)],
        ifa_agencies=[(_urn(rng, used), "PR4" if rng.random() < 0.8 else "PR5") for _ in range(24)],
        homes_in_house=settings(county_df, 5, ["PR1"], [1.0]),
        homes_external=homes_external,
        supported=settings(county_df, 18, ext, [0.7, 0.3]),
        schools=settings(rest_df, 6, ext, [0.5, 0.5]) + settings(neighbour_df, 4, ext, [0.5, 0.5]),
        used_urns=used,
    )


def pick_near(
    rng: np.random.Generator,
    pool: Pool,
    east: float,
    north: float,
    lo: float,
    hi: float,
    exclude: str | None = None,
) -> int:
    """Index of a random pool postcode ``lo`` to ``hi`` miles away (the nearest band if none)."""
    miles = pool.miles_from(east, north)
    ok = (miles >= lo) & (miles < hi)
    if exclude is not None:
        ok &= pool.postcode != exclude
    cand = np.flatnonzero(ok)
    if len(cand) == 0:
        cand = np.argsort(np.abs(miles - (lo + hi) / 2))[:20]
    return int(cand[rng.integers(len(cand))])


def pick_setting(
    rng: np.random.Generator,
    options: list[Setting],
    east: float,
    north: float,
    lo: float,
    hi: float,
) -> Setting:
    """A random setting between ``lo`` and ``hi`` miles away (the closest few if none)."""
    e = np.array([s.easting for s in options])
    n = np.array([s.northing for s in options])
    miles = np.hypot(e - east, n - north) / METRES_PER_MILE
    cand = np.flatnonzero((miles >= lo) & (miles < hi))
    if len(cand) == 0:
        cand = np.argsort(np.abs(miles - (lo + hi) / 2))[:3]
    return options[int(cand[rng.integers(len(cand))])]
