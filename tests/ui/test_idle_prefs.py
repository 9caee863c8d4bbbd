"""The idle lock's preference: at least a minute; "never" for a coordinator store only, and
only when confirmed."""

import json

import pytest

from casereader.ui import idle_prefs
from casereader.ui.idle_prefs import IdleLockDialog
from casereader.ui.prefs import Prefs, load_prefs, prefs_path

pytestmark = pytest.mark.usefixtures("modal_guard")


def test_the_minimum_is_one_minute(qtbot):
    dialog = IdleLockDialog(None, Prefs(), "reader")
    qtbot.addWidget(dialog)
    assert dialog.minutes.minimum() == 1
    dialog.minutes.setValue(0)
    assert dialog.chosen(Prefs()).idle_lock_minutes == 1
    with pytest.raises(ValueError):
        Prefs(idle_lock_minutes=-1)
    assert Prefs(idle_lock_minutes=1).idle_lock_minutes == 1


def test_a_reader_store_cannot_choose_never(qtbot):
    dialog = IdleLockDialog(None, Prefs(coordinator_never_locks=True), "reader")
    qtbot.addWidget(dialog)
    assert dialog.never is None
    # a coordinator's "never" does not reach a reader store
    prefs = Prefs(idle_lock_minutes=5, coordinator_never_locks=True)
    assert prefs.lock_minutes("reader") == 5 and prefs.lock_minutes("coordinator") == 0
    assert prefs.lock_minutes(None) == 5


def test_an_old_never_becomes_the_default_for_every_store():
    prefs_path().write_text(json.dumps({"idle_lock_minutes": 0}), encoding="utf-8")
    loaded = load_prefs()
    assert loaded.idle_lock_minutes == 10 and not loaded.coordinator_never_locks
    assert loaded.lock_minutes("reader") == 10 and loaded.lock_minutes("coordinator") == 10


@pytest.mark.parametrize("confirmed", [False, True])
def test_never_for_a_coordinator_needs_a_confirmation(qtbot, monkeypatch, confirmed):
    asked = []

    def confirm(parent):
        asked.append(parent)
        return confirmed

    monkeypatch.setattr(idle_prefs, "confirm_never", confirm)
    dialog = IdleLockDialog(None, Prefs(), "coordinator")
    qtbot.addWidget(dialog)
    assert dialog.never is not None and not dialog.never.isChecked()
    dialog.never.setChecked(True)
    assert len(asked) == 1
    assert dialog.never.isChecked() is confirmed
    assert dialog.minutes.isEnabled() is not confirmed
    chosen = dialog.chosen(Prefs())
    assert chosen.coordinator_never_locks is confirmed
    assert chosen.lock_minutes("coordinator") == (0 if confirmed else 10)
    dialog.never.setChecked(False)  # back to locking: nothing to confirm
    assert len(asked) == 1 and dialog.minutes.isEnabled()


def test_the_window_applies_never_to_a_coordinator_store_only(
    qtbot, monkeypatch, tmp_path, demo_files_dir
):
    from casereader.domain.template import find_template
    from casereader.store import Store
    from casereader.ui.main_window import MainWindow
    from casereader.ui.prefs import save_prefs

    save_prefs(Prefs(idle_lock_minutes=4, coordinator_never_locks=True))
    secret = "idle-lock-coordinator-passphrase"
    template = find_template("cso-at-home-2025")
    coordinator = Store.create(tmp_path / "c.casereader", secret, template, "X", "coordinator")
    window = MainWindow(coordinator, remember_layout=False)
    qtbot.addWidget(window)
    assert window.idle_lock.timer.interval() == 0  # never, as chosen for a coordinator store
    reader = Store.create(tmp_path / "r.casereader", secret, template, "X", "reader", "R1")
    window.set_store(reader)
    assert window.idle_lock.timer.interval() == 4 * 60_000
    window.close()
