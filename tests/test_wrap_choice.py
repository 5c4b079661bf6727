"""benchmarks/wrap_choice.py: candidate U's registered choice rule, U2's fixed variant (issue 31, sessions 13d, 13e)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import paste_render  # noqa: E402
import pytest  # noqa: E402
import wrap_choice  # noqa: E402

from newsgist.reading import pagewrap  # noqa: E402


def test_the_six_registered_variants():
    assert wrap_choice.VARIANTS == [(3, "lower"), (3, "lower+long"), (5, "lower"), (5, "lower+long"),
                                    (10, "lower"), (10, "lower+long")]


def test_the_highest_sum_wins_a_tie_takes_the_higher_threshold_then_lower():
    sums = {v: 0.0 for v in wrap_choice.VARIANTS}
    sums[(3, "lower")] = 0.5
    assert wrap_choice.choose(sums) == (3, "lower")
    sums[(5, "lower+long")] = 0.5
    assert wrap_choice.choose(sums) == (5, "lower+long")
    sums[(5, "lower")] = 0.5
    assert wrap_choice.choose(sums) == (5, "lower")


def test_no_positive_sum_gates_nothing():
    assert wrap_choice.choose({v: -0.1 for v in wrap_choice.VARIANTS}) is None
    assert wrap_choice.choose({v: 0.0 for v in wrap_choice.VARIANTS}) is None


def test_run_as_restores_the_module(monkeypatch):
    names = ("WRAP", "WRAP_MIN_PAIRS", "WRAP_JOIN", "PAIR_FIRST_MIN_WORDS")
    monkeypatch.setattr(wrap_choice, "clean_text", lambda text: tuple(getattr(pagewrap, n) for n in names))
    saved = tuple(getattr(pagewrap, n) for n in names)
    assert wrap_choice.run_as("x", None)[0] is False
    assert wrap_choice.run_as("x", (5, "lower+long")) == (True, 5, "lower+long", 3)     # U's variants: 3 words
    assert wrap_choice.run_as("x", wrap_choice.U2) == (True, 10, "pair", 5)
    assert tuple(getattr(pagewrap, n) for n in names) == saved


def test_pairs_as_counts_with_the_variants_first_line_words():
    text = "the first line has\nand the second too\nthe first line has words\nand the second"
    assert wrap_choice.pairs_as(text, (10, "lower")) == 3 and wrap_choice.pairs_as(text, wrap_choice.U2) == 1


def test_u_chose_10_lower_and_u2_stays_reproducible():
    assert (10, "lower") in wrap_choice.VARIANTS                              # U's choice (session 13d)
    assert wrap_choice.U2 == (10, "pair", 5)                                   # U2's registration
    assert ("pair", pagewrap.PAIR_FIRST_MIN_WORDS) == wrap_choice.U2[1:]           # U2 as_variant sets its own 10 pairs
    assert pagewrap.WRAP_WIDTH_SHARE == 0.8                                   # fixed by the registration


def test_a_set_of_the_wrong_size_stops_the_sum():
    wrap_choice.check_counts({"a": [{}] * 2, "b": []}, {"a": 2, "b": 0})
    with pytest.raises(ValueError, match="a 1 / 2"):
        wrap_choice.check_counts({"a": [{}]}, {"a": 2})
    with pytest.raises(ValueError, match="b 0 / 3"):
        wrap_choice.check_counts({"a": [{}] * 2}, {"a": 2, "b": 3})


def _write(path, recs):
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")


def test_cached_with_gold_never_decodes_a_dropped_line_and_a_missing_file_gives_nothing(tmp_path, monkeypatch):
    data, cache = tmp_path / "set.jsonl", tmp_path / "cache.jsonl"
    monkeypatch.setitem(paste_render.SETS, "toy", data)
    monkeypatch.setattr(paste_render, "cache_path", lambda name: cache)
    assert wrap_choice.cached_with_gold("toy", lambda pid: True) == []           # neither file
    pages = [{"id": "keep-1", "html": "<p>a</p>", "text": "Alpha."}, {"id": "keep-2", "html": "<p>c</p>", "text": "Gamma."}]
    _write(data, pages)
    with data.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "drop-1", not json\n')                                # a held-out line: never decoded
    assert wrap_choice.cached_with_gold("toy", lambda pid: pid.startswith("keep")) == []   # no cache
    _write(cache, [{"id": "keep-1", "pasted": "Alpha.", "sha1": paste_render.sha1("<p>a</p>")},
                   {"id": "keep-2", "pasted": "Gamma.", "sha1": "stale"}])
    with cache.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "drop-1", x\n')
    got = wrap_choice.cached_with_gold("toy", lambda pid: pid.startswith("keep"))
    assert got == [{"id": "keep-1", "pasted": "Alpha.", "gold": "Alpha."}]        # keep-2's HTML changed
    with pytest.raises(ValueError):                                              # kept, it would be decoded
        wrap_choice.cached_with_gold("toy", lambda pid: True)


# A hand-made validation set for main's sums (review 13f): each page's continuation pairs, and the
# body the stand-in product gives shipped (WRAP off) and wrapped; the stand-in F1 is the body's first
# word, so every page's F1 change is known.
_TOY = {  # set -> [(id, pairs, shipped body, wrapped body)]
    "readability half A": [("a1", 12, "0.5 old", "0.75 new"),     # run, changed: +0.25
                           ("a2", 4, "0.2 old", "0.9 new"),       # 4 pairs: run by the threshold 3 only
                           ("a3", 10, "0.4 same", "0.4 same")],   # run, unchanged: 0
    "dragnet training": [("d1", 20, "0.9 old", "0.6 new")],       # run, changed: -0.3
    "modern-blind": [("m1", 0, "1.0 old", "0.0 new")],            # no pair: never run
}


def _toy_main(monkeypatch, tmp_path, capsys, argv):
    pages = {name: [{"id": i, "pasted": i, "gold": "gold words here"} for i, *_ in rows] for name, rows in _TOY.items()}
    by_id = {i: (n, shipped, wrapped) for rows in _TOY.values() for i, n, shipped, wrapped in rows}
    monkeypatch.setattr(wrap_choice, "validation_sets", lambda: pages)
    monkeypatch.setattr(wrap_choice, "pairs_as", lambda text, v: by_id[text][0])
    monkeypatch.setattr(wrap_choice, "clean_text", lambda text: by_id[text][2 if pagewrap.WRAP else 1])
    monkeypatch.setattr(wrap_choice, "prf", lambda out, gold: (0.0, 0.0, float(out.split()[0])))
    out = tmp_path / "rows.json"
    assert wrap_choice.main(argv + ["--out", str(out)]) == 0
    return capsys.readouterr().out, json.loads(out.read_text(encoding="utf-8"))


def test_u2_sums_and_run_changed_counts_on_a_hand_made_set(monkeypatch, tmp_path, capsys):
    text, rows = _toy_main(monkeypatch, tmp_path, capsys, ["--u2"])
    # U2 (10 pairs): a1, a3 run (a1 changed), a2 not (4 < 10); d1 run and changed; m1 not run
    assert "| 10 / pair / 5 | +0.2500 (2 / 1) | -0.3000 (1 / 1) | +0.0000 (0 / 0) | -0.0500 |" in text
    assert "U2's sum -0.0500: not positive: U2 is not gated" in text
    assert "readability half A: a1 0.500 -> 0.750 (+0.250)" in text
    assert "dragnet training: d1 0.900 -> 0.600 (-0.300)" in text
    assert "a3 " not in text                                   # run, unchanged: not listed
    # the set means: half A shipped (0.5 + 0.2 + 0.4) / 3, U2 (0.75 + 0.2 + 0.4) / 3
    assert "| readability half A | 3 | 0.3667 | 0.4500 |" in text
    assert [(r["id"], sorted(r["var"])) for r in rows] == [("a1", ["10/pair/5"]), ("a2", []), ("a3", ["10/pair/5"]),
                                                           ("d1", ["10/pair/5"]), ("m1", [])]


def test_u_grid_sums_by_threshold_and_the_choice(monkeypatch, tmp_path, capsys):
    text, _ = _toy_main(monkeypatch, tmp_path, capsys, [])
    # threshold 3: a2 runs too (+0.7): half A +0.95 (3 run / 2 changed), total +0.65; 5 and 10: as U2's
    for join in ("lower", "lower+long"):
        assert f"| 3 / {join} | +0.9500 (3 / 2) | -0.3000 (1 / 1) | +0.0000 (0 / 0) | +0.6500 |" in text
        for k in (5, 10):
            assert f"| {k} / {join} | +0.2500 (2 / 1) | -0.3000 (1 / 1) | +0.0000 (0 / 0) | -0.0500 |" in text
    assert "chosen: (3, 'lower') (sum +0.6500)" in text       # a tie of the two joins: "lower"


def test_w_grid_and_its_tie_rule():
    assert wrap_choice.W_GRID == [(f, k) for f in (0, 10, 20) for k in (3, 5, 10)]
    sums = {v: 0.0 for v in wrap_choice.W_GRID}
    assert wrap_choice.choose_w(sums) is None                                   # no positive sum: not gated
    sums[(20, 3)] = sums[(0, 5)] = sums[(10, 5)] = 0.5
    assert wrap_choice.choose_w(sums) == (0, 5)                                 # the larger threshold, then the smaller slack
    sums[(20, 10)] = 0.6
    assert wrap_choice.choose_w(sums) == (20, 10)


def test_w_variant_sets_the_width_join_and_run_as_restores(monkeypatch):
    names = ("WRAP", "WRAP_MIN_PAIRS", "WRAP_JOIN", "FILL_SLACK")
    monkeypatch.setattr(wrap_choice, "clean_text", lambda text: tuple(getattr(pagewrap, n) for n in names))
    saved = tuple(getattr(pagewrap, n) for n in names)
    assert wrap_choice.run_as("x", wrap_choice.w_variant(20, 5)) == (True, 5, "width", 20)
    assert tuple(getattr(pagewrap, n) for n in names) == saved
    with pytest.raises(ValueError):
        wrap_choice.run_as("x", {"NOT_A_CONSTANT": 1})


def test_fills_as_counts_at_the_slack():
    # a run of width 72; its second line (54) ends 18 columns early, room for the next line's "fox"
    # (54 + 1 + 3 = 58): a fill pair at slack 20 (58 > 52), not at 0 or 10 (58 <= 62)
    first = "the harbour board voted on tuesday to close the old ferry pier for goods"
    second = "ending a service that had carried passengers across it"
    assert (len(first), len(second)) == (72, 54)
    text = "\n".join([first, second, "fox and the rest of it goes on until the end"])
    assert [wrap_choice.fills_as(text, f) for f in (0, 10, 20)] == [1, 1, 2]


# W on a hand-made set: each page's fill pairs by slack, the stand-in bodies by slack.
_WTOY = {  # set -> [(id, {slack: fill pairs}, shipped body, {slack: wrapped body})]
    "readability half A": [("a1", {0: 12, 10: 12, 20: 12}, "0.5 old", {0: "0.6 n", 10: "0.7 n", 20: "0.9 n"}),
                           ("a2", {0: 0, 10: 4, 20: 6}, "0.2 old", {0: "0.2 old", 10: "0.4 n", 20: "0.1 n"})],
    "dragnet training": [("d1", {0: 0, 10: 0, 20: 3}, "0.9 old", {0: "0.9 old", 10: "0.9 old", 20: "0.5 n"})],
    "modern-blind": [("m1", {0: 0, 10: 0, 20: 0}, "1.0 old", {0: "x", 10: "x", 20: "x"})],
    "wrapped modern + modern-train": [("w1", {0: 10, 10: 10, 20: 10}, "0.3 old", {0: "0.4 n", 10: "0.5 n", 20: "0.6 n"})],
}


def test_w_sums_on_a_hand_made_set(monkeypatch, tmp_path, capsys):
    pages = {name: [{"id": i, "pasted": i, "gold": "g"} for i, *_ in rows] for name, rows in _WTOY.items()}
    by_id = {i: (n, shipped, wrapped) for rows in _WTOY.values() for i, n, shipped, wrapped in rows}
    wrapped = pages.pop("wrapped modern + modern-train")
    monkeypatch.setattr(wrap_choice, "validation_sets", lambda: pages)
    monkeypatch.setattr(wrap_choice, "wrapped_pages", lambda dirs: wrapped)
    monkeypatch.setattr(wrap_choice, "EXPECTED", {n: len(p) for n, p in pages.items()})
    monkeypatch.setattr(wrap_choice, "WRAPPED_PAGES", 1)
    monkeypatch.setattr(wrap_choice, "fills_as", lambda text, f: by_id[text][0][f])
    monkeypatch.setattr(wrap_choice, "clean_text",
                        lambda text: by_id[text][2][pagewrap.FILL_SLACK] if pagewrap.WRAP else by_id[text][1])
    monkeypatch.setattr(wrap_choice, "prf", lambda out, gold: (0.0, 0.0, float(out.split()[0])))
    assert wrap_choice.main(["--w", "--wrapped", "x"]) == 0
    text = capsys.readouterr().out
    # slack 0: a1 +0.1 (all thresholds), w1 +0.1 (3, 5, 10); slack 10: a1 +0.2, a2 +0.2 at 3 only; w1 +0.2
    assert "| 0 / 10 | +0.1000 (1 / 1) | +0.0000 (0 / 0) | +0.0000 (0 / 0) | +0.1000 (1 / 1) | +0.2000 |" in text
    assert "| 10 / 3 | +0.4000 (2 / 2) | +0.0000 (0 / 0) | +0.0000 (0 / 0) | +0.2000 (1 / 1) | +0.6000 |" in text
    # slack 20: a1 +0.4, a2 -0.1 at 3 and 5; d1 -0.4 at 3; w1 +0.3
    assert "| 20 / 3 | +0.3000 (2 / 2) | -0.4000 (1 / 1) | +0.0000 (0 / 0) | +0.3000 (1 / 1) | +0.2000 |" in text
    assert "| 20 / 5 | +0.3000 (2 / 2) | +0.0000 (0 / 0) | +0.0000 (0 / 0) | +0.3000 (1 / 1) | +0.6000 |" in text
    assert "| 20 / 10 | +0.4000 (1 / 1) | +0.0000 (0 / 0) | +0.0000 (0 / 0) | +0.3000 (1 / 1) | +0.7000 |" in text
    assert "chosen: FILL_SLACK 20, WRAP_MIN_PAIRS 10 (sum +0.7000)" in text
    assert "    a1 0.500 -> 0.900 (+0.400)" in text and "m1" not in text


def test_w_refuses_a_held_out_wrapped_folder():
    with pytest.raises(ValueError, match="TRAINING"):
        wrap_choice.main(["--w", "--wrapped", "/tmp/wrapped-blind"])


@pytest.mark.parametrize("argv, message", [
    (["--w", "--u2"], "not allowed with argument"),                 # one of U's grid, U2 or W's grid a run
    (["--w", "--dev", "--wrapped", "/tmp/wrapped-train"], "--dev is a development run"),    # --wrapped was ignored
])
def test_conflicting_options_stop_with_an_argparse_error(argv, message, monkeypatch, capsys):
    monkeypatch.setattr(wrap_choice, "validation_sets", lambda: pytest.fail("pages read before the options' check"))
    with pytest.raises(SystemExit) as stop:
        wrap_choice.main(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err
