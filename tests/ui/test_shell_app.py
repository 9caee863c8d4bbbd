"""The composition root and the `gui` command: excepthook, start-up paths, the demo screenshot,
the dark palette, and a command line that stays Qt-free until the GUI is asked for.
"""

import subprocess
import sys

import pytest
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from casereader import app as app_module
from casereader.cli import main
from casereader.errors import CaseReaderError, StoreError
from casereader.store import Store
from casereader.ui import style
from casereader.ui.main_window import MainWindow
from casereader.ui.prefs import Prefs, save_prefs
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def quiet_app(qapp, monkeypatch):
    """create_app() on the test's QApplication, undoing the hook, style and palette after."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    palette, style_name = qapp.palette(), qapp.style().name()
    yield qapp
    qapp.setStyle(style_name)
    qapp.setPalette(palette)


def test_command_line_imports_no_qt():
    code = (
        "import sys, casereader.cli, casereader.cli.gui_commands; print('PySide6' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_gui_refuses_a_missing_store(tmp_path, capsys):
    assert main(["gui", str(tmp_path / "nowhere.casereader")]) == 1
    assert "nowhere.casereader: no such store" in capsys.readouterr().err


def test_gui_passes_the_store_and_the_environment_passphrase(monkeypatch, demo_store_path):
    calls = []
    monkeypatch.setattr(app_module, "run_gui", lambda path, secret: calls.append((path, secret)))
    monkeypatch.setenv("CASEREADER_PASSPHRASE", DEMO_PASSPHRASE)
    assert main(["gui", str(demo_store_path)]) == 0
    monkeypatch.delenv("CASEREADER_PASSPHRASE")
    assert main([]) == 0  # plain `casereader` opens the app too
    assert calls == [(demo_store_path, DEMO_PASSPHRASE), (None, None)]


def main_windows() -> list[MainWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


class FakeApp:
    """Stands in for the QApplication: exec() lets events run until `until(window)`, closes."""

    def __init__(self, qtbot, until):
        self.qtbot, self.until, self.title = qtbot, until, None

    def exec(self) -> int:
        self.qtbot.waitUntil(lambda: bool(main_windows()) and self.until(main_windows()[0]),
                             timeout=20_000)  # fmt: skip
        window = main_windows()[0]
        self.title = window.windowTitle()
        window.close()
        return 0


def test_run_gui_opens_the_last_store_without_asking(qtbot, quiet_app, monkeypatch,
                                                     store_copy_path):  # fmt: skip
    save_prefs(Prefs().remember_store(store_copy_path))
    fake = FakeApp(qtbot, lambda w: w.store is not None)
    monkeypatch.setattr(app_module, "create_app", lambda: fake)
    assert app_module.run_gui(None, DEMO_PASSPHRASE) == 0
    assert fake.title == "casereader — Demo partnership (fictional)"


def test_run_gui_without_a_store_shows_the_welcome(qtbot, quiet_app, monkeypatch):
    fake = FakeApp(qtbot, lambda w: w.stack.currentWidget() is w.welcome)
    monkeypatch.setattr(app_module, "create_app", lambda: fake)
    assert app_module.run_gui(None, None) == 0
    assert fake.title == "casereader"


def test_excepthook_logs_and_shows_one_dialog(quiet_app, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(app_module, "show_error", lambda parent, text: shown.append(text))
    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError as e:
        app_module.excepthook(type(e), e, e.__traceback__)
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError" in err
    assert shown[0].startswith("Unexpected error: ZeroDivisionError: division by zero")
    app_module.excepthook(StoreError, StoreError("The store is locked; unlock it."), None)
    assert shown[1] == "The store is locked; unlock it."
    assert "Traceback" not in capsys.readouterr().err


def test_create_app_names_the_application_and_installs_the_hook(quiet_app):
    app = app_module.create_app()
    assert app is quiet_app
    assert app.applicationName() == "casereader" and app.organizationName() == "casereader"
    assert sys.excepthook is app_module.excepthook


def test_demo_screenshot_renders_a_case_with_a_pdf_page(quiet_app, store_copy_path, tmp_path,
                                                        capsys, _user_home):  # fmt: skip
    shot = tmp_path / "main-window.png"
    assert app_module.run_demo_gui(store_copy_path, DEMO_PASSPHRASE, str(shot)) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1600, 1000)
    assert shot.stat().st_size < 300_000  # small enough to commit beside the README
    assert f"Wrote {shot}" in capsys.readouterr().out
    assert not main_windows()
    assert not (_user_home / "window.ini").exists()  # the user's layout is neither used nor changed
    # the viewer's middle shows a rendered page: many greys (text), not one flat colour
    middle = image.copy(700, 300, 300, 300).scaled(60, 60)
    colours = {middle.pixel(x, y) for x in range(60) for y in range(60)}
    assert len(colours) > 20


def test_demo_case_prefers_an_open_review_with_answers(store):
    assert app_module.demo_case(store) == "SA-002"


def test_screenshot_to_an_unwritable_place_fails_clearly(quiet_app, store_copy_path, tmp_path):
    with pytest.raises(CaseReaderError, match="could not be written"):
        app_module.run_demo_gui(store_copy_path, DEMO_PASSPHRASE, str(tmp_path / "no" / "x.png"))


def test_dark_palette_is_followed_and_reads(quiet_app, qtbot, monkeypatch, store_copy_path,
                                            tmp_path):  # fmt: skip
    monkeypatch.setenv(style.COLOR_SCHEME_ENV, "dark")
    style.follow_system_palette(quiet_app)
    palette = quiet_app.palette()
    assert style.is_dark(palette)
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    assert style.contrast_ratio(text, base) >= 7
    assert style.contrast_ratio(style.review_text_color(), base) >= 4.5
    banner, banner_text = style.review_banner_colors()
    assert style.contrast_ratio(banner, banner_text) >= 4.5
    window = MainWindow(Store.open(store_copy_path, DEMO_PASSPHRASE))
    qtbot.addWidget(window)
    image = app_module.render_case(quiet_app, window, app_module.SCREENSHOT_SIZE)
    image.save(str(tmp_path / "dark.png"))  # looked at while writing this test
    # the case list's background is dark, like the palette's base
    assert QImage(image).pixelColor(200, 600).lightness() < 80
    window.close()
    monkeypatch.setenv(style.COLOR_SCHEME_ENV, "light")
    style.follow_system_palette(quiet_app)
    assert not style.is_dark(quiet_app.palette())


def test_gui_without_a_screen_says_so_in_one_line(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["gui"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no screen to open a window on" in err
