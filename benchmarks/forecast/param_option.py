"""``--param NAME=VALUE``: the forecast benchmarks' way to try another setting, and their
settings checked as the forecast checks them (an option out of range is one line)."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import ValidationError

from sufficiency.config import ForecastParams


def add_param_option(parser: argparse.ArgumentParser) -> None:
    """Add a repeatable ``--param NAME=VALUE`` overriding a numeric ForecastParams field."""
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a numeric ForecastParams field (repeatable)",
    )


def param_update(args: argparse.Namespace) -> dict[str, float]:
    """The ``--param`` overrides as keyword arguments for ForecastParams."""
    return {name: float(value) for name, value in (p.split("=", 1) for p in args.param)}


def forecast_params(
    parser: argparse.ArgumentParser, options: dict[str, str], **fields: Any
) -> ForecastParams:
    """ForecastParams from the command line's figures, or argparse's one-line error naming
    the option and the limit (``--paths 5: should be greater than or equal to 10``), not
    pydantic's traceback. ``options``: the option giving each field (``num_paths``:
    ``--paths``); any other field came from ``--param``."""
    try:
        return ForecastParams(**fields)
    except ValidationError as exc:
        said = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            option = options.get(name, f"--param {name}=")
            sep = "" if option.endswith("=") else " "
            said.append(f"{option}{sep}{err['input']}: {err['msg'].removeprefix('Input ')}")
        parser.error("; ".join(said))
