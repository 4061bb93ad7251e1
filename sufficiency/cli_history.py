"""What every command that reads a 903 history shares: ``--strict`` and its summary lines.

The analytic commands (``forecast``, ``backtest``, ``spend``, ``commission``) run on
imperfect history, repairing and setting aside by stated rules; ``--strict`` makes
them refuse on any error ``validate`` would report instead. Either way they print a
short data-quality summary and write the detail to ``data_quality.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sufficiency.io.quality import DataQuality

F = TypeVar("F", bound=Callable[..., Any])


def strict_option(func: F) -> F:
    """``--strict``: refuse on any error in the 903 history instead of repairing."""
    return click.option(
        "--strict",
        is_flag=True,
        default=False,
        help="Refuse to run if the 903 history has any error `validate` would report, "
        "instead of repairing what a stated rule can and setting aside the rest.",
    )(func)


def echo_quality(quality: DataQuality | None, out_dir: Path | None = None) -> None:
    """Print the data-quality summary (at most 15 lines) and where the detail is."""
    if quality is None:
        return
    for line in quality.summary_lines():
        click.echo(line)
    if out_dir is not None and len(quality.problems):
        click.echo(f"Every finding: {Path(out_dir) / 'data_quality.csv'}")
