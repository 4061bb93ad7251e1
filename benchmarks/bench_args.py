"""The benchmarks' option checks, shared: a count of 0 or below, a time that is not
positive, a folder or file that is not there is argparse's one line naming the option
and what it should be (exit 2), never a traceback from deep in the run.

Each script's ``main`` runs under :func:`run`: its output piped into ``head`` ends it
quietly, as the commands do. A script in a folder below ``benchmarks/`` imports this
with the folder above on its path
(``sys.path.insert(0, str(Path(__file__).resolve().parents[1]))``)."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from sufficiency.store import RunStore

M = TypeVar("M", bound=BaseModel)


def run(main: Callable[[], object]) -> None:
    """Run a benchmark's ``main``. Its output piped into ``head`` (``python
    benchmarks/bench_runs_list.py | head -1``), which closes the pipe once it has its
    lines, ends it quietly with exit code 141, as ``sufficiency`` does, instead of a
    ``BrokenPipeError`` traceback."""
    from sufficiency.commands.common import EXIT_PIPE_CLOSED, stdout_closed

    try:
        main()
        sys.stdout.flush()  # what is left in the buffer, while a closed pipe can be caught
    except BrokenPipeError as exc:
        if not stdout_closed(exc):
            raise
        sys.exit(EXIT_PIPE_CLOSED)


def whole(least: int = 1, most: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number from ``least`` to ``most``."""
    limit = f"at least {least}" if most is None else f"from {least} to {most}"

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least or (most is not None and value > most):
            raise argparse.ArgumentTypeError(f"{text}: should be {limit}")
        return value

    return check


def random_seed(text: str) -> int:
    """A random seed: a whole number, 0 or more (numpy refuses a negative one)."""
    return whole(0)(text)


def positive(text: str) -> float:
    """A number above 0 (seconds, gigabytes)."""
    value = _number(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text}: should be more than 0")
    return value


def not_negative(text: str) -> float:
    """A number of 0 or more (seconds to wait, a gap)."""
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text}: should be 0 or more")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text}: should be a finite number")
    return value


def folder(text: str) -> Path:
    """A folder that exists."""
    path = Path(text)
    if not path.is_dir():
        said = "is not a folder" if path.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"{text} {said}")
    return path


def out_folder(text: str) -> Path:
    """A folder to write into: absent (it is made) or a folder, not a file."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder to write into")
    return path


def out_file(text: str) -> Path:
    """A file to write: its folder must exist."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a file to write")
    if not path.resolve().parent.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: the folder {path.parent} does not exist")
    return path


def open_store(parser: argparse.ArgumentParser, url: str) -> RunStore:
    """The run store at ``url``, or argparse's one line saying why it cannot be opened."""
    from sufficiency.errors import StoreError
    from sufficiency.store import RunStore

    try:
        return RunStore(url)
    except StoreError as exc:
        parser.error(f"--store: {exc}")


def settings(
    parser: argparse.ArgumentParser, model: type[M], options: dict[str, str], **fields: Any
) -> M:
    """``model`` (ForecastParams, CommissioningParams) from the command line's figures, or
    argparse's one-line error naming the option and the limit (``--paths 5: should be
    greater than or equal to 10``), not pydantic's traceback. ``options``: the option
    giving each field (``num_paths``: ``--paths``); any other field came from
    ``--param NAME=VALUE``."""
    try:
        return model(**fields)
    except ValidationError as exc:
        said = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            option = options.get(name, f"--param {name}=")
            sep = "" if option.endswith("=") else " "
            said.append(f"{option}{sep}{err['input']}: {err['msg'].removeprefix('Input ')}")
        parser.error("; ".join(dict.fromkeys(said)))  # each once
