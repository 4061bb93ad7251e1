"""The 903 return as councils submit it to DfE: one XML file per collection year.

The file holds one ``CHILD`` element per child, each with a ``HEADER`` (``CHILDID``,
``SEX``, ``DOB``, ``ETHNIC``, ``UPN``, ``UASC``, ``DUC``, ``MOTHER``, ``MC_DOB`` and
nested groups such as ``AREVIEW`` and ``OC2``) and ``EPISODE`` elements (``DECOM``,
``RNE``, ``LS``, ``CIN``, ``PL``, ``PLACE_PROVIDER``, ``DEC``, ``REC``,
``REASON_PLACE_CHANGE``, ``HOME_POST``, ``PL_POST``, ``URN``), as DfE's validator
(``csc-validator-be-903``) reads it. This module turns it into the same tables a CSV
return holds, with the CSV column names (``CHILDID`` becomes ``CHILD``, ``PL``
becomes ``PLACE``). Rows are numbered in document order: row 12 of
``return.xml[episodes]`` is the file's twelfth ``EPISODE``.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.tables import RawTable, windows_text

#: Every table of the 903 return with DfE's column names (csc-validator-be-903's
#: ``config.py``; unchanged since 2017-18 but for the tables added later).
DFE_TABLES: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "oc2": (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
        "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
    ),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": (
        "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "placed_for_adoption": (
        "CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED",
    ),
    "previous_permanence": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "sw_episodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "dolo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}  # fmt: skip
#: Nested groups of a child's header that are other 903 tables.
_GROUP_TABLES = {
    "AREVIEW": "reviews",
    "AMISSING": "missing",
    "OC2": "oc2",
    "PERMANENCE": "previous_permanence",
    "AD_PLACED": "placed_for_adoption",
}
#: A header field that shows the child is in another 903 table.
_FIELD_TABLES = {"IN_TOUCH": "oc3", "DATE_INT": "ad1"}
_RENAME = {"CHILDID": "CHILD", "PL": "PLACE"}
_HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
_EPISODE = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)  # fmt: skip
_UASC = ("CHILD", "SEX", "DOB", "DUC")
#: The elements a CHILD of a 903 return may hold: every table's fields (as the XML names
#: them), the UASC flag, and the groups.
_KNOWN = frozenset(
    {c for cols in DFE_TABLES.values() for c in cols}
    | {*_RENAME, "UASC", "HEADER", "EPISODE", *_GROUP_TABLES}
)


def _text(node: ET.Element) -> str:
    return (node.text or "").strip()


def _leaves(node: ET.Element, skip: frozenset[str]) -> dict[str, str]:
    """Leaf values under ``node``, not descending into elements named in ``skip``."""
    out: dict[str, str] = {}
    stack = list(node)
    while stack:
        el = stack.pop()
        if el.tag in skip:
            continue
        if len(el):
            stack.extend(el)
        else:
            out.setdefault(_RENAME.get(el.tag, el.tag), _text(el))
    return out


def looks_like_903_xml(path: Path) -> bool:
    """Whether the start of an XML file reads like a 903 return (a CHILD with an EPISODE),
    in UTF-16 as some Windows tools write XML, and with its tags in a namespace."""
    try:
        head = path.read_bytes()[:8192]
    except OSError:
        return False
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    tags = {t.upper() for t in re.findall(rb"<(?:[\w.-]+:)?([A-Za-z_]+)", head)}
    return b"CHILD" in tags and bool({b"EPISODE", b"HEADER"} & tags)


def _local_names(root: ET.Element) -> ET.Element:
    """Tags without their namespace and in capitals, as DfE's schema names them
    (``{uri}CHILD``, ``ns:CHILD``, ``Child`` and ``child`` read as ``CHILD``): a return
    written with its element names in another case was 'XML but holds no CHILD elements',
    and one whose fields alone were (``<decom>``) read with every field blank."""
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = el.tag.rsplit("}", 1)[-1].upper()
    return root


_WINDOWS_NOTE = ("holds letters in Windows-1252 (as Windows tools write text), not the UTF-8 "
                 "its declaration (or none) says: read as Windows-1252")  # fmt: skip
#: An XML declaration, taken off text already decoded (it would name another encoding).
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _windows_1252(path: Path) -> ET.Element | None:
    """The tree of an XML file that is not the UTF-8 it says (or, with no declaration,
    must be) but Windows-1252, as the CSV reader reads such a file (``Café`` typed in a
    Windows tool: the return was refused as not well-formed XML); ``None`` when it is
    UTF-8 or still cannot be read."""
    try:
        raw = path.read_bytes()
        raw.decode("utf-8-sig")
        return None  # UTF-8 throughout: not an encoding fault
    except OSError:
        return None
    except UnicodeDecodeError:
        pass
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    head = raw[:200].lower()
    if b"encoding" in head and not re.search(rb"encoding\s*=\s*[\"']utf-?8[\"']", head):
        return None  # it names another encoding, which was read as named
    try:
        return _local_names(ET.fromstring(_DECLARATION.sub("", windows_text(raw), count=1)))
    except (ET.ParseError, UnicodeDecodeError):
        return None


def read_xml_return(path: Path) -> tuple[list[tuple[str, RawTable]], set[str]]:
    """The header, episodes and uasc tables of an XML return, and the other tables it holds.

    Returns
    -------
    tables
        ``(table name, RawTable)`` for ``header``, ``episodes`` and ``uasc`` (the last
        possibly empty: a year with no unaccompanied children).
    others
        Names of the other 903 tables present (``reviews``, ``oc2``...), which are not read.

    Raises
    ------
    InputDataError
        The file is not well-formed XML or holds no ``CHILD`` elements.
    """
    source = str(path)
    notes: list[Problem] = []
    root: ET.Element | None
    try:
        root = _local_names(ET.parse(path).getroot())
    except (ET.ParseError, OSError) as exc:
        root = _windows_1252(path)
        if root is None:
            raise InputDataError(
                [Problem(source, None, None, None, f"is not well-formed XML ({exc})",
                         code="malformed_file")]
            ) from None  # fmt: skip
        notes.append(Problem(source, None, None, None, _WINDOWS_NOTE, severity="warning",
                             code="xml_windows_1252"))  # fmt: skip
    children = [el for el in root.iter("CHILD") if len(el)]
    if not children:
        raise InputDataError(
            [Problem(source, None, None, None, "is XML but holds no CHILD elements of a 903 "
                     "return", code="malformed_file")]
        )  # fmt: skip
    header_rows: list[dict[str, str]] = []
    episode_rows: list[dict[str, str]] = []
    uasc_rows: list[dict[str, str]] = []
    others: set[str] = set()
    skip = frozenset({"EPISODE", *_GROUP_TABLES})
    for child in children:
        head = _leaves(child, skip)
        header_rows.append({c: head.get(c, "") for c in _HEADER})
        others.update(t for tag, t in _GROUP_TABLES.items() if child.find(f".//{tag}") is not None)
        others.update(t for tag, t in _FIELD_TABLES.items() if head.get(tag))
        if head.get("UASC", "") not in ("", "0") or head.get("DUC"):
            uasc_rows.append({c: head.get(c, "") for c in _UASC})
        for ep in child.iter("EPISODE"):
            values = _leaves(ep, frozenset())
            values["CHILD"] = head.get("CHILD", "")
            episode_rows.append({c: values.get(c, "") for c in _EPISODE})
    unknown = _unknown_elements(source, children)
    tables = []
    for name, rows, cols in (
        ("header", header_rows, _HEADER),
        ("episodes", episode_rows, _EPISODE),
        ("uasc", uasc_rows, _UASC),
    ):
        df = pd.DataFrame(rows, columns=list(cols), dtype="string")
        stripped = df.apply(lambda s: s.str.strip())
        data = stripped.mask(stripped == "")
        data.columns = pd.Index([c.lower() for c in cols])
        raw = RawTable(f"{source}[{name}]", data, {c.lower(): c for c in cols}, first_data_row=1,
                       notes=(*notes, *unknown) if name == "header" else ())  # fmt: skip
        tables.append((name, raw))
    return tables, others


def _unknown_elements(source: str, children: list[ET.Element]) -> list[Problem]:
    """One warning per element name a CHILD holds that no 903 table has, with how many
    there are and, for a near miss of a field (``DECOMM``), which field it resembles.
    Never the text: a ``NAME`` element would hold the child's name. A group of unknown
    name holding 903 fields (a table added in a later year) is not one."""
    seen: Counter[str] = Counter()
    for child in children:
        for el in child.iter():
            if el is child or not isinstance(el.tag, str) or el.tag in _KNOWN:
                continue
            if len(el) and any(isinstance(e.tag, str) and e.tag in _KNOWN for e in el.iter()):
                continue
            seen[el.tag] += 1
    out = []
    fields = sorted(_KNOWN - {"HEADER", "EPISODE", *_GROUP_TABLES})
    for tag, n in sorted(seen.items()):
        near = difflib.get_close_matches(tag.upper(), fields, n=1, cutoff=0.8)
        said = f"<{tag}> element{'s' if n != 1 else ''}"
        if near:
            message = (
                f"holds {n:,} {said}, which no 903 table has: is it a misspelt "
                f"<{near[0]}>? Not read, so {near[0]} is blank wherever it stands "
                "for it; correct the element's name"
            )
        else:
            message = (
                f"holds {n:,} {said}, which no 903 table has; not read (its "
                "values are not shown: they may be a child's details)"
            )
        code = "misspelt_xml_element" if near else "unknown_xml_element"
        out.append(Problem(source, None, None, None, message, severity="warning", code=code))
    return out
