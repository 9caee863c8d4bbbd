"""Preferences: defaults, round trip, atomic writes, damaged files; only geometry in QSettings."""

import json

import pytest
from pydantic import ValidationError

from casereader.ui import prefs as prefs_module
from casereader.ui.prefs import MAX_RECENT, Prefs, load_prefs, prefs_path, save_prefs


def test_defaults_when_there_is_no_file(_user_home):
    assert not prefs_path().exists()
    p = load_prefs()
    assert p == Prefs() and p.idle_lock_minutes == 10 and p.last_store is None
    assert prefs_path().parent == _user_home


def test_round_trip_and_recent_order(tmp_path):
    a, b = tmp_path / "a.casereader", tmp_path / "b.casereader"
    a.write_bytes(b"x")
    p = Prefs().remember_store(a).remember_store(b).remember_store(a)
    assert p.recent_stores == [str(a.resolve()), str(b.resolve())]
    assert p.last_store == str(a.resolve())
    save_prefs(p.model_copy(update={"idle_lock_minutes": 3}))
    again = load_prefs()
    assert again.recent_stores == p.recent_stores and again.idle_lock_minutes == 3
    assert again.existing_recent() == [a.resolve()]  # b was never created
    forgotten = again.forget_store(a)
    assert forgotten.last_store is None and forgotten.recent_stores == [str(b.resolve())]


def test_recent_list_is_bounded(tmp_path):
    p = Prefs()
    for n in range(MAX_RECENT + 5):
        p = p.remember_store(tmp_path / f"{n}.casereader")
    assert len(p.recent_stores) == MAX_RECENT
    assert p.recent_stores[0].endswith(f"{MAX_RECENT + 4}.casereader")


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"idle_lock_minutes": -3}), json.dumps([1, 2]), ""],
)
def test_damaged_file_gives_defaults_and_a_line_on_stderr(content, capsys):
    prefs_path().write_text(content or "", encoding="utf-8")
    assert load_prefs() == Prefs()
    assert "ignoring unreadable preferences" in capsys.readouterr().err


def test_bad_values_are_refused_by_the_model():
    with pytest.raises(ValidationError):
        Prefs(idle_lock_minutes=-1)
    with pytest.raises(ValidationError):
        Prefs(idle_lock_minutes=100_000)


def test_write_is_atomic_and_leaves_no_temporary_file(monkeypatch):
    save_prefs(Prefs(idle_lock_minutes=5))

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(prefs_module.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_prefs(Prefs(idle_lock_minutes=7))
    assert load_prefs().idle_lock_minutes == 5  # the old file is intact
    assert [p.name for p in prefs_path().parent.iterdir()] == ["prefs.json"]


def test_window_settings_live_in_the_user_folder(qapp, _user_home):
    settings = prefs_module.window_settings()
    settings.setValue("window/geometry", b"abc")
    settings.sync()
    assert settings.fileName() == str(_user_home / "window.ini")
    assert (_user_home / "window.ini").is_file()
