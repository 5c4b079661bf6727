"""Session 6b's candidate inputs of the pasted-page model (issue 31; not shipped, kept in
benchmarks/paste_candidates.py so that cv_paste.py reproduces their numbers): the page-context
columns of stage 2 (S) and the page-metadata line flags (M); session 6e's comment-shape
columns (C). Lines written for these tests."""
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.reading.pagelines import FEATURE_NAMES, features, page_lines
from newsgist.reading.pagemodel import STAGE2_NAMES, stage2_features

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_candidates as pagestack  # noqa: E402
from paste_candidates import META_NAMES, PAGE_NAMES, meta_columns, meta_flags, stage2_rows  # noqa: E402

COL = {n: k for k, n in enumerate(PAGE_NAMES)}


def _logit(p):
    p = np.asarray(p, dtype=np.float64)
    return np.log(p / (1 - p))


def test_longest_believed_run_bridges_short_gaps_only():
    # believed: 0-1, gap of 3, 5-7 + gap of 2 + 10-11 (one run), gap of 3, 15 (alone)
    p = [0.9, 0.9, 0.1, 0.1, 0.1, 0.8, 0.8, 0.8, 0.2, 0.2, 0.9, 0.9, 0.1, 0.1, 0.1, 0.9]
    words = [5] * len(p)
    out = pagestack.page_context(words, [True] + [False] * (len(p) - 1), _logit(p))
    inside = out[:, COL["in_run"]]
    assert inside.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    assert out[4, COL["run_lines_before"]] == pytest.approx(np.log1p(1))
    assert out[15, COL["run_lines_after"]] == pytest.approx(np.log1p(4))
    assert out[0, COL["run_words_between"]] == pytest.approx(np.log1p(20))   # lines 1-4 lie between
    assert out[6, COL["run_words_between"]] == 0
    assert out[0, COL["run_share"]] == pytest.approx(35 / 80)


def test_page_level_columns_and_blocks():
    p = [0.2, 0.9, 0.9, 0.3]
    words = [2, 10, 30, 8]
    blank = [True, True, False, True]          # blocks: [0], [1, 2], [3]
    out = pagestack.page_context(words, blank, _logit(p))
    assert out[:, COL["page_mass"]] == pytest.approx([(0.4 + 9 + 27 + 2.4) / 50] * 4)
    assert out[0, COL["page_share_hi"]] == pytest.approx(40 / 50)
    assert out[1, COL["block_word_share"]] == pytest.approx(10 / 40)
    assert out[2, COL["block_word_share"]] == pytest.approx(30 / 40)
    assert out[0, COL["block_word_share"]] == 1.0
    assert out[1, COL["block_mass"]] == pytest.approx(0.9)
    # token-weighted rank: the share of the page's words in lines believed more
    assert out[1, COL["p1_tok_rank"]] == 0.0 and out[2, COL["p1_tok_rank"]] == pytest.approx(10 / 50)
    assert out[0, COL["p1_tok_rank"]] == pytest.approx(48 / 50)


def test_flat_page_and_empty_page():
    out = pagestack.page_context([3, 3, 3], [True, False, False], np.zeros(3))
    assert np.all(out[:, COL["p1_z"]] == 0)
    assert out[:, COL["in_run"]].tolist() == [1, 1, 1]           # p = 0.5 is believed
    none = pagestack.page_context([3, 3], [True, False], _logit([0.1, 0.2]))
    assert none[:, COL["in_run"]].tolist() == [0, 0] and none[0, COL["run_share"]] == 0
    assert pagestack.page_context([], [], np.zeros(0)).shape == (0, len(PAGE_NAMES))


def test_stage2_width_with_and_without_page_context():
    para = "Paragraph {} says something long enough to read as prose here."
    text = "Home\nNews\n\n" + "\n\n".join(para.format(k) for k in range(5))
    X, lines = features(text)
    raw = np.linspace(-2, 2, len(lines))
    plain = stage2_rows(X, raw, False)
    both = stage2_rows(X, raw, True)
    assert np.array_equal(plain, stage2_features(X, raw))
    assert plain.shape == (len(lines), len(FEATURE_NAMES) + len(STAGE2_NAMES))
    assert both.shape == (len(lines), plain.shape[1] + len(PAGE_NAMES))
    assert np.array_equal(both[:, :plain.shape[1]], plain)


def test_meta_flags():
    f = dict.fromkeys(META_NAMES)
    cases = {
        "This entry was posted on Monday and is filed under Gardening, Weekend.": "meta_filed",
        "Tags: tomatoes, compost, allotments": "meta_filed",
        "Jo Bramley is a staff writer who covers allotments and city parks.": "meta_bio",
        "Everything you read on this blog is my own opinion.": "meta_site",
        "Comments are moderated and will not appear until approved.": "meta_form",
        "Your email address will not be published.": "meta_form",
        "Ten ways to grow tomatoes on a balcony...": "meta_teaser",
        "The council approved the new allotments on Tuesday, read more": "meta_teaser",
    }
    for line, name in cases.items():
        flags = dict(zip(f, meta_flags(line)))
        assert flags[name] == 1.0, (line, name)
    plain = "The council approved forty new allotment plots on Tuesday after a long wait."
    assert meta_flags(plain) == [0.0] * len(META_NAMES)
    # a capitalised name and "is" without an occupation is no bio
    assert dict(zip(f, meta_flags("Maria Lopez is happy with her new plot.")))["meta_bio"] == 0.0


def test_meta_columns_of_a_page():
    text = "Menu\nHome\n\nTags:   one, two\n\nA sentence of the article that is long enough to be prose."
    M = meta_columns(text, page_lines(text))
    assert M.shape == (4, len(META_NAMES))
    assert M[2, META_NAMES.index("meta_filed")] == 1.0
    assert M[3].tolist() == [0.0] * len(META_NAMES)
    assert meta_columns("", []).shape == (0, len(META_NAMES))


# --- session 6e's candidate C: comment-shape columns ----------------------------------------
def test_comment_shape_of_single_lines():
    from paste_candidates import comment_shape
    # a name, then "says:"; personal words 2 of 7 (I, thanks); ends in "!"
    assert comment_shape("Rosa Delgado says: I love this, thanks!") == pytest.approx([1.0, 2 / 7, 1.0])
    assert comment_shape("Tom Birch on March 3, 2019 at 10:02 am")[0] == 1.0      # name, date with a year
    assert comment_shape("kayak_88 | 12/03/2011 4:05 PM")[0] == 1.0               # a handle, a numeric date
    assert comment_shape("Nell Ivers 5 hours ago")[0] == 1.0
    assert comment_shape("Greta wrote:")[0] == 1.0
    # an article's sentence with "said" (no colon), a dateline without a year: no stamp
    assert comment_shape("The mayor said on Tuesday that the bridge would reopen.") == [0.0, 0.0, 0.0]
    assert comment_shape("LISBON, Feb. 4 (Wire) - Ferries stopped running.")[0] == 0.0
    assert comment_shape("Would you ride it again?") == pytest.approx([0.0, 1 / 5, 1.0])
    assert comment_shape("") == [0.0, 0.0, 0.0]


def test_comment_columns_neighbour_means():
    from paste_candidates import COMMENT_NAMES, comment_columns
    text = ("Bridge reopens after repairs\n\nThe bridge reopened on Monday.\n\nAli Reza says:\n"
            "Did you see it? I did!\nMy kids loved it, thanks\n")
    lines = page_lines(text)
    out = comment_columns(text, lines)
    assert out.shape == (5, len(COMMENT_NAMES))
    own_stamp = out[:, 0]
    assert list(own_stamp) == [0.0, 0.0, 1.0, 0.0, 0.0]
    # each line's neighbours within 3 rows, itself left out: row 0 sees rows 1-3, row 4 rows 1-3
    assert out[0, 3] == pytest.approx(1 / 3) and out[4, 3] == pytest.approx(1 / 3)
    assert out[2, 3] == 0.0
    assert out[2, 5] == pytest.approx(1 / 4)     # rows 0, 1, 3, 4: one of them ends in "!"
    assert comment_columns("", []).shape == (0, len(COMMENT_NAMES))
    one = "Just one line?"
    assert list(comment_columns(one, page_lines(one))[0, 3:]) == [0.0, 0.0, 0.0]


# --- session 7's candidate L: a furniture lexicon learned by pages ---------------------------
class _P:
    def __init__(self, lines, y):
        self.line_tokens = [line.lower().split() for line in lines]
        self.y = np.asarray(y, dtype=np.float64)


def _tiny_pages():
    """Six pages written for this test: a share line and a menu (furniture), article sentences."""
    pages = []
    for k in range(6):
        lines = ["Share this story", "Home News Sport", f"The council said on day {k} that the bridge would close",
                 "Residents said they would miss it", "Share this story", "Share this story"]
        pages.append(_P(lines, [0, 0, 1, 1, 0, 0]))
    pages.append(_P(["Home News", "The mayor said the bridge closes"], [0, 1]))
    return pages


def test_lexicon_learned_from_a_tiny_set_has_the_expected_signs():
    from paste_candidates import Lexicon, line_keys, page_key_sets
    assert line_keys(["share", "this", "story"]) == ["share", "this", "story", "^share", "^share this"]
    assert line_keys(["home"]) == ["home", "^home"]
    pages = _tiny_pages()
    lex = Lexicon.learn([page_key_sets(p.line_tokens, p.y) for p in pages], min_pages=3)
    v = lex.values
    assert v["share"] > 0 and v["^share this"] > 0 and v["home"] > 0        # furniture
    assert v["said"] < 0 and v["bridge"] < 0 and v["council"] < 0            # article
    # counted by pages: three share lines on a page count once (6 furniture pages, 0 article pages)
    assert lex.counts["share"] == (6, 0, 6)
    assert v["share"] == pytest.approx(np.log(7 / 1))
    assert lex.counts["home"] == (7, 0, 7) and lex.counts["said"] == (0, 7, 7)
    assert "mayor" not in v and "0" not in v                # on fewer than 3 pages: not generic
    assert set(Lexicon.learn([page_key_sets(p.line_tokens, p.y) for p in pages], 3, max_keys=2).values) \
        == {"^home", "^home news"}                       # the cap keeps the most frequent (ties: key order)


def test_lexicon_without_a_page_takes_its_own_counts_out():
    from paste_candidates import Lexicon, page_key_sets
    pages = _tiny_pages()
    sets = [page_key_sets(p.line_tokens, p.y) for p in pages]
    lex = Lexicon.learn(sets, min_pages=3)
    t = lex.table_without(sets[6])            # the mayor's page: home (furniture), said (article)
    assert t["home"] == pytest.approx(np.log(7 / 1))          # (7 - 1 + 1) / (0 + 1)
    assert t["said"] == pytest.approx(np.log(1 / 7))
    assert t["share"] == lex.values["share"]                   # not on that page: as learned
    # learning without the page gives the same values on the keys it keeps
    alone = Lexicon.learn(sets[:6], min_pages=3).values
    for k in ("home", "said", "share", "^share this", "bridge"):
        assert t[k] == pytest.approx(alone[k])
    small = Lexicon.learn(sets[:3], min_pages=3)              # a key on exactly 3 pages ...
    assert "share" in small.values and "share" not in small.table_without(sets[0])   # ... falls under 3 without one


def test_lexicon_columns_of_a_page_are_as_hand_computed():
    from paste_candidates import LEXICON_NAMES, lexicon_columns
    table = {"a": 1.0, "b": -1.0, "^a": 2.0, "^a b": 3.0}
    out = lexicon_columns([["a", "b", "c"], ["b"], ["c", "a"]], table)
    assert out.shape == (3, len(LEXICON_NAMES))
    # mean, max, min over known tokens; ^w; ^w1 w2; known share; neighbours' mean and ^w
    assert out[0].tolist() == pytest.approx([0.0, 1.0, -1.0, 2.0, 3.0, 2 / 3, 0.0, 0.0])
    assert out[1].tolist() == pytest.approx([-1.0, -1.0, -1.0, 0.0, 0.0, 1.0, 0.5, 1.0])
    assert out[2].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.0, 0.0, 0.5, -0.5, 1.0])
    assert lexicon_columns([["zzz"]], table).tolist() == [[0.0] * len(LEXICON_NAMES)]
    assert lexicon_columns([], table).shape == (0, len(LEXICON_NAMES))


def test_fold_lexicon_uses_no_held_out_page():
    """Each fold's columns are the same whatever the labels of the fold's own pages (its
    lexicon never reads them), and no page's columns depend on its own labels."""
    from paste_candidates import fold_lexicon_columns
    pages = _tiny_pages() + _tiny_pages()
    fold = [i % 2 for i in range(len(pages))]
    base = fold_lexicon_columns(pages, fold, 2, evals=pages[:1], min_pages=3)
    # relabel every page of fold 1: fold 1's view must not move at all
    flipped = [_P([" ".join(t) for t in p.line_tokens], (1 - p.y) if fold[i] == 1 else p.y)
               for i, p in enumerate(pages)]
    moved = fold_lexicon_columns(flipped, fold, 2, evals=pages[:1], min_pages=3)
    for i in range(len(pages)):
        assert np.array_equal(base[1][i], moved[1][i])
    assert any(not np.array_equal(base[0][i], moved[0][i]) for i in range(len(pages)))   # fold 0 learns from them
    # one page's own labels never reach its own columns, in any view
    for i in (0, 3, 12):
        one = [_P([" ".join(t) for t in p.line_tokens], (1 - p.y) if j == i else p.y) for j, p in enumerate(pages)]
        out = fold_lexicon_columns(one, fold, 2, min_pages=3)
        for f in (0, 1, "full"):
            assert np.array_equal(base[f][i], out[f][i])
    # the eval pages read the lexicon of all training pages as learned
    assert base["eval"][0].shape == base["full"][0].shape
    assert not np.array_equal(base["eval"][0], base["full"][0])


def test_lexicon_counted_by_sites_leaves_the_whole_site_out():
    """L2: a site's pages count once, and a page's columns do not move when any page of its own
    site is relabelled (leave-one-site-out)."""
    from paste_candidates import fold_lexicon_columns
    pages = _tiny_pages() + _tiny_pages()
    fold = [0] * len(pages)                     # one fold: only the "full" view learns from everyone
    groups = [i % 4 for i in range(len(pages))]  # four sites
    base = fold_lexicon_columns(pages, fold, 1, min_pages=3, groups=groups)
    assert base["lexicon"].counts["share"] == (4, 0, 4)          # 12 pages with a share line, 4 sites
    site0 = [i for i in range(len(pages)) if groups[i] == 0]
    one = [_P([" ".join(t) for t in p.line_tokens], (1 - p.y) if j in site0 else p.y) for j, p in enumerate(pages)]
    out = fold_lexicon_columns(one, fold, 1, min_pages=3, groups=groups)
    for i in site0:
        assert np.array_equal(base["full"][i], out["full"][i])
    assert any(not np.array_equal(base["full"][i], out["full"][i]) for i in range(len(pages)) if i not in site0)


def test_site_of_a_page_from_its_html():
    import paste_sites
    from paste_sites import registrable, site_of
    assert registrable("www.News.Example.co.uk") == "example.co.uk"
    assert registrable("m.example.com") == "example.com"
    assert registrable("someblog.blogspot.com") == "someblog.blogspot.com"
    assert registrable("localhost") is None
    assert site_of('<link rel="canonical" href="http://www.harbour-times.com/a/1.html">') == ("harbour-times.com", "canonical")
    assert site_of('<meta property="og:url" content="https://blog.quillpost.net/x">') == ("quillpost.net", "og:url")
    feed = '<link rel="alternate" type="application/rss+xml" href="http://feeds.feedburner.com/x">'
    links = "".join(f'<a href="http://www.harbour-times.com/{k}">x</a>' for k in range(3))
    assert site_of(feed + links) == ("harbour-times.com", "links")          # a feed host is no site
    assert site_of(links[:60] + '<a href="https://twitter.com/x">t</a>' * 5) == (None, "none")
    assert paste_sites.MIN_LINKS == 3


def test_site_grouped_folds_keep_a_site_in_one_fold():
    import cv_paste
    ids = [f"p{k}" for k in range(10)]
    sites = {"p0": "a.com", "p1": "a.com", "p2": "a.com", "p3": "b.com", "p4": "b.com", "p5": "c.com"}
    f = cv_paste.site_fold_map(ids, sites, 3)
    assert f["p0"] == f["p1"] == f["p2"] == 0 and f["p3"] == f["p4"] == 1
    assert f["p5"] == 2 and f["p6"] == 2 and f["p7"] == 1 and f["p9"] == 0     # then the emptiest fold
    assert [list(f.values()).count(k) for k in range(3)] == [4, 3, 3]
    assert set(f) == set(ids)


# --- session 7b's candidate T: bio, site-voice and caps-in-core columns ----------------------
from paste_candidates import PROSE_NAMES, bio_cues, prose_columns, site_voice  # noqa: E402

TCOL = {n: k for k, n in enumerate(PROSE_NAMES)}


def test_bio_cues_count_each_cue_once():
    # a name opening "is", an occupation ("editor"), a follow cue: 3
    assert bio_cues("Dana Whitcombe is the harbour editor of the Gazette. Follow her on Twitter.") == 3
    # name + "covered", "before joining", "reporter": 3 (the career phrase once though two would match)
    assert bio_cues("Tom Reyes covered the courts before joining the Ledger as a reporter. He lives in Leeds.") == 3
    # a first-person "I am a" and "lives in"-less teacher: only the first-person cue
    assert bio_cues("I am a teacher turned gardener.") == 1
    # an article sentence opening with a determiner is no name: 0
    assert bio_cues("The council has voted to close the bridge for a year.") == 0
    # the occupation alone
    assert bio_cues("The mayor thanked every reporter who came.") == 1
    assert bio_cues("") == 0


def test_site_voice_counts_three_cue_kinds():
    assert site_voice("I founded this blog to share recipes.") == 2     # "this blog", "founded this blog"
    assert site_voice("Welcome to the harbour news.") == 1
    assert site_voice("A magazine devoted to bridges. Subscribe to our letters.") == 2
    assert site_voice("The bridge will close on Monday.") == 0


def _page(lines):
    text = "\n".join(lines)
    spans, pos = [], 0
    for k, line in enumerate(lines):
        spans.append((pos, pos + len(line), k == 0))
        pos += len(line) + 1
    return text, spans


def test_prose_columns_hand_computed():
    lines = ["By Dana Whitcombe",                                                # 0 byline
             "Harbour Bridge to close",                                          # 1 headline
             "The Harbour Bridge will close for repairs, Mayor Ellis said.",     # 2 core
             "Ellis said the Harbour work starts in March.",                     # 3 core
             "Dana Whitcombe is a reporter. Follow her on Twitter.",             # 4 bio: 3 cues
             "Welcome to our site"]                                              # 5 site voice 2
    text, spans = _page(lines)
    in_core = [0, 0, 1, 1, 0, 0]
    out = prose_columns(text, spans, in_core)
    assert out.shape == (6, len(PROSE_NAMES))
    assert out[:, TCOL["t_bio_cues"]].tolist() == [0, 0, 0, 0, 3, 0]
    # the most cues of another row within 2: rows 2-3 see row 4, 5 sees 4, 4 sees none
    assert out[:, TCOL["t_bio_near"]].tolist() == [0, 0, 3, 3, 0, 3]
    # "Dana" opens row 4 and the byline names Dana Whitcombe; the byline itself is 0
    assert out[:, TCOL["t_author_name"]].tolist() == [0, 0, 0, 0, 1, 0]
    assert out[:, TCOL["t_site_voice"]].tolist() == [0, 0, 0, 0, 0, 2]
    caps = out[:, TCOL["t_caps_in_core"]]
    # row 0 "By Dana Whitcombe": dana, whitcombe -> neither in the core: 0
    assert caps[0] == 0
    # row 1 "Harbour Bridge to close": bridge (Harbour opens it) -> in row 2: 1
    assert caps[1] == 1
    # row 2: harbour, bridge, mayor, ellis; another core line (row 3) has harbour only -> 1/4
    assert caps[2] == pytest.approx(0.25)
    # row 3: harbour, march (Ellis opens it) -> harbour in row 2: 1/2
    assert caps[3] == pytest.approx(0.5)
    # row 4: whitcombe, follow, twitter (Dana opens it) -> none: 0
    assert caps[4] == 0
    # row 5: "Welcome to our site": no capitalised word but the first: -1
    assert caps[5] == -1


def test_prose_columns_no_core_no_byline_and_empty():
    text, spans = _page(["Harbour Bridge to close", "Mayor Ellis is a founder."])
    out = prose_columns(text, spans, [0, 0])
    assert out[:, TCOL["t_caps_in_core"]].tolist() == [-1, -1]          # no main prose run
    assert out[:, TCOL["t_author_name"]].tolist() == [0, 0]             # no byline on the page
    assert out[:, TCOL["t_bio_cues"]].tolist() == [0, 2]               # "Mayor Ellis is", "founder"
    assert prose_columns("", [], []).shape == (0, len(PROSE_NAMES))


BIO_PAGE = """Home
News
Sport
Weather
Contact
The Kestrel Gazette
Local news from the Kestrel valley since 1921. Welcome to our site.

Kestrel Ferry to resume winter crossings
By Ruth Okafor
The Kestrel Ferry will run through the winter for the first time in a decade, the Kestrel Valley council said on Tuesday.
Councillors voted to pay for a second crew, so that the ferry can cross twice an hour between Millbrook and Kestrel Quay from November.
"People on the east bank have waited a long time for this," said councillor Anna Brandt, who chairs the transport committee.
The Millbrook ferry was stopped in winter after the old boat failed its safety checks in 2014.
A new boat, built in Kestrel Quay, passed the same checks this spring and will carry forty cars.
Ruth Okafor is the Gazette's transport reporter. She grew up in Millbrook. Follow her on Twitter.
Share
Tweet
Email
Related stories
Bridge repairs delayed again
New bus timetable for Millbrook
Copyright 2026 The Kestrel Gazette
"""


def test_bio_and_tagline_on_a_hand_written_page():
    from paste_candidates import prose_columns_of
    from newsgist.reading.pagelines import worded_lines
    read, _ = worded_lines(BIO_PAGE, page_lines(BIO_PAGE))
    X, lines = features(BIO_PAGE, read)
    out = prose_columns_of(BIO_PAGE, lines, X)
    text = [BIO_PAGE[s:e] for s, e, _ in lines]
    row = {t.split()[0] + ("/" + t.split()[1] if len(t.split()) > 1 else ""): k for k, t in enumerate(text)}
    bio, tagline, head = row["Ruth/Okafor"], row["Local/news"], row["Kestrel/Ferry"]
    body = [row["The/Kestrel"], row["Councillors/voted"], row["The/Millbrook"], row["A/new"]]
    assert X[body, FEATURE_NAMES.index("in_core")].tolist() == [1, 1, 1, 1]
    # the bio: a name opening "is", "reporter", "grew up in", "Follow her": 4 cues, and the byline's name
    assert out[bio, TCOL["t_bio_cues"]] == 4
    assert out[bio, TCOL["t_author_name"]] == 1
    # okafor, gazette's, millbrook, follow, twitter (Ruth opens it): okafor is in the byline, which
    # lies inside the main prose run, and millbrook in the article; the other three are not: 2/5
    assert X[row["By/Ruth"], FEATURE_NAMES.index("in_core")] == 1
    assert out[bio, TCOL["t_caps_in_core"]] == 0.4
    # the tagline speaks of the site: "our site" and "Welcome to", two cue kinds
    assert out[tagline, TCOL["t_site_voice"]] == 2
    # the article's own lines: no bio cue, no site voice, not the author's name
    assert out[body, TCOL["t_bio_cues"]].tolist() == [0, 0, 0, 0]
    assert out[body, TCOL["t_site_voice"]].tolist() == [0, 0, 0, 0]
    assert out[body, TCOL["t_author_name"]].tolist() == [0, 0, 0, 0]
    # the headline names the article's ferry and quay: all of its capitalised words are in the run
    assert out[head, TCOL["t_caps_in_core"]] == 1
