"""What every command shares: the user-error handler and the option decorators.

One copy of each (as sqlite-utils factors its ``output_options``): a command is a
stack of these decorators over a few lines that call one library function. Library
errors (:class:`~sufficiency.errors.SufficiencyError`) become ``Error: <sentence>``
and exit code 1, never a traceback; data warnings are printed once each, as one
plain line on standard error, except the Python API's note of an input's repairs
(:class:`~sufficiency.errors.RepairWarning`), which each command prints in its own
words with where every finding is.
"""

from __future__ import annotations

import errno
import functools
import os
import select
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sufficiency.errors import ConfigError, DataWarning, RepairWarning, SufficiencyError
from sufficiency.io.quality import DataQuality

F = TypeVar("F", bound=Callable[..., Any])

#: Dates on the command line are ISO dates.
DATE = click.DateTime(["%Y-%m-%d"])

#: The exit code of a command whose standard output was closed before it finished (its
#: lines piped into ``head``, which has read what it wanted): 128 + SIGPIPE, what a shell
#: reports for a Unix tool so ended; never 1, which says the input had errors.
EXIT_PIPE_CLOSED = 141


def stdout_closed(exc: BaseException) -> bool:
    """Whether ``exc`` is a write to a standard output whose reader has gone (``| head``),
    not another pipe's or a socket's. If it is, standard output is pointed at the null
    device, so that Python's last flush at exit writes nowhere instead of printing a
    second ``BrokenPipeError`` (the recipe of Python's ``signal`` documentation, "Note on
    SIGPIPE"), and the caller ends quietly with :data:`EXIT_PIPE_CLOSED`. Shared by the
    commands (``cli.py``) and the benchmarks (``benchmarks/bench_args.py:run``)."""
    if not isinstance(exc, BrokenPipeError):
        return False
    try:
        fd = sys.stdout.fileno()
        if hasattr(select, "poll"):  # a pipe with no reader left polls as an error
            poll = select.poll()
            poll.register(fd, select.POLLOUT)
            if not any(events & select.POLLERR for _, events in poll.poll(0)):
                return False
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's captured output)
        return False
    return True


def user_errors(func: F) -> F:
    """Turn library errors into ``Error: ...`` and exit code 1; print each data warning once."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen: set[str] = set()

        def show(message: Any, category: type[Warning], *rest: Any, **kw: Any) -> None:
            if issubclass(category, RepairWarning):
                return  # the Python API's (a Python call for a hint): commands say repairs
            if issubclass(category, DataWarning):
                text = str(message)
                if text not in seen and sys.stderr is not None:  # None: closed (2>&-)
                    seen.add(text)
                    # sys.stderr as it is now: above the progress display on a terminal
                    print(f"Warning: {text}", file=sys.stderr, flush=True)
            else:
                original(message, category, *rest, **kw)

        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            original = warnings.showwarning
            warnings.showwarning = show
            try:
                return func(*args, **kwargs)
            except SufficiencyError as exc:
                raise click.ClickException(str(exc)) from None
            except OSError as exc:  # a folder that cannot be written, a file not readable
                if exc.errno == errno.EPIPE:
                    raise  # standard output closed (``| head``): cli.py ends quietly
                raise click.ClickException(os_problem(exc, kwargs.get("out_dir"))) from None

    return wrapper  # type: ignore[return-value]


#: The lock a command holds inside its ``--out`` folder while it runs.
OUT_LOCK = ".sufficiency-writing.lock"


def one_run_per_folder(func: F) -> F:
    """Refuse a second run into the same ``--out`` folder while one runs (each file is
    written atomically, but two runs' files mixed: one seed's forecast.html beside the
    other's CSVs and workbook, both saying they wrote the folder). Put under
    :func:`user_errors`. Without ``fcntl`` (Windows) nothing is locked."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return func(*args, **kwargs)
        from sufficiency.io.atomic import FILE_MODE, ensure_private_dir

        out_dir = Path(kwargs["out_dir"])
        created = not out_dir.exists()
        lock = ensure_private_dir(out_dir) / OUT_LOCK
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise ConfigError(f"another run is writing into {out_dir}; this run did nothing. "
                              "Run it again when that one has finished, or name another "
                              "folder with --out.") from None  # fmt: skip
        except OSError:  # a network folder without locks (NFS with no lock daemon): unlocked
            pass
        try:
            return func(*args, **kwargs)
        finally:
            lock.unlink(missing_ok=True)
            os.close(fd)  # unlocks
            if created and out_dir.is_dir() and not any(out_dir.iterdir()):
                out_dir.rmdir()  # a run that wrote nothing leaves no folder

    return wrapper  # type: ignore[return-value]


def os_problem(exc: OSError, out_dir: Path | None = None) -> str:
    """The sentence for a file the system would not let a command read or write: the
    output folder (not the hidden temporary file inside it), or the file."""
    reason = exc.strerror or str(exc)
    if not exc.filename and out_dir is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"cannot write the outputs to {out_dir} ({reason}): it may hold only some of "
                "this run's files, beside an earlier run's; make space and run again")  # fmt: skip
    if not exc.filename:
        return f"a file could not be read or written ({reason})"
    where = os.path.abspath(exc.filename)
    if out_dir is not None:
        out = os.path.abspath(out_dir)
        if os.path.commonpath([where, out]) in (where, out):  # it, inside it, or its parent
            return (f"cannot write the outputs to {out_dir} ({reason}): name a folder this "
                    "account may write to (an existing file cannot be one)")  # fmt: skip
    return f"cannot read or write {exc.filename} ({reason})"


class UserPath(click.Path):
    """:class:`click.Path` with ``~`` the user's home, as the library reads a path
    (:func:`sufficiency.io.atomic.user_path`): the shell leaves ``--previous=~/spend``
    as it is, and it was refused as not existing."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = os.path.expanduser(value)
        return super().convert(value, param, ctx)


def path_option(
    flag: str,
    dest: str,
    help_text: str,
    *,
    required: bool = False,
    exists: bool = True,
    kind: str = "file",
    multiple: bool = False,
) -> Callable[[F], F]:
    """An option naming a path, passed as ``dest`` (a :class:`~pathlib.Path`).

    ``kind`` is ``"file"``, ``"folder"`` or ``"any"``; ``exists`` has click refuse a
    path that is not there before the command runs.
    """
    path = UserPath(
        exists=exists, file_okay=kind != "folder", dir_okay=kind != "file", path_type=Path
    )
    return click.option(flag, dest, type=path, required=required, multiple=multiple, help=help_text)


#: ``--config``: a TOML file overriding ``configs/default.toml`` (every section).
config_option = path_option(
    "--config", "config_path", "TOML file overriding configs/default.toml.", exists=False
)

#: ``--history``: the SSDA903 history (a folder of returns, or one file).
history_option = path_option(
    "--history", "history_path",
    "SSDA903 history: a folder of per-year returns (CSV, XLSX or the DfE XML).",
    required=True, kind="any",
)  # fmt: skip


def out_option(help_text: str = "Folder for the outputs (created if missing).") -> Callable[[F], F]:
    """``--out``: the folder a command writes into."""
    return path_option("--out", "out_dir", help_text, required=True, exists=False, kind="folder")


def store_option(func: F) -> F:
    """``--store``: the run store URL (else ``$SUFFICIENCY_STORE``, else SQLite)."""
    return click.option(
        "--store",
        "store_url",
        default=None,
        envvar="SUFFICIENCY_STORE",
        help="Run store URL (default: $SUFFICIENCY_STORE, else SQLite in your user data "
        "folder; postgresql+psycopg://... for PostgreSQL).",
    )(func)


def date_option(
    help_text: str = "Run date (default: today in England).", *, required: bool = False
) -> Callable[[F], F]:
    """``--date``: the run date, as ``run_date`` (a datetime; take ``.date()``)."""

    def decorate(func: F) -> F:
        # no default=None: from click 8.3 an explicit default, even None, satisfies
        # required=True, and a missing --date reached the command as None (a traceback)
        return click.option("--date", "run_date", type=DATE, required=required, help=help_text)(
            func
        )

    return decorate


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


def paths_option(
    help_text: str = "Simulated paths (default from the configuration: 1,000).",
) -> Callable[[F], F]:
    """``--paths``: simulated futures, as ``num_paths`` (default from the configuration)."""

    def decorate(func: F) -> F:
        return click.option(
            "--paths", "num_paths", type=click.IntRange(10, 100_000), default=None,
            help=help_text,
        )(func)  # fmt: skip

    return decorate


def seed_option(func: F) -> F:
    """``--seed``: the random seed (default from the configuration)."""
    return click.option(
        "--seed",
        type=click.IntRange(min=0),
        default=None,
        help="Random seed (default from the configuration: 2026).",
    )(func)


def horizon_option(
    help_text: str, default: int | None = None, min_months: int = 1
) -> Callable[[F], F]:
    """``--horizon-months``: months ahead (default from the configuration unless given),
    from ``min_months`` to the 60 the forecast can run."""

    def decorate(func: F) -> F:
        return click.option(
            "--horizon-months", type=click.IntRange(min_months, 60), default=default,
            show_default=default is not None, help=help_text,
        )(func)  # fmt: skip

    return decorate


def start_option(func: F) -> F:
    """``--start``: the forecast's last observed day (default: the end of the history)."""
    return click.option(
        "--start", type=DATE, default=None, help="Forecast start: the last observed day "
        "(default: the end of the history).",
    )(func)  # fmt: skip


#: ``--scenario``: a forecast scenario (TOML) simulated alongside the base.
scenario_option = path_option("--scenario", "scenario_path", "Forecast scenario (TOML file).")


def forecast_options(func: F) -> F:
    """The forecast's option stack shared by ``forecast`` and ``spend``: ``--start``,
    ``--horizon-months``, ``--paths``, ``--seed`` and ``--scenario``."""
    for decorate in (
        scenario_option, seed_option, paths_option(),
        horizon_option("Months ahead (default from the configuration: 36)."), start_option,
    ):  # fmt: skip
        func = decorate(func)
    return func
