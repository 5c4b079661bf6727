"""Guards on deletion candidates: constituents the parse offers that must stay.

:func:`refusal` names why a candidate of :func:`newsgist.highlighting.compress.rules.candidates`
may not be deleted, or returns None. Each guard answers a kind of bad output found
by reading 416 compressed highlights of validation-1000 (articles 0-199) beside
their sources; together they turned 40 of the 75 bad ones good, and on articles
200-299, not read while writing them, they changed 17 highlights, about 10 bad ones
for the better and none clearly for the worse (see BENCHMARKS.md):

* ``not a time``      -- an ``npadvmod`` that is not a date or time is usually a
  misparsed noun ("the world's reigning No. 1 player").
* ``argument``        -- the phrase a verb needs: "lived within 100 meters of ...",
  "go on sale", "missed out on gold", "appealed for help", "kept their hopes alive".
* ``scope``           -- a phrase that limits the claim: under a negation ("won't
  have to search for long"), holding "only" or "first", or completing a superlative
  or "first"/"last"/"only" ("first new product since the iPad").
* ``bare participle`` -- the only words of a participle or gerund ("an inspection
  completed last month found ...", "removed starting January 2016").
* ``split phrase``    -- the first word of "instead of", "thanks to", "due to" ..., and
  the "also" of "not only ... but also".
* ``not final``       -- an attribution "tail" that something other than the final
  mark follows (a false sentence break: "said Sgt. Michael Verlich of ...").
* ``list``            -- a list taken for an appositive ("a man, four women, three
  girls and eight boys").

Two later readings (articles 300-499, then 700-899) added the guards marked "from a
second reading" and "from a third reading" in GUARDS below, each checked on articles
not read while writing it. A held-out reading between them (700-899) still found
15.6 % of compressed highlights bad, so compression stays opt-in. The three guards
listed last in GUARDS (``claim source``, two kinds of ``news``) came from its
misleading cuts; what they change is in BENCHMARKS.md.

The guards live by kind: :mod:`newsgist.highlighting.compress.grammar_guards` (the cut
would leave a broken or misread sentence) and
:mod:`newsgist.highlighting.compress.meaning_guards` (the cut would change the claim).
This module orders them (:data:`GUARDS`, with the notes of each reading) and asks them
(:func:`refusal`).
"""
from __future__ import annotations

from newsgist.highlighting.compress.grammar_guards import (_apposition_follows, _argument, _bare_number,
                                                           _bare_participle, _bare_relative, _comparative,
                                                           _dangling_cc, _dash_infinitive, _distance, _false_break,
                                                           _fused_clause, _fused_subject, _inversion,
                                                           _inverted_predicate, _list, _measure_before,
                                                           _next_to_cc, _not_final, _not_time, _place_modifier,
                                                           _split_pair, _split_phrase, _unmarked_finite_clause)
from newsgist.highlighting.compress.meaning_guards import (_casualties, _concession, _condition_prep,
                                                           _contrast_tail, _hedge, _interrupting_event,
                                                           _inverted_condition, _name_of_common_noun,
                                                           _negated_object, _opinion_source, _party_source, _rate,
                                                           _scope, _second_predicate, _wide_scope)
from newsgist.highlighting.compress.syntax import candidate_head

# The order here is the order the guards are asked in: a refusal is named after the
# first guard that refuses.
GUARDS = (
    # from the first reading (articles 0-199, the list above)
    ("not a time", _not_time), ("argument", _argument), ("scope", _scope),
    ("bare participle", _bare_participle), ("split phrase", _split_phrase),
    ("not final", _not_final), ("list", _list),
    # from a second reading
    # (validation-1000 articles 300-499: 70 of 387 compressed highlights bad; these guards
    # and the comma fixes in compress.py turn 41 good and change 6 others harmlessly; read
    # where they were not written -- articles 500-699 and 0-199 -- they changed 33
    # highlights: 14 better, 19 neutral, 0 worse. One more guard, "subject swallowed",
    # was dropped: it made one held-out highlight worse.)
    ("split phrase", _split_pair), ("dangling conjunction", _dangling_cc),
    ("misparse", _apposition_follows), ("misparse", _fused_clause),
    ("argument", _inverted_predicate), ("not final", _false_break), ("place modifier", _place_modifier),
    ("name", _name_of_common_noun), ("bare relative", _bare_relative),
    ("argument", _measure_before), ("rate", _rate), ("scope", _contrast_tail),
    ("condition", _inverted_condition), ("misparse", _unmarked_finite_clause), ("scope", _wide_scope),
    ("hedge", _hedge), ("scope", _concession), ("opinion", _opinion_source), ("condition", _condition_prep),
    ("argument", _dash_infinitive), ("scope", _negated_object), ("news", _casualties),
    # from a third reading
    # (validation-1000 articles 700-899, read after the second set: 61 of 392 compressed
    # highlights bad; these six turn about 12 good and change 16 there in all; on articles
    # 900-999, never read before, they changed 4 highlights: 1 better, 3 neutral, 0 worse.
    # Two broader prototypes -- keep the first phrase of a verb without an object, keep a bare
    # "X said" -- were left out: they mostly keep more words, and were not shown to help.)
    ("argument", _comparative), ("argument", _inversion), ("bare number", _bare_number),
    ("dangling conjunction", _next_to_cc), ("misparse", _fused_subject), ("argument", _distance),
    # from the held-out reading's misleading cuts (the three the docstring names)
    ("claim source", _party_source), ("news", _interrupting_event), ("news", _second_predicate))


def refusal(doc, c) -> str | None:
    """Why candidate ``c`` of ``doc`` may not be deleted, or None."""
    t = candidate_head(doc, c)
    if t is None:
        return None
    return next((name for name, guard in GUARDS if guard(doc, c, t)), None)
