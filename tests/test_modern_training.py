"""Written modern pages as training pages (issue 31, session 11, candidate M; a training option,
off in the shipped model): ``train_paste.py --modern DIR... --modern-weight W``. A page is labelled
by the Dragnet labeller from its gold (``train_paste.modern_page``), its agreement with the written
line kinds is counted (``label_agreement``), and it weighs W Dragnet pages in every fit. Pages
built by hand here."""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from newsgist.evaluation.train_paste import (MODERN_PREFIX, MODERN_WEIGHT, label_agreement, label_lines,
                                             modern_page, prepare, split_of, train)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import modern_pages  # noqa: E402

BODY = ("The harbour board met on Tuesday to discuss the new ferry timetable for the winter months. "
        "Members said the early boat would run twice a week until March, when demand returns.")


def _page_text(k: int, extra: str = "") -> str:
    return (f"id: {k:02d}-ferry-{k}\nshape: local paper: nav, share row, related link\n\n"
            "F navigation | Home\nF navigation | News\n"
            f"A headline | Ferry timetable changes, part {k}\n\n"
            f"A body | {BODY}\n\n"
            f"A body | The board will meet again in {k + 2} weeks to review the numbers.\n"
            + extra +
            "F share | Share this story\nF related | Related: more harbour news\n")


def _write(tmp_path, n=4, extra=""):
    d = tmp_path / "modern"
    d.mkdir()
    for k in range(n):
        page = modern_pages.parse_page(_page_text(k, extra if k == 0 else ""))
        (d / f"{page['id']}.json").write_text(json.dumps(page, indent=1) + "\n", encoding="utf-8")
    return d


def test_registered_weight():
    assert MODERN_WEIGHT == 5.0


def test_modern_page_is_labelled_by_the_dragnet_labeller():
    page = modern_pages.parse_page(_page_text(1))
    rec = modern_page(page)
    assert rec == {"id": MODERN_PREFIX + page["id"], "pasted": page["paste"], "text": page["gold"]}
    [prep] = prepare([rec])
    assert list(prep.y) == label_lines(page["paste"], prep.lines, page["gold"])
    # here the labeller and the written kinds agree on every line: nav x2, 3 article, share, related
    assert list(prep.y) == [0, 0, 1, 1, 1, 0, 0]
    assert label_agreement(prep, page) == (7, 7, [])


def test_label_agreement_counts_the_disagreeing_kinds():
    # a furniture line that repeats the headline's words (a breadcrumb) next to the article: the
    # trigram labeller calls it article; a line of marks only is not a model line
    extra = "F breadcrumb | Ferry timetable changes, part 0\nF divider | ———\n"
    page = modern_pages.parse_page(_page_text(0, extra))
    [prep] = prepare([modern_page(page)])
    agree, n, wrong = label_agreement(prep, page)
    assert (agree, n, wrong) == (7, 8, ["furniture:breadcrumb"])
    bad = dict(page, lines=page["lines"][:-1])
    with pytest.raises(ValueError):
        label_agreement(prep, bad)


def test_train_records_the_weights_name():
    pytest.importorskip("lightgbm")
    pages = prepare([modern_page(modern_pages.parse_page(_page_text(k))) for k in range(8)])
    plain = train(pages, folds=2, ensemble=1)
    equal = train(pages, folds=2, ensemble=1, page_weights=[5.0] * len(pages), weights_name="modern")
    assert "page_weights" not in plain["info"] and equal["info"].pop("page_weights") == "modern"
    assert equal == plain       # equal weights: the unweighted model
    other = train(pages, folds=2, ensemble=1, page_weights=[5.0] * 4 + [1.0] * 4, weights_name="modern")
    assert other["stage1"] != plain["stage1"]


def test_gru_records_the_weights_name():
    pytest.importorskip("torch")
    from newsgist.evaluation import train_pageseq as tp
    rng = np.random.default_rng(0)
    Zs = [rng.normal(0, 1, (4 + k, 5)) for k in range(6)]
    ys = [(Z[:, 0] > 0).astype(float) for Z in Zs]
    net = tp.fit(Zs, ys, ["words", "terminal", "prose"], epochs=1, hidden=4, page_weights=[5.0, 1.0] * 3,
                 weights_name="modern")
    assert net["info"]["page_weights"] == "modern"


# --- the command (benchmarks/train_paste.py), on written pages in place of the rendered Dragnet pages ---
def _dragnet_like(n=8):
    pages, k = [], 0
    while len(pages) < n:
        pid = f"dragnet-T{k}"
        k += 1
        if split_of(pid) != "train":
            continue
        pasted = "\n".join(["Home", "Sport", f"Council news {k}", BODY, f"More in {k} weeks, the board said today.",
                            "Follow us", "Related: council news"]) + "\n"
        pages.append({"id": pid, "pasted": pasted, "text": f"Council news {k}\n{BODY}"})
    return pages


@pytest.fixture
def command(monkeypatch, tmp_path):
    pytest.importorskip("lightgbm")
    import paste_render
    import train_paste as cmd
    from newsgist.evaluation import train_paste as tp
    fake = tmp_path / "dragnet.jsonl.gz"
    fake.write_bytes(b"")
    monkeypatch.setitem(paste_render.SETS, "dragnet", fake)
    monkeypatch.setattr(paste_render, "pasted_pages", lambda name, limit=None: _dragnet_like())
    monkeypatch.setattr(tp, "ROUNDS", 20)       # small and quick (the command's folds and ensemble as shipped)
    return cmd


def test_command_without_modern_is_unchanged(command, tmp_path):
    from newsgist.evaluation.train_paste import prepare as prep, train as tr
    out = tmp_path / "plain.json"
    assert command.main(["--no-render", "--out", str(out)]) == 0
    got = json.loads(out.read_text())
    want = json.loads(json.dumps(tr(prep(_dragnet_like()))))
    assert got == want and "modern" not in got["info"] and "page_weights" not in got["info"]
    # byte for byte the file train() gives without any of session 11's arguments
    assert out.read_bytes() == (json.dumps(tr(prep(_dragnet_like())), separators=(",", ":")) + "\n").encode()
    with pytest.raises(SystemExit):
        command.main(["--no-render", "--out", str(out), "--modern-weight", "2"])


def test_command_with_modern_pages(command, tmp_path):
    d = _write(tmp_path, extra="F breadcrumb | Ferry timetable changes, part 0\n")
    out = tmp_path / "m.json"
    assert command.main(["--no-render", "--out", str(out), "--modern", str(d), "--modern-weight", "2"]) == 0
    info = json.loads(out.read_text())["info"]
    files = sorted(d.glob("*.json"))
    assert info["pages"] == 8 + 4 and info["page_weights"] == "modern"
    assert info["modern"]["weight"] == 2.0
    assert info["modern"]["pages"] == [{"id": f.stem, "sha1": hashlib.sha1(f.read_bytes()).hexdigest()}
                                       for f in files]
    agreement = info["modern"]["label_agreement"]
    assert agreement["lines"] == 4 * 7 + 1 and agreement["disagree_kinds"] == {"furniture:breadcrumb": 1}
    assert agreement["agree"] == agreement["lines"] - 1
    # the weights reach every fit: W 2 and W 1 give different trees; the default is MODERN_WEIGHT
    one = tmp_path / "one.json"
    command.main(["--no-render", "--out", str(one), "--modern", str(d), "--modern-weight", "1"])
    assert json.loads(one.read_text())["stage1"] != json.loads(out.read_text())["stage1"]
    dflt = tmp_path / "dflt.json"
    command.main(["--no-render", "--out", str(dflt), "--modern", str(d)])
    assert json.loads(dflt.read_text())["info"]["modern"]["weight"] == MODERN_WEIGHT


def test_command_oof_out(command, tmp_path):
    # session 12b: --oof-out writes each training page's out-of-fold F1 and the means; the model file
    # is the one the same command writes without it
    d = _write(tmp_path)
    plain, out, oof_file = tmp_path / "plain.json", tmp_path / "m.json", tmp_path / "oof.json"
    assert command.main(["--no-render", "--out", str(plain), "--modern", str(d)]) == 0
    assert command.main(["--no-render", "--out", str(out), "--modern", str(d), "--oof-out", str(oof_file)]) == 0
    assert out.read_bytes() == plain.read_bytes()
    model, rec = json.loads(out.read_text()), json.loads(oof_file.read_text())
    assert rec["threshold"] == model["threshold"] and rec["relative"] == model["relative"]
    rows = rec["pages"]
    assert [r["set"] for r in rows] == ["dragnet"] * 8 + ["modern"] * 4
    assert [r["written"] for r in rows] == [False] * 8 + [True] * 4
    assert all(r["id"].startswith(MODERN_PREFIX) == r["written"] for r in rows)
    m = rec["means"]
    assert (m["all"]["n"], m["not_written"]["n"], m["dragnet"]["n"], m["written"]["n"]) == (12, 8, 8, 4)
    assert m["all"]["mean_f1"] == pytest.approx(model["info"]["oof_mean_f1"], abs=1e-4)
    assert m["not_written"]["mean_f1"] == pytest.approx(model["info"]["modern"]["oof_mean_f1_without_modern"], abs=1e-4)
    assert m["written"]["mean_f1"] == pytest.approx(sum(r["f1"] for r in rows[8:]) / 4, abs=1e-6)


def test_modern_weights_by_hand(monkeypatch):
    import train_paste as cmd
    import newsgist.evaluation.train_paste as tp

    class P:
        def __init__(self, pid):
            self.id, self.y = pid, np.zeros(0)
    prepared = [P("dragnet-1"), P(MODERN_PREFIX + "a"), P("dragnet-2")]
    page = {"id": "a", "paste": "", "gold": "", "lines": []}
    monkeypatch.setattr(tp, "label_agreement", lambda prep, pg: (0, 0, []))
    w, info = cmd._modern_weights(prepared, [(page, "abc")], 5.0)
    assert w == [1.0, 5.0, 1.0] and info["pages"] == [{"id": "a", "sha1": "abc"}]
    w2, _ = cmd._modern_weights(prepared, [(page, "abc")], 2.0, [0.5, 1.0, 2.0])     # times site weights
    assert w2 == [0.5, 2.0, 2.0]
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            cmd._modern_weights(prepared, [(page, "abc")], bad)


def test_a_written_page_with_no_worded_line_is_named(command, tmp_path, capsys):
    """Session 12d: prepare() leaves out a page with no worded line (only marks); _modern_weights said
    so with a bare KeyError. Now a ValueError naming the page, and the command's one error line."""
    class P:
        def __init__(self, pid):
            self.id, self.y = pid, np.zeros(0)
    rule, dots = "\u2014" * 3, "\u2022" * 3          # no letter or digit: not worded lines
    page = {"id": "99-marks", "shape": "a rule and a bullet row", "paste": f"{rule}\n{dots}", "gold": dots,
            "lines": [["furniture:rule", rule], ["article:body", dots]]}
    with pytest.raises(ValueError, match="written page '99-marks': no worded line"):
        command._modern_weights([P("dragnet-1")], [(page, "abc")], 5.0)
    d = _write(tmp_path)
    (d / "99-marks.json").write_text(json.dumps(page), encoding="utf-8")
    out = tmp_path / "m.json"
    assert command.main(["--no-render", "--out", str(out), "--modern", str(d)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: --modern: written page '99-marks': no worded line") and not out.exists()


# --- review, session 11: what --modern and --modern-weight accept, checked before any work ---
@pytest.fixture
def no_work(command, monkeypatch):
    """The command, with rendering and feature work failing the test if reached."""
    import paste_render
    from newsgist.evaluation import train_paste as tp

    def boom(*a, **k):
        raise AssertionError("work began before the arguments were checked")
    monkeypatch.setattr(paste_render, "render", boom)
    monkeypatch.setattr(paste_render, "pasted_pages", boom)
    monkeypatch.setattr(tp, "prepare", boom)
    return command


@pytest.mark.parametrize("weight", ["nan", "inf", "0", "-2"])
def test_modern_weight_must_be_finite_and_positive(no_work, tmp_path, capsys, weight):
    d = _write(tmp_path)
    out = tmp_path / "m.json"
    assert no_work.main(["--out", str(out), "--modern", str(d), "--modern-weight", weight]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --modern-weight") and err.count("\n") == 1 and not out.exists()


def test_modern_arguments_are_checked_before_any_work(no_work, tmp_path, capsys):
    d = _write(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    twin = tmp_path / "twin"
    twin.mkdir()
    first = sorted(d.glob("*.json"))[0]
    (twin / "copy.json").write_bytes(first.read_bytes())
    out = tmp_path / "m.json"
    for args, message in [([str(tmp_path / "modren")], "no such folder or file"),      # a mistyped folder
                          ([str(tmp_path / "empty")], "a folder with no *.json page"),
                          ([str(tmp_path / "notes.txt")], "neither a folder nor a *.json page file"),
                          ([str(d), str(twin)], f"page id '{json.loads(first.read_text())['id']}' in both"),
                          ([str(first), str(first)], "in both")]:
        assert no_work.main(["--out", str(out), "--modern", *args]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --modern: ") and message in err and err.count("\n") == 1, err
        assert not out.exists()
    assert str(first) in err and err.count(str(first)) == 2     # both places named
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x"}))
    assert no_work.main(["--out", str(out), "--modern", str(bad)]) == 2
    assert "bad.json: missing" in capsys.readouterr().err
    for text, message in [("{", "not JSON"), (json.dumps({"id": "x", "shape": "s", "paste": "a", "gold": "a", "lines": [5]}), "not a written page")]:
        bad.write_text(text)
        assert no_work.main(["--out", str(out), "--modern", str(bad)]) == 2
        err = capsys.readouterr().err
        assert f"{bad}: {message}" in err and err.count("\n") == 1, err


def test_modern_files_name_a_subset(command, tmp_path):
    # a page file each (a shell's modern-train/{35..84}-*.json), in the order given
    import train_paste as cmd
    d = _write(tmp_path)
    files = sorted(d.glob("*.json"))
    got = cmd._modern([files[2], files[0]])
    assert [p["id"] for p, _ in got] == [files[2].stem, files[0].stem]
    assert got[0][1] == hashlib.sha1(files[2].read_bytes()).hexdigest()
    assert [p["id"] for p, _ in cmd._modern([d])] == [f.stem for f in files]
    out = tmp_path / "sub.json"
    assert command.main(["--no-render", "--out", str(out), "--modern", str(files[1]), str(files[3])]) == 0
    assert [p["id"] for p in json.loads(out.read_text())["info"]["modern"]["pages"]] == [files[1].stem, files[3].stem]


def test_every_tree_fit_gets_the_modern_weights(command, tmp_path, monkeypatch):
    # both stages' out-of-fold fits and their full fits (2 x folds + 2): a modern line weighs W
    # Dragnet lines in each, the weights scaled to mean 1 (train_paste.fit_line_weights)
    from newsgist.evaluation import train_paste as tp
    seen = []
    real = tp.fit_trees

    def spy(X, y, seed=0, threads=1, ensemble=1, weight=None, params=None):
        seen.append(None if weight is None else np.asarray(weight))
        return real(X, y, seed, threads, ensemble, weight, params)
    monkeypatch.setattr(tp, "fit_trees", spy)
    d = _write(tmp_path)
    W = 3.0
    assert command.main(["--no-render", "--out", str(tmp_path / "m.json"), "--modern", str(d),
                         "--modern-weight", str(W)]) == 0
    assert len(seen) == 2 * tp.DEFAULT_FOLDS + 2
    pages = tp.prepare(_dragnet_like() + [modern_page(p) for p in modern_pages_of(d)])
    fold = [i % tp.DEFAULT_FOLDS for i in range(len(pages))]
    every = list(range(len(pages)))
    idxs = [[i for i in every if fold[i] != f] for f in range(tp.DEFAULT_FOLDS)] * 2 + [every, every]
    for k, (w, idx) in enumerate(zip(seen, idxs)):
        modern = np.concatenate([np.full(len(pages[i].y), pages[i].id.startswith(MODERN_PREFIX)) for i in idx])
        assert w is not None and len(w) == len(modern), k
        assert w.mean() == pytest.approx(1.0) and modern.any() and (~modern).any(), k
        assert np.allclose(w[modern], W * w[~modern][0]) and np.allclose(w[~modern], w[~modern][0]), k
    # without --modern, no fit is weighted
    seen.clear()
    assert command.main(["--no-render", "--out", str(tmp_path / "plain.json")]) == 0
    assert len(seen) == 2 * tp.DEFAULT_FOLDS + 2 and all(w is None for w in seen)


def test_command_prints_the_dragnet_pages_oof(command, tmp_path, capsys):
    from newsgist.evaluation import train_paste as tp
    d = _write(tmp_path)
    out = tmp_path / "m.json"
    assert command.main(["--no-render", "--out", str(out), "--modern", str(d)]) == 0
    model = json.loads(out.read_text())
    # recomputed from the out-of-fold F1 of the same training, the Dragnet pages alone
    oof = {}
    pages = tp.prepare(_dragnet_like() + [modern_page(p) for p in modern_pages_of(d)])
    w = [MODERN_WEIGHT if p.id.startswith(MODERN_PREFIX) else 1.0 for p in pages]
    again = tp.train(pages, oof=oof, page_weights=w, weights_name="modern")
    assert again["stage1"] == model["stage1"] and len(oof["f1"]) == len(pages)
    assert again["info"]["oof_mean_f1"] == pytest.approx(np.mean(oof["f1"]), abs=1e-4)
    want = round(float(np.mean(oof["f1"][:8])), 4)
    assert model["info"]["modern"]["oof_mean_f1_without_modern"] == want
    assert f"over the 8 pages that are not modern (Dragnet): {want}" in capsys.readouterr().out


def modern_pages_of(d):
    from bench_paste_modern import load_pages
    return load_pages(d)
