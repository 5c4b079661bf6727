"""Session 8d's candidate CT of the pasted-page model (issue 31; benchmarks/paste_thread.py,
``cv_paste.py --comment-thread``): wider comment-head and numbered comment-lead shapes, and the
thread columns. Lines and pages written for these tests."""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.reading.pagelines import FEATURE_NAMES, features

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_thread  # noqa: E402
from paste_thread import THREAD_NAMES, ct_matrix, is_head, is_lead, thread_columns  # noqa: E402

# the Dragnet-trained pair alone (conftest.dragnet_pair): the shipped page router would send
# these pages to its modern pair (issue 31, session 12)
pytestmark = pytest.mark.usefixtures("dragnet_pair")

COL = {n: k for k, n in enumerate(FEATURE_NAMES)}


@pytest.mark.parametrize("line", [
    "{ 53 comments… read them below or add one }",      # a count in braces, then a prompt
    "{ 1 comment… read it below or add one }",
    "{ 131 comments }",
    "[12 Responses]",
    "(no comments yet)",
    "0 Comments - Leave a comment!",                      # a count, a dash, a prompt
    "2 Comments | Leave a comment",
    "7 replies... join the discussion",
    "Comments:18",                                        # the word, then its count
    "COMMENTS[8]",
    "Reader comments {4}",
    # the shipped pattern's own shapes still count
    "12 Comments", "Comments (3)", "7 thoughts on “Bridge reopens”", "Leave a Reply",
])
def test_comment_heads(line):
    assert is_head(line)


@pytest.mark.parametrize("line", [
    "53 comments were sent to the council before the vote, a spokesman said.",   # prose with a count
    "Comments from the mayor (see below) were brief.",
    "{ editor's note: this story was updated }",          # braces without a count of comments
    # over 60 characters after the count (up to 60 it matches: "(3 comments in the hearing, all of
    # them against the plan, were read out)" does, a shape the hand check found on no page)
    "(3 comments in the hearing, all of them against the plan and the budget, were read out)",
    "Comments: the council has none",                     # a colon without a count
    "12 comments about the bridge",                        # a count and words, no prompt after a mark
    "The Responses of Cities to Floods",
])
def test_not_comment_heads(line):
    assert not is_head(line)


@pytest.mark.parametrize("line", [
    "2. MJ - August 8, 2012",                             # a numbered commenter and the date
    "13. Captain Hackett - October 26, 2012",
    "1. Roger Weeks Says:",
    "#14. Dana says:",
    "7) kayak_88 | 12/03/2011 4:05 PM",
    "Peter Flom 07.08.12 at 13:24",                       # the shipped lead (no number)
    "Rosa Delgado says:",
])
def test_comment_leads(line):
    assert is_lead(line)


@pytest.mark.parametrize("line", [
    "1. Tsegaye Kebede - 2:04:38",                        # race results: a duration, not a stamp
    "2. The council voted to reopen the bridge on Tuesday.",   # a numbered list item of prose
    "3. Preheat the oven to 200 degrees.",
    "10. Lisbon",
    "#14 Dana says:",                                     # a number needs its ".", ")" or ":"
    "2012. A year of floods",                             # a year opening a line is no list number
    "The mayor said on Tuesday that the bridge would reopen.",
    "",
])
def test_not_comment_leads(line):
    assert not is_lead(line)


def test_thread_columns_by_hand():
    # rows 0-9; leads at 3, 5, 6 (window K taken from the module, larger than the page here)
    lead = np.zeros(10)
    lead[[3, 5, 6]] = 1
    out = thread_columns(lead)
    assert out.shape == (10, len(THREAD_NAMES))
    nxt, prev, share = out[:, 0], out[:, 1], out[:, 2]
    assert np.expm1(nxt).round().tolist() == [3, 3, 3, 2, 2, 1, 0, 0, 0, 0]     # leads strictly below
    assert np.expm1(prev).round().tolist() == [0, 0, 0, 0, 1, 1, 2, 3, 3, 3]    # leads strictly above
    assert share.tolist() == pytest.approx([1, 1, 1, 2 / 3, 2 / 3, 1 / 3, 0, 0, 0, 0])
    assert thread_columns(np.zeros(4))[:, 2].tolist() == [0, 0, 0, 0]           # no lead: share 0
    assert thread_columns(np.zeros(0)).shape == (0, len(THREAD_NAMES))


def test_thread_window_caps_the_counts(monkeypatch):
    monkeypatch.setattr(paste_thread, "THREAD_WINDOW", 2)
    lead = np.ones(6)
    out = thread_columns(lead)
    assert np.expm1(out[:, 0]).round().tolist() == [2, 2, 2, 2, 1, 0]
    assert np.expm1(out[:, 1]).round().tolist() == [0, 1, 2, 2, 2, 2]


ARTICLE = """Home | News | Sport | Weather

Bridge reopens after two years of repairs

By Dana Whitcombe

The old bridge over the river reopened on Tuesday after two years of repairs, the council said.

Traffic was light in the morning, and cyclists were the first to cross the new deck.

"""
THREAD = """{ 3 comments… read them below or add one }

1. Rosa Delgado - March 3, 2019
I love this bridge, thanks to everyone who worked on it!

2. Tom Birch - March 3, 2019
Took them two years. Shame it was not sooner.

3. kayak_88 - March 4, 2019
Can we paddle under it again?
"""


def test_ct_matrix_on_a_written_page():
    text = ARTICLE + THREAD
    X, lines = features(text)
    Y = ct_matrix(text, lines, X)
    assert Y.shape == (len(lines), len(FEATURE_NAMES) + len(THREAD_NAMES))
    texts = [text[s:e] for s, e, _ in lines]
    head = texts.index("{ 3 comments… read them below or add one }")
    leads = [i for i, t in enumerate(texts) if t[:2] in ("1.", "2.", "3.")]
    # the shipped features see neither the head nor the numbered leads; CT sees both
    assert X[:, COL["comments_head"]].sum() == 0 and X[leads, COL["cs_name_stamp"]].sum() == 0
    assert Y[:, COL["comments_head"]].tolist() == [float(i == head) for i in range(len(lines))]
    assert Y[head + 1, COL["comments_head_dist"]] == pytest.approx(math.log1p(1))
    assert Y[-1, COL["comments_heads_before"]] == 1.0
    assert Y[leads, COL["cs_name_stamp"]].tolist() == [1.0, 1.0, 1.0]
    assert Y[leads[0], COL["cs_name_stamp_near"]] == pytest.approx(1 / 6)    # rows around it: one lead of 6
    # thread columns: the article's lines see three leads below, none above; the share falls along the thread
    nxt, prev, share = Y[:, -3], Y[:, -2], Y[:, -1]
    body = texts.index("Traffic was light in the morning, and cyclists were the first to cross the new deck.")
    assert nxt[body] == pytest.approx(math.log1p(3)) and prev[body] == 0.0 and share[body] == 1.0
    assert share[leads[1]] == pytest.approx(1 / 3) and prev[leads[1]] == pytest.approx(math.log1p(1))
    assert share[-1] == 0.0 and prev[-1] == pytest.approx(math.log1p(3))
    # the other columns are the shipped ones
    same = [k for k, n in enumerate(FEATURE_NAMES) if n not in (
        "comments_head", "comments_head_dist", "comments_heads_before", "cs_name_stamp", "cs_name_stamp_near")]
    assert np.array_equal(Y[:, same], X[:, same])


def test_ct_matrix_keeps_shipped_values_without_the_new_shapes():
    text = ARTICLE + "12 Comments\n\nRosa Delgado says:\nI love this, thanks!\n"
    X, lines = features(text)
    Y = ct_matrix(text, lines, X)
    assert np.array_equal(Y[:, :X.shape[1]], X)      # the shipped patterns' values, bit for bit
    assert ct_matrix("", [], np.zeros((0, len(FEATURE_NAMES)))).shape == (0, len(FEATURE_NAMES) + 3)


# --- CR: the rule in the page path (newsgist.reading.pagemodel.THREAD_RULE, pagethread) -----------
FIXTURE = Path(__file__).parent / "fixtures" / "paste" / "harbour-gazette-page.txt"
THESIS_THREAD = """{ 3 comments… read them below or add one }

Rosa Delgado 03.04.19 at 10:02
Great work by everyone involved. My kids can't wait to go back to the reading room.

2. Tom Birch - March 4, 2019
Why did it take a flood for the council to fix that building? It was leaking for years.

kayak_88 | 12/03/2019 4:05 PM
Thanks to all the volunteers, I will bring my old books on Saturday!
"""


def _thesis_page():
    text = FIXTURE.read_text(encoding="utf-8")
    start = text.index("Comments (3)")
    end = text.index("Newsletter")
    return text[:start] + THESIS_THREAD + "\n" + text[end:]


def test_rule_start_needs_a_new_head_and_leads_below():
    from paste_thread import rule_start          # CR's replay (the benchmark tool; withdrawn at merge)
    texts = ["Bridge reopens", "The bridge reopened on Tuesday after two years.", "{ 3 comments… read them below or add one }",
             "Rosa Delgado says:", "Nice!", "2. Tom Birch - March 4, 2019", "Slow work.", "Dan wrote:", "Finally."]
    marks = [0] * len(texts)
    assert rule_start(texts, marks) == 2
    assert rule_start(texts[:6], marks[:6]) is None                  # two leads below: no thread
    assert rule_start(texts[:6], [0, 0, 0, 0, 1, 0]) == 2            # a comment mark counts as a lead
    # the model's own head shape is left to the model
    assert rule_start(["12 Comments"] + texts[3:], marks) is None
    # a count link above the article with the article below: no leads, no thread
    assert rule_start(["Comments:18", "The bridge reopened on Tuesday.", "It took two years."], [0, 0, 0]) is None


class _Everywhere:
    """A page model that calls every line the article's (the rule's effect alone)."""
    threshold, relative = 0.5, 0.5

    def probabilities(self, X):
        return np.full(len(X), 0.9)


def test_page_path_sets_the_thread_aside(monkeypatch):
    from newsgist.reading import pagemodel as pm
    monkeypatch.setattr(pm, "THREAD_RULE", True)        # off as shipped (session 8 merge); the rule itself
    from newsgist.reading import pagedecode, pagemodel
    from newsgist.reading.pagelines import page_lines
    text = _thesis_page()
    lines = page_lines(text)
    monkeypatch.setattr(pagemodel, "load_model", lambda: _Everywhere())
    monkeypatch.setattr(pagedecode, "DECODE", "threshold")
    monkeypatch.setattr(pagemodel, "related_runs", lambda t, ls: [])
    texts = [text[s:e] for s, e, _ in lines]
    head = texts.index("{ 3 comments… read them below or add one }")
    furn = pagemodel.page_furniture(text, lines)
    # CR2 (review, session 8): the head through the last lead plus COMMENT_TAIL_LINES, not the page's end
    thread = range(head, texts.index("Thanks to all the volunteers, I will bring my old books on Saturday!") + 1)
    assert set(thread) <= set(furn) and all(furn[i] == 0.0 for i in thread)
    assert any(furn.get(i) != 0.0 for i in range(thread[-1] + 1, len(lines)))   # the footer is the model's
    reasons = pagemodel.reasons(text, lines, furn)
    assert reasons[texts.index("Thanks to all the volunteers, I will bring my old books on Saturday!")] == "comment"
    monkeypatch.setattr(pagemodel, "THREAD_RULE", False)
    off = pagemodel.page_furniture(text, lines)
    assert head not in off and texts.index("Why did it take a flood for the council to fix that building? "
                                           "It was leaking for years.") not in off


def assert_library_article_without_thread(text, rule, monkeypatch):
    """The library page of these tests with a thread (CR3's Thesis page, or 9c's): with ``rule`` on,
    the article stays and every comment line is set aside, the voiced one as a comment."""
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    monkeypatch.setattr(pagemodel, "THREAD_RULE", rule)
    c = clean(text)
    kept = " ".join(text[p.start:p.end] for p in c.paragraphs)
    assert "Volunteers have reopened the Millbrook public library" in kept
    assert "The library will hold a reopening afternoon on Saturday" in kept
    for line in ("{ 3 comments", "Rosa Delgado", "Great work by everyone", "Tom Birch", "leaking for years",
                 "kayak_88", "bring my old books"):
        assert line not in kept, line
    reasons = {r.text: r.reason for r in c.removed}
    assert reasons["Why did it take a flood for the council to fix that building? It was leaking for years."] == "comment"


def test_pasted_thesis_page_gives_the_article_without_the_thread(monkeypatch):
    assert_library_article_without_thread(_thesis_page(), True, monkeypatch)


# --- CR2: the review's guards (session 8 merge; BENCHMARKS.md "Merge of wave three, session 8") ----
def test_rule_span_guards_by_hand():
    from newsgist.reading.pagethread import COMMENT_TAIL_LINES, rule_span
    art = ["Bridge reopens", "The bridge reopened on Tuesday after two years of repairs to its piers."]
    thread = ["{ 3 comments… read them below or add one }", "Rosa Delgado says:", "Nice!",
              "2. Tom Birch - March 4, 2019", "Slow work.", "Dan wrote:", "Finally."]
    texts = art + thread + ["x"] * 20
    keep = [True, True] + [False] * (len(texts) - 2)
    marks = [0] * len(texts)
    # the thread: the head through the last lead (line 7) plus COMMENT_TAIL_LINES
    assert rule_span(texts, marks, keep) == (2, 7 + 1 + COMMENT_TAIL_LINES)
    # a short page: the span ends at the page's end
    assert rule_span(art + thread, marks[:9], keep[:9]) == (2, 9)
    # guard 3: a head before half of the kept words (a count link under the title) opens nothing
    assert rule_span(art[:1] + thread + art[1:], marks[:9], [True] + [False] * 7 + [True]) is None
    # guard 1: a weak prompt after the count is a subhead
    weak = ["Three reactions: see how the town responded"] + thread[1:]
    assert rule_span(art + weak, marks[:9], keep[:9]) is None
    assert rule_span(art + ["3 comments - read them below"] + thread[1:], marks[:9], keep[:9]) == (2, 9)
    # guard 2: a long line is no lead, however it starts
    prose = ["{ 3 comments }", "The mayor said, “This budget fixes the bridge without closing a single library.”",
             "Councillor Jane Okafor said: “Families are being asked to pay more for less, again and again.”",
             "On March 3, 2012, the council voted to close the bridge to lorries after inspectors found cracks."]
    assert rule_span(art + prose, [0] * 6, [True] * 2 + [False] * 4) is None


def _review_pages():
    """The review's pages (session 8, written for this test): ordinary articles with subheads in
    a head's shape, stamped prose, a count link under a title, a thread between two articles and
    one above an article."""
    nav = "Skip to main content\nThe Harbour Gazette\nHome\nNews\nLocal\nBusiness\nSport\nOpinion\nWeather\n" \
          "Subscribe\nSign in\nSearch\n\n"
    foot = ("\nRelated stories\nCouncil votes to raise flood barriers along the Mill river\n\nNewsletter\n"
            "Get the day's top stories in your inbox every morning.\nSign up\n\nAbout us\nContact\n"
            "Privacy policy\n© 2026 The Harbour Gazette. All rights reserved.\n")
    byline = "By Dana Whitcombe, Staff Writer\nPublished March 14, 2026 at 7:05 a.m.\n\n"
    budget = (nav + "Council passes budget with bridge repairs and a rates rise\n\n" + byline +
              "The town council passed its budget on Thursday night, approving 4 million pounds for repairs to "
              "the Mill river bridge and a rise of 3 percent in household rates.\n\n"
              "Three reactions: see how the town responded\n\n"
              "The mayor said, \"This budget fixes the bridge without closing a single library or leisure centre.\"\n\n"
              "Councillor Jane Okafor said: \"Families are being asked to pay more for services that have been cut "
              "for ten years.\"\n\nThe chamber of commerce wrote, in a statement on Friday, that the rise was "
              "\"painful but unavoidable\".\n\nThe rates rise takes effect in April, and bills will be sent to "
              "households in the second half of March.\n" + foot)
    timeline = (nav + "How the Mill river bridge came to be closed\n\n" + byline +
                "The bridge has been a source of trouble for more than a decade, and the council has debated its "
                "future ever since the floods.\n\nFour thoughts - view from the riverbank\n\n"
                "On March 3, 2012, the council voted to close the bridge to lorries after inspectors found cracks "
                "in two of its piers.\n\nOn June 14, 2015, a report warned that the supports could fail within "
                "ten years without major repairs.\n\nOn January 9, 2020, the bridge was closed to all traffic for "
                "six weeks while emergency repairs were made.\n" + foot)
    blog = ("My Running Blog\nHome\nAbout\nRaces\nTraining\nContact\nArchives\nSearch\n\nLondon Marathon diary\n\n"
            "{ 3 comments… read them below or add one }\n\n"
            "I ran my fifth London Marathon on Sunday, and this time I kept a diary of the whole day.\n\n"
            "At 6:15 a.m. I was already on the train to Greenwich, with a banana and far too much coffee.\n\n"
            "At 9:10 a.m. the elite men set off, and the crowd on the Blackheath side was louder than ever.\n\n"
            "At 10:02 a.m. my wave finally crossed the start line, nearly an hour after the gun went.\n\n"
            "I finished in 4:21:37, eleven minutes slower than last year, and I was happy to sit on a kerb.\n\n"
            "Share this:\nTwitter\nFacebook\n")
    thread = ("\n\nRosa Delgado - March 3, 2026\nGreat work by everyone involved, thanks!\n\n"
              "Tom Birch - March 4, 2026\nWhy did it take a flood?\n\nkayak_88 - March 4, 2026\nCan't wait to go back.\n\n")
    art1 = ("Volunteers restore Millbrook's flooded library in three weeks\n\nBy Dana Whitcombe, Staff Writer\n\n"
            "Volunteers have reopened the Millbrook public library three weeks after a spring flood left its "
            "ground floor under half a metre of muddy water, the town council said on Friday.\n\n"
            "More than 200 residents spent their evenings and weekends drying shelves and sorting soaked books.\n\n")
    art2 = ("Council passes budget with bridge repairs and a rates rise\n\nBy Tom Reyes, Staff Writer\n\n"
            "The town council passed its budget on Thursday night, approving 4 million pounds for repairs to the "
            "Mill river bridge and a rise of 3 percent in household rates.\n\n"
            "The vote was 7 to 4 after a debate that lasted more than five hours, with dozens of residents "
            "watching from the public gallery.\n\n")
    return {"budget": budget, "timeline": timeline, "blog": blog,
            "between two articles": nav + art1 + "{ 3 comments }" + thread + art2 + foot,
            "above the article": nav + "[3 Responses]" + thread + art2 + foot}


@pytest.mark.parametrize("name", list(_review_pages()))
def test_review_pages_lose_no_article_paragraph(name, monkeypatch):
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    assert pagemodel.load_model() is not None            # else clean() never reaches the page path
    text = _review_pages()[name]
    kept = {}
    for rule in (False, True):
        monkeypatch.setattr(pagemodel, "THREAD_RULE", rule)
        c = clean(text)
        kept[rule] = [text[p.start:p.end] for p in c.paragraphs]
    assert kept[True] == kept[False]
    assert len(" ".join(kept[True]).split()) > 40          # the article is there to lose

def _review2_pages():
    """The second review's pages (session 8 merge, written for these tests): a blog's front page,
    a live blog, a match report, an obituary list, a readers' letters page, an interview."""
    NAV = ("Skip to main content\nThe Westbridge Courier\nHome\nNews\nPolitics\nSport\nCulture\nOpinion\nObituaries\n"
           "Subscribe\nSign in\nSearch\n\n")
    FOOT = ("\nMost read\nFerry fares to rise for the third year in a row\nSchool sports day moved after heat warning\n\n"
            "Newsletter\nSign up for our morning briefing.\nSign up\n\nAbout us\nContact\nTerms\nPrivacy policy\n"
            "© 2026 The Westbridge Courier. All rights reserved.\n")

    # 1. a blog's front page: three short posts, each with its date, a "Posted by" line and a count link
    def post(day, title, body, t, n):
        return f"{day}\n\n{title}\n\n{body}\n\nPosted by Rosa Delgado at {t}\n{{ {n} comments }}\n\n"
    blog_index = ("Rosa's Allotment\nHome\nAbout\nRecipes\nArchive\nContact\nSearch\n\n" +
        post("Sunday, March 15, 2026", "First broad beans",
             "The first broad beans went in today, two rows along the south fence where the soil warms earliest. "
             "I soaked the seeds overnight, which my grandmother swore by, and covered them with fleece against the frost.", "6:40 PM", 4) +
        post("Saturday, March 14, 2026", "Mending the shed roof",
             "The storm last week lifted half the felt off the shed roof, so today was spent on a ladder with tacks and "
             "a borrowed staple gun. It is not pretty, but it is dry inside for the first time since January.", "5:12 PM", 2) +
        post("Friday, March 13, 2026", "Seed swap at the village hall",
             "The seed swap drew more people than ever this year. I came home with three kinds of tomato, a purple "
             "carrot I have never grown before and a bag of sweet peas from the woman who runs the post office.", "9:03 PM", 6) +
        post("Thursday, March 12, 2026", "Rhubarb forcing",
             "Under the old bucket the rhubarb is already pink and tender, a good two weeks ahead of last year. "
             "I will pull the first stems on Sunday and make a crumble for the neighbours who lent me the ladder.", "8:30 PM", 3) +
        "Older posts\nSubscribe to: Posts (Atom)\n\nBlog Archive\n2026 (14)\n2025 (88)\n")

    # 2. a live blog of a hearing: short time-stamped entries; the minister's "(No comment.)" late in the day
    entries = [
        ("09:30", "The committee opens its hearing into the ferry contract with a statement from the chair, who says the "
                  "public deserves to know how the contract was awarded."),
        ("09:48", "The first witness, a former procurement officer, says she raised concerns about the bidding timetable in "
                  "writing twice."),
        ("10:05", "She tells the committee the timetable was shortened from twelve weeks to five on the minister's office's instructions."),
        ("10:31", "Committee members ask to see the emails. The chair says they will be published with the transcript."),
        ("11:10", "The minister arrives and declines to take questions from reporters outside the committee room."),
        ("11:12", "Asked by our reporter whether she would resign if the emails showed interference, the minister replied:"),
    ]
    tail = [
        ("11:40", "The minister tells the committee she never spoke to the bidders and that the timetable was set by officials."),
        ("12:05", "The chair reads from an email that appears to contradict her account."),
        ("12:20", "The minister says she would need to see the email in full before commenting."),
        ("12:45", "The committee breaks for lunch."),
        ("14:00", "The hearing resumes with the ferry operator's chief executive, who says the company followed every rule."),
        ("14:35", "He says the company was told of the shortened timetable by the minister's office, not by officials."),
        ("15:10", "The chair closes the hearing and says the committee will report within six weeks."),
    ]
    live = (NAV + "Ferry contract hearing: minister questioned over shortened bidding timetable – as it happened\n\n"
            "By Tom Reyes, Political Correspondent\n\n" +
            "".join(f"{t}\n{x}\n\n" for t, x in entries) + "(No comment.)\n\n" +
            "".join(f"{t}\n{x}\n\n" for t, x in tail) + FOOT)

    # 3. a live match report: "10:02 Smith scores"-style entries and a reactions count line late in the page
    match = (NAV + "Westbridge 3-1 Harbour Town: Smith double sends the Millers top\n\nBy Anna Berg, Sports Reporter\n\n"
        "Westbridge went top of the league on Saturday with a 3-1 win over Harbour Town, Jake Smith scoring twice in the "
        "second half in front of a crowd of more than four thousand at the Mill Ground.\n\n"
        "Harbour Town had led at the break through a looping header from their captain, and for long spells of the first "
        "half the home side could not get the ball past midfield.\n\n"
        "The manager made two changes at half-time, and the game turned within ten minutes of the restart.\n\n"
        "How the goals went in\n\n"
        "15:24 Harbour Town score\nA corner from the left, and the captain loops a header over the goalkeeper.\n\n"
        "16:12 Smith scores\nA low shot from the edge of the area after a quick one-two.\n\n"
        "16:31 Smith scores again\nA penalty, after the striker was pulled down by the last defender.\n\n"
        "16:44 Okafor makes it three\nThe substitute runs through alone and slides it under the keeper.\n\n"
        "Reactions: 3\n\n"
        "16:55 The manager\n\"I told them at half-time that we were better than that. They showed it.\"\n\n"
        "16:58 Jake Smith\n\"The first one I just hit, and it went in. The penalty I had decided on before.\"\n\n"
        "17:02 The Harbour Town manager\n\"We gave them two goals. You cannot do that away from home.\"\n\n"
        "Westbridge travel to Kingsport next Saturday; Harbour Town are at home to the league leaders' rivals.\n" + FOOT)

    # 4. an obituaries list page with a "(Two responses)" aside about tributes
    obits = (NAV + "Deaths this week: the people Westbridge remembers\n\nCompiled by Dana Whitcombe\n\n"
        "Each week we remember some of the people of Westbridge who have died. Families can send tributes to the newsdesk.\n\n"
        "Harold Pike - March 1, 2026\nHarold Pike, who ran the ironmonger's on Bridge Street for forty years, has died aged 91. "
        "He could find any screw in the shop without looking, and he never charged children for a bicycle bell.\n\n"
        "Irene Vass - March 3, 2026\nIrene Vass taught at the primary school from 1961 until 1998 and led the choir that "
        "sang at the opening of the new bridge. She has died aged 86.\n\n"
        "(Two responses)\n\n"
        "Margaret Ellis - March 4, 2026\nMargaret Ellis, the town's first woman councillor, has died aged 94. She campaigned "
        "for the swimming pool and for the library's late opening on Thursdays.\n\n"
        "Samuel Ode - March 5, 2026\nSamuel Ode, the harbourmaster for twenty years, has died aged 78. He was known for "
        "rowing out to every ship that came in, whatever the weather.\n\n"
        "Ruth Anand - March 6, 2026\nRuth Anand, a nurse at the cottage hospital for three decades, has died aged 83. "
        "She delivered, by her own count, more than a thousand babies.\n\n"
        "Peter Lowe - March 7, 2026\nPeter Lowe, who sold newspapers outside the station every morning for fifty years, "
        "has died aged 88. He knew every commuter's paper by heart.\n" + FOOT)

    # 5. an article that ends with a readers' letters section (the letters are the story's second half)
    letters = (NAV + "Your letters: should the Mill river bridge be closed to cars?\n\nBy the Letters Editor\n"
        "Published March 14, 2026\n\n"
        "Last week we reported that the council is considering closing the Mill river bridge to cars for good once "
        "the repairs are finished, and we asked readers what they thought. Here is a selection of what you told us.\n\n"
        "The council says a decision will be made at its meeting on March 28, after a public consultation that closes "
        "on March 21. Residents can respond online or at the library.\n\n"
        "[4 Responses]\n\n"
        "Tom Birch, March 10, 2026\nClosing the bridge would cut my daughter's journey to school from ten minutes to forty. "
        "The council has not thought about families on the east side at all.\n\n"
        "Priya Shah, March 11, 2026\nA car-free bridge would be the best thing to happen to the town centre in decades. "
        "Look at what happened in Kingsport when they pedestrianised the high street.\n\n"
        "Alan Mercer, March 11, 2026\nI run a plumbing business. If the bridge closes, my van goes round by the ring road "
        "and my customers pay for the extra half hour.\n\n"
        "Jo Hartley, March 12, 2026\nWhy not close it at weekends first and see what happens? Trials cost nothing.\n\n"
        "We will publish more of your letters next week. Write to letters@westbridgecourier.example.\n" + FOOT)

    PAGES = {"blog index": blog_index, "live hearing": live, "match report": match, "obituaries": obits, "letters": letters}

    # 6. an interview transcript (speaker and time stamp on their own line), "(No comment.)" as a turn
    turns = [
        ("Tom Reyes (00:12):", "Minister, thank you for joining us. The committee heard this week that the bidding timetable for the ferry contract was cut from twelve weeks to five. Who made that decision?"),
        ("Helen Marsh (00:31):", "The timetable was set by officials, as it always is. I was told about it afterwards, and I accepted their advice because the old contract was about to expire and we could not leave the islands without a service."),
        ("Tom Reyes (01:05):", "But a former procurement officer told the committee the instruction came from your office. She says she put her concerns in writing twice."),
        ("Helen Marsh (01:22):", "I have not seen those letters, and I would want to read them before I say anything about what they contain. What I can tell you is that nobody in my office spoke to the bidders."),
        ("Tom Reyes (01:58):", "The ferry operator's chief executive said on Thursday that his company was told about the shortened timetable by your office, not by officials. Is he wrong?"),
        ("Helen Marsh (02:20):", "He may be mistaken about who rang whom. There were a great many calls in those weeks, and the department's records will show exactly who said what."),
        ("Tom Reyes (02:51):", "Will you resign if the emails show your office set the timetable?"),
    ]
    after = [
        ("Tom Reyes (03:02):", "The islanders I spoke to this week say the new ferries are late more often than the old ones. What do you say to them?"),
        ("Helen Marsh (03:15):", "I say that the new ships are bigger, safer and cleaner, and that the first winter of any new service has problems. The operator has promised a new timetable in May, and I will hold them to it."),
        ("Tom Reyes (03:49):", "Minister, thank you."),
        ("Helen Marsh (03:51):", "Thank you."),
    ]
    interview = (NAV + "\"I was told afterwards\": the ferry minister's interview in full\n\nBy Tom Reyes, Political Correspondent\n"
        "Published March 14, 2026\n\nThe transport minister, Helen Marsh, spoke to the Courier on Friday, the day after the "
        "ferry operator's chief executive gave evidence to the committee. This is a transcript of the interview, lightly edited.\n\n" +
        "".join(f"{s}\n{x}\n\n" for s, x in turns) + "Helen Marsh (02:58):\n(No comment.)\n\n" +
        "".join(f"{s}\n{x}\n\n" for s, x in after) + FOOT)
    PAGES["interview"] = interview
    return PAGES


@pytest.mark.parametrize("name", ["blog index", "live hearing", "match report", "obituaries", "interview"])
def test_second_review_pages_lose_no_article_paragraph_with_cr3(name, monkeypatch):
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    assert pagemodel.load_model() is not None
    text = _review2_pages()[name]
    kept = {}
    for rule in (False, True):
        monkeypatch.setattr(pagemodel, "THREAD_RULE", rule)
        kept[rule] = [text[p.start:p.end] for p in clean(text).paragraphs]
    assert kept[True] == kept[False]


def test_letters_page_is_why_the_rule_is_off(monkeypatch):
    """CR3 still sets a readers' letters page's letters aside (the letters are the story): CR3
    ships off; as shipped (no rule; session 9c's VT2, ``THREAD_RULE = "voice2"``, is off too) the letters stay."""
    from newsgist.reading import pagemodel
    from newsgist.reading.clean import clean
    assert pagemodel.THREAD_RULE is False
    text = _review2_pages()["letters"]
    kept = " ".join(text[p.start:p.end] for p in clean(text).paragraphs)
    assert "Closing the bridge would cut my daughter's journey" in kept
    monkeypatch.setattr(pagemodel, "THREAD_RULE", True)
    on = " ".join(text[p.start:p.end] for p in clean(text).paragraphs)
    assert "Closing the bridge would cut my daughter's journey" not in on
