"""The headings read as a 903 field besides its code (see :mod:`sufficiency.io.headings903`).

Each names exactly one field. Matched as column names are, ignoring case, spaces and
punctuation: ``Date episode commenced``, ``DATE EPISODE COMMENCED`` and
``date_episode_commenced`` are one heading.
"""

from __future__ import annotations

from sufficiency.io.schema import column_key

#: Headings read as a 903 field: DfE's names for the fields in its 903 guide and in
#: the messages of its validator (csc-validator-be-903), as councils' extracts head
#: them, and ``PL``, the tag DfE's XML return gives PLACE.
ALIASES: dict[str, str] = {
    "Date of birth": "DOB",
    "Ethnic origin": "ETHNIC",
    "Unique pupil number": "UPN",
    "Date of birth of mother's child": "MC_DOB",
    "Date episode commenced": "DECOM",
    "Reason for new episode": "RNE",
    "Legal status": "LS",
    "Category of need": "CIN",
    "Placement type": "PLACE",
    "PL": "PLACE",
    "Placement provider": "PLACE_PROVIDER",
    "Date episode ceased": "DEC",
    "Reason episode ceased": "REC",
    "Reason for placement change": "REASON_PLACE_CHANGE",
    "Home postcode": "HOME_POST",
    "Placement postcode": "PL_POST",
    "Postcode of placement": "PL_POST",
    "Ofsted URN": "URN",
    "Date UASC ceased": "DUC",
}
#: Each alias as the contracts key a heading, and its field.
BY_KEY = {column_key(a): f for a, f in ALIASES.items()}


def field_key(label: str) -> str:
    """The DfE field a heading names (``DECOM`` for ``Date episode commenced``), or the
    heading as the contracts key it, upper case, when it names none."""
    key = column_key(str(label))
    return BY_KEY.get(key, key.upper())
