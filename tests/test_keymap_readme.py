"""The README's keyboard section is written from casereader/keymap.py, the table F1 shows."""

from pathlib import Path

from casereader import guide, keymap

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_keys_are_the_app_keys():
    text = README.read_text(encoding="utf-8")
    assert keymap.readme_table(text) == keymap.markdown_table(), (
        "README's keyboard table differs from casereader/keymap.py: "
        "run `python -m casereader.keymap README.md`"
    )


def test_the_table_covers_what_the_issue_names():
    shown = " ".join(k.keys for k in keymap.KEYS)
    for wanted in ("Ctrl+PgUp", "Ctrl+PgDn", "Y / N / A / U", "1–6", "PgUp / PgDn", "F1",
                   "Ctrl+M", "Ctrl+Shift+E", "Ctrl+Shift+C", "Ctrl+F"):  # fmt: skip
        assert wanted in shown
    assert {k.where for k in keymap.KEYS} == set(keymap.WHERE_ORDER)


def test_rewriting_the_readme_keeps_the_rest(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# x\n\nbefore\n{keymap.BEGIN}\n| old | table |\n{keymap.END}\nafter\n", encoding="utf-8"
    )
    assert keymap.main([str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# x\n\nbefore\n") and text.endswith(f"{keymap.END}\nafter\n")
    assert "| old | table |" not in text
    assert keymap.readme_table(text) == keymap.markdown_table()


def test_the_guide_covers_a_first_day():
    headings = [line[3:] for line in guide.GUIDE.splitlines() if line.startswith("## ")]
    for topic in guide.TOPICS:
        assert topic in headings
    for phrase in ("Ctrl+M", "Send now", "not yet sent", "passphrase", "Ctrl+Shift+C"):
        assert phrase in guide.GUIDE


def test_no_key_is_listed_twice_in_one_place():
    seen = [(k.where, k.keys) for k in keymap.KEYS]
    doubled = {pair for pair in seen if seen.count(pair) > 1}
    assert not doubled, f"keys listed twice: {sorted(doubled)}"
