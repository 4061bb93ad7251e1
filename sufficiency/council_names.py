"""Councils' names as people type them, and the councils of Wales by either name.

A referral's ``responsible_la`` may hold a council's name where its ONS code belongs
(:func:`sufficiency.geo.responsible_la_problem` names the code to give). Names are
compared by :func:`name_key`: case, accents (``Ynys Môn``, ``Ynys Mon``), full stops,
commas, apostrophes and hyphens aside (``St Helens`` is the lookup's ``St. Helens``).

The tool is for councils in England: a council in Wales is out of its area, whatever
name it is given by. The authorities lookup names Wales' 22 councils in English
(``Isle of Anglesey``, ``Vale of Glamorgan``, ``Wrexham``); their Welsh names, as their
own exports may write them, are here (the councils' names under the Local Government
(Wales) Act 1994, with the spellings in use since), with other English forms in use.
"""

from __future__ import annotations

import re
import unicodedata

#: Other names of Wales' councils (Welsh, and English forms besides the lookup's).
WALES_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "W06000001": ("Ynys Môn", "Anglesey", "Sir Ynys Môn"),
    "W06000002": ("Gwynedd",),
    "W06000003": ("Conwy",),
    "W06000004": ("Sir Ddinbych",),
    "W06000005": ("Sir y Fflint",),
    "W06000006": ("Wrecsam",),
    "W06000008": ("Ceredigion",),
    "W06000009": ("Sir Benfro",),
    "W06000010": ("Sir Gaerfyrddin",),
    "W06000011": ("Abertawe", "Dinas a Sir Abertawe", "City and County of Swansea"),
    "W06000012": ("Castell-nedd Port Talbot",),
    "W06000013": ("Pen-y-bont ar Ogwr",),
    "W06000014": ("Bro Morgannwg",),
    "W06000015": ("Caerdydd", "Dinas a Sir Caerdydd", "City and County of Cardiff"),
    "W06000016": ("Rhondda Cynon Taff", "Rhondda Cynon Tâf"),
    "W06000018": ("Caerffili",),
    "W06000019": ("Blaenau Gwent",),
    "W06000020": ("Tor-faen",),
    "W06000021": ("Sir Fynwy",),
    "W06000022": ("Casnewydd",),
    "W06000023": ("Powys",),
    "W06000024": ("Merthyr Tudful",),
}
#: What a council's name may carry besides the name: "Cyngor Sir ...", "... County
#: Borough Council", "Cyngor Bwrdeistref Sirol ...".
_COUNCIL_WORDS = re.compile(
    r"^(CYNGOR (BWRDEISTREF SIROL |DINAS A SIR )?)|"
    r"( COUNTY BOROUGH| COUNTY| CITY| BOROUGH)? COUNCIL$"
)
#: An ONS code of an authority outside England, and its country.
OUTSIDE_ENGLAND = {"W": "Wales", "S": "Scotland", "N": "Northern Ireland"}


def name_key(text: str) -> str:
    """``text`` as names are compared: upper case, without accents, full stops, commas,
    apostrophes or hyphens, spaces single."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[.,'’\-]", " ", plain).upper().split())


def wales_code(text: str, english: dict[str, str]) -> str | None:
    """The code of the council in Wales that ``text`` names (its code, its English name
    in ``english`` (code -> name), or another of its names, with or without "Council"),
    or ``None``."""
    if text.strip().upper() in english:
        return text.strip().upper()

    def bare(name: str) -> str:  # "Cyngor Sir Powys", "Sir Powys" and "Powys" are one
        return re.sub(r"^SIR ", "", _COUNCIL_WORDS.sub("", name_key(name)))

    want = bare(text)
    for code, name in english.items():
        if want in {bare(n) for n in (name, *WALES_OTHER_NAMES.get(code, ()))}:
            return code
    return None


def outside_england(code: str) -> str | None:
    """The country outside England whose ONS code ``code`` is (a letter and 8 digits:
    ``W06000006``, ``S12000049``), or ``None``."""
    text = code.strip().upper()
    return OUTSIDE_ENGLAND.get(text[:1]) if re.fullmatch(r"[WSN]\d{8}", text) else None
