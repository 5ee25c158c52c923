"""Settings as ``helpcenter/settings.py`` works them out for a given environment, read without
touching the settings of the running tests."""

import runpy
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "helpcenter" / "settings.py"


def settings_for(monkeypatch, **environment: str) -> dict:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))
