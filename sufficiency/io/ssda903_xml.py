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

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from sufficiency.errors import InputDataError, Problem
from sufficiency.io.tables import RawTable

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
    """Tags without their namespace (``{uri}CHILD`` or ``ns:CHILD`` read as ``CHILD``)."""
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.rsplit("}", 1)[1]
    return root


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
    try:
        root = _local_names(ET.parse(path).getroot())
    except (ET.ParseError, OSError) as exc:
        raise InputDataError(
            [Problem(source, None, None, None, f"is not well-formed XML ({exc})",
                     code="malformed_file")]
        ) from None  # fmt: skip
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
        raw = RawTable(f"{source}[{name}]", data, {c.lower(): c for c in cols}, first_data_row=1)
        tables.append((name, raw))
    return tables, others
