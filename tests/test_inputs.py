import pytest

from newsgist.errors import BinaryInputError, EmptyInputError, EncodingError, InputError, TooLargeError
from newsgist.reading.inputs import decode, from_text, read_bytes


def test_decode_normalises_newlines_and_bom():
    text, enc = decode("\ufeffOne.\r\nTwo.\rThree.".encode("utf-8"))
    assert text == "One.\nTwo.\nThree." and enc == "utf-8"


@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"\n\n"])
def test_empty(data):
    with pytest.raises(EmptyInputError):
        decode(data)


def test_binary():
    with pytest.raises(BinaryInputError):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)


def test_invalid_utf8_is_an_error_naming_the_byte():
    with pytest.raises(EncodingError, match="byte 3"):
        decode("Café".encode("latin-1") + b" ok")


def test_auto_and_explicit_encoding():
    data = "Caf\xe9 owners said the r\xe9gion was calm.".encode("latin-1")
    assert decode(data, "latin-1")[0].startswith("Café")
    text, _ = decode(data, "auto")
    assert "owners said" in text
    with pytest.raises(EncodingError, match="unknown encoding"):
        decode(b"abc.", "no-such-codec")


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"x. " * 1000)
    assert len(read_bytes(str(p), max_bytes=3000)) == 3000
    with pytest.raises(TooLargeError):
        read_bytes(str(p), max_bytes=2999)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_bytes(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_bytes(str(tmp_path))


def test_from_text():
    assert from_text("A.\r\nB.").text == "A.\nB."
    with pytest.raises(EmptyInputError):
        from_text("   ")
