import os

# Qt must be told there is no screen before anything imports it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _user_home(tmp_path, monkeypatch):
    """Every test gets its own preferences folder and no passphrase from the caller."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CASEREADER_HOME", str(home))
    monkeypatch.delenv("CASEREADER_PASSPHRASE", raising=False)
    monkeypatch.delenv("CASEREADER_PACK_PASSPHRASE", raising=False)
    # Text recognition costs about a second a scanned page: off unless a test asks for it.
    monkeypatch.setenv("CASEREADER_OCR", "off")
    return home
