"""The pseudonymisation key file: read, and said when others can read it too."""

from __future__ import annotations

import os
import warnings

import pytest

from sufficiency.errors import ConfigError, DataWarning
from sufficiency.pseudonymise import load_key

KEY = "a-secret-of-at-least-sixteen-characters"


@pytest.mark.skipif(os.name != "posix", reason="file permissions are POSIX")
def test_key_file_readable_by_others_is_warned(tmp_path):
    """A key anyone on the machine can read lets them link pseudonyms back to children:
    the run goes on (a night is not stopped for it) with a warning saying what to do."""
    key_file = tmp_path / "pseudonym.key"
    key_file.write_text(KEY + "\n")
    key_file.chmod(0o644)
    with pytest.warns(DataWarning, match=r"can be read by other users.*chmod 600"):
        assert load_key(key_file) == KEY.encode()
    key_file.chmod(0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_key(key_file) == KEY.encode()


def test_short_or_missing_key_file_is_a_configuration_error(tmp_path):
    short = tmp_path / "short.key"
    short.write_text("too short")
    short.chmod(0o600)
    with pytest.raises(ConfigError, match="at least 16 characters"):
        load_key(short)
    with pytest.raises(ConfigError, match="cannot read pseudonymisation key file"):
        load_key(tmp_path / "absent.key")
