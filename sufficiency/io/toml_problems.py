"""A TOML file's problems in words: where each is (its line, section and key) and what to
give instead, for a file written by hand.

pydantic says "Input should be greater than or equal to 0" and "Field required" and
counts list items from 0 (``step_down.1.to`` for the second ``[[step_down]]``); here each
says the value given and what to give, and items are counted from 1. A file of one kind
given for another (a levers file as a scenario) is said once, in place of a problem for
each of its sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from sufficiency.io.toml_places import Place, Places, at

#: The top-level sections and keys of each kind of TOML file (as ``read_toml``'s ``kind``
#: names it), and how each is given to the tool. A test keeps them equal to the models.
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "configuration": (
        ("general", "matching", "forecast", "finance", "commissioning", "nightly",
         "retention", "web"),
        "`--config`",
    ),
    "scenario": (
        ("name", "description", "entries", "step_down", "shift", "exit_rate_change_pct"),
        "`sufficiency forecast --scenario`",
    ),
    "levers": (
        ("spot", "recruit", "fee_uplift", "block", "home", "service_limit"),
        "`sufficiency commission --levers`",
    ),
    "supply": (
        ("in_house_foster", "in_house_residential", "block_contracts"),
        "`sufficiency forecast --supply`",
    ),
    "members": (("region", "member"), "`sufficiency region --members`"),
}  # fmt: skip


#: What an unknown key with no near one is told.
_SPELLING = "check its spelling and section"


def other_kind(data: dict[str, Any], kind: str) -> str | None:
    """A sentence when ``data`` (a ``kind`` file's top level) has nothing of its kind and
    is another kind's file: a levers file given as a scenario was refused a section at a
    time as "not a setting", and a scenario given as levers as "spot is missing"."""
    if kind not in KINDS or not data or set(data) & set(KINDS[kind][0]):
        return None
    for other, (keys, how) in KINDS.items():
        if other != kind and set(data) <= set(keys):
            has = ", ".join(sorted(data))
            return (
                f"this is a {other} file (it has {has}), not a {kind} file: give it to {how}; "
                f"a {kind} file has {', '.join(KINDS[kind][0])} (given to {KINDS[kind][1]})"
            )
    return None


def where(loc: Sequence[Any]) -> str:
    """A place as the file's writer knows it: ``[[step_down]] 2: to`` for the second
    ``[[step_down]]`` table's ``to``, ``changes item 1.places`` for a list's first item."""
    if len(loc) > 1 and isinstance(loc[0], str) and isinstance(loc[1], int):
        rest = where(loc[2:])
        return f"[[{loc[0]}]] {loc[1] + 1}" + (f": {rest}" if rest else "")
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f" item {part + 1}"
        elif part != "[key]":  # a dict's key that fails: said as the key
            out += ("." if out else "") + str(part)
    return out


def fields(model: Any, loc: Sequence[Any]) -> list[str]:
    """The keys the table at ``loc`` of ``model`` may hold ([] if unknown)."""
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list of tables: the tables' model, taken below
        named = {f.alias or n: f for n, f in model.model_fields.items()} if model else {}
        field = named.get(str(part)) or (model.model_fields.get(str(part)) if model else None)
        kind = field.annotation if field else None
        while get_origin(kind) is not None and not isinstance(kind, type):
            args = [a for a in get_args(kind) if a is not type(None) and a is not Ellipsis]
            kind = args[0] if args else None
        model = kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None
    # each as the file may write it: a field's alias too (``from``, ``beds``)
    return [k for n, f in model.model_fields.items() for k in (f.alias or n, n)] if model else []


def _fraction(value: Any, most: Any) -> str:
    """A hint when a fraction (at most 1) is given as a percentage (``25`` for 0.25)."""
    if most == 1 and isinstance(value, int | float) and 1 < value <= 100:
        return f" (a fraction: {value / 100:g} for {value:g}%)"
    return ""


def _bare_number(value: Any) -> str:
    """``value`` as a number once a £ or % sign and commas are taken off (``"£1,200"`` is
    ``1200``), if it then is one and had any; ``""`` otherwise."""
    if not isinstance(value, str):
        return ""
    bare = value.strip().replace("£", "").replace("%", "").replace(",", "").strip()
    try:
        float(bare)
    except ValueError:
        return ""
    return bare if bare != value.strip() else ""


def said(err: Any, model: Any, unknown: str) -> str:
    """What is wrong with the value at one of pydantic's errors, and what to give."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        near = get_close_matches(str(err["loc"][-1]), fields(model, err["loc"][:-1]), n=1)
        return f"{unknown}; did you mean {near[0]}?" if near else f"{unknown} ({_SPELLING})"
    shown = repr(value) if isinstance(value, str) else f"{value}"
    if kind in ("model_type", "dict_type") and isinstance(value, list) and value:
        # [[forecast]] for [forecast]: TOML reads two brackets as a list of tables
        return (
            "is written with two pairs of brackets ([[...]], a list of tables); write its "
            "heading with one pair"
        )
    if kind in ("float_parsing", "int_parsing") and (bare := _bare_number(value)):
        return f"is {shown}; give the number alone, without a £ or % sign or commas ({bare})"
    ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
    words = {
        "missing": "is missing; add it",
        "greater_than_equal": f"is {shown}; give {ctx.get('ge')} or more",
        "greater_than": f"is {shown}; give more than {ctx.get('gt')}",
        "less_than_equal": f"is {shown}; give {ctx.get('le')} or less"
        + _fraction(value, (err.get("ctx") or {}).get("le")),
        "less_than": f"is {shown}; give less than {ctx.get('lt')}",
        "int_parsing": f"is {shown}; give a whole number",
        "int_from_float": f"is {shown}; give a whole number",
        "int_type": f"is {shown}; give a whole number",
        "float_parsing": f"is {shown}; give a number",
        "float_type": f"is {shown}; give a number",
        "bool_parsing": f"is {shown}; give true or false",
        "bool_type": f"is {shown}; give true or false",
        "string_type": f"is {shown}; give text in quotes",
        "literal_error": f"is {shown}; give one of {ctx.get('expected')}",
        "finite_number": f"is {shown}, not a figure; give a finite number",
        "date_from_datetime_parsing": f"is {shown}; give a date as YYYY-MM-DD (2027-04-01)",
        "date_type": f"is {shown}; give a date as YYYY-MM-DD (2027-04-01)",
        "dict_type": f"is {shown}; give a table ([section] with key = value lines)",
        "model_type": f"is {shown}; give a table ([section] with key = value lines)",
        "tuple_type": f"is {shown}; give a list in square brackets ([1, 2])",
        "list_type": f"is {shown}; give a list in square brackets ([1, 2])",
    }
    return words.get(kind, str(err["msg"]).removeprefix("Value error, "))


def in_order(found: Sequence[tuple[Place, str]], places: Places | None) -> list[str]:
    """Each problem (its place and words) as ``line N: place: words``, in the file's order
    (those with no line first: they are of the whole file)."""
    lines = [(places.line(loc) if places else None) or 0 for loc, _ in found]
    out = [(n, at(n) + (f"{where(loc)}: " if where(loc) else "") + text)
           for n, (loc, text) in zip(lines, found, strict=True)]  # fmt: skip
    return [text for _, text in sorted(out, key=lambda p: p[0])]
