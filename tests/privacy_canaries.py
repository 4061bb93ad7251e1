"""Inputs with a canary in every personal field of a child, malformed in every way a
validator reports, and the strings that must never appear in any output.

A canary is a value no other input holds: a child's date of birth (well formed, a date
that cannot be, a day that does not exist, in the future, after the child's first
episode, an adult's, in the wrong format), a UPN (good, wrong check letter, not a UPN),
a home or school postcode (good, malformed, not a postcode at all), a name or an
address in a column of its own, and free text typed into a column of codes. Each is
planted in the sample authority's latest 903 return (as CSV, or as a DfE XML return)
and in its referrals. :func:`leaks` then lists every canary found in a text, in any
of the spellings an output could give it (an ISO date, a postcode without its space).

Import from a test in any folder under ``tests/``: ``from privacy_canaries import ...``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"

#: The run date the canaries are planted for (the sample's).
RUN_DATE = dt.date(2026, 4, 1)

#: Free text about a child, typed into columns of codes, names and addresses.
NAME = "Zebedee Quaxworth"
STREET = "Marmalade Lane"


def _upn(serial: str) -> str:
    """A well-formed UPN with its right check letter (DfE's UPN guide), for ``serial``
    (12 characters: 11 digits and a digit)."""
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(c) * w for w, c in enumerate(serial, start=2))
    return letters[total % 23] + serial


GOOD_UPN = _upn("885099017361")
#: The same UPN with another check letter.
BAD_CHECK_UPN = ("B" if GOOD_UPN[0] != "B" else "C") + GOOD_UPN[1:]

#: Header rows planted in the latest 903 return: CHILD -> (column values, what is planted).
HEADER: dict[str, dict[str, str]] = {
    "990001": {"DOB": "32/13/2011"},  # not a date
    "990002": {"DOB": "30/02/2013"},  # no such day
    "990003": {"DOB": "17/03/2031"},  # in the future
    "990004": {"DOB": "23/07/2025"},  # after the episode below starts
    "990005": {"DOB": "14/11/1998"},  # 26 at the episode's start
    "990006": {"DOB": "2013-08-19"},  # ISO, where 903 dates are dd/mm/yyyy
    "990007": {"DOB": "06/05/2012", "UPN": GOOD_UPN},
    "990008": {"DOB": "08/06/2012", "UPN": BAD_CHECK_UPN},
    "990009": {"DOB": "09/07/2012", "UPN": "QX-UPN-4471"},
    "990010": {"DOB": "11/08/2012", "SEX": "boy Quaxworth", "ETHNIC": "Quaxworthian"},
    "990011": {"DOB": "12/09/2012", "MOTHER": "1", "MC_DOB": "31/11/2024"},
    "990012": {"DOB": "13/10/2012", "MOTHER": "1", "MC_DOB": "14/01/2025"},
    "990013": {"DOB": "15/12/2009"},  # UASC with another DOB
    "990014": {"DOB": "16/01/2010", "UPN": NAME},
    NAME: {"DOB": "18/02/2012"},  # a child's name typed as their ID
}

#: Episodes planted, one per planted child (DECOM 01/06/2025 unless given).
EPISODES: dict[str, dict[str, str]] = {
    "990001": {},
    "990002": {},
    "990003": {},
    "990004": {},
    "990005": {},
    "990006": {},
    "990007": {"HOME_POST": "WR2 6NJ"},  # a good postcode
    "990008": {"HOME_POST": "WR1Q 7XQ"},  # malformed
    "990009": {"HOME_POST": f"17 {STREET}"},  # an address
    "990010": {"HOME_POST": "WR10 3JQ", "LS": "Quaxworth care order", "CIN": "Quaxworth"},
    "990011": {"RNE": "moved to Nan Quaxworth", "REC": "Quaxworth", "DEC": "01/09/2025",
               "REASON_PLACE_CHANGE": "Quaxworth fell out"},
    "990012": {"PLACE": f"Nan's, {STREET}"},
    "990013": {},
    "990014": {},
    NAME: {},
}  # fmt: skip

#: UASC rows planted: CHILD -> values.
UASC: dict[str, dict[str, str]] = {
    "990013": {"DOB": "16/12/2009", "DUC": "16/12/2027"},
    "990010": {"DOB": "11/08/2012", "DUC": "11/08/20301"},
}

#: Referral rows planted: child_id -> values (the rest copied from the sample's first row).
REFERRALS: dict[str, dict[str, str]] = {
    "R901": {"dob": "31/09/2014"},  # no such day
    "R902": {"dob": "12/05/2032"},  # in the future
    "R903": {"dob": "14/02/2006"},  # an adult
    "R904": {"dob": "1x/04/2013"},  # not a date
    "R905": {"dob": "05/05/2013", "home_postcode": "WR9Q 1ZX"},  # malformed
    "R906": {"dob": "06/05/2013", "home_postcode": "WR5 3EU", "school_postcode": "WR6 6YH"},
    "R907": {"dob": "07/05/2013", "school_postcode": f"4 {STREET}"},
    "R908": {"dob": "08/05/2013", "sex": "girl Quaxworth", "risks": "cse;Quaxworth"},
    "R909": {"dob": "09/05/2013", "communication": "Quaxworth signs",
             "adaptations": "Quaxworth ramp", "dolo": "Quaxworth order"},
    "R910": {"dob": "10/05/2013", "school_year": "Quaxworth", "needed_by": "Quaxworth"},
    "R911": {"dob": "11/05/2013", "home_postcode": "ZE9 9QX"},  # well formed, not one
    "R912": {"dob": "12/05/2013", "sibling_group": "Quaxworth family",  # a lone sibling
             "responsible_la": "Quaxworth's council",
             "Risk to child: Going missing": "with Quaxworth's uncle"},
    NAME: {"dob": "13/05/2013"},  # a child's name typed as their ID
}  # fmt: skip

#: Columns the sample's referrals do not have, holding a name and free text.
REFERRAL_EXTRA = {"child_name": NAME, "notes": f"lives with Nan at 17 {STREET}"}


def _dates(text: str) -> set[str]:
    """A date's spellings an output could give: as typed, ISO and day-first both ways."""
    out = {text}
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            d = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        forms = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%-d %B %Y", "%d %b %Y")
        out |= {d.strftime(f) for f in forms}
    m = re.fullmatch(r"(\d\d)/(\d\d)/(\d{4})", text)
    if m:  # a date that cannot be, rewritten ISO
        out.add(f"{m[3]}-{m[2]}-{m[1]}")
    return out


def canaries() -> set[str]:
    """Every string that must never appear in an output: each planted value, in every
    spelling an output could give it."""
    found: set[str] = set()
    for rows in (HEADER, UASC):
        for values in rows.values():
            for col, v in values.items():
                if col in ("DOB", "MC_DOB", "DUC"):
                    found |= _dates(v)
                elif col == "MOTHER":
                    continue
                else:
                    found.add(v)
    for values in EPISODES.values():
        for col, v in values.items():
            if col == "DEC":
                continue
            found |= {v, v.replace(" ", "")} if col == "HOME_POST" else {v}
    for values in REFERRALS.values():
        for col, v in values.items():
            if col == "dob":
                found |= _dates(v)
            elif col.endswith("postcode"):
                found |= {v, v.replace(" ", "")}
            else:
                found.add(v)
    found |= {NAME, STREET, "Quaxworth"}
    # a short code-like canary would be found in unrelated text: every one is 5+ long
    assert all(len(s) >= 5 for s in found), sorted(s for s in found if len(s) < 5)
    return found


def leaks(texts: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(name, canary, the line it is on) for each canary found in ``texts``, in any case,
    as written or escaped for HTML or XML (``Nan&#39;s``)."""
    wanted = {s.lower() for s in canaries()}
    out = []
    for name, text in texts.items():
        lower = html.unescape(text).lower()
        for s in (s for s in wanted if s in lower):
            out += [(name, s, line.strip()[:300]) for line in lower.splitlines() if s in line]
    return sorted(set(out))


def _plant(path: Path, rows: Mapping[str, Mapping[str, str]], defaults: Mapping[str, str]) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    first = table.iloc[0].to_dict()
    added = pd.DataFrame([{**first, **defaults, "CHILD": child, **values}
                          for child, values in rows.items()])  # fmt: skip
    pd.concat([table, added], ignore_index=True).to_csv(path, index=False)


def history(dest: Path, source: Path = SAMPLE / "ssda903") -> Path:
    """A copy of the sample's 903 folder, the canary children in its latest return."""
    shutil.copytree(source, dest)
    latest = max((p for p in dest.iterdir() if p.name.isdigit()), key=lambda p: p.name)
    _plant(latest / "header.csv", HEADER, {"SEX": "M", "ETHNIC": "WBRI", "UPN": "UN1",
                                            "MOTHER": "", "MC_DOB": ""})  # fmt: skip
    _plant(latest / "episodes.csv", EPISODES, {"DECOM": "01/06/2025", "RNE": "S", "LS": "C2",
                                                "CIN": "N1", "PLACE": "U1", "DEC": "",
                                                "REC": "", "REASON_PLACE_CHANGE": "",
                                                "HOME_POST": "WR14 9GA"})  # fmt: skip
    _plant(latest / "uasc.csv", UASC, {})
    return dest


def xml_history(dest: Path, csv_history: Path) -> Path:
    """The canary history as DfE XML returns, one per year (``messy903.xml_returns``)."""
    from messy903 import xml_returns

    # the builder reads each date of birth (to make the return's other tables): one that
    # is not a date is written in by hand after
    readable = dest.parent / f"{dest.name}-readable"
    shutil.copytree(csv_history, readable)
    latest = max((p for p in readable.iterdir() if p.name.isdigit()), key=lambda p: p.name)
    header = pd.read_csv(latest / "header.csv", dtype=str, keep_default_na=False)
    swapped = {}
    for i, dob in enumerate(header["DOB"]):
        try:
            dt.datetime.strptime(dob, "%d/%m/%Y")
        except ValueError:
            swapped[f"<DOB>{len(swapped) + 1:02d}/01/1950</DOB>"] = f"<DOB>{dob}</DOB>"
            header.loc[i, "DOB"] = f"{len(swapped):02d}/01/1950"
    header.to_csv(latest / "header.csv", index=False)
    xml_returns(dest, source=readable)
    shutil.rmtree(readable)
    for path in dest.rglob("*.xml"):
        text = path.read_text(encoding="ascii")
        for placeholder, dob in swapped.items():
            text = text.replace(placeholder, dob)
        path.write_text(text, encoding="ascii")
    return dest


def referrals(dest: Path, source: Path = SAMPLE / "referrals.csv") -> Path:
    """The sample's referrals with the canary rows added and two columns it does not
    have (a name and notes)."""
    table = pd.read_csv(source, dtype=str, keep_default_na=False)
    first = table.iloc[0].to_dict() | {"sibling_group": ""}
    added = pd.DataFrame([{**first, "child_id": child, **values}
                          for child, values in REFERRALS.items()])  # fmt: skip
    table = pd.concat([table, added], ignore_index=True)
    for col, value in REFERRAL_EXTRA.items():
        table[col] = value
    dest.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(dest, index=False)
    return dest


def texts(paths: Iterable[Path]) -> dict[str, str]:
    """Every file's text under ``paths``: workbooks as their XML parts, SQLite files as
    their bytes (a run store holds what it was told)."""
    import zipfile

    out: dict[str, str] = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            if f.suffix in (".xlsx", ".zip"):
                with zipfile.ZipFile(f) as z:
                    out[str(f)] = "\n".join(z.read(n).decode("utf-8", "replace")
                                            for n in z.namelist())  # fmt: skip
            else:
                out[str(f)] = f.read_bytes().decode("utf-8", "replace")
    return out
