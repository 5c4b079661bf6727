"""benchmarks/bench_typed_names.py's swap: same label, no shared word, not already in the line."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_typed_names  # noqa: E402

LINE = "Mayor Ada Quill opened the Harbour Museum in Port Alder."
ENTS = [("Ada Quill", "PERSON", 6, 15), ("the Harbour Museum", "ORG", 23, 41), ("Port Alder", "GPE", 45, 55)]


def test_the_swap_takes_an_entity_of_the_same_label_that_shares_no_word():
    art = {("Quill", "PERSON"), ("Ada Quill's", "PERSON"), ("Tom Brae", "PERSON"), ("Port Alder", "GPE")}
    # the ORG and GPE entities of the line have no other entity of their label: only Ada Quill can go,
    # and only for Tom Brae ("Quill" and "Ada Quill's" are her, by a shared word)
    for seed in range(5):
        got = bench_typed_names.typed_swap(LINE, ENTS, art, random.Random(seed))
        assert got == ("Mayor Tom Brae opened the Harbour Museum in Port Alder.", "PERSON")


def test_no_swap_when_every_candidate_is_the_same_entity_or_already_in_the_line():
    art = {("Quill", "PERSON"), ("Port Alder", "GPE"), ("Harbour Museum", "ORG"), ("Alder", "LOC")}
    assert bench_typed_names.typed_swap(LINE, ENTS, art, random.Random(0)) is None


def test_an_other_label_is_never_a_candidate():
    art = {("Kellin", "GPE"), ("Brae Council", "ORG")}
    got = {bench_typed_names.typed_swap(LINE, ENTS, art, random.Random(s)) for s in range(20)}
    assert got == {("Mayor Ada Quill opened Brae Council in Port Alder.", "ORG"),
                   ("Mayor Ada Quill opened the Harbour Museum in Kellin.", "GPE")}
