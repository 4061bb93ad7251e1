"""The ``commission`` command: one-line errors and exit codes."""

from __future__ import annotations

from click.testing import CliRunner

from sufficiency.commissioning.command import commission


def test_command_reports_missing_cost(tmp_path, sample_dir):
    """A levers file missing a cost exits 1 with one ``Error:`` line."""
    text = (sample_dir / "levers.toml").read_text()
    bad = tmp_path / "levers.toml"
    bad.write_text(text.replace("setup_cost_gbp = 750000.0\n", "", 1))
    args = [
        "--history",
        str(sample_dir / "ssda903"),
        "--levers",
        str(bad),
        "--out",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(commission, args)
    assert result.exit_code == 1
    assert result.output == f"Error: {bad}: home.setup_cost_gbp is missing\n"


def test_command_reports_horizon_beyond_forecast(tmp_path, sample_dir):
    """A horizon the forecast cannot reach exits 1 with one line."""
    args = [
        "--history",
        str(sample_dir / "ssda903"),
        "--levers",
        str(sample_dir / "levers.toml"),
        "--out",
        str(tmp_path),
        "--horizon-months",
        "72",
    ]
    result = CliRunner().invoke(commission, args)
    assert result.exit_code == 1
    assert "longer than the forecast" in result.output
    assert result.output.count("\n") == 1


def test_command_writes_outputs_on_sample(tmp_path, sample_dir):
    """On the sample authority (few paths, one year) every output is written."""
    args = [
        "--history",
        str(sample_dir / "ssda903"),
        "--levers",
        str(sample_dir / "levers.toml"),
        "--out",
        str(tmp_path),
        "--paths",
        "20",
        "--eval-paths",
        "20",
        "--horizon-months",
        "12",
        "--no-sensitivity",
    ]
    result = CliRunner().invoke(commission, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["commissioning.html", "commissioning.xlsx", "comparison.csv", "plan.csv"]
