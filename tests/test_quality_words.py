"""Every finding code a reader can emit has plain words in the 903 summary.

The summary printed a code where it had no phrase for it: "Repaired or set aside: 1 two
row header", "1 mac roman", "1 excel error". The codes are found here from the source
of sufficiency/io and sufficiency/forecast (each ``code=`` given to a Problem: a string,
a module constant, a ``DateForm``'s code, or a name whose values the function or its
callers give), so a new code without words fails this test."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from sufficiency.errors import Problem
from sufficiency.io.quality import PHRASES, READING_CODES, DataQuality
from sufficiency.plurals import for_count

ROOT = Path(__file__).resolve().parents[1] / "sufficiency"
CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
FILES = [p for pkg in ("io", "forecast") for p in sorted((ROOT / pkg).rglob("*.py"))]
TREES = {p: ast.parse(p.read_text(encoding="utf-8")) for p in FILES}
CONSTANTS = {
    t.id: n.value.value
    for tree in TREES.values()
    for n in tree.body
    if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
    and isinstance(n.value.value, str)
    for t in n.targets
    if isinstance(t, ast.Name)
}  # fmt: skip
FUNCTIONS = [
    n for tree in TREES.values() for n in ast.walk(tree)
    if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
]  # fmt: skip


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return CONSTANTS.get(node.id) if isinstance(node, ast.Name) else None


def _calls(name: str) -> Iterator[ast.Call]:
    for tree in TREES.values():
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                f = n.func
                called = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                if called == name:
                    yield n


def _values(fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str, seen: set) -> set[str]:
    """The codes a parameter or local name of ``fn`` can hold: what its callers pass, or
    the codes written in the function (its tuples' and dicts' codes, its assignments)."""
    params = [a.arg for a in fn.args.args]
    out: set[str] = set()
    if name in params:
        if (fn.name, name) in seen:
            return out
        seen.add((fn.name, name))
        k = params.index(name) - (params[:1] == ["self"])
        for call in _calls(fn.name):
            given = [kw.value for kw in call.keywords if kw.arg == name] + call.args[k : k + 1]
            for a in given:
                if (v := _literal(a)) is not None:
                    out.add(v)
                elif isinstance(a, ast.Name):
                    outer = next(f for f in FUNCTIONS if any(x is call for x in ast.walk(f)))
                    out |= _values(outer, a.id, seen)
        return out
    for n in ast.walk(fn):
        if isinstance(n, ast.Tuple | ast.List | ast.Set):
            items: list[ast.expr] = list(n.elts)
        elif isinstance(n, ast.Dict):
            items = [k for k in n.keys if k is not None]
        elif isinstance(n, ast.IfExp):
            items = [n.body, n.orelse]
        elif isinstance(n, ast.Assign) and any(getattr(t, "id", None) == name for t in n.targets):
            items = [n.value]
        else:
            continue
        out |= {v for e in items if (v := _literal(e)) is not None and CODE.match(v)}
    return out


def emitted_codes() -> dict[str, str]:
    """Every finding code given to a Problem under sufficiency/io and sufficiency/forecast,
    with where (file:line)."""
    forms = {v for c in _calls("DateForm") if c.args and (v := _literal(c.args[0]))}
    found: dict[str, str] = {}
    for fn in FUNCTIONS:
        for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
            for kw in (kw for kw in call.keywords if kw.arg == "code"):
                v = kw.value
                if (c := _literal(v)) is not None:
                    codes = {c}
                elif isinstance(v, ast.Attribute) and v.attr == "code":
                    codes = forms
                elif isinstance(v, ast.Name):
                    codes = _values(fn, v.id, set())
                else:
                    codes = set()
                assert codes, f"cannot tell the codes of code={ast.unparse(v)} in {fn.name}"
                for c in codes:
                    found.setdefault(c, f"{fn.name}:{v.lineno}")
    return found


def test_the_codes_are_found_from_the_source() -> None:
    """The search finds every code the summary already had words for (so it misses none
    of the ways codes are given), and the ones this test was written for."""
    found = emitted_codes()
    assert set(found) >= set(PHRASES) | READING_CODES
    assert {"mac_roman", "two_row_header", "text_formulas", "excel_error",
            "european_figures", "weekday_dates"} <= set(found)  # fmt: skip


def test_every_emitted_code_has_plain_words() -> None:
    """Each code is said in words: after a count (PHRASES), or under "Read as found"."""
    said = set(PHRASES) | READING_CODES
    missing = {c: at for c, at in emitted_codes().items() if c not in said}
    assert not missing, f"finding codes with no words in sufficiency/io/quality.py: {missing}"


def _quality(codes: list[str]) -> DataQuality:
    problems = tuple(
        Problem("returns/2026/header.csv", None, None, None, "m", severity="warning", code=c)
        for c in codes
    )
    return DataQuality(problems, (), (), (), pd.Timestamp(2026, 3, 31), 10, 0)


def test_the_summary_says_no_code() -> None:
    """One finding of each emitted code: the summary and the region's note say each in
    words, never the code ("1 two row header", "1 mac roman")."""
    codes = sorted(emitted_codes())
    text = "\n".join(_quality(codes).reading_notes())
    for code in codes:
        assert f"1 {code.replace('_', ' ')};" not in text
        assert f"1 {code.replace('_', ' ')}." not in text
        if code not in READING_CODES:
            assert f"1 {for_count(1, PHRASES[code])}" in text


def test_a_file_read_as_found_is_said_so() -> None:
    """The reading notes added: a Mac Roman file, text formulas, a header row missing,
    European figures, other sheets, weekday dates."""
    codes = ["mac_roman", "text_formulas", "header_row_missing", "european_figures",
             "other_sheets", "weekday_dates"]  # fmt: skip
    (line,) = _quality(codes).reading_lines()
    assert line.startswith("Read as found: dates not in DD/MM/YYYY in 1 table; ")
    for said in ("'CSV (Macintosh)' writes them in 1 file", 'cells written ="..."',
                 "no header row in 1 table", "the European way (1.234,50) in 1 table",
                 "1 workbook with several sheets of one table"):  # fmt: skip
        assert said in line
    assert _quality(codes).counts() == {}
