"""The synthetic corruptions the checker trains on (grounding/corrupt.py), on lines written here."""
import random

from newsgist.grounding.corrupt import _number, corrupt, is_number


def test_number_swap_changes_one_number():
    toks = "the storm killed 12 people in 3 towns".split()
    out = _number(toks, "the storm killed 12 people in 3 towns and 40 cattle".split(), random.Random(1))
    assert out is not None and len(out) == len(toks)
    changed = [(a, b) for a, b in zip(toks, out) if a != b]
    assert len(changed) == 1 and is_number(changed[0][0]) and is_number(changed[0][1])


def test_digit_tokens_python_cannot_read_are_left_alone():
    # "¹" and "1.2.3" pass the digit test but are no float: no corruption, no ValueError
    for tok in ("¹", "1.2.3"):
        assert is_number(tok)
        assert _number(["footnote", tok], [], random.Random(0)) is None


def test_corrupt_is_deterministic_for_a_seed():
    line = "the mayor said 40 of the 112 cables were damaged on tuesday"
    art = line + " . the council met on monday and 300 people came"
    a = corrupt(line, art, {"mayor"}, random.Random(7))
    b = corrupt(line, art, {"mayor"}, random.Random(7))
    assert a == b and a is not None and a[0] != line
