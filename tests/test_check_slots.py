"""What the article puts in a name's slot (issue 26, session 3: grounding/slots.py), and the
tight substitution checks leaving alone a fused line that follows another sentence
(grounding/tight.py). Lower-cased text, like cnndm-train's; a text written for these tests."""
from __future__ import annotations

from newsgist.grounding.align import Source
from newsgist.grounding.check import line_evidence
from newsgist.grounding.claims import Line, stem
from newsgist.grounding.context import Lexicon
from newsgist.grounding.evidence import EXTRA
from newsgist.grounding.slots import SLOTS, slot_evidence
from test_check_context import _spans  # the same sentence spans of a " . "-joined article

ARTICLE = ("the keeper was hurt during a victory over stoke last month . "
           "west brom had tried to sign him in january . "
           "downton believes that moores is still the right man for the job . "
           "manchester city beat the leaders and manchester united will fail to finish fourth .")
LEX = Lexicon(names={"stoke", "brom", "downton", "moores", "manchester", "united", "city"}, plain={"keeper"})
WORDS = {"the": 0.1, "keeper": 5.0, "hurt": 3.0, "victory": 2.5, "over": 0.9, "last": 0.8, "month": 1.5,
         "west": 2.0, "tried": 1.5, "sign": 2.0, "believes": 2.0, "still": 1.0, "right": 1.5, "man": 1.5,
         "job": 2.0, "beat": 2.5, "leaders": 2.5, "fail": 2.5, "finish": 2.5, "fourth": 3.0, "injured": 2.5,
         "side": 1.5, "beaten": 2.5, "january": 2.0}
IDF = {stem(w): v for w, v in WORDS.items()}


def _slots(line: str) -> dict:
    src = Source(ARTICLE, _spans(ARTICLE))
    ln = Line.of(line)
    f = dict.fromkeys(SLOTS, 0.0)
    slot_evidence(src, ln, IDF, LEX, f, [k for k, _ in src.align(ln)])
    return f


def test_a_name_put_where_the_article_has_another():
    true = _slots("the keeper was injured in a victory over stoke .")
    swapped = _slots("the keeper was injured in a victory over west brom .")
    assert true["slot_own"] >= 1 and true["slot_run_other"] == 0
    assert swapped["slot_run_other"] == 1 and swapped["slot_other"] >= 1
    assert swapped["slot_ent_own_share"] < true["slot_ent_own_share"]
    # the name it displaced ("stoke") is in the support and not in the line
    assert swapped["slot_held_support"] >= 1 and true["slot_held_support"] == 0


def test_two_names_in_each_others_slots():
    true = _slots("downton believes that moores is the right man .")
    swapped = _slots("moores believes that downton is the right man .")
    assert true["slot_run_other"] == 0
    assert swapped["slot_run_other"] == 2
    assert swapped["slot_held_line"] >= 2 and true["slot_held_line"] == 0   # each in the other's place


def test_loose_slot_skips_function_words():
    # "victory at stoke": the strict key ("at", "victory") is not in the article; the loose one is
    assert _slots("a victory at stoke .")["slot_loose_own_share"] == 1.0
    assert _slots("a victory at west brom .")["slot_loose_run_other"] == 1


def test_a_reworded_slot_says_nothing():
    f = _slots("stoke were beaten by the keeper's side .")
    assert f["slot_other"] == 0 and f["slot_loose_run_other"] == 0


def test_fused_line_following_another_sentence_is_no_substitution():
    src = Source(ARTICLE, _spans(ARTICLE))
    # the line follows the last sentence's second clause word for word; against its first
    # clause ("manchester [city] beat") "united" would look like a name put in city's place
    ev = line_evidence(src, "Manchester United will fail to finish fourth.", idf=IDF, lex=LEX, fast=False)
    assert not [u for u in ev["hard"] if u["kind"] == "name"]
    assert ev["swap_rare"] == 0
    assert set(SLOTS) <= set(EXTRA) and all(k in ev for k in SLOTS)


def test_two_names_the_other_way_round_is_a_hard_relation_piece():
    src = Source(ARTICLE, _spans(ARTICLE))
    ev = line_evidence(src, "Moores believes that Downton is still the right man.", idf=IDF, lex=LEX, fast=False)
    assert ev["pair_flip"] == 1
    assert any(u["kind"] == "relation" and u["text"] == "Moores believes that Downton" for u in ev["hard"])
    ok = line_evidence(src, "Downton believes that Moores is still the right man.", idf=IDF, lex=LEX, fast=False)
    assert ok["pair_flip"] == 0 and not ok["hard"]
