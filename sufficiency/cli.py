"""Command-line interface: each command parses options, calls one library function, writes.

Errors the user can fix become one clear message and exit code 1, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from sufficiency import __version__, clock
from sufficiency.commands.commission import commission
from sufficiency.commands.common import (
    EXIT_PIPE_CLOSED,
    config_option,
    date_option,
    out_option,
    path_option,
    stdout_closed,
    user_errors,
)
from sufficiency.commands.forecast import backtest, forecast
from sufficiency.commands.match import match
from sufficiency.commands.region import region
from sufficiency.commands.runs import runs
from sufficiency.commands.spend import spend
from sufficiency.web.commands import serve, users


def _show_warning(message: Any, category: type[Warning], *_: Any, **__: Any) -> None:
    """Data warnings are for the user: one plain line on standard error, no source line."""
    from sufficiency.errors import DataWarning

    if issubclass(category, DataWarning):
        click.echo(f"Warning: {message}", err=True)
    else:
        _default_showwarning(message, category, *_, **__)


_default_showwarning = warnings.showwarning


class _Commands(click.Group):
    """The commands, ended quietly with exit code 141 when their standard output is closed
    part-way (``sufficiency runs list | head -1`` in a script): click's own ending was
    exit code 1, which ``validate`` and ``match`` give for an input with errors."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if stdout_closed(exc):
                raise click.exceptions.Exit(EXIT_PIPE_CLOSED) from None
            raise


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="sufficiency")
def main() -> None:
    """Placement sufficiency and commissioning optimiser for children's services.

    Example: sufficiency forecast --history data/sample/ssda903 --out out/forecast
    """
    warnings.showwarning = _show_warning
    # standard output is in the locale's encoding (ISO-8859-1 on a server set to en_GB):
    # a character it has not (a folder's Ł) is written as \u0141, as Python writes it on
    # standard error, instead of a UnicodeEncodeError traceback once the work is done
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors == "strict":
        sys.stdout.reconfigure(errors="backslashreplace")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@date_option("Run date for age checks (default: today in England).")
@config_option
@user_errors
def validate(
    paths: tuple[Path, ...], fmt: str, run_date: dt.datetime | None, config_path: Path | None
) -> None:
    """Check input files and print every problem at once.

    PATHS may be referrals or placement-register files (CSV or XLSX), 903 files,
    or folders of 903 returns. Exits 0 when there are no errors (warnings do not
    fail), 1 otherwise.

    Example: sufficiency validate data/sample/ssda903 data/sample/referrals.csv
    """
    from sufficiency.config import load_params
    from sufficiency.validate import validate_paths

    params = load_params(config_path)
    report = validate_paths(
        list(paths),
        run_date=(run_date.date() if run_date else clock.today()),
        default_responsible_la=params.general.responsible_la,
        harm_animals_excludes_pets=params.matching.harm_animals_excludes_pets,
    )
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    if not report.ok:
        raise SystemExit(1)


@main.command()
@click.option(
    "--seed", type=click.IntRange(min=0), default=2026, show_default=True, help="Random seed."
)
@out_option()
@user_errors
def sample(seed: int, out_dir: Path) -> None:
    """Generate the synthetic sample authority (fictional children, real postcodes).

    The same seed gives byte-identical files.

    Example: sufficiency sample --seed 2026 --out data/sample
    """
    from sufficiency.sample import generate_sample

    written = generate_sample(seed, out_dir)
    click.echo(f"Wrote {len(written)} files to {out_dir}")


@main.command()
@path_option("--config", "config_path", "Nightly configuration (TOML with a [nightly] section).",
             required=True, exists=False)  # fmt: skip
@date_option()
@click.option(
    "--store",
    "store_url",
    default=None,
    help="Run store URL; overrides the configuration's, which overrides $SUFFICIENCY_STORE.",
)
@click.option("--pseudonymise", is_flag=True, default=False,
              help="Replace child IDs with keyed hashes in every output (key from "
              "$SUFFICIENCY_PSEUDONYM_KEY or the configuration's pseudonym_key_file).")  # fmt: skip
def nightly(
    config_path: Path, run_date: dt.datetime | None, store_url: str | None, pseudonymise: bool
) -> None:
    """Run the configured pipeline for the scheduler: lock, run, publish whole, record.

    Exit codes: 0 success; 1 input or configuration error; 2 run failure; 75 skipped,
    another nightly run still in progress (it holds the lock; nothing was done). A job
    that fails does not stop the others: their outputs are published and the exit code
    is the failed job's.

    Example: sufficiency nightly --config configs/nightly-sample.toml --date 2026-04-01
    """
    from sufficiency.nightly import run_nightly

    day = run_date.date() if run_date else clock.today()
    report = run_nightly(config_path, day, store_url, pseudonymise)
    try:
        for message in report.messages:
            click.echo(message, err=report.exit_code != 0)
    except OSError as exc:  # the night is done and logged: its code, not the pipe's
        if not stdout_closed(exc):
            raise
    raise SystemExit(report.exit_code)


for _command in (backtest, commission, forecast, match, region, runs, serve, spend, users):
    main.add_command(_command)
