"""Reading TOML files (configuration, scenarios, supply, levers) the one way.

Every such file is read and validated here, so a missing file, a file that is not
TOML and a key or value the model rejects each give the same one-sentence
:class:`~sufficiency.errors.ConfigError`, naming the file.
"""

from __future__ import annotations

import tomllib
import types
from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import numpy as np
from pydantic import AfterValidator, BaseModel, ValidationError, ValidationInfo

from sufficiency.errors import ConfigError
from sufficiency.io.toml_hints import toml_hint
from sufficiency.io.toml_places import Place, Places
from sufficiency.io.toml_problems import in_order, other_kind, said, where

M = TypeVar("M", bound=BaseModel)
#: How an XLSX (a zip) and an old binary XLS file begin.
_SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
#: What a key no model field has is told (pydantic: "Extra inputs are not permitted").
_UNKNOWN = "is not a setting of this version"


def read_toml(path: Path | str, kind: str) -> dict[str, Any]:
    """The TOML file at ``path`` as a dict; ``kind`` names it in errors ("scenario")."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: {kind} file not found.") from None
    if raw.startswith(_SPREADSHEET_SIGNATURES):
        raise ConfigError(
            f"{p}: this is a spreadsheet (Excel), but a {kind} file is a TOML text file "
            "(`key = value` lines under `[section]` headings, as in the examples in docs/); "
            "write its figures in that form."
        )
    try:
        text = _decoded(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{p}: not a valid TOML file (line {line} is not UTF-8: byte 0x{raw[exc.start]:02x}, "
            f"{raw[exc.start : exc.start + 1].decode('cp1252', 'replace')!r} in Windows-1252). "
            "Save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)."
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        hint = toml_hint(text, str(exc))
        raise ConfigError(f"{p}: not a valid TOML file ({exc}).{hint}") from None
    wrong = other_kind(data, kind)
    if wrong:
        raise ConfigError(f"{p}: {wrong}.")
    return data


def toml_text(path: Path | str) -> str:
    """The text of a TOML file that :func:`read_toml` read, decoded as it decodes it (to
    find where a value was written: tomllib gives no places)."""
    return _decoded(Path(path).read_bytes())


def _decoded(raw: bytes) -> str:
    """A TOML file's text: UTF-8 (Notepad may begin it with a BOM), or UTF-16 with its BOM,
    as Notepad saves "Unicode" (it was refused as "'utf-8' codec can't decode byte 0xff")."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _is_number_text(text: str, kind: Any) -> bool:
    if kind is bool:
        return text.strip().lower() in ("true", "false", "yes", "no", "on", "off", "1", "0")
    try:
        float(text)
    except ValueError:
        return False  # not a number at all: pydantic says so
    return True


def quoted_numbers(kind: Any, value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where ``value`` (parsed TOML) gives a number or true/false that ``kind`` (a model or
    a field's type) wants as quoted text (``contract_years = "3"``): pydantic would read
    it quietly, but a figure typed as text is often a cell pasted from a spreadsheet. Each
    is its place (keys and list positions) followed by what it is told."""
    origin, args = get_origin(kind), get_args(kind)
    if kind in (int, float, bool):
        ok = isinstance(value, str) and _is_number_text(value, kind)
        key = loc[-1] if loc and isinstance(loc[-1], str) else ""
        return [(*loc, quoted(key, value, kind))] if ok else []
    if origin is Annotated:
        return quoted_numbers(args[0], value, loc)
    if origin in (Union, types.UnionType):
        return next((q for a in args if (q := quoted_numbers(a, value, loc))), [])
    if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(value, dict):
        fields = kind.model_fields
        return [q for k, v in value.items() if k in fields
                for q in quoted_numbers(fields[k].annotation, v, (*loc, k))]  # fmt: skip
    if origin in (tuple, list) and args and isinstance(value, list):
        return [q for i, v in enumerate(value) for q in quoted_numbers(args[0], v, (*loc, i))]
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        return [q for k, v in value.items() for q in quoted_numbers(args[1], v, (*loc, k))]
    return []


def not_true_or_false(cls: type[BaseModel], value: Any, info: ValidationInfo) -> Any:
    """A field validator (``mode="before"``) refusing True or False for a number field:
    pydantic took ``seed=True`` as seed 1 (a bool is an int in Python), in the Python
    API and in a TOML file (``seed = true``) alike. A number that may be left out
    (``int | None``) and the numbers in a list or table (``[finance.weekly_cost_gbp]``)
    are numbers too."""
    wanted = _number_for_bool(cls.model_fields[info.field_name or ""].annotation, value)
    if wanted:
        raise ValueError(f"expected {wanted}, not {_bool_given(value)}")
    return value


def _number_for_bool(kind: Any, value: Any) -> str | None:
    """ "a whole number" or "a number" where ``kind`` wants one and ``value`` (or one of
    its items) is True or False; ``None`` otherwise."""
    origin, args = get_origin(kind), get_args(kind)
    if kind in (int, float):
        return f"a {'whole ' * (kind is int)}number" if isinstance(value, bool | np.bool_) else None
    if origin is Annotated:
        return _number_for_bool(args[0], value)
    if origin in (Union, types.UnionType):
        return None if bool in args else next(
            (w for a in args if (w := _number_for_bool(a, value))), None)  # fmt: skip
    if origin in (tuple, list) and args and isinstance(value, list | tuple):
        return next((w for v in value if (w := _number_for_bool(args[0], v))), None)
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        return next((f"{w} for {k}" for k, v in value.items()
                     if (w := _number_for_bool(args[1], v))), None)  # fmt: skip
    return None


def _bool_given(value: Any) -> str | None:
    """``value`` (or the first of its items) as "True" or "False" if it is one."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    items = value.values() if isinstance(value, dict) else value
    if isinstance(items, list | tuple) or isinstance(value, dict):
        return next((b for v in items if (b := _bool_given(v))), None)
    return None


def quoted(key: str, text: str, kind: Any) -> str:
    """What a figure written in quotes is told (see :func:`quoted_numbers`)."""
    plain = text.strip().lower() if kind is bool else text.strip()
    return f'is text in quotes ("{text}"); write it without quotes: ' + (
        f"{key} = {plain}" if key else plain  # a list's item has no key of its own
    )


def validation_problems(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """Every validation failure as ``section.key: message`` (an unknown key with the
    nearest key ``model`` has there, if any)."""
    return [f"{where(loc)}: {text}" if where(loc) else text for loc, text in _found(exc, model)]


def _found(exc: ValidationError, model: type[BaseModel] | None) -> list[tuple[Place, str]]:
    """Each validation failure's place and words."""
    return [(tuple(err["loc"]), said(err, model, _UNKNOWN)) for err in exc.errors()]


def validation_message(exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    """:func:`validation_problems` joined by semicolons, for one sentence."""
    return "; ".join(validation_problems(exc, model))


def problems_error(source: Path | str, problems: Sequence[str]) -> ConfigError:
    """Every problem of a file in one :class:`ConfigError`: one on the file's line, more
    each on its own line, so that they are all fixed before the next run."""
    if len(problems) == 1:
        return ConfigError(f"{source}: {problems[0]}")
    lines = "\n".join(f"  {p}" for p in problems)
    return ConfigError(f"{source}: {len(problems)} problems, each to fix:\n{lines}")


def validate_toml(
    model: type[M],
    data: dict[str, Any],
    source: Path | str,
    problems: Sequence[tuple[Place, str]] = (),
) -> M:
    """``model`` validated from ``data``; every failure, after ``problems`` (place and
    words) the caller found first (an old key, say), in one :class:`ConfigError`, each
    naming its line in the file at ``source``."""
    found = [*problems, *((q[:-1], q[-1]) for q in quoted_numbers(model, data))]
    try:
        valid = model.model_validate(data)
    except ValidationError as exc:
        found += _found(exc, model)
    if found:
        raise problems_error(source, in_order(found, places_of(source))) from None
    return valid


def places_of(source: Path | str) -> Places | None:
    """The places of the TOML file at ``source`` (``None`` if it cannot be read again)."""
    try:
        return Places(toml_text(source))
    except (OSError, UnicodeError):
        return None


def load_toml(model: type[M], path: Path | str, kind: str) -> M:
    """Read the TOML file at ``path`` and validate it as ``model``."""
    return validate_toml(model, read_toml(path, kind), path)


def one_of(allowed: Sequence[str], what: str) -> AfterValidator:
    """For ``Annotated[str, one_of(...)]`` (a field, or a dict's keys): the value must
    be one of ``allowed``; the error names ``what`` and lists the choices."""

    def check(value: str) -> str:
        if value not in allowed:
            near = get_close_matches(str(value), allowed, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ValueError(f"unknown {what} {value!r}{hint}; use one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)
