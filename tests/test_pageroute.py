"""Issue 31, session 12: the page router (newsgist.reading.pageroute) on hand-worked cases: the
whole-word lexicon, the three columns, the threshold, routing a page to the router's modern pair,
no router = the output as before, and a bad router file as a typed error."""
import json
import math
import shutil
from pathlib import Path

import pytest

from newsgist.errors import ModelError
from newsgist.reading import pagemodel, pageroute
from newsgist.reading.clean import clean

from conftest import router_dict, write_routed_pair

PAGE = Path(__file__).parent / "fixtures" / "paste" / "harbour-gazette-page.txt"
MODELS = Path(pagemodel.__file__).resolve().parents[1] / "models"


@pytest.fixture(autouse=True)
def no_shipped_router(tmp_path, monkeypatch):
    """Every test here means "no router shipped" unless it names one: ROUTE_PATH points at a file that
    is not there, so the tests hold after a router ships into models/ (review 12a, #4)."""
    monkeypatch.setattr(pageroute, "ROUTE_PATH", tmp_path / "no-shipped-router.json")


def test_the_lexicon_matches_whole_words_only():
    hits = pageroute.MODERN_LINE.search
    assert hits("Log in") and hits("Sign in to comment") and hits("We use cookies") and hits("Newsletters")
    assert not hits("I started this blog in 2009")             # "log in" inside "blog in"
    assert not hits("A design in three colours")                # "sign in" inside "design in"
    assert not hits("consenting adults") and not hits("Cookiecutter homes")
    assert hits("Advertisement") and not hits("Advertisement feature")    # anchored alternatives stay anchored
    assert hits("Skip to main content") and not hits("Please skip to main content")
    assert hits("© 2025 The Courier") and not hits("© 2012 The Courier")
    assert pageroute.modern_lines("x" * 300 + " cookie") == 0    # beyond LINE_HEAD


PAGE_TEXT = "\n".join([
    "Skip to main content",              # match
    "",
    "I started this blog in 2009",       # no match (inside a word)
    "Log in",                            # match
    "The council voted on Tuesday.",     # no match
    "   ",
    "© 2024 Courier",                    # match
    "Вход",                              # 4 Cyrillic letters
])


def test_the_three_columns_on_a_hand_written_page():
    # 6 non-blank lines, 3 of them match; letters: 17 + 18 + 5 + 24 + 7 Latin, 4 Cyrillic
    assert pageroute.line_counts(PAGE_TEXT) == (6, 3)
    share, log_count, latin = pageroute.columns(PAGE_TEXT)
    assert share == pytest.approx(3 / 6) and log_count == pytest.approx(math.log(4))
    assert latin == pytest.approx(1 - 4 / 75)
    assert pageroute.columns("") == (0.0, 0.0, 1.0)


def worked_router(threshold):
    """A router whose score on PAGE_TEXT is worked by hand below."""
    return router_dict(threshold, mean=[0.5, 1.0, 0.5], sd=[0.25, 2.0, 0.5], coef=[2.0, 1.0, -1.0], intercept=-1.0)


def test_the_threshold_decision():
    # PAGE_TEXT: -1 + 2 * (0.5 - 0.5) / 0.25 + 1 * (log 4 - 1) / 2 - 1 * (71/75 - 0.5) / 0.5
    r = pageroute.Router(worked_router(0.0))
    want = -1 + (math.log(4) - 1) / 2 - (1 - 4 / 75 - 0.5) / 0.5
    assert r.score(PAGE_TEXT) == pytest.approx(want)          # -1.7000...
    assert pageroute.Router(worked_router(want - 1e-9)).routes(PAGE_TEXT)
    assert not pageroute.Router(worked_router(want + 1e-9)).routes(PAGE_TEXT)
    assert r.modern_files == ("page-lines-modern.json", "page-seq-modern.json")     # folder "."
    assert pageroute.route(PAGE_TEXT, pageroute.Router(worked_router(want - 1e-9)))


def test_no_router_routes_nothing(monkeypatch):
    monkeypatch.delenv(pageroute.ROUTE_ENV, raising=False)
    assert not pageroute.ROUTE_PATH.exists()           # none is shipped (the autouse fixture's path)
    assert pageroute.load_router() is None and not pageroute.route(PAGE_TEXT)
    assert pageroute.choose(PAGE_TEXT, "the default", pagemodel.PageModel) == ("the default", None)


def test_off_switches_a_shipped_router_off_and_empty_is_unset(tmp_path, monkeypatch):
    """Review 12a, #3: NEWSGIST_PAGE_ROUTE=off (any case) means no router, a shipped one included;
    an empty value means the variable is not set (the shipped router, where one ships)."""
    shipped = make_router(tmp_path, 0.0)
    monkeypatch.setattr(pageroute, "ROUTE_PATH", shipped)
    monkeypatch.setenv(pageroute.ROUTE_ENV, "")
    assert pageroute.router_path() == str(shipped) and pageroute.load_router() is not None
    text = PAGE.read_text(encoding="utf-8")
    assert clean(text).page_model == "modern"
    for off in ("off", "OFF", " off "):
        monkeypatch.setenv(pageroute.ROUTE_ENV, off)
        assert pageroute.router_path() is None and pageroute.load_router() is None
    assert clean(text).page_model is None
    monkeypatch.chdir(tmp_path)             # a relative name is resolved before it is cached (#10)
    monkeypatch.setenv(pageroute.ROUTE_ENV, "page-route.json")
    assert pageroute.router_path() == str(shipped.resolve())


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
FIXTURES = Path(__file__).parent / "fixtures" / "paste"


def test_fit_router_threshold_ties_take_the_higher(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from fit_router import choose_threshold
    # t = 0: 1 - 1 = 0; t = 2: 1 - 1/2 = 0.5; t = 3: 1/2 - 1/2 = 0; t = 4: 1/2 - 0 = 0.5 (a tie with
    # t = 2): the higher, 4
    t, sw, sd = choose_threshold([4.0, 2.0], [3.0, 0.0])
    assert (t, sw, sd) == (4.0, 0.5, 0.0)


@pytest.mark.parametrize("sources, ids, message", [
    ([str(FIXTURES / "modern-sealed")], False, "never read"),
    ([str(FIXTURES / "modern-sealed2")], False, "never read"),
    ([str(FIXTURES / "modern-sealed2" / "t01-x.json")], False, "never read"),
    (["dragnet-training", str(FIXTURES / "modern-sealed" / "x.jsonl")], False, "never read"),
    ([str(FIXTURES / "modern-blind")], True, "training sources only"),
    (["dragnet-training", str(FIXTURES / "modern-blind")], True, "training sources only"),
])
def test_fit_router_apply_keeps_the_protocol(tmp_path, monkeypatch, capsys, sources, ids, message):
    """Review 12a, #7: --apply never reads modern-sealed; --ids-out only for training sources. Both
    refused before any page is read."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import fit_router
    monkeypatch.setattr(fit_router, "load_source", lambda s: pytest.fail("a page was read"))
    argv = ["--apply", str(tmp_path / "page-route.json"), *sources]
    argv += ["--ids-out", str(tmp_path / "ids.tsv")] if ids else []
    with pytest.raises(SystemExit) as exc:
        fit_router.main(argv)
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_fit_router_apply_on_training_pages_and_a_bad_router(tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import fit_router
    path = tmp_path / "page-route.json"
    path.write_text(json.dumps(router_dict(-100.0)), encoding="utf-8")       # routes every page
    ids = tmp_path / "ids.tsv"
    assert fit_router.main(["--apply", str(path), str(FIXTURES / "modern"), "--ids-out", str(ids)]) == 0
    n = len(list((FIXTURES / "modern").glob("*.json")))
    assert len(ids.read_text(encoding="utf-8").splitlines()) == n
    assert f"| {n} | {n} | 1.000 |" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("[]", encoding="utf-8")
    assert fit_router.main(["--apply", str(tmp_path / "bad.json"), str(FIXTURES / "modern")]) == 2
    assert "page router" in capsys.readouterr().err


def make_router(tmp_path, threshold):
    """conftest.write_routed_pair (the modern pair keeps every line), routing a page when its lexicon
    share is at least 0.1 + threshold."""
    return write_routed_pair(tmp_path, threshold, intercept=-0.1)


def test_a_routed_page_reads_with_the_modern_gru_and_the_default_stays_clean(tmp_path, monkeypatch):
    """Review 12a, #5: the modern pair is the shipped trees (same threshold) with a GRU of another
    ``mix`` ("gru", the shipped is "mean"), paired by the same ``trees_sha1``: a routed page's
    probabilities differ from the default pair's, and the cached default model is untouched (default,
    routed, default: the first and third runs equal, no ``own_seq`` on the default)."""
    from newsgist.reading.pagelines import page_lines
    shipped_seq = json.loads((MODELS / "page-seq.json").read_text(encoding="utf-8"))
    assert shipped_seq["mix"] == "mean"
    shutil.copy(MODELS / "page-lines.json", tmp_path / "page-lines-modern.json")
    (tmp_path / "page-seq-modern.json").write_text(json.dumps(dict(shipped_seq, mix="gru")), encoding="utf-8")
    d = router_dict(-1.0)                       # routes every page
    (tmp_path / "page-route.json").write_text(json.dumps(d), encoding="utf-8")
    text = PAGE.read_text(encoding="utf-8")
    lines = page_lines(text)

    def run(route):
        if route:
            monkeypatch.setenv(pageroute.ROUTE_ENV, str(tmp_path / "page-route.json"))
        else:
            monkeypatch.delenv(pageroute.ROUTE_ENV, raising=False)
        out = pagemodel.page_furniture(text, lines)
        return out.pair, dict(out)
    first, routed, third = run(False), run(True), run(False)
    assert first[0] is None and routed[0] == "modern" and third[0] is None
    assert first == third                                   # the default pair as it was
    assert routed[1] != first[1]                            # the modern GRU read the routed page
    modern = pageroute.load_pair(*pageroute.Router(d, tmp_path).modern_files, pagemodel.PageModel)
    assert modern.own_seq.mix == "gru" and modern.fingerprint == pagemodel.load_model().fingerprint
    assert not hasattr(pagemodel.load_model(), "own_seq")   # the cached default has no modern GRU


def body(text, c):
    return [text[p.start:p.end] for p in c.paragraphs]


def test_a_routed_page_is_read_by_the_routers_modern_pair(tmp_path, monkeypatch):
    text = PAGE.read_text(encoding="utf-8")            # lexicon share 9 / 52 = 0.173
    monkeypatch.delenv(pageroute.ROUTE_ENV, raising=False)
    before = clean(text)
    assert before.page_model is None
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(tmp_path, 0.0)))
    routed = clean(text)
    assert routed.page_model == "modern"
    assert len(routed.paragraphs) > len(before.paragraphs)      # the modern pair keeps every line
    assert clean("Short text. Only one line.").page_model is None        # not a page: no model reads it
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(other, 0.5)))   # share 0.173 < 0.6: not routed
    unrouted = clean(text)
    assert unrouted.page_model == "default" and body(text, unrouted) == body(text, before)


def test_the_card_records_the_pair_only_with_a_router(tmp_path, monkeypatch):
    from newsgist.article import Article
    from newsgist.options import Options
    from newsgist.pipeline import run
    from newsgist.reading.stages import stage_clean
    text = PAGE.read_text(encoding="utf-8")
    monkeypatch.delenv(pageroute.ROUTE_ENV, raising=False)
    assert "page_model" not in run(Article(source=text, kind="text"), Options(), [("clean", stage_clean)]).meta
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(tmp_path, 0.0)))
    assert run(Article(source=text, kind="text"), Options(), [("clean", stage_clean)]).meta["page_model"] == "modern"


def test_rules_only_stays_rules_only_with_a_router(tmp_path, monkeypatch):
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(tmp_path, 0.0)))
    assert pageroute.choose("any page", None, pagemodel.PageModel) == (None, None)
    assert pageroute.choose("any page", lambda: None, pagemodel.PageModel) == (None, None)
    text = PAGE.read_text(encoding="utf-8")
    monkeypatch.setattr(pagemodel, "load_model", lambda: None)     # bench_paste.clean_text(model=False)'s
    rules = clean(text)
    assert rules.page_model is None
    monkeypatch.delenv(pageroute.ROUTE_ENV)
    assert body(text, clean(text)) == body(text, rules)
    monkeypatch.undo()
    # no default model file: rules only, and the router (here unreadable) is never read
    (tmp_path / "broken-route.json").write_text("{", encoding="utf-8")
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(tmp_path / "broken-route.json"))
    monkeypatch.setenv("NEWSGIST_PAGE_MODEL", str(tmp_path / "no-such-model.json"))
    assert clean(text).page_model is None


def test_routing_comes_before_loading_either_pair(tmp_path, monkeypatch):
    """Review 12a, #2: a routed page never parses the default trees; an unrouted one never the modern pair."""
    text = PAGE.read_text(encoding="utf-8")
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(tmp_path, 0.0)))
    pagemodel._load.cache_clear()
    pageroute.load_pair.cache_clear()
    assert clean(text).page_model == "modern"
    assert pagemodel._load.cache_info().currsize == 0 and pageroute.load_pair.cache_info().currsize == 1
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(make_router(other, 0.5)))     # routes nothing
    pageroute.load_pair.cache_clear()
    assert clean(text).page_model == "default"
    assert pagemodel._load.cache_info().currsize == 1 and pageroute.load_pair.cache_info().currsize == 0


@pytest.mark.parametrize("content, message", [
    ("not json", "cannot be read"),
    (json.dumps({"kind": "something else"}), "not a page router"),
    (json.dumps(router_dict(0.0, columns=["a", "b", "c"])), "columns"),
    (json.dumps(router_dict(0.0, sd=[1.0, 0.0, 1.0])), "sd positive"),
    (json.dumps({k: v for k, v in router_dict(0.0).items() if k != "coef"}), "no 'coef'"),
])
def test_a_bad_router_file_is_a_typed_error(tmp_path, monkeypatch, content, message):
    path = tmp_path / "page-route.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(path))
    with pytest.raises(ModelError, match=message) as err:
        clean(PAGE.read_text(encoding="utf-8"))
    assert err.value.code == "model_unavailable" and str(path) in err.value.message


def test_a_missing_or_unpaired_modern_pair_is_a_typed_error(tmp_path, monkeypatch):
    path = make_router(tmp_path, 0.0)
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(path))
    seq = json.loads((tmp_path / "page-seq-modern.json").read_text(encoding="utf-8"))
    (tmp_path / "page-seq-modern.json").write_text(json.dumps(dict(seq, trees_sha1="0" * 40)), encoding="utf-8")
    with pytest.raises(ModelError, match="trained beside other page-lines trees"):
        clean(PAGE.read_text(encoding="utf-8"))
    (tmp_path / "page-seq-modern.json").unlink()
    pageroute.load_pair.cache_clear()
    with pytest.raises(ModelError, match="no such file"):
        clean(PAGE.read_text(encoding="utf-8"))
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(ModelError, match="cannot be read"):
        clean(PAGE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("damage, message", [
    (lambda trees: [], "not a JSON object"),                                       # valid JSON, not an object
    (lambda trees: {k: v for k, v in trees.items() if k != "stage1"}, "no 'stage1'"),   # a key missing
    (lambda trees: dict(trees, stage2=[]), "cannot be read"),                      # a stage of the wrong type
])
def test_a_damaged_modern_trees_file_is_a_typed_error(tmp_path, monkeypatch, capsys, damage, message):
    """Review 12a, #1 and #11: never an AttributeError (exit 10) or a bare KeyError's text."""
    from newsgist.apps.cli.main import main
    path = make_router(tmp_path, 0.0)
    trees = json.loads((tmp_path / "page-lines-modern.json").read_text(encoding="utf-8"))
    (tmp_path / "page-lines-modern.json").write_text(json.dumps(damage(trees)), encoding="utf-8")
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(path))
    with pytest.raises(ModelError, match=message) as err:
        pageroute.load_pair(*pageroute.load_router().modern_files, pagemodel.PageModel)
    assert err.value.code == "model_unavailable" and "page-lines-modern.json" in err.value.message
    page = tmp_path / "page.txt"
    shutil.copy(PAGE, page)
    assert main(["text", str(page)]) == 9
    out = capsys.readouterr().err.strip().splitlines()
    assert len(out) == 1 and "model_unavailable" in out[0] and message in out[0]


def test_the_cli_prints_one_error_line(tmp_path, monkeypatch, capsys):
    from newsgist.apps.cli.main import main
    page = tmp_path / "page.txt"
    shutil.copy(PAGE, page)
    (tmp_path / "page-route.json").write_text("{", encoding="utf-8")
    monkeypatch.setenv(pageroute.ROUTE_ENV, str(tmp_path / "page-route.json"))
    assert main(["text", str(page)]) == 9
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "model_unavailable" in err[0] and "page router" in err[0]


def test_a_long_single_line_stays_cheap():
    import time
    text = ("word " * 10_000 + "\n") * 1 + "cookie"
    t = time.perf_counter()
    cols = pageroute.columns(text)
    assert time.perf_counter() - t < 0.5
    assert cols[0] == pytest.approx(1 / 2)


def test_the_router_names_the_default_trees_pagemodel_reads():
    """pageroute names the default pair's file itself (pagemodel imports pageroute, so pageroute may
    not import it back: tests/test_layout.py's cycle check); the two paths must stay one file."""
    assert pageroute.DEFAULT_MODEL_PATH == pagemodel.MODEL_PATH


def test_the_shipped_router_loads_pairs_and_was_fitted_with_this_lexicon():
    """The router that ships (session 12's gate): it loads, its modern pair pairs, and the lexicon it
    was fitted with (``info.lexicon_sha1``) is the one in the code, so an edit of MODERN_LINE that
    would move pages between the pairs without a refit fails here (final review, session 12)."""
    folder = Path(pageroute.__file__).resolve().parents[1] / "models"
    router = pageroute.Router(json.loads((folder / "page-route.json").read_text(encoding="utf-8")), folder)
    assert router.info["lexicon_sha1"] == pageroute.lexicon_sha1()
    modern = pageroute.load_pair(*router.modern_files, pagemodel.PageModel)
    assert modern.own_seq is not None and modern.fingerprint != pagemodel.load_model().fingerprint
