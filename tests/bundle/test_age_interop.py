"""age interoperability (the Debian `age` command) and the error messages of bundle/age.py."""

import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import textwrap
import time

import pytest
from pyrage import x25519

from casereader.bundle import age, keys
from casereader.errors import BundleRejected, UsageError

PASSPHRASE = "acorn-tulip-biscuit-meadow-lantern-harbour-pebble-violin-saddle"
PLAIN = b"case_ref,item,grade\nC-0001,1.1,4\n" * 2000  # fictional answers, ~66 KB
needs_age = pytest.mark.skipif(
    shutil.which("age") is None, reason="the age command is not installed"
)
needs_tty = pytest.mark.skipif(os.name != "posix", reason="typing a passphrase to age needs a pty")


def run_with_tty(args, answers, cwd):
    """Run `age` on a pseudo-terminal, typing each answer at each passphrase prompt."""
    import pty  # POSIX only; the tests using it are skipped elsewhere

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execvp(args[0], args)
    transcript, answered, pending = b"", 0, list(answers)
    # Not a time limit on the code under test: only a guard so a missed prompt cannot hang CI.
    give_up = time.monotonic() + 300
    while time.monotonic() < give_up:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
        prompt = re.search(rb"[Pp]assphrase[^\n]*: ", transcript[answered:])
        if prompt and pending:
            answered += prompt.end()
            os.write(fd, pending.pop(0).encode() + b"\n")
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), transcript.decode(errors="replace")


@pytest.fixture(scope="module")
def lead(tmp_path_factory):
    """The fictional lead inspector: an unprotected key file and its recipient."""
    path = tmp_path_factory.mktemp("lead") / "lead.key"
    recipient = keys.generate_identity(path)
    return path, recipient, keys.load_identity(path)


@pytest.fixture(scope="module")
def envelope():
    """PLAIN under PASSPHRASE as a passphrase envelope (one scrypt run for the whole module)."""
    out = io.BytesIO()
    age.encrypt_stream_passphrase(io.BytesIO(PLAIN), out, PASSPHRASE)
    return out.getvalue()


# --- X25519 with the age command ---------------------------------------------------------------


@needs_age
def test_age_decrypts_what_we_encrypt_to_a_recipient(lead, tmp_path):
    key_path, recipient, _ = lead
    (tmp_path / "bundle.age").write_bytes(age.encrypt_to_recipients(PLAIN, [recipient]))
    result = subprocess.run(
        ["age", "-d", "-i", str(key_path), str(tmp_path / "bundle.age")], capture_output=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == PLAIN


@needs_age
def test_age_decrypts_what_we_stream_to_a_recipient(lead, tmp_path):
    key_path, recipient, _ = lead
    with (tmp_path / "bundle.age").open("wb") as dst:
        age.encrypt_stream_recipients(io.BytesIO(PLAIN), dst, [recipient])
    result = subprocess.run(
        ["age", "-d", "-i", str(key_path), str(tmp_path / "bundle.age")], capture_output=True
    )
    assert result.stdout == PLAIN


@needs_age
@pytest.mark.parametrize("armor", [[], ["-a"]], ids=["binary", "armored"])
def test_we_decrypt_what_age_encrypts_to_our_recipient(lead, tmp_path, armor):
    _, recipient, identity = lead
    made = subprocess.run(
        ["age", "-r", recipient, *armor], input=PLAIN, capture_output=True, check=True
    ).stdout
    assert age.decrypt_with_identity(made, identity) == PLAIN
    out = io.BytesIO()
    age.decrypt_stream_identity(io.BytesIO(made), out, identity)
    assert out.getvalue() == PLAIN


# --- passphrases with the age command (through a pseudo-terminal) ------------------------------


@needs_age
@needs_tty
def test_we_decrypt_what_age_p_encrypts(tmp_path):
    (tmp_path / "notes.txt").write_bytes(PLAIN)
    code, transcript = run_with_tty(
        ["age", "-p", "-o", "notes.age", "notes.txt"], [PASSPHRASE, PASSPHRASE], tmp_path
    )
    assert code == 0, transcript
    assert age.decrypt_passphrase((tmp_path / "notes.age").read_bytes(), PASSPHRASE) == PLAIN


@needs_age
@needs_tty
def test_age_opens_our_protected_identity_with_its_passphrase(tmp_path):
    recipient = keys.generate_identity(tmp_path / "lead.key.age", passphrase=PASSPHRASE)
    (tmp_path / "bundle.age").write_bytes(age.encrypt_to_recipients(PLAIN, [recipient]))
    code, transcript = run_with_tty(
        ["age", "-d", "-i", "lead.key.age", "-o", "bundle.out", "bundle.age"],
        [PASSPHRASE],
        tmp_path,
    )
    assert code == 0, transcript
    assert "identity file" in transcript
    assert (tmp_path / "bundle.out").read_bytes() == PLAIN


@needs_age
@needs_tty
@pytest.mark.skipif(shutil.which("sed") is None, reason="the sed command is not installed")
def test_age_opens_our_passphrase_envelope_by_the_documented_recipe(envelope, tmp_path):
    (tmp_path / "pack").write_bytes(envelope)
    end = "/^-----END AGE ENCRYPTED FILE-----$/"
    env = dict(os.environ, LC_ALL="C")
    with (tmp_path / "key.age").open("wb") as out:
        subprocess.run(["sed", "-n", f"2,{end}p", "pack"], cwd=tmp_path, stdout=out, env=env)
    with (tmp_path / "payload.age").open("wb") as out:
        subprocess.run(["sed", f"1,{end}d", "pack"], cwd=tmp_path, stdout=out, env=env)
    code, transcript = run_with_tty(
        ["age", "-d", "-i", "key.age", "-o", "pack.tar", "payload.age"], [PASSPHRASE], tmp_path
    )
    assert code == 0, transcript
    assert (tmp_path / "pack.tar").read_bytes() == PLAIN


# --- the passphrase envelope -------------------------------------------------------------------


def test_envelope_is_made_of_standard_age_files(envelope):
    magic, rest = envelope.split(b"\n", 1)
    assert magic + b"\n" == age.ENVELOPE_MAGIC
    sealed_key, payload = rest.split(age.ARMOR_END + b"\n", 1)
    assert sealed_key.startswith(age.ARMOR_BEGIN)
    assert payload.startswith(age.AGE_MAGIC + b"-> X25519 ")
    assert b"AGE-SECRET-KEY" not in envelope


def test_envelope_round_trip(envelope):
    out = io.BytesIO()
    age.decrypt_stream_passphrase(io.BytesIO(envelope), out, PASSPHRASE)
    assert out.getvalue() == PLAIN


def test_envelope_with_the_wrong_passphrase(envelope):
    out = io.BytesIO()
    with pytest.raises(BundleRejected, match="wrong passphrase"):
        age.decrypt_stream_passphrase(
            io.BytesIO(envelope), out, PASSPHRASE.replace("acorn", "apron")
        )
    assert out.getvalue() == b""


def test_envelope_with_its_key_part_cut_short(envelope):
    cut = envelope[: envelope.index(age.ARMOR_END)]
    with pytest.raises(BundleRejected, match="truncated or damaged"):
        age.decrypt_stream_passphrase(io.BytesIO(cut), io.BytesIO(), PASSPHRASE)


class _HostileStream:
    """The envelope magic and an armor line, then `filler` forever; fails past `bound` bytes."""

    def __init__(self, filler: bytes, bound: int) -> None:
        self._head = age.ENVELOPE_MAGIC + age.ARMOR_BEGIN + b"\n"
        self._filler, self._bound, self.taken, self._at = filler, bound, 0, 0

    def _take(self, size: int) -> bytes:
        out = bytearray()
        while len(out) < size:
            if self._head:
                piece, self._head = self._head[: size - len(out)], self._head[size - len(out) :]
            else:
                piece = self._filler[self._at : self._at + size - len(out)]
                self._at = (self._at + len(piece)) % len(self._filler)
            out += piece
        self.taken += len(out)
        if self.taken > self._bound:
            raise AssertionError(f"read {self.taken} bytes, more than the bound of {self._bound}")
        return bytes(out)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            raise AssertionError("an unbounded read of an endless stream")
        return self._take(size)

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while size is None or size < 0 or len(line) < size:
            byte = self._take(1)
            line += byte
            if byte == b"\n":
                break
        return bytes(line)


# A real key part is under 1 KB (one scrypt stanza and a short key, armored).
KEY_PART_BOUND = 64 * 1024


@pytest.mark.parametrize(
    "filler",
    [b"A", b"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n"],
    ids=["one-endless-line", "endless-armor-lines"],
)
def test_envelope_key_part_with_no_end_is_refused_within_a_bound(filler):
    """A hostile pack whose key part never ends is refused without reading it all into memory."""
    stream = _HostileStream(filler, len(age.ENVELOPE_MAGIC) + KEY_PART_BOUND)
    out = io.BytesIO()
    with pytest.raises(BundleRejected, match="truncated or damaged"):
        age.decrypt_stream_passphrase(stream, out, PASSPHRASE)
    assert out.getvalue() == b""
    assert stream.taken > 1024  # it did read past a real key part's size before giving up


def test_envelope_key_part_is_not_a_key_file_to_open_bundles_with(envelope, lead):
    _, _, identity = lead
    rest = envelope.split(b"\n", 1)[1]
    sealed_key = rest[: rest.index(age.ARMOR_END) + len(age.ARMOR_END)] + b"\n"
    with pytest.raises(BundleRejected, match="protected by a passphrase, not encrypted to a key"):
        age.decrypt_with_identity(sealed_key, identity)


def test_plain_age_files_are_not_envelopes():
    plain_age = age.AGE_MAGIC + b"-> scrypt c2FsdA 18\n"
    with pytest.raises(BundleRejected, match="not a casereader reading pack"):
        age.decrypt_stream_passphrase(io.BytesIO(plain_age), io.BytesIO(), PASSPHRASE)
    with pytest.raises(BundleRejected, match="not an age file"):
        age.decrypt_stream_passphrase(io.BytesIO(b"PK\x03\x04 zip"), io.BytesIO(), PASSPHRASE)
    with pytest.raises(BundleRejected, match="not an age file"):
        age.decrypt_stream_passphrase(io.BytesIO(b""), io.BytesIO(), PASSPHRASE)


@pytest.mark.parametrize("passphrase", ["", None])
def test_empty_passphrase_is_refused(passphrase):
    with pytest.raises(UsageError, match="no passphrase"):
        age.encrypt_stream_passphrase(io.BytesIO(b"x"), io.BytesIO(), passphrase)
    with pytest.raises(UsageError, match="no passphrase"):
        age.decrypt_stream_passphrase(io.BytesIO(b"x"), io.BytesIO(), passphrase)


# --- errors for files to recipients ------------------------------------------------------------


def test_file_for_another_key(lead):
    _, _, identity = lead
    other = str(x25519.Identity.generate().to_public())
    sealed = age.encrypt_to_recipients(PLAIN, [other])
    with pytest.raises(BundleRejected, match="not encrypted to this key"):
        age.decrypt_with_identity(sealed, identity)
    with pytest.raises(BundleRejected, match="not encrypted to this key"):
        age.decrypt_stream_identity(io.BytesIO(sealed), io.BytesIO(), identity)


def test_any_listed_recipient_can_open(lead):
    _, recipient, identity = lead
    backup = x25519.Identity.generate()
    sealed = age.encrypt_to_recipients(PLAIN, [recipient, backup.to_public()])
    assert age.decrypt_with_identity(sealed, identity) == PLAIN
    assert age.decrypt_with_identity(sealed, backup) == PLAIN
    assert age.decrypt_with_identity(sealed, [x25519.Identity.generate(), backup]) == PLAIN


@pytest.mark.parametrize("cut", [1, 100, 20_000])
def test_truncated_file(lead, cut):
    _, recipient, identity = lead
    sealed = age.encrypt_to_recipients(PLAIN, [recipient])[:-cut]
    with pytest.raises(BundleRejected, match="truncated or damaged"):
        age.decrypt_with_identity(sealed, identity)
    with pytest.raises(BundleRejected, match="truncated or damaged"):
        age.decrypt_stream_identity(io.BytesIO(sealed), io.BytesIO(), identity)


@pytest.mark.parametrize("where", [-10, 400, 30_000])
def test_altered_byte(lead, where):
    _, recipient, identity = lead
    sealed = bytearray(age.encrypt_to_recipients(PLAIN, [recipient]))
    sealed[where] ^= 0x01
    with pytest.raises(BundleRejected, match="truncated or damaged|not encrypted to this key"):
        age.decrypt_with_identity(bytes(sealed), identity)
    with pytest.raises(BundleRejected, match="truncated or damaged|not encrypted to this key"):
        age.decrypt_stream_identity(io.BytesIO(bytes(sealed)), io.BytesIO(), identity)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 a zip file", b'{"manifest": 1}', b"age"])
def test_not_an_age_file(lead, data):
    _, _, identity = lead
    with pytest.raises(BundleRejected, match="not an age file"):
        age.decrypt_with_identity(data, identity)
    with pytest.raises(BundleRejected, match="not an age file"):
        age.decrypt_stream_identity(io.BytesIO(data), io.BytesIO(), identity)
    with pytest.raises(BundleRejected, match="not an age file"):
        age.decrypt_passphrase(data, PASSPHRASE)


def test_key_file_opened_as_a_passphrase_file(lead):
    _, recipient, _ = lead
    with pytest.raises(BundleRejected, match="encrypted to a key, not protected by a passphrase"):
        age.decrypt_passphrase(age.encrypt_to_recipients(b"x", [recipient]), PASSPHRASE)


@pytest.mark.parametrize("recipients", [[], ["age1broken"], ["AGE-SECRET-KEY-1ABC"]])
def test_bad_recipients_are_refused(recipients):
    with pytest.raises(UsageError):
        age.encrypt_to_recipients(b"x", recipients)
    with pytest.raises(UsageError):
        age.encrypt_stream_recipients(io.BytesIO(b"x"), io.BytesIO(), recipients)


class FailingWriter(io.BytesIO):
    def __init__(self, after):
        super().__init__()
        self.after = after

    def write(self, data):
        if self.tell() + len(data) > self.after:
            raise OSError(28, "No space left on device")
        return super().write(data)


class FailingReader(io.BytesIO):
    def read(self, size=-1):
        if self.tell() > 1000:
            raise OSError(5, "Input/output error")
        return super().read(size)


def test_a_full_disk_at_the_last_write_is_not_lost(lead):
    # pyrage's buffered writer swallows an error in its final flush; ours must not. The whole
    # small file arrives in that one flush; its size varies (age adds random grease stanzas)
    # but is never under 200 bytes.
    _, recipient, _ = lead
    with pytest.raises(OSError, match="No space left"):
        age.encrypt_stream_recipients(io.BytesIO(b"small"), FailingWriter(after=100), [recipient])


def test_a_full_disk_while_decrypting_is_not_lost(lead):
    _, recipient, identity = lead
    sealed = age.encrypt_to_recipients(PLAIN, [recipient])
    with pytest.raises(OSError, match="No space left"):
        age.decrypt_stream_identity(io.BytesIO(sealed), FailingWriter(after=10_000), identity)


def test_a_read_error_is_not_lost(lead):
    _, recipient, _ = lead
    with pytest.raises(OSError, match="Input/output error"):
        age.encrypt_stream_recipients(FailingReader(PLAIN), io.BytesIO(), [recipient])


# --- memory: a 50 MB pack streams through passphrase encryption --------------------------------

RSS_PROBE = textwrap.dedent(
    """
    import hashlib, io, json, os, resource, sys
    from casereader.bundle import age

    SIZE = 50 * 1000 * 1000
    PATH = sys.argv[1]

    def status(key):
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith(key)) // 1024

    class Probe:
        # Resets the peak-RSS mark when the streaming starts, i.e. after scrypt, whose fixed
        # 256 MiB work area would otherwise hide everything the stream does.
        def __init__(self):
            self.base = None
        def start(self):
            if self.base is None:
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
                self.base = status("VmRSS")
        def growth(self):
            return status("VmHWM") - self.base

    class Pattern:
        def __init__(self, probe):
            self.left, self.probe, self.sha = SIZE, probe, hashlib.sha256()
        def read(self, n=-1):
            self.probe.start()
            n = self.left if n < 0 else min(n, self.left)
            self.left -= n
            data = (b"fictional case record " * (n // 22 + 1))[:n]
            self.sha.update(data)
            return data

    class Sink:
        def __init__(self, probe):
            self.probe, self.sha, self.size = probe, hashlib.sha256(), 0
        def write(self, data):
            self.probe.start()
            self.sha.update(data)
            self.size += len(data)
            return len(data)

    enc = Probe()
    src = Pattern(enc)
    with open(PATH, "wb") as dst:
        age.encrypt_stream_passphrase(src, dst, "acorn-tulip-biscuit")
    enc_growth = enc.growth()

    dec = Probe()
    sink = Sink(dec)
    with open(PATH, "rb") as packed:
        age.decrypt_stream_passphrase(packed, sink, "acorn-tulip-biscuit")
    dec_growth = dec.growth()

    control = Probe()
    control.start()
    with open(PATH, "rb") as packed:
        whole = packed.read()
    control_growth = control.growth()

    print(json.dumps({
        "round_trip": sink.sha.hexdigest() == src.sha.hexdigest() and sink.size == SIZE,
        "pack_mb": os.path.getsize(PATH) // 1000000,
        "encrypt_growth_mb": enc_growth,
        "decrypt_growth_mb": dec_growth,
        "control_growth_mb": control_growth,
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }))
    """
)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.access("/proc/self/clear_refs", os.W_OK), reason="needs Linux /proc peak-RSS reset"
)
def test_a_50_mb_pack_streams_in_bounded_memory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(tmp_path / "pack")],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(result.stdout)
    print("passphrase streaming, peak RSS growth:", measured)
    assert measured["round_trip"]
    assert measured["pack_mb"] >= 50
    # The control proves the measurement sees a pack held in memory...
    assert measured["control_growth_mb"] >= 45
    # ...and the streaming passes stay far below the pack's size.
    assert measured["encrypt_growth_mb"] < 10
    assert measured["decrypt_growth_mb"] < 10
