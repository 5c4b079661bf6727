"""Names and numbers beside their words (issue 26, grounding/context.py): a role swap, a name
swapped for another of the sentence, a number given to another noun change where the entity
stands, not which words the line uses. Case-free: the text here is lower-cased like cnndm-train."""
from __future__ import annotations

from newsgist.grounding.align import Source
from newsgist.grounding.check import line_evidence
from newsgist.grounding.claims import Line
from newsgist.grounding.context import CONTEXT, Lexicon, context_evidence
from newsgist.grounding.evidence import EXTRA
from newsgist.grounding.trees import LineTrees

ARTICLE = ("olivier giroud scored two goals to ensure arsenal came away from newcastle with the points . "
           "the hosts had one shot before moussa sissoko netted after the break . "
           "celtic criticised the referee on monday over the 150 fines handed to 12 players .")
# Names: the two clubs are common words in news ("arsenal"), the rest rare words; "referee" is
# a rare word news writes in lower case.
LEX = Lexicon(names={"arsenal", "celtic", "newcastle"}, plain={"referee"})
IDF = {"the": 0.1, "score": 3.0, "two": 1.0, "goal": 2.5, "ensure": 3.5, "came": 1.5, "away": 2.0, "point": 2.5,
       "host": 3.0, "had": 0.5, "one": 0.8, "shot": 3.0, "before": 1.0, "nett": 4.0, "after": 0.9, "break": 3.0,
       "criticis": 4.7, "referee": 5.0, "monday": 2.0, "over": 0.9, "fine": 3.5, "hand": 2.5, "player": 2.5,
       "arsenal": 3.9, "celtic": 4.2, "newcastle": 4.0}


def _spans(text: str) -> list[tuple[int, int]]:
    out, a = [], 0
    for part in text.split(" . "):
        b = a + len(part) + 2
        out.append((a, min(b, len(text))))
        a = b + 1
    return out


def _features(line: str) -> dict:
    src = Source(ARTICLE, _spans(ARTICLE))
    ln = Line.of(line)
    support = [k for k, _ in src.align(ln)]
    f = dict.fromkeys(CONTEXT, 0.0)
    context_evidence(src, ln, support, IDF, LEX, f, src.sentences[support[0]])
    return f


def test_lexicon_tells_names_from_rare_plain_words():
    assert LEX.entity("arsenal", "arsenal", IDF)          # a common word that is a name
    assert LEX.entity("giroud", "giroud", IDF)            # a rare (unseen) word
    assert not LEX.entity("referee", "referee", IDF)      # rare, but written in lower case
    assert not LEX.entity("goals", "goal", IDF) and not LEX.entity("150", "150", IDF)


def test_role_swap_puts_each_name_in_the_others_place():
    true = _features("olivier giroud scored two goals to ensure a win for arsenal against newcastle .")
    swapped = _features("arsenal scored two goals to ensure a win for olivier giroud against newcastle .")
    assert swapped["ent_exch"] > true["ent_exch"]
    assert swapped["ent_side_min"] < true["ent_side_min"] or swapped["ent_flip_max"] > true["ent_flip_max"]


def test_name_swapped_for_another_of_the_article_fits_the_other_name_better():
    true = _features("moussa sissoko netted after the break .")
    swapped = _features("olivier giroud netted after the break .")
    assert swapped["ent_repl"] > 0 and true["ent_repl"] == 0
    assert swapped["ent_side_min"] < true["ent_side_min"]


def test_number_given_to_another_noun():
    true = _features("celtic criticised the referee over the 150 fines .")
    swapped = _features("celtic criticised the referee over the 12 fines .")
    assert swapped["num_repl"] > 0 and true["num_repl"] == 0
    assert swapped["num_side_min"] < true["num_side_min"]


def test_context_features_reach_the_line_model_and_the_lexicon_round_trips():
    assert set(CONTEXT) <= set(EXTRA)
    src = Source(ARTICLE, _spans(ARTICLE))
    ev = line_evidence(src, "arsenal scored two goals for olivier giroud .", idf=IDF, lex=LEX, fast=False)
    assert all(k in ev for k in CONTEXT)
    ev_copy = line_evidence(src, ARTICLE.split(" . ")[1] + " .", idf=IDF, lex=LEX)
    assert ev_copy["verbatim"] and ev_copy["ent_side_min"] == 1.0
    trees = LineTrees(["uni"], [-1], [0.0], [-1], [-1], [0.5], [0], 1, names=LEX.names, plain=LEX.plain)
    back = LineTrees.from_dict(trees.to_dict(), ("uni",))
    assert back.lex.names == LEX.names and back.lex.plain == LEX.plain
