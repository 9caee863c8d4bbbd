import os
import re
import shutil
import stat
import subprocess

import pytest

from casereader.bundle import keys
from casereader.bundle.age import AGE_MAGIC, encrypt_to_recipients
from casereader.errors import UsageError

PASSPHRASE = "fictional lead inspector passphrase"
no_age_keygen = pytest.mark.skipif(
    shutil.which("age-keygen") is None, reason="the age-keygen command is not installed"
)


@pytest.fixture(scope="module")
def protected_key(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "lead.key.age"
    recipient = keys.generate_identity(path, passphrase=PASSPHRASE)
    return path, recipient


def test_keygen_writes_the_age_keygen_format(tmp_path):
    path = tmp_path / "lead.key"
    recipient = keys.generate_identity(path)
    lines = path.read_text(encoding="ascii").splitlines()
    assert re.fullmatch(r"# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[0])
    assert lines[1] == f"# public key: {recipient}"
    assert re.fullmatch(r"AGE-SECRET-KEY-1[0-9A-Z]{58}", lines[2])
    assert len(lines) == 3
    assert recipient.startswith("age1")
    assert keys.recipient_of(keys.load_identity(path)) == recipient


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "lead.key"
    keys.generate_identity(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_keygen_twice_to_the_same_path_refuses_and_keeps_the_first_key(tmp_path):
    path = tmp_path / "lead.key"
    keys.generate_identity(path)
    before = path.read_bytes()
    with pytest.raises(
        UsageError, match="exists; choose another path — a key is never overwritten"
    ):
        keys.generate_identity(path)
    assert path.read_bytes() == before


def test_keygen_refuses_any_existing_path(tmp_path):
    empty = tmp_path / "empty.key"
    empty.touch()
    with pytest.raises(UsageError, match="never overwritten"):
        keys.generate_identity(empty)
    dangling = tmp_path / "dangling.key"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(UsageError, match="never overwritten"):
        keys.generate_identity(dangling)
    assert not (tmp_path / "nowhere").exists()


def test_keygen_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        keys.generate_identity(tmp_path / "no" / "such" / "lead.key")


def test_keygen_refuses_an_empty_passphrase_and_writes_nothing(tmp_path):
    path = tmp_path / "lead.key"
    with pytest.raises(UsageError, match="passphrase"):
        keys.generate_identity(path, passphrase="")
    assert not path.exists()


def test_protected_key_is_an_age_passphrase_file(protected_key):
    path, recipient = protected_key
    content = path.read_bytes()
    assert content.startswith(AGE_MAGIC + b"-> scrypt ")
    assert b"AGE-SECRET-KEY" not in content
    assert recipient.encode() not in content
    assert keys.is_protected(path)


def test_protected_key_opens_with_its_passphrase(protected_key):
    path, recipient = protected_key
    assert keys.recipient_of(keys.load_identity(path, PASSPHRASE)) == recipient


def test_protected_key_needs_its_passphrase(protected_key):
    path, _ = protected_key
    with pytest.raises(UsageError, match="protected by a passphrase; give its passphrase"):
        keys.load_identity(path)


def test_protected_key_with_the_wrong_passphrase(protected_key):
    path, _ = protected_key
    with pytest.raises(UsageError, match="wrong passphrase for key file"):
        keys.load_identity(path, "not the passphrase")


def test_unprotected_key_is_not_protected(tmp_path):
    path = tmp_path / "lead.key"
    keys.generate_identity(path)
    assert not keys.is_protected(path)


def test_missing_key_file(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        keys.load_identity(tmp_path / "absent.key")


def test_folder_is_not_a_key_file(tmp_path):
    with pytest.raises(UsageError, match="folder"):
        keys.load_identity(tmp_path)


@pytest.mark.parametrize(
    "content, why",
    [
        (b"", "not an age key file"),
        (b"case_ref,grade\nC-001,4\n", "not an age key file"),
        (b"\xff\xfe\x00binary", "not an age key file"),
        (b"# public key: age1only\n", "not an age key file"),
        (b"AGE-SECRET-KEY-1NOTBECH32\n", "damaged"),
        (b"x" * 70_000, "far too large"),
    ],
)
def test_files_that_are_not_key_files(tmp_path, content, why):
    path = tmp_path / "wrong.key"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=why):
        keys.load_identity(path)


def test_key_file_with_two_keys_is_refused(tmp_path):
    first, second = tmp_path / "a.key", tmp_path / "b.key"
    keys.generate_identity(first)
    keys.generate_identity(second)
    both = tmp_path / "both.key"
    both.write_bytes(first.read_bytes() + second.read_bytes())
    with pytest.raises(UsageError, match="holds 2 secret keys"):
        keys.load_identity(both)


def test_key_file_whose_public_key_line_disagrees_is_refused(tmp_path):
    first, second = tmp_path / "a.key", tmp_path / "b.key"
    keys.generate_identity(first)
    other = keys.generate_identity(second)
    lines = first.read_text().splitlines()
    lines[1] = f"# public key: {other}"
    mixed = tmp_path / "mixed.key"
    mixed.write_text("\n".join(lines) + "\n")
    with pytest.raises(UsageError, match="does not match"):
        keys.load_identity(mixed)


def test_age_file_to_a_key_is_not_a_protected_key_file(tmp_path):
    recipient = keys.generate_identity(tmp_path / "a.key")
    sealed = tmp_path / "sealed.age"
    sealed.write_bytes(encrypt_to_recipients(b"AGE-SECRET-KEY-1...", [recipient]))
    with pytest.raises(UsageError, match="not a passphrase-protected key file"):
        keys.load_identity(sealed, PASSPHRASE)


@no_age_keygen
def test_age_keygen_reads_our_key_file(tmp_path):
    path = tmp_path / "lead.key"
    recipient = keys.generate_identity(path)
    shown = subprocess.run(["age-keygen", "-y", str(path)], capture_output=True, check=True)
    assert shown.stdout.decode().strip() == recipient


@no_age_keygen
def test_we_read_a_key_file_made_by_age_keygen(tmp_path):
    path = tmp_path / "made-by-age.key"
    subprocess.run(["age-keygen", "-o", str(path)], capture_output=True, check=True)
    stated = re.search(r"# public key: (age1\w+)", path.read_text()).group(1)
    assert keys.recipient_of(keys.load_identity(path)) == stated


def test_parse_recipient(tmp_path):
    recipient = keys.generate_identity(tmp_path / "a.key")
    assert str(keys.parse_recipient(f"  {recipient}\n")) == recipient


@pytest.mark.parametrize(
    "text, why",
    [
        ("", "no recipient given"),
        ("   ", "no recipient given"),
        ("ssh-ed25519 AAAAC3Nza", 'starts with "age1"'),
        ("AGE-SECRET-KEY-1QQQQ", "SECRET key"),
        ("age1notavalidkey", "not a valid age recipient"),
    ],
)
def test_bad_recipients_are_explained(text, why):
    with pytest.raises(UsageError, match=why):
        keys.parse_recipient(text)


def test_recipient_with_one_character_mistyped_is_refused(tmp_path):
    recipient = keys.generate_identity(tmp_path / "a.key")
    typo = recipient[:-3] + ("q" if recipient[-3] != "q" else "p") + recipient[-2:]
    with pytest.raises(UsageError, match="mistyped"):
        keys.parse_recipient(typo)


def test_recipients_file(tmp_path):
    lead = keys.generate_identity(tmp_path / "lead.key")
    backup = keys.generate_identity(tmp_path / "backup.key")
    listed = tmp_path / "recipients.txt"
    listed.write_text(f"# lead inspector\n{lead}\n\n  # backup key\n  {backup}  \n")
    assert keys.read_recipients_file(listed) == [lead, backup]


def test_recipients_file_names_the_bad_line(tmp_path):
    lead = keys.generate_identity(tmp_path / "lead.key")
    listed = tmp_path / "recipients.txt"
    listed.write_text(f"# comment\n{lead}\nage1broken\n")
    with pytest.raises(UsageError, match="line 3"):
        keys.read_recipients_file(listed)


def test_recipients_file_without_recipients(tmp_path):
    listed = tmp_path / "recipients.txt"
    listed.write_text("# nobody yet\n\n")
    with pytest.raises(UsageError, match="lists no recipient"):
        keys.read_recipients_file(listed)
    with pytest.raises(UsageError, match="not found"):
        keys.read_recipients_file(tmp_path / "absent.txt")
