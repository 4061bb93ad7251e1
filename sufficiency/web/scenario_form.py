"""The scenario form: what a commissioner can say, read into a scenario with clear messages.

The fields are those of :class:`~sufficiency.forecast.scenario.Scenario` a
commissioner uses most: entries up or down by a percentage (overall and per age band),
step-downs (children a month moved from one category to another, e.g. from an external
children's home to foster care) and in-house recruitment (a share of the placements
that would go to one category made in another, e.g. IFA placements made with the
council's own carers). The definition kept is the scenario file's keys, so a saved
scenario is exactly a ``scenarios/*.toml`` file.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from sufficiency import vocabulary
from sufficiency.forecast import AGE_BANDS, CATEGORIES, Scenario
from sufficiency.forecast.scenario import BASE_NAME, MAX_CHANGE_PCT

#: Field name of each age band's own entries change.
BAND_FIELDS = {band: f"entries_band_{i}" for i, band in enumerate(AGE_BANDS)}
CATEGORY_CHOICES = [(c, vocabulary.category(c)) for c in CATEGORIES]
#: What an empty form shows: the sample's step-down and in-house shift, with no amount.
DEFAULTS = {
    "name": "", "description": "", "entries_pct": "",
    **{f: "" for f in BAND_FIELDS.values()},
    "step_from": "external_residential", "step_to": "in_house_foster", "step_per_month": "",
    "step_start": "1", "step_end": "",
    "shift_from": "ifa_foster", "shift_to": "in_house_foster", "shift_pct": "",
}  # fmt: skip


@dataclass
class ScenarioForm:
    """The form's values as typed, the messages for each field, and the scenario if valid."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    definition: dict[str, Any] | None = None
    scenario: Scenario | None = None


#: The minus signs a pasted or autocorrected number may hold: U+2212 and the en dash.
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
#: A comma is taken only as a thousands separator ("1,000").
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _number(
    form: ScenarioForm, name: str, label: str, lo: float, hi: float, example: str
) -> float | None:
    # a minus sign as Word and Excel write it (−, –), which looks like the "-10" asked for
    text = form.values.get(name, "").strip().replace("%", "").translate(_MINUS)
    if not text:
        return None
    if "," in text:
        if not _THOUSANDS.match(text):  # "1,5" is a decimal comma, not fifteen
            form.errors[name] = (f"{label}: use a point for decimals, such as 1.5 "
                                 "(not 1,5).")  # fmt: skip
            return None
        text = text.replace(",", "")
    try:
        value = float(text)
    except ValueError:
        form.errors[name] = f"{label}: enter a number, such as {example}."
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        form.errors[name] = f"{label}: enter a number from {lo:g} to {hi:g}."
        return None
    return value


def _whole(form: ScenarioForm, name: str, label: str, lo: int, hi: int) -> int | None:
    value = _number(form, name, label, lo, hi, str(lo))
    if value is not None and value != int(value):
        form.errors[name] = f"{label}: enter a whole number of months."
        return None
    return int(value) if value is not None else None


def _category(form: ScenarioForm, name: str, label: str) -> str:
    value = form.values.get(name, "")
    if value not in CATEGORIES:
        form.errors[name] = f"{label}: choose a placement category from the list."
    return value


def _from_to(form: ScenarioForm, field: str, from_label: str, to_label: str,
             other: str) -> tuple[str, str]:  # fmt: skip
    """The categories of ``field``_from and ``field``_to, which must differ."""
    src = _category(form, f"{field}_from", from_label)
    dst = _category(form, f"{field}_to", to_label)
    if src == dst and f"{field}_to" not in form.errors:
        form.errors[f"{field}_to"] = f"{to_label}: choose a category other than {other}."
    return src, dst


def read_form(data: dict[str, str]) -> ScenarioForm:
    """Read and check the form; ``definition`` and ``scenario`` are set when it is valid."""
    form = ScenarioForm({k: str(data.get(k, v))[:500] for k, v in DEFAULTS.items()})
    name = form.values["name"].strip()
    if not name:
        form.errors["name"] = "Name: give the scenario a name, such as 'Entries up 10%'."
    elif len(name) > 100:
        form.errors["name"] = "Name: use 100 characters or fewer."
    elif any(unicodedata.category(c).startswith("C") for c in name):
        form.errors["name"] = ("Name: use letters, numbers, spaces and punctuation only (no "
                               "tabs, line breaks or control characters).")  # fmt: skip
    elif name.casefold() == BASE_NAME:
        form.errors["name"] = (f"Name: '{BASE_NAME}' is the forecast without changes; give the "
                               "scenario a name of its own.")  # fmt: skip
    description = form.values["description"].strip()
    if len(description) > 300:
        form.errors["description"] = "Description: use 300 characters or fewer."
    definition: dict[str, Any] = {"name": name}
    if description:
        definition["description"] = description
    entries: dict[str, Any] = {}
    pct = _number(form, "entries_pct", "Change in entries", -100, MAX_CHANGE_PCT, "20 or -10")
    if pct:
        entries["change_pct"] = pct
    bands = {}
    for band, fname in BAND_FIELDS.items():
        value = _number(form, fname, f"Change in entries aged {band}", -100, MAX_CHANGE_PCT, "40")
        if value is not None:
            bands[band] = value
    if bands:
        entries["change_pct_by_age_band"] = bands
    if entries:
        definition["entries"] = entries
    per_month = _number(form, "step_per_month", "Step-downs a month", 0, 1000, "1 or 0.5")
    start = _whole(form, "step_start", "Step-downs start in month", 1, 600)
    end = _whole(form, "step_end", "Step-downs end in month", 1, 600)
    if per_month:
        src, dst = _from_to(form, "step", "Step down from", "Step down to",
                            "the one stepped down from")  # fmt: skip
        if start is not None and end is not None and end < start:
            form.errors["step_end"] = (
                "Step-downs end in month: choose a month on or after the first."
            )
        step: dict[str, Any] = {"from": src, "to": dst, "per_month": per_month,
                                "start_month": start or 1}  # fmt: skip
        if end is not None:
            step["end_month"] = end
        definition["step_down"] = [step]
    share = _number(form, "shift_pct", "Share made in-house", 0, 100, "25")
    if share:
        src, dst = _from_to(form, "shift", "Placements that would go to", "Made instead in",
                            "the one they would go to")  # fmt: skip
        definition["shift"] = [{"from": src, "to": dst, "fraction": share / 100}]
    if len(definition) == 1 + bool(description) and not set(form.errors) - {"name", "description"}:
        form.errors["entries_pct"] = (
            "Say at least one change: entries up or down, step-downs a month, or a share "
            "made in-house. A scenario with no change is the base forecast."
        )
    if form.errors:
        return form
    try:
        form.scenario = Scenario.model_validate(definition)
    except ValidationError as exc:
        form.errors["name"] = f"The scenario cannot be used: {exc.errors()[0]['msg']}."
        return form
    form.definition = definition
    return form


def form_values(definition: dict[str, Any]) -> dict[str, str]:
    """A saved definition as the form's values (for changing it)."""
    values = dict(DEFAULTS)
    values["name"] = str(definition.get("name", ""))
    values["description"] = str(definition.get("description", ""))
    entries = definition.get("entries", {})
    if entries.get("change_pct"):
        values["entries_pct"] = f"{entries['change_pct']:g}"
    for band, value in entries.get("change_pct_by_age_band", {}).items():
        if band in BAND_FIELDS:
            values[BAND_FIELDS[band]] = f"{value:g}"
    for step in definition.get("step_down", [])[:1]:
        values.update(step_from=step["from"], step_to=step["to"],
                      step_per_month=f"{step['per_month']:g}",
                      step_start=str(step.get("start_month", 1)),
                      step_end=str(step.get("end_month") or ""))  # fmt: skip
    for shift in definition.get("shift", [])[:1]:
        values.update(shift_from=shift["from"], shift_to=shift["to"],
                      shift_pct=f"{100 * shift['fraction']:g}")  # fmt: skip
    return values


def _pct(value: float) -> str:
    return f"{abs(value):g}% {'more' if value > 0 else 'fewer'}"


def describe(definition: dict[str, Any]) -> list[str]:
    """The scenario in plain sentences."""
    lines = []
    entries = definition.get("entries", {})
    if entries.get("change_pct"):
        lines.append(f"Entries: {_pct(entries['change_pct'])} children entering care.")
    for band, value in entries.get("change_pct_by_age_band", {}).items():
        lines.append(f"Entries aged {band}: {_pct(value)} (instead of the overall change).")
    for step in definition.get("step_down", []):
        until = f" to month {step['end_month']}" if step.get("end_month") else ""
        lines.append(
            f"Step-downs: {step['per_month']:g} a month from "
            f"{vocabulary.category(step['from'])} to {vocabulary.category(step['to'])}, "
            f"from month {step.get('start_month', 1)}{until} of the forecast."
        )
    for shift in definition.get("shift", []):
        lines.append(
            f"In-house: {100 * shift['fraction']:g}% of the children entering care or moving "
            f"from another kind of placement who would go to {vocabulary.category(shift['from'])}"
            f" go to {vocabulary.category(shift['to'])} instead (a child already in "
            f"{vocabulary.category(shift['from'])} who needs a new placement stays there)."
        )
    for cat, value in definition.get("exit_rate_change_pct", {}).items():
        more = "higher" if value > 0 else "lower"
        lines.append(f"Leaving care from {vocabulary.category(cat)}: the monthly rate "
                     f"{abs(value):g}% {more} than the base's.")  # fmt: skip
    return lines or ["No change: the base forecast."]
