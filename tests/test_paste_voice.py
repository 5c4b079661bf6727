"""Session 9c's candidate VT (issue 31; ``newsgist.reading.pagevoice``, ``pagemodel.THREAD_RULE =
"voice"``, off as shipped): a comment thread told by what follows its head — stamped comment leads,
a comment system's controls, counters, and the comments' own voice. Lines and pages written for
these tests."""
import sys
from pathlib import Path

import pytest

from newsgist.reading import pagevoice
from newsgist.reading.pagevoice import (COMMENT_TAIL_LINES, is_interface, is_stamp, voice_span,
                                        voiced)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_paste_thread import _review2_pages, _review_pages, assert_library_article_without_thread  # noqa: E402

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")


@pytest.mark.parametrize("line", [
    "Peter Flom 07.08.12 at 13:24", "Tim Worstall 11.06.12 at 11:06 am", "Maria July 7, 2012 at 2:31 pm",
    "2. MJ - August 8, 2012 at 9:15 pm", "kayak_88 | 12/03/2011 4:05 PM",
])
def test_stamps(line):
    assert is_stamp(line)


@pytest.mark.parametrize("line", [
    "Tom Birch, March 10, 2026",                  # a letter's date: no time of day
    "Harold Pike - March 1, 2026",                # an obituary's date
    "Helen Marsh (03:15):",                       # a transcript turn
    "16:55 The manager",                          # a live entry, time first
    "1. Tsegaye Kebede - 2:04:38",                # a race time
    "Posted by Rosa Delgado at 5:12 PM",          # a post's own byline
    "Peter Flom said on Tuesday at 13:24 that the council had never answered his letters about it",  # prose
])
def test_not_stamps(line):
    assert not is_stamp(line)


@pytest.mark.parametrize("line,want", [
    ("Reply", True), ("[Report abuse]", True), ("Permalink | Reply", True), ("12 likes", True),
    ("by zdw on November 14, 2010 at 4:25 pm. Reply #", True), ("Reply to this comment", True),
    ("Like", False), ("Tweet", False), ("Reply to the council's letter was slow", False),
])
def test_interface_lines(line, want):
    assert is_interface(line) is want


@pytest.mark.parametrize("line,want", [
    ("I sorta doubted you would vote for him.", True), ("@Chris – see, this is why", True), ("Peter,", True),
    ("Is there any way to download it?", True),
    ("\"I told them at half-time that we were better than that.\"", False),     # reported speech
    ("Harold Pike, who ran the ironmonger's, has died aged 91.", False),
])
def test_voice(line, want):
    assert voiced(line) is want


ART = ["Bridge reopens after two years", "By Dana Whitcombe",
       "The old bridge over the river reopened on Tuesday after two years of repairs, the council said.",
       "Traffic was light in the morning, and cyclists were the first to cross the new deck."]
THREAD = ["{ 3 comments… read them below or add one }",
          "1", "Rosa Delgado 03.04.19 at 10:02", "I love this bridge, thanks to everyone who worked on it!", "Reply",
          "2", "Tom Birch 03.04.19 at 11:40", "Took them two years. Shame it was not sooner, I think.", "Reply",
          "3", "kayak_88 03.05.19 at 08:15", "Can we paddle under it again?", "Reply"]


def _keep(texts, n_article):
    return [i < n_article for i in range(len(texts))]


def test_voice_span_by_hand():
    texts = ART + THREAD
    h = len(ART)
    # units: counters 1, 2, 3 (join), three stamps and three "Reply" (count); the span ends at the page's end
    assert voice_span(texts, _keep(texts, h)) == (h, len(texts))
    # a long page: the chain's last unit plus COMMENT_TAIL_LINES, the footer after it the model's
    long = texts + ["Newsletter"] + ["About us"] * 20
    assert voice_span(long, _keep(long, h)) == (h, len(texts) + COMMENT_TAIL_LINES)


def test_voice_span_guards_by_hand():
    texts = ART + THREAD
    h = len(ART)
    # 2: a count link under the title (fewer than ARTICLE_MIN_WORDS kept words above it) opens nothing
    under_title = ART[:1] + THREAD + ART[1:]
    assert voice_span(under_title, [True] + [False] * len(THREAD) + [True] * 3) is None
    # 3: dated by day only, no controls: a letters page's shape
    letters = ART + [THREAD[0], "Tom Birch, March 10, 2026", "Closing the bridge would cut my daughter's journey.",
                     "Priya Shah, March 11, 2026", "A car-free bridge would be the best thing for the town.",
                     "Alan Mercer, March 11, 2026", "I run a plumbing business and my van goes round."]
    assert voice_span(letters, _keep(letters, h)) is None
    # 3: the first unit must sit right below the head
    far = ART + [THREAD[0]] + ["The council said the bridge would be inspected every year from now on."] * 5 + THREAD[1:]
    assert voice_span(far, _keep(far, h)) is None
    # 4: stamped entries in the third person (no comment's voice) are no thread
    third = ART + [THREAD[0]] + [x for k in range(1, 4) for x in (
        f"Reporter {k} 03.04.19 at 1{k}:00", "The council confirmed the bridge would reopen to lorries in May.", "Reply")]
    assert voice_span(third, _keep(third, h)) is None
    # 5: a second count head inside the span (a blog's front page prints one under each post):
    # the first head opens nothing; the second, with three units and no head below it, does
    index = ART + THREAD[:5] + ["{ 2 comments }"] + THREAD[5:]
    assert voice_span(index, _keep(index, h)) == (h + 5, len(index))
    assert voice_span(index[:h + 6], _keep(index, h)) is None
    # 1: a count of reactions is a news page's quotes
    assert voice_span(ART + ["Reactions: 3"] + THREAD[1:], _keep(texts, h)) is None
    # the model's own head shape ("12 Comments") is left to the model
    assert voice_span(ART + ["12 Comments"] + THREAD[1:], _keep(texts, h)) is None


FIXTURE = Path(__file__).parent / "fixtures" / "paste" / "harbour-gazette-page.txt"
THREAD_PAGE = """{ 3 comments… read them below or add one }

1
Rosa Delgado 03.04.19 at 10:02
Great work by everyone involved. My kids can't wait to go back to the reading room.
Reply

2
Tom Birch 03.04.19 at 11:40
Why did it take a flood for the council to fix that building? It was leaking for years.
Reply

3
kayak_88 03.05.19 at 08:15
Thanks to all the volunteers, I will bring my old books on Saturday!
Reply
"""


def _thread_page():
    text = FIXTURE.read_text(encoding="utf-8")
    start, end = text.index("Comments (3)"), text.index("Newsletter")
    return text[:start] + THREAD_PAGE + "\n" + text[end:]


def test_pasted_page_with_a_thread_gives_the_article_without_it(monkeypatch):
    """A page of my own writing (menu, article, a Thesis-style thread, footer): VT on gives the
    article only (VT2 on; it ships off: :func:`test_roundup_page_is_why_vt2_is_off`)."""
    from newsgist.reading import pagemodel
    assert pagemodel.load_model() is not None
    assert_library_article_without_thread(_thread_page(), "voice2", monkeypatch)


def _all_review_pages():
    pages = dict(_review_pages())
    pages.update(_review2_pages())
    return pages


def _timed_letters():
    """The second review's letters page with a time on each letter (session 9c, written after VT's
    result): the page that withdrew VT."""
    text = _review2_pages()["letters"]
    for name, day, t in (("Tom Birch", "March 10", "9:14 am"), ("Priya Shah", "March 11", "8:02 am"),
                         ("Alan Mercer", "March 11", "6:40 pm"), ("Jo Hartley", "March 12", "7:15 am")):
        text = text.replace(f"{name}, {day}, 2026", f"{name}, {day}, 2026 at {t}")
    assert text.count(" at ") >= 4
    return text


@pytest.mark.parametrize("name", list(_all_review_pages()) + ["timed letters"])
@pytest.mark.parametrize("mode", ["voice", "voice2"])
def test_review_pages_lose_no_article_line_with_vt(name, mode, monkeypatch):
    """Rule (6): the eleven pages two reviews wrote against session 8's thread rules, the letters
    page and the obituary list among them, and the letters page with times: with VT2 on (VT on the
    eleven), ``clean()`` keeps what it keeps with the rule off."""
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    assert pagemodel.load_model() is not None
    text = _timed_letters() if name == "timed letters" else _all_review_pages()[name]
    kept = {}
    for rule in (False, mode):
        monkeypatch.setattr(pagemodel, "THREAD_RULE", rule)
        kept[rule] = [text[p.start:p.end] for p in clean(text).paragraphs]
    if mode == "voice" and name == "timed letters":      # why VT is off: the letters are set aside
        assert any("daughter's journey" in p for p in kept[False])
        assert not any("daughter's journey" in p for p in kept[mode])
        return
    assert kept[mode] == kept[False]


def test_vt_does_not_fire_on_the_letters_and_obituary_pages():
    """The letters page and the obituary list stay whole whatever the model keeps: VT opens no
    thread on them even with every line kept."""
    from newsgist.reading.pagelines import page_lines, worded_lines
    for name in ("letters", "obituaries", "match report", "interview", "live hearing", "blog index"):
        text = _review2_pages()[name]
        read, _ = worded_lines(text, page_lines(text))
        texts = [" ".join(text[s:e].split()) for s, e, _ in read]
        assert voice_span(texts, [True] * len(texts)) is None, name


def test_constants_are_the_registered_ones():
    assert (pagevoice.ARTICLE_MIN_WORDS, pagevoice.FIRST_UNIT_WITHIN, pagevoice.MIN_UNITS,
            pagevoice.BODY_MIN_WORDS, pagevoice.VOICE_MIN_SHARE, pagevoice.MIN_MACHINE_UNITS) == (20, 4, 3, 3, 1 / 3, 3)


def test_vt2_needs_the_comment_systems_machinery():
    """VT2: stamps with times alone (no counters, no controls) open no thread; with counters or
    "Reply" lines they do."""
    M = pagevoice.MIN_MACHINE_UNITS
    stamps_only = ART + [THREAD[0]] + [x for x in THREAD[1:] if x not in ("1", "2", "3", "Reply")]
    keep = _keep(stamps_only, len(ART))
    assert voice_span(stamps_only, keep) == (len(ART), len(stamps_only))          # VT fires
    assert voice_span(stamps_only, keep, M) is None                                # VT2 does not
    counters = ART + [x for x in THREAD if x != "Reply"]
    assert voice_span(counters, _keep(counters, len(ART)), M) == (len(ART), len(counters))
    replies = ART + [x for x in THREAD if x not in ("1", "2", "3")]
    assert voice_span(replies, _keep(replies, len(ART)), M) == (len(ART), len(replies))


def test_timed_letters_open_no_thread_for_vt2():
    from newsgist.reading.pagelines import page_lines, worded_lines
    text = _timed_letters()
    read, _ = worded_lines(text, page_lines(text))
    texts = [" ".join(text[s:e].split()) for s, e, _ in read]
    assert voice_span(texts, [True] * len(texts)) is not None                     # VT: the letters
    assert voice_span(texts, [True] * len(texts), pagevoice.MIN_MACHINE_UNITS) is None


def _reference_span(texts, keep, min_machine=0):
    """The registered definition read head by head (quadratic in the worst case): the product's
    prefix-sum form must give the same span."""
    from newsgist.reading.pagevoice import (ARTICLE_MIN_WORDS, BODY_MIN_WORDS, FIRST_UNIT_WITHIN, MIN_UNITS,
                                            THREAD_WINDOW, VOICE_MIN_SHARE, _head, _units)
    n, words = len(texts), [len(t.split()) for t in texts]
    unit, kept_before = _units(texts, words), 0
    for i, t in enumerate(texts):
        if kept_before >= ARTICLE_MIN_WORDS and _head(t):
            first = next((j for j in range(i + 1, min(n, i + 1 + FIRST_UNIT_WITHIN)) if unit[j]), None)
            if first is not None:
                last, strong, machine = first, 0, 0
                for j in range(first, n):
                    if j - last > THREAD_WINDOW:
                        break
                    if unit[j]:
                        last, strong = j, strong + (unit[j] == 2)
                        machine += unit[j] == 1 or is_interface(texts[j])
                end = min(n, last + 1 + COMMENT_TAIL_LINES)
                body = [texts[j] for j in range(i + 1, end) if not unit[j] and words[j] >= BODY_MIN_WORDS]
                if strong >= MIN_UNITS and machine >= min_machine and body and sum(map(voiced, body)) >= VOICE_MIN_SHARE * len(body) \
                        and not any(_head(texts[j]) for j in range(i + 1, end)):
                    return i, end
        if keep[i]:
            kept_before += words[i]
    return None


def test_linear_form_is_the_definition():
    import random
    rng = random.Random(0)
    pool = (ART + THREAD + ["{ 2 comments }", "Reply", "4", "Tom Birch, March 10, 2026", "The council met.",
                            "\"I said so,\" she said.", "Harold Pike 03.04.19 at 09:00", "x"] + ["Filler line of prose here."] * 6)
    for _ in range(400):
        texts = [rng.choice(pool) for _ in range(rng.randint(0, 80))]
        keep = [rng.random() < 0.6 for _ in texts]
        for m in (0, 3):
            assert voice_span(texts, keep, m) == _reference_span(texts, keep, m)
    for texts in (ART + THREAD, ART + THREAD[:5] + ["{ 2 comments }"] + THREAD[5:]):
        assert voice_span(texts, [True] * 4 + [False] * (len(texts) - 4)) == _reference_span(
            texts, [True] * 4 + [False] * (len(texts) - 4))


def test_many_heads_stay_linear():
    """A pathological page: 20,000 lines alternating a count head and "Reply" (every head a
    candidate, every chain the page's length): the prefix sums keep it linear."""
    import time
    texts = ["The council said the old bridge would reopen on Tuesday after two years of repairs."] * 3 + \
        ["{ 3 comments }" if k % 2 else "Reply" for k in range(20000)]
    t0 = time.perf_counter()
    assert voice_span(texts, [True] * len(texts)) is None      # no body lines: no voice
    assert time.perf_counter() - t0 < 5.0


def _roundup_page() -> str:
    """A page the lead's reviewer wrote against VT at the session 9 merge: an opinion desk's
    roundup of readers' comments (the comments, stamped and liked, ARE the story's middle), then
    the desk's own conclusion. Invented outlet and story."""
    return "Menu\nThe Northgate Echo\nNews\nPolitics\nMoney\nHealth\nCulture\nTravel\nPuzzles\nSign in\nSubscribe\n\nOpinion\n\nShould Northgate ban cars from the old town? Here is what you told us\n\nLast week we asked whether the council should close the old town's streets to cars from May. More than 800 of you replied. We read every comment, and these are the ones readers recommended most.\n\nBy the Echo's Opinion Desk\n\nComments: 842\n\nnorthgate_nana - 2 March 2026 at 8:14 am\n\nI'm 81 and I can't walk from the new car park to the chemist on Castle Street. Ban cars and you ban people like me from the only shops I have left.\n\n412 likes\n\nCyclist Sam - 2 March 2026 at 9:02 am\n\nI moved here from Delft five years ago. A car-free centre is the best thing a town can do for its shops and cafés, trust me, and nobody there would ever go back.\n\n367 likes\n\nRavi from Eastgate - 2 March 2026 at 11:30 am\n\nWhy not try it on Saturdays first? You can always go back if it doesn't work, and then at least we would be arguing about facts.\n\n298 likes\n\nWhat the comments tell us\n\nReaders were split almost evenly, but the most recommended comments shared one idea: try it first. Of the 842 comments, about a third asked for a trial of some kind, on Saturdays or over the summer holidays.\n\nOlder readers and people with disabilities worried most about access to the old town, and several asked for a free shuttle bus from the new car park on Mill Road.\n\nThe council's transport committee meets on March 23. We will send it a summary of the comments, and we will report on what it decides.\n\nMost popular\nRail strike dates confirmed for April\nThe best beaches within an hour of Northgate\n\nFollow us\nFacebook\nInstagram\nYouTube\n\nTerms and conditions\nPrivacy notice\nContact\n© 2026 Northgate Echo Media Ltd\n"


def test_roundup_page_is_why_vt2_is_off(monkeypatch):
    """Registered check (6) fails for VT2: on the roundup, the span's tail (COMMENT_TAIL_LINES after
    the last stamped comment) runs into the desk's own closing paragraphs, which the model keeps with
    the rule off. So ``THREAD_RULE`` ships False."""
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    assert pagemodel.load_model() is not None
    assert pagemodel.THREAD_RULE is False
    text = _roundup_page()
    ending = ("What the comments tell us", "Readers were split almost evenly",
              "The council's transport committee meets on March 23")
    kept = " ".join(text[p.start:p.end] for p in clean(text).paragraphs)
    assert all(line in kept for line in ending)
    monkeypatch.setattr(pagemodel, "THREAD_RULE", "voice2")
    on = " ".join(text[p.start:p.end] for p in clean(text).paragraphs)
    assert not any(line in on for line in ending)
