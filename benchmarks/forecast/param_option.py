"""``--param NAME=VALUE``: the forecast benchmarks' way to try another setting, and their
settings checked as the forecast checks them (an option out of range is one line)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench_args

from bench_args import settings

from sufficiency.config import ForecastParams


def _numeric_fields() -> list[str]:
    return sorted(
        name
        for name, field in ForecastParams.model_fields.items()
        if field.annotation in (int, float)
    )


def param_pair(text: str) -> tuple[str, float]:
    """``NAME=VALUE`` naming a numeric ForecastParams field, as (name, value)."""
    name, sep, value = text.partition("=")
    fields = _numeric_fields()
    if not sep or name.strip() not in fields:
        raise argparse.ArgumentTypeError(
            f"{text!r} should be NAME=VALUE, NAME one of {', '.join(fields)}"
        )
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: {value!r} is not a number") from None


def add_param_option(parser: argparse.ArgumentParser) -> None:
    """Add a repeatable ``--param NAME=VALUE`` overriding a numeric ForecastParams field."""
    parser.add_argument(
        "--param",
        action="append",
        type=param_pair,
        default=[],
        metavar="NAME=VALUE",
        help="override a numeric ForecastParams field (repeatable)",
    )


def param_update(
    parser: argparse.ArgumentParser, args: argparse.Namespace, options: dict[str, str]
) -> dict[str, float]:
    """The ``--param`` overrides as keyword arguments for ForecastParams; a field with an
    option of its own in ``options`` (``num_paths``: ``--paths``) is refused, naming the
    option (it was a TypeError: the field given twice)."""
    update = dict(args.param)
    for name in sorted(update.keys() & options.keys()):
        parser.error(f"--param {name}=: give {options[name]} instead")
    return update


def forecast_params(
    parser: argparse.ArgumentParser, options: dict[str, str], **fields: Any
) -> ForecastParams:
    """ForecastParams from the command line's figures, or argparse's one line naming the
    option and the limit (see :func:`bench_args.settings`)."""
    return settings(parser, ForecastParams, options, **fields)
