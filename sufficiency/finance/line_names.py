"""Cost lines as a council's finance team names them in its ledger: ``IFA``,
``Independent Fostering``, ``Residential - external``.

A budget (or cost file) was read only when its lines were our codes (``ifa_foster``), our
codes in words, or the names spend.xlsx gives them (``IFA foster care``). A budget typed
from the ledger, whose lines are ``IFA``, ``Independent Fostering``, ``Residential -
external`` and ``In house fostering``, had each of those rows set aside ("must be one of:
all, external_residential, ..."), the spend compared with the whole-placements line
alone. These names are now read as the line they mean, in any case and with a hyphen,
dash, colon, comma or brackets between their parts. A name that could be either of two
lines (``Residential``, ``Fostering``) is still named, not guessed.
"""

from __future__ import annotations

import itertools

#: Each cost line's names in finance ledgers, as words (parts of a two-part name, such
#: as ``residential external``, are also read in the other order and with punctuation).
FINANCE_NAMES: dict[str, tuple[str, ...]] = {
    "ifa_foster": ("ifa", "ifas", "independent fostering", "independent fostering agency",
                   "independent fostering agencies", "agency fostering", "fostering ifa",
                   "fostering agency", "foster care ifa", "external fostering",
                   "fostering external"),
    "in_house_foster": ("in house fostering", "inhouse fostering", "internal fostering",
                        "fostering in house", "fostering internal",
                        "in house foster carers", "foster care in house"),
    "kinship_foster": ("kinship", "kinship care", "kinship fostering", "connected persons",
                       "connected carers", "family and friends", "family and friends carers",
                       "fostering kinship", "fostering connected persons"),
    "external_residential": ("residential external", "external residential care",
                             "independent residential", "residential independent",
                             "external childrens homes", "residential agency",
                             "agency residential", "private residential",
                             "residential private", "residential care external"),
    "in_house_residential": ("residential in house", "in house residential",
                             "inhouse residential", "internal residential",
                             "residential internal", "in house childrens homes",
                             "own childrens homes", "residential care in house"),
    "secure": ("secure", "secure welfare", "secure accommodation"),
    "supported": ("supported accommodation", "semi independent", "semi independent living",
                  "16 plus supported accommodation", "leaving care accommodation"),
    "with_parents": ("placed with parents", "with parents", "placement with parents"),
    "placed_for_adoption": ("placed for adoption", "adoption placements"),
    "all": ("all placements", "placements", "all", "total placements budget"),
}  # fmt: skip


def _written(words: str) -> set[str]:
    """The ways a name is written: ``in house`` as ``in-house`` and ``inhouse`` too,
    ``childrens`` as ``children's``; a two-part name (``residential external``) with a
    hyphen, dash, colon, comma or brackets between its parts, in either order."""
    forms = {words}
    forms |= {f.replace("in house", "in-house") for f in forms}
    forms |= {f.replace("childrens", "children's") for f in forms}
    forms |= {f.replace("semi independent", "semi-independent") for f in forms}
    forms |= {f.replace("16 plus", "16+") for f in forms}
    out = set(forms)
    for f in forms:
        parts = f.split(" ")
        for cut in range(1, len(parts)):
            a, b = " ".join(parts[:cut]), " ".join(parts[cut:])
            for x, y in ((a, b), (b, a)):
                out |= {f"{x}{sep}{y}" for sep in (" - ", "-", " \u2013 ", ": ", ", ", " / ")}
                out |= {f"{x} ({y})", f"{x} {y}"}
    return out


def finance_names(codes: tuple[str, ...]) -> dict[str, str]:
    """Each finance name of ``codes``' lines (lower case, every way it is written) -> code."""
    names: dict[str, str] = {}
    for code in codes:
        for words in FINANCE_NAMES.get(code, ()):
            names |= dict.fromkeys(_written(words), code)
    return names


def _check_unique() -> None:  # pragma: no cover - run at import: a name means one line
    seen: dict[str, str] = {}
    for code, words in FINANCE_NAMES.items():
        for name in itertools.chain.from_iterable(_written(w) for w in words):
            if seen.setdefault(name, code) != code:
                raise AssertionError(f"{name!r} names both {seen[name]} and {code}")


_check_unique()
