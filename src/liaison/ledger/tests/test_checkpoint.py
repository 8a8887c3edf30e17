"""C2SP tlog-checkpoint bodies and signed notes with Ed25519. Pure Python, no database."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.ledger.checkpoint import (
    MAX_TREE_SIZE,
    Checkpoint,
    CheckpointError,
    NoteError,
    format_checkpoint,
    generate_signer_key,
    key_id,
    open_note,
    parse_checkpoint,
    sign_note,
    verifier_key_from_signer,
)

# Known answers from golang.org/x/mod/sumdb/note (note_test.go and the package docs).
PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
PETER_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "\u2014 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
)

ROOT = hashlib.sha256(b"some root").digest()
ORIGIN = "liaison.example/ledger"


@pytest.fixture(scope="module")
def signer() -> str:
    return generate_signer_key(ORIGIN)


@pytest.fixture(scope="module")
def verifier(signer: str) -> str:
    return verifier_key_from_signer(signer)


def signed_checkpoint(signer: str, size: int = 42) -> str:
    return sign_note(format_checkpoint(ORIGIN, size, ROOT), signer)


# --- interoperability with Go's note package ----------------------------------------------


def test_it_derives_the_go_verifier_key_from_the_go_signer_key() -> None:
    assert verifier_key_from_signer(PETER_SIGNER) == PETER_VERIFIER


def test_it_signs_exactly_as_go_does() -> None:
    assert sign_note(PETER_TEXT, PETER_SIGNER) == PETER_TEXT + "\n" + PETER_SIG


def test_it_opens_a_note_signed_by_go() -> None:
    assert open_note(PETER_TEXT + "\n" + PETER_SIG, PETER_VERIFIER) == PETER_TEXT


def test_it_ignores_signatures_by_other_keys_and_checks_its_own() -> None:
    note = PETER_TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(note, PETER_VERIFIER) == PETER_TEXT
    assert open_note(note, ENOCH_VERIFIER) == PETER_TEXT
    with pytest.raises(NoteError, match="no signature by key"):
        open_note(PETER_TEXT + "\n" + ENOCH_SIG, PETER_VERIFIER)


def test_the_key_id_is_the_truncated_hash_of_name_type_and_public_key() -> None:
    public_key = base64.b64decode(PETER_VERIFIER.split("+")[2])[1:]
    assert key_id("PeterNeumann", public_key).hex() == "c74f20a3"
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + public_key).digest()[:4]
    assert key_id("PeterNeumann", public_key) == expected


# --- round trips --------------------------------------------------------------------------


def test_a_generated_key_pair_has_the_go_text_forms(signer: str, verifier: str) -> None:
    prefix, key, name, kid, data = signer.split("+", 4)
    assert (prefix, key, name) == ("PRIVATE", "KEY", ORIGIN)
    assert len(base64.b64decode(data)) == 33
    v_name, v_kid, v_data = verifier.split("+", 2)
    assert (v_name, v_kid) == (ORIGIN, kid)
    raw = base64.b64decode(v_data)
    assert raw[0] == 1
    assert len(raw) == 33
    assert key_id(ORIGIN, raw[1:]).hex() == kid


def test_a_signed_checkpoint_opens_and_parses_back(signer: str, verifier: str) -> None:
    note = signed_checkpoint(signer)
    body = open_note(note, verifier)
    assert body == f"{ORIGIN}\n42\n{base64.b64encode(ROOT).decode()}\n"
    assert parse_checkpoint(body) == Checkpoint(ORIGIN, 42, ROOT)
    assert note.startswith(body + "\n\u2014 " + ORIGIN + " ")


@settings(max_examples=50, deadline=None)
@given(
    size=st.integers(0, MAX_TREE_SIZE),
    root=st.binary(min_size=32, max_size=32),
    origin=st.text(
        st.characters(codec="utf-8", min_codepoint=0x20, exclude_characters="\n"), min_size=1
    ),
    extensions=st.lists(
        st.text(st.characters(codec="utf-8", min_codepoint=0x20), min_size=1), max_size=3
    ),
)
def test_any_checkpoint_survives_signing_opening_and_parsing(
    signer: str, verifier: str, size: int, root: bytes, origin: str, extensions: list[str]
) -> None:
    checkpoint = Checkpoint(origin, size, root, tuple(extensions))
    body = checkpoint.body()
    assert parse_checkpoint(open_note(sign_note(body, signer), verifier)) == checkpoint


def test_a_checkpoint_with_extension_lines_round_trips() -> None:
    body = format_checkpoint(ORIGIN, 7, ROOT, ["ext one", "ext two"])
    assert body.endswith("\next one\next two\n")
    assert parse_checkpoint(body).extensions == ("ext one", "ext two")


def test_a_note_whose_text_has_blank_lines_round_trips(signer: str, verifier: str) -> None:
    text = "first\n\nthird\n\n"
    assert open_note(sign_note(text, signer), verifier) == text


# --- forgeries and mistakes are refused -----------------------------------------------------


def test_it_refuses_a_note_whose_body_was_changed(signer: str, verifier: str) -> None:
    note = signed_checkpoint(signer, 42)
    with pytest.raises(NoteError, match="invalid signature"):
        open_note(note.replace("\n42\n", "\n43\n", 1), verifier)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_it_refuses_a_note_with_any_single_body_character_changed(
    signer: str, verifier: str, data: st.DataObject
) -> None:
    note = signed_checkpoint(signer)
    body_length = note.index("\n\n") + 1
    i = data.draw(st.integers(0, body_length - 1))
    replacement = data.draw(st.sampled_from("aZ0+/=\n ").filter(lambda c: c != note[i]))
    with pytest.raises(NoteError):
        open_note(note[:i] + replacement + note[i + 1 :], verifier)


def test_it_refuses_a_note_with_a_flipped_signature_bit(signer: str, verifier: str) -> None:
    note = signed_checkpoint(signer)
    body, _, line = note.rpartition("\n\n")
    name, encoded = line.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[20] ^= 0x01
    forged = f"{body}\n\n\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(NoteError, match="invalid signature"):
        open_note(forged, verifier)


def test_it_refuses_a_note_signed_by_another_key_of_the_same_name(verifier: str) -> None:
    impostor = generate_signer_key(ORIGIN)
    with pytest.raises(NoteError, match="no signature by key"):
        open_note(signed_checkpoint(impostor), verifier)


def test_it_refuses_a_note_when_a_signature_by_its_key_is_bad(signer: str, verifier: str) -> None:
    note = signed_checkpoint(signer)
    other_body = signed_checkpoint(signer, 43)
    bad_line = other_body[other_body.rindex("\u2014") :]
    with pytest.raises(NoteError, match="invalid signature"):
        open_note(note + bad_line, verifier)


def test_it_refuses_an_unsigned_note(verifier: str) -> None:
    with pytest.raises(NoteError):
        open_note(format_checkpoint(ORIGIN, 1, ROOT), verifier)
    with pytest.raises(NoteError):
        open_note(format_checkpoint(ORIGIN, 1, ROOT) + "\n", verifier)


MALFORMED_NOTES = {
    "no blank line": PETER_TEXT + PETER_SIG,
    "no final newline": PETER_TEXT + "\n" + PETER_SIG.rstrip("\n"),
    "a control character": "\x01" + PETER_TEXT + "\n" + PETER_SIG,
    "a lone surrogate": "\udc80" + PETER_TEXT + "\n" + PETER_SIG,
    "a name with a space": PETER_TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
    "a name with a plus": PETER_TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Peter+N"),
    "a trailing text line": PETER_TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    "a hyphen for the dash": PETER_TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
    "no space after the dash": PETER_TEXT + "\n" + PETER_SIG.replace("\u2014 ", "\u2014"),
    "unpadded base64": PETER_TEXT + "\n" + PETER_SIG.replace("AM=\n", "AM\n"),
    "non-canonical base64": PETER_TEXT + "\n" + PETER_SIG.replace("AM=\n", "AN=\n"),
    "base64 of too few bytes": PETER_TEXT + "\n\u2014 PeterNeumann AAAAAA==\n",
    "an empty signature": PETER_TEXT + "\n\u2014 PeterNeumann \n",
    "a blank signature line": PETER_TEXT + "\n" + PETER_SIG + "\n" + PETER_SIG,
    "too many signatures": PETER_TEXT + "\n" + PETER_SIG * 101,
    "nothing": "",
}


@pytest.mark.parametrize("note", MALFORMED_NOTES.values(), ids=MALFORMED_NOTES.keys())
def test_it_refuses_a_malformed_note(note: str) -> None:
    with pytest.raises(NoteError):
        open_note(note, PETER_VERIFIER)


def test_note_errors_are_value_errors() -> None:
    assert issubclass(NoteError, ValueError)
    assert issubclass(CheckpointError, ValueError)


def test_it_accepts_at_least_sixteen_signatures() -> None:
    assert open_note(PETER_TEXT + "\n" + ENOCH_SIG * 15 + PETER_SIG, PETER_VERIFIER) == PETER_TEXT


# --- keys ---------------------------------------------------------------------------------


def test_it_refuses_every_truncation_and_mangling_of_a_verifier_key() -> None:
    key = PETER_VERIFIER
    for i in range(len(key)):
        for j in range(i + 1, len(key) + 1):
            if (i, j) != (0, len(key)):
                with pytest.raises(NoteError):
                    open_note(PETER_TEXT + "\n" + PETER_SIG, key[i:j])
    for i in range(len(key)):
        mangled = key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :]
        with pytest.raises(NoteError):
            open_note(PETER_TEXT + "\n" + PETER_SIG, mangled)


def test_it_refuses_every_mangling_of_a_signer_key() -> None:
    key = PETER_SIGNER
    for i in range(len(key)):
        mangled = key[:i] + chr(ord(key[i]) + 1) + key[i + 1 :]
        with pytest.raises(NoteError):
            sign_note(PETER_TEXT, mangled)
    for cut in range(len(key)):
        with pytest.raises(NoteError):
            verifier_key_from_signer(key[:cut])


def test_it_refuses_a_verifier_key_as_a_signer_key_and_the_reverse() -> None:
    with pytest.raises(NoteError):
        sign_note(PETER_TEXT, PETER_VERIFIER)
    with pytest.raises(NoteError):
        open_note(PETER_TEXT + "\n" + PETER_SIG, PETER_SIGNER)


@pytest.mark.parametrize("name", ["", "has space", "has+plus", "tab\there", "nbsp\u00a0"])
def test_it_refuses_to_generate_a_key_with_an_invalid_name(name: str) -> None:
    with pytest.raises(NoteError):
        generate_signer_key(name)


@pytest.mark.parametrize("text", ["", "no final newline", "bell\x07\n", "\udc80\n"])
def test_it_refuses_to_sign_malformed_text(signer: str, text: str) -> None:
    with pytest.raises(NoteError):
        sign_note(text, signer)


# --- checkpoint bodies --------------------------------------------------------------------

ROOT64 = base64.b64encode(ROOT).decode()
URLSAFE_ROOT64 = base64.urlsafe_b64encode(b"\xff" * 32).decode()
MALFORMED_CHECKPOINTS = {
    "no final newline": f"{ORIGIN}\n1\n{ROOT64}",
    "two lines": f"{ORIGIN}\n1\n",
    "empty origin": f"\n1\n{ROOT64}\n",
    "leading zero": f"{ORIGIN}\n01\n{ROOT64}\n",
    "negative size": f"{ORIGIN}\n-1\n{ROOT64}\n",
    "plus sign": f"{ORIGIN}\n+1\n{ROOT64}\n",
    "size with spaces": f"{ORIGIN}\n 1\n{ROOT64}\n",
    "non-ASCII digits": f"{ORIGIN}\n\u0661\n{ROOT64}\n",
    "hex size": f"{ORIGIN}\n0x10\n{ROOT64}\n",
    "size above int64": f"{ORIGIN}\n{2**63}\n{ROOT64}\n",
    "empty size": f"{ORIGIN}\n\n{ROOT64}\n",
    "short root": f"{ORIGIN}\n1\n{base64.b64encode(ROOT[:31]).decode()}\n",
    "long root": f"{ORIGIN}\n1\n{base64.b64encode(ROOT + b'x').decode()}\n",
    "unpadded root": f"{ORIGIN}\n1\n{ROOT64.rstrip('=')}\n",
    "url-safe root": f"{ORIGIN}\n1\n{URLSAFE_ROOT64}\n",
    "hex root": f"{ORIGIN}\n1\n{ROOT.hex()}\n",
    "empty extension line": f"{ORIGIN}\n1\n{ROOT64}\n\n",
    "control character": f"{ORIGIN}\x00\n1\n{ROOT64}\n",
    "carriage return": f"{ORIGIN}\r\n1\n{ROOT64}\n",
}


@pytest.mark.parametrize("body", MALFORMED_CHECKPOINTS.values(), ids=MALFORMED_CHECKPOINTS.keys())
def test_it_refuses_a_malformed_checkpoint(body: str) -> None:
    with pytest.raises(CheckpointError):
        parse_checkpoint(body)


def test_it_parses_the_empty_tree_and_the_largest_size() -> None:
    empty = hashlib.sha256(b"").digest()
    assert parse_checkpoint(format_checkpoint(ORIGIN, 0, empty)) == Checkpoint(ORIGIN, 0, empty)
    assert parse_checkpoint(format_checkpoint(ORIGIN, MAX_TREE_SIZE, ROOT)).size == MAX_TREE_SIZE


def test_it_parses_the_c2sp_example_checkpoint() -> None:
    body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    checkpoint = parse_checkpoint(body)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.body() == body


@pytest.mark.parametrize(
    ("origin", "size", "root", "extensions"),
    [
        ("", 1, ROOT, ()),
        ("two\nlines", 1, ROOT, ()),
        (ORIGIN, -1, ROOT, ()),
        (ORIGIN, MAX_TREE_SIZE + 1, ROOT, ()),
        (ORIGIN, True, ROOT, ()),
        (ORIGIN, 1, ROOT[:31], ()),
        (ORIGIN, 1, ROOT.hex(), ()),
        (ORIGIN, 1, ROOT, ("",)),
        (ORIGIN, 1, ROOT, ("a\nb",)),
    ],
)
def test_it_refuses_to_format_a_malformed_checkpoint(
    origin: str, size: int, root: bytes, extensions: tuple[str, ...]
) -> None:
    with pytest.raises(CheckpointError):
        format_checkpoint(origin, size, root, extensions)
