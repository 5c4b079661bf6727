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


def test_modern_weights_by_hand():
    import train_paste as cmd

    class P:
        def __init__(self, pid):
            self.id, self.y = pid, np.zeros(0)
    prepared = [P("dragnet-1"), P(MODERN_PREFIX + "a"), P("dragnet-2")]
    page = {"id": "a", "paste": "", "gold": "", "lines": []}
    import newsgist.evaluation.train_paste as tp
    orig = tp.label_agreement
    tp.label_agreement = lambda prep, pg: (0, 0, [])
    try:
        w, info = cmd._modern_weights(prepared, [(page, "abc")], 5.0)
        assert w == [1.0, 5.0, 1.0] and info["pages"] == [{"id": "a", "sha1": "abc"}]
        w2, _ = cmd._modern_weights(prepared, [(page, "abc")], 2.0, [0.5, 1.0, 2.0])     # times site weights
        assert w2 == [0.5, 2.0, 2.0]
        with pytest.raises(ValueError):
            cmd._modern_weights(prepared, [(page, "abc")], 0.0)
    finally:
        tp.label_agreement = orig
