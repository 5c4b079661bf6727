"""Typed event slots (newsgist.corpus.slots) and their conflict rule in the cluster's pair
scores and join (issue 30, session 4). Texts invented for these tests."""
import numpy as np

from newsgist.corpus import slots
from newsgist.corpus.features import extract
from newsgist.corpus.index import StoryIndex
from newsgist.corpus.linkage import SLOTS, pair_scores

A = ("Dana Whitcombe was killed in a shooting on Alder Street in Norvale on Tuesday.\n\n"
     "Police said Whitcombe, 34, was shot at about 11:30 p.m. The suspect, a 22-year-old man, was "
     "arrested in 2025.")
B = ("Felix Amundsen was killed in a shooting on Carver Avenue in Norvale on Friday.\n\n"
     "Police said Amundsen, 51, was shot at about 9:15 p.m. The suspect, aged 40, was arrested in 2025.")
A2 = ("Norvale police said Dana Whitcombe died after a shooting on Alder Street late Tuesday.\n\n"
      "Whitcombe, 34, was found at about 11:30 p.m.")


def values(text):
    return {t: len(v) for t, v in slots.extract(text).items()}


def test_slots_are_read_by_type():
    got = values(A)
    assert got == {"year": 1, "age": 2, "weekday": 1, "street": 1, "protagonist": 1, "time": 1, "place": 1}
    assert slots.extract(A)["age"] == sorted({slots._h("age", "34"), slots._h("age", "22")})
    # a page's own time stamp is not an event time; a street's name is no protagonist
    assert "time" not in slots.extract("Posted 2 / 3 / 2009 11: 11 PM\n\nThe council met.")
    assert "protagonist" not in slots.extract("Shots were fired on Oak Lane.")
    # the cluster reads the types of its rule only
    assert set(SLOTS["types"]) <= set(slots.READ)
    assert extract(A)["slots"] == slots.extract(A, slots.READ)
    assert "year" not in extract(A)["slots"] and "time" not in extract(A)["slots"]


def test_place_is_the_dateline_or_a_town_named_at_the_top():
    def place(text):
        return slots.extract(text, ("place",)).get("place")
    h = lambda *names: sorted(slots._h("place", n) for n in names)   # noqa: E731
    assert place("Brinmoor, Ohio (Jun. 6) - A fire near a mill in Brinmoor left two hurt.") == h("brinmoor")
    assert place("KESTLE, Ind. \u2014 Three people were hurt.") == h("kestle")
    assert place("Harwick - Police are looking into a robbery.") == h("harwick")
    assert place("Police in Tarrow Falls Monday said a man on Elm Street was hurt.") == h("tarrow falls")
    # no place: lower-cased text, a headline without a dateline, a weekday or a street after "in"
    assert place("police in tarrow said a man was hurt.") is None
    assert place("Jury Convicts Kestle Man In Shooting Death") is None
    assert place("It happened in March on Elm Street.") is None


def test_conflicts_count_types_both_state_with_no_value_in_common():
    a, b, a2 = slots.extract(A), slots.extract(B), slots.extract(A2)
    types = SLOTS["types"]
    assert slots.conflicting(a, b, types) == 4        # age, weekday, street, protagonist all differ
    assert slots.conflicting(a, a2, types) == 0       # one event: the same age, day, street, name
    assert slots.conflicting(a, {}, types) == 0       # a type one side does not state never conflicts
    f = slots.factors([a, b, a2], SLOTS)
    assert f[0, 1] == SLOTS["factor"] and f[0, 2] == 1.0 and f[1, 2] == SLOTS["factor"]
    # below ``min`` conflicting types the score is kept
    assert slots.factor_of(SLOTS["min"] - 1, SLOTS) == 1.0
    assert slots.factor_of(2, {"factor": 0.5}) == 0.25   # without min: one factor per type


def test_pair_scores_apply_the_slot_rule():
    idx = StoryIndex()
    feats = [extract(t) for t in (A, B, A2)]
    for f in feats:
        idx.count(f)
    vecs = [idx.vector(f) for f in feats]
    args = (vecs, [None] * 3, idx.params["weights"], idx.params["date_window"])
    plain = pair_scores(*args)
    ruled = pair_scores(*args, None, [f["slots"] for f in feats], SLOTS)
    assert plain[0, 1] > 0
    assert np.isclose(ruled[0, 1], SLOTS["factor"] * plain[0, 1])
    assert np.isclose(ruled[0, 2], plain[0, 2])


def test_the_join_to_an_earlier_story_applies_the_rule_and_old_states_keep_their_settings():
    def two_runs(params):
        idx = StoryIndex(params)
        story, _ = idx.add("a", extract(A))
        gslots = slots.merge({}, [extract(B)["slots"]])
        idx.add("b", extract(B))
        return idx, story, gslots
    idx, story, gslots = two_runs(None)
    assert story.slots == slots.merge({}, [extract(A)["slots"]])
    gsum = idx.vector(extract(B))
    ruled = idx.link_score(gsum, 1, story, gslots)
    off = idx.link_score(gsum, 1, story)   # no group slots: no slot factor
    assert np.isclose(ruled, SLOTS["factor"] * off)
    # a state written before the rule: no "slots" param, stories without the attribute
    old = StoryIndex({"slots": None})
    del old.params["slots"]
    s_old, _ = old.add("a", extract(A))
    del s_old.__dict__["slots"]
    old.add("b", extract(B))
    assert not hasattr(old.stories[0], "slots") or old.stories[0].slots == {}
    assert np.isclose(old.link_score(gsum, 1, s_old, gslots), old.link_score(gsum, 1, s_old))


def test_second_pass_joins_small_groups_whose_slots_agree_and_never_conflicting_ones():
    from newsgist.corpus.linkage import SECOND, average_link, second_pass
    # 0-3: one event's main group; 4: a piece of it (link 0.15: under the bar of 0.2); 5: another
    # event of the kind at the same link, its slots in conflict; 6: alone, sharing nothing
    s = np.zeros((7, 7))
    s[:4, :4] = 0.5
    s[4, :4] = s[:4, 4] = 0.15
    s[5, :4] = s[:4, 5] = 0.15
    s[6, :4] = s[:4, 6] = 0.15
    np.fill_diagonal(s, 0)
    one = slots.extract(A)
    sl = [one, one, one, one, slots.extract(A2), slots.extract(B), {}]
    groups = average_link(s, 0.2)
    assert groups == [[0, 1, 2, 3], [4], [5], [6]]
    types = SLOTS["types"]
    rule = dict(SECOND)
    assert second_pass(s, groups, sl, rule, types) == [[0, 1, 2, 3, 4], [5], [6]]
    # over the bar only: at a lower bar above the link nothing joins
    assert second_pass(s, groups, sl, {**rule, "lower": 0.16}, types) == groups
    # only small groups: a main group of 4 is not joined to another of 4
    assert second_pass(s, groups, sl, {**rule, "small": 0}, types) == groups
    # agreement on more types than the two share: no join
    assert second_pass(s, groups, sl, {**rule, "shared": 5}, types) == groups


def test_second_pass_needs_agreement_beyond_age():
    from newsgist.corpus.linkage import SECOND, second_pass
    # two groups linked at 0.15 (under the bar) whose only shared fact is an age: no join by
    # default (round 2's rule, where a shared age counted, joined them)
    s = np.zeros((3, 3))
    s[0, 1] = s[1, 0] = 0.5
    s[2, :2] = s[:2, 2] = 0.15
    age = [slots.extract("a 19-year-old student was hurt"), slots.extract("a 19-year-old student was hurt"),
           slots.extract("police said the 19-year-old fled")]
    groups = [[0, 1], [2]]
    assert second_pass(s, groups, age, dict(SECOND), SLOTS["types"]) == groups
    assert second_pass(s, groups, age, {k: v for k, v in SECOND.items() if k != "agree"},
                       SLOTS["types"]) == [[0, 1, 2]]
    # a shared weekday is enough; a place conflict counts where the rule lists "place" (the
    # default does: two towns are two events at the lower bar)
    wd = [slots.extract("Police in Tarrow said on Monday a 19-year-old was hurt.")] * 2 + \
         [slots.extract("Police in Kestle said on Monday a 19-year-old fled.")]
    assert "place" in SECOND["conflict"]
    assert second_pass(s, groups, wd, dict(SECOND), SLOTS["types"]) == groups
    loose = {**SECOND, "conflict": list(SLOTS["types"])}
    assert second_pass(s, groups, wd, loose, SLOTS["types"]) == [[0, 1, 2]]


def test_second_pass_is_the_default_of_new_states_and_old_states_keep_their_settings():
    from newsgist.corpus.linkage import SECOND
    assert StoryIndex().params["second"] == SECOND
    old = StoryIndex()
    del old.params["second"]   # a state written before the option: no second pass
    texts = [A, A2, B]
    placed = [s.number for s, _ in old.add_batch([(str(i), extract(t)) for i, t in enumerate(texts)])]
    new = StoryIndex({"second": None})
    assert placed == [s.number for s, _ in new.add_batch([(str(i), extract(t)) for i, t in enumerate(texts)])]
    on = StoryIndex()
    assert len(on.add_batch([(str(i), extract(t)) for i, t in enumerate(texts)])) == 3
