"""``--param NAME=VALUE``: the forecast benchmarks' way to try another setting."""

from __future__ import annotations

import argparse


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
