"""Where the article mentions a line's names, against where it backs the rest of the line
(issue 26, session 4: grounding/mentions.py). A text written for these tests."""
from __future__ import annotations

from newsgist.grounding.align import Source
from newsgist.grounding.check import line_evidence
from newsgist.grounding.claims import Line, stem
from newsgist.grounding.context import Lexicon
from newsgist.grounding.evidence import EXTRA
from newsgist.grounding.mentions import FAR, MENTIONS, mention_evidence
from newsgist.grounding.numeric import number_tokens
from newsgist.grounding.slots import name_runs
from test_check_context import _spans  # the same sentence spans of a " . "-joined article

ARTICLE = ("bangladesh beat england by 15 runs in adelaide . "
           "the defeat saw england crash out of the world cup in the group stages . "
           "he said the team had let the country down . "
           "coach peter moores will stay in the job . "
           "the board met on monday . "
           "fans gathered outside the ground . "
           "the chairman said moores had the full support of the board .")
LEX = Lexicon(names={"bangladesh", "england", "adelaide", "peter", "moores"}, plain=set())
WORDS = {"beat": 2.5, "runs": 2.0, "defeat": 2.5, "saw": 1.0, "crash": 3.0, "out": 0.5, "world": 1.0,
         "cup": 2.0, "group": 1.5, "stages": 2.5, "team": 1.5, "let": 1.0, "country": 1.5, "down": 0.5,
         "coach": 2.5, "stay": 2.0, "job": 2.0, "board": 2.5, "met": 2.0, "fans": 2.0, "gathered": 3.0,
         "outside": 1.5, "ground": 2.0, "chairman": 3.0, "full": 1.0, "support": 1.5, "loss": 2.5,
         "elimination": 4.0, "resulted": 3.0}
IDF = {stem(w): v for w, v in WORDS.items()}


def _mentions(line: str, article: str = ARTICLE, lex=LEX) -> dict:
    src = Source(article, _spans(article))
    ln = Line.of(line)
    nums = [(a, b + 1) for a, b, _ in number_tokens(ln.toks)]
    f = dict.fromkeys(MENTIONS, 0.0)
    mention_evidence(src, ln, name_runs(src, ln.toks, ln.stems, IDF, lex, nums), IDF, lex, f)
    return f


def test_a_name_from_far_away_stands_far_from_the_rest_of_the_line():
    true = _mentions("england crash out of the world cup in the group stages .")
    swapped = _mentions("peter moores crash out of the world cup in the group stages .")
    assert true["men_dist_max"] == 0 and true["men_far"] == 0
    assert swapped["men_dist_max"] >= 2 and swapped["men_far"] == 1
    assert swapped["men_cov_gap"] > true["men_cov_gap"]
    # the sentence backing the rest of the line names someone the line lacks ("england")
    assert swapped["men_alt"] == 1 and true["men_alt"] == 0


def test_a_resolved_pronoun_is_one_sentence_away():
    # "he said the team had let the country down": the name is in the sentence before
    f = _mentions("england said the team had let the country down .")
    assert f["men_dist_max"] == 1 and f["men_far"] == 0


def test_a_name_the_article_never_mentions_counts_as_far():
    f = _mentions("bangladesh beat scotland by 15 runs .", lex=Lexicon(names=LEX.names | {"scotland"}))
    assert f["men_never"] == 1 and f["men_dist_max"] == FAR


def test_two_names_in_the_other_order():
    assert _mentions("bangladesh beat england in adelaide .")["pair_rev"] == 0
    f = _mentions("england beat bangladesh in adelaide .")
    assert f["pair_rev"] >= 1          # the article has them together only the other way round


def test_a_capitalised_function_word_mid_line():
    article = "The video shows Dominic in pain . The officers laughed ."
    src_lex = Lexicon(names={"dominic"})
    assert _mentions("The video shows Dominic in pain .", article, src_lex)["cap_mid_func"] == 0
    assert _mentions("The video shows The in pain .", article, src_lex)["cap_mid_func"] == 1
    # a capital after a full stop or a quotation mark starts a sentence: not counted
    assert _mentions('The video shows pain. The officers laughed.', article, src_lex)["cap_mid_func"] == 0
    # a lower-cased line (cnndm-train's) has no case to read
    assert _mentions("the video shows the in pain .", article, src_lex)["cap_mid_plain"] == 0


def test_the_features_reach_the_line_evidence():
    assert set(MENTIONS) <= set(EXTRA)
    src = Source(ARTICLE, _spans(ARTICLE))
    ev = line_evidence(src, "peter moores crash out of the world cup in the group stages .", idf=IDF, lex=LEX,
                       fast=False)
    assert ev["men_far"] == 1
    copied = line_evidence(src, "coach peter moores will stay in the job .", idf=IDF, lex=LEX)
    assert copied["verbatim"] and copied["men_rest_cov"] == 1.0 and copied["men_far"] == 0


def test_two_names_exchanged_fit_the_article_better_swapped_back():
    article = ("Maria Lund , the head of Harbour Trust , opened the new ferry pier on Friday . "
               "She said the pier would carry 400 passengers a day .")
    lex = Lexicon(names={"maria", "lund", "harbour", "trust"})
    true = _mentions("Maria Lund, the head of Harbour Trust, opened a new ferry pier.", article, lex)
    swapped = _mentions("Harbour Trust, the head of Maria Lund, opened a new ferry pier.", article, lex)
    assert true["swap_gain"] == 0 and true["swap_pairs"] == 0
    # exchanged back, "lund the head" and "of harbour trust" are the article's words again
    assert swapped["swap_gain"] >= 2 and swapped["swap_pairs"] >= 1
    assert 0 < swapped["swap_gain_norm"] <= swapped["swap_gain"] / 2
    # a line with one name has nothing to exchange
    assert _mentions("Maria Lund opened a new ferry pier.", article, lex)["swap_gain"] == 0


def test_a_capitalised_word_of_a_cased_line_is_a_unit_to_exchange():
    article = ("Still , the council says Harbour Trust must pay for the pier . "
               "The trust declined to comment . The pier is still closed .")
    lex = Lexicon(names={"harbour", "trust"})
    # "Still" is no name, but the cased line writes it capitalised: exchanged with "Harbour Trust"
    # the line reads as the article does
    f = _mentions("Harbour Trust, the council says Still must pay for the pier.", article, lex)
    assert f["swap_gain"] >= 1
    # the faithful line, in the article's order, gains nothing from any exchange
    assert _mentions("Still, the council says Harbour Trust must pay.", article, lex)["swap_gain"] == 0


def test_the_opening_unit_is_a_name_the_article_uses_early_and_often():
    article = ("Writer Garth Callaghan , a father of two , writes notes for his daughter Emma . "
               "Callaghan has kidney cancer . Shocking , the notes went viral . "
               "Emma said Garth Callaghan keeps every one .")
    lex = Lexicon(names={"garth", "callaghan", "emma"})
    plain = "writer father two writes notes daughter kidney cancer shocking went viral said keeps every one"
    idf = {stem(w): 2.0 for w in plain.split()}

    def feats(line):
        src, ln = Source(article, _spans(article)), Line.of(line)
        f = dict.fromkeys(MENTIONS, 0.0)
        mention_evidence(src, ln, name_runs(src, ln.toks, ln.stems, idf, lex, []), idf, lex, f)
        return f

    true = feats("Garth Callaghan, a father of two, writes notes for his daughter.")
    # a sentence opener of the article put in the subject's place, where case cannot tell
    swapped = feats("Shocking, a father of two, writes notes for his daughter.")
    assert true["open_name"] == 2 and true["open_first"] == 0 and true["open_count"] > swapped["open_count"]
    assert swapped["open_name"] == 0 and swapped["open_first"] == 2
    assert true["unit_name_min"] == 2 and swapped["unit_name_min"] == 0
    # a mid-line unit counts for unit_* but not for open_*
    mid = feats("Callaghan writes notes for his daughter Shocking.")
    assert mid["open_name"] == 2 and mid["unit_name_min"] == 0 and mid["unit_first_max"] == 2
    # no name unit at all
    none = feats("a father of two writes notes for his daughter .")
    assert none["open_name"] == -2 and none["unit_name_min"] == -2
