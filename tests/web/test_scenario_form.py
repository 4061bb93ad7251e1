"""The scenario form: read into the same scenario a TOML file says, with a clear message
naming each field that is wrong."""

from __future__ import annotations

from sufficiency.forecast import load_scenario
from sufficiency.web.scenario_form import DEFAULTS, describe, form_values, read_form


def _form(**values: str) -> dict[str, str]:
    return {**DEFAULTS, **values}


def test_form_reads_the_sample_step_down_scenario(sample_dir):
    """Step-downs and the in-house shift typed in the form give the sample file's scenario."""
    sample = load_scenario(sample_dir / "scenarios" / "step_down_and_in_house.toml")
    form = read_form(_form(name=sample.name, description=sample.description,
                           step_per_month="1", shift_pct="25"))  # fmt: skip
    assert form.errors == {}
    assert form.scenario == sample
    assert read_form(form_values(form.definition or {})).scenario == sample


def test_form_reads_the_sample_entries_scenario(sample_dir):
    """Entries up overall and for one age band give the sample file's scenario."""
    sample = load_scenario(sample_dir / "scenarios" / "entries_up_20.toml")
    form = read_form(_form(name=sample.name, description=sample.description,
                           entries_pct="20", entries_band_4="40"))  # fmt: skip
    assert form.scenario == sample
    assert describe(form.definition or {})[:2] == [
        "Entries: 20% more children entering care.",
        "Entries aged 16-17: 40% more (instead of the overall change).",
    ]


def test_form_raises_messages_naming_each_wrong_field():
    """Each wrong field gets its own sentence; nothing is defined."""
    form = read_form(_form(name="", entries_pct="lots", step_per_month="1",
                           step_from="ifa_foster", step_to="ifa_foster", step_start="3",
                           step_end="2", shift_pct="120"))  # fmt: skip
    assert form.definition is None and form.scenario is None
    assert form.errors == {
        "name": "Name: give the scenario a name, such as 'Entries up 10%'.",
        "entries_pct": "Change in entries: enter a number, such as 20 or -10.",
        "step_to": "Step down to: choose a category other than the one stepped down from.",
        "step_end": "Step-downs end in month: choose a month on or after the first.",
        "shift_pct": "Share made in-house: enter a number from 0 to 100.",
    }


def test_form_with_no_change_raises_a_message():
    """A scenario that changes nothing is the base: the form says so."""
    form = read_form(_form(name="Nothing"))
    assert form.scenario is None
    assert "Say at least one change" in form.errors["entries_pct"]


def test_a_comma_is_a_thousands_separator_only():
    """ "1,000" step-downs is a thousand; "0,5" is refused rather than read as 5."""
    form = read_form(_form(name="x", step_per_month="1,000", step_from="external_residential",
                           step_to="ifa_foster"))  # fmt: skip
    assert "step_per_month" not in form.errors
    form = read_form(_form(name="x", step_per_month="0,5"))
    assert form.errors["step_per_month"] == (
        "Step-downs a month: use a point for decimals, such as 1.5 (not 1,5)."
    )


def test_a_scenario_name_with_a_control_character_is_refused():
    """A tab or line break pasted into the name would split the name's column and legend in
    the outputs (before: saved as typed)."""
    form = read_form(_form(name="Entries\nup", entries_pct="20"))
    assert form.scenario is None
    assert form.errors == {
        "name": "Name: use letters, numbers, spaces and punctuation only (no tabs, line breaks "
        "or control characters)."
    }


def test_a_scenario_named_base_is_refused():
    """The outputs label the forecast without changes 'base': a scenario of that name
    could not be told from it (before: accepted, and the run's base and scenario starts
    were summed together)."""
    form = read_form(_form(name=" Base ", entries_pct="20"))
    assert form.scenario is None
    assert form.errors == {
        "name": "Name: 'base' is the forecast without changes; give the scenario a name of its own."
    }


def test_the_shift_and_exit_lines_say_what_the_simulation_does():
    """The shift moves entries and moves, not a new placement within the category (before:
    "25% of the placements that would go to IFA", when IFA placement starts fell 22%); an
    exit-rate change is a change in the rate (before: "+10% a month")."""
    lines = describe({"shift": [{"from": "ifa_foster", "to": "in_house_foster",
                                 "fraction": 0.25}],
                      "exit_rate_change_pct": {"with_parents": 10}})  # fmt: skip
    assert lines == [
        "In-house: 25% of the children entering care or moving from another kind of placement "
        "who would go to IFA foster care go to In-house foster care instead (a child already "
        "in IFA foster care who needs a new placement stays there).",
        "Leaving care from Placed with parents: the monthly rate 10% higher than the base's.",
    ]


def test_web_pages_show_times_as_a_clock_in_england_reads_them():
    """The store keeps times in UTC (SQLite gives them back without their zone) and the
    pages printed them as they were: a pin made at 09:15 in June showed 'made 08:15', an
    audit entry at 00:30 on 2 June was dated 1 June, a re-run 'started at 08:15:00 UTC'.
    Every page now shows England's time (BST in summer, GMT in winter)."""
    import datetime as dt
    import re
    from pathlib import Path

    import sufficiency.web
    from sufficiency.web.framework import environment

    page = environment().from_string("{{ t | uk_time }}|{{ t | uk_time('{day}') }}")
    summer = dt.datetime(2026, 6, 1, 23, 30)  # naive UTC, as SQLite returns it
    assert page.render(t=summer) == "2 June 2026 00:30|2 June 2026"
    winter = dt.datetime(2026, 12, 1, 8, 15, tzinfo=dt.UTC)
    assert page.render(t=winter) == "1 December 2026 08:15|1 December 2026"
    templates = Path(sufficiency.web.__file__).parent / "templates"
    stored = re.compile(r"(_at|at|started\(\)|modified|locked_until)\.strftime\(")
    assert [p.name for p in templates.glob("*.html") if stored.search(p.read_text())] == []
    # and no column of those times is headed UTC (the audit trail's 'When (UTC)' stood over
    # England's times, an hour out in summer for a reader who took it at its word)
    utc = [p.name for p in templates.glob("*.html") if "uk_time" in p.read_text()
           and "UTC" in p.read_text()]  # fmt: skip
    assert utc == []


def test_a_minus_sign_as_word_or_excel_writes_it_is_a_minus():
    """'−10' (U+2212, as Excel and Word write a minus) or '–10' (an en dash, Word's
    autocorrect) was "enter a number, such as 20 or -10": what the person had typed, to
    the eye."""
    for typed in ("\u221210", "\u201310", "-10"):
        form = read_form({"name": "Entries down", "entries_pct": typed})
        assert form.errors == {} and form.definition is not None, typed
        assert form.definition["entries"] == {"change_pct": -10.0}
    form = read_form({"name": "Fewer step-downs", "step_per_month": "\u22122"})
    assert "Step-downs a month" in form.errors["step_per_month"]  # still below its least
