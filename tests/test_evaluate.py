"""Tests for newsgist.evaluation.evaluate: hand-worked ROUGE, LEAD-3, oracle, bootstrap, I/O."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from newsgist.errors import InputError
from newsgist.evaluation.evaluate import (
    EvalResult,
    evaluate,
    format_table,
    lead3_pysbd,
    lead3_regex,
    paired_bootstrap,
    read_jsonl,
    to_markdown,
)
from newsgist.evaluation.rouge import greedy_oracle, rouge, rouge_per_article, rouge_tokens

ARTICLE = (
    "Mr. Smith went to Washington on Monday. He met U.S. officials there. "
    'He said "It went well." Then he flew home! Was it worth it? Nobody knows.'
)


# ---------------------------------------------------------------- ROUGE by hand


def test_rouge1_hand_worked():
    # pred "the cat sat" vs ref "the cat ran": 2 of 3 unigrams match -> P = R = 2/3.
    s = rouge([["the cat sat"]], [["the cat ran"]])
    assert s["rouge1_p"] == pytest.approx(200 / 3)
    assert s["rouge1_r"] == pytest.approx(200 / 3)
    assert s["rouge1"] == pytest.approx(66.6667, abs=1e-3)
    # bigrams: {the cat, cat sat} vs {the cat, cat ran} -> 1/2.
    assert s["rouge2"] == pytest.approx(50.0)


def test_rouge_precision_recall_asymmetric():
    # pred "the cat" (2 tokens) vs ref "the cat sat down" (4): P = 1, R = 1/2, F = 2/3.
    s = rouge([["the cat"]], [["the cat sat down"]])
    assert s["rouge1_p"] == pytest.approx(100.0)
    assert s["rouge1_r"] == pytest.approx(50.0)
    assert s["rouge1"] == pytest.approx(200 / 3)


def test_rouge_lsum_two_lines_is_summary_level():
    # ref lines: "the cat ran" / "a dog barked"; pred lines: "the cat sat" / "the dog ran".
    # Union LCS of ref line 1 with both pred lines: {the, cat} U {the, ran} = 3 hits;
    # ref line 2: {dog} = 1 hit. 4 hits / 6 tokens each side -> P = R = F = 2/3.
    # (Plain ROUGE-L on the joined text would give LCS 3 -> 50.)
    s = rouge([["the cat sat", "the dog ran"]], [["the cat ran", "a dog barked"]])
    assert s["rougeLsum"] == pytest.approx(200 / 3)
    assert s["rouge1"] == pytest.approx(200 / 3)


def test_rouge_uses_stemmer_and_empty_prediction_scores_zero():
    per = rouge_per_article([["the dogs barked loudly"], []], [["the dog barks loudly"], ["x y z"]])
    assert per[0]["rouge1"] == pytest.approx(100.0)  # dogs->dog, barked/barks->bark
    assert per[1] == {k: 0.0 for k in per[1]}
    assert rouge([["a"], []], [["a"], ["b"]])["rouge1"] == pytest.approx(50.0)  # mean over articles


def test_rouge_length_mismatch():
    with pytest.raises(ValueError):
        rouge([["a"]], [])


def test_rouge_tokens_match_rouge_score():
    from rouge_score import tokenizers

    text = "The U.S. officials' meeting -- 3,000 Dogs RUNNING at 10:30pm; naïve café!"
    assert rouge_tokens(text) == tokenizers.DefaultTokenizer(use_stemmer=True).tokenize(text)


# ---------------------------------------------------------------- LEAD-3


def test_lead3_regex_naive_split_pitfalls():
    # Expected behaviour of the *naive* baseline: splits after "Mr." and keeps the
    # split-off title as a "sentence"; a stop inside a closing quote never splits.
    assert lead3_regex(ARTICLE) == [
        "Mr.",
        "Smith went to Washington on Monday.",
        "He met U.S.",
    ]
    out = lead3_regex('He said "It went well." Then he flew home! Was it? Yes.')
    assert out == ['He said "It went well." Then he flew home!', "Was it?", "Yes."]


def test_lead3_pysbd_handles_abbreviations():
    assert lead3_pysbd(ARTICLE) == [
        "Mr. Smith went to Washington on Monday.",
        "He met U.S. officials there.",
        'He said "It went well."',
    ]


def test_lead3_short_and_empty_articles():
    assert lead3_regex("Only one sentence here.") == ["Only one sentence here."]
    assert lead3_pysbd("Only one sentence here.") == ["Only one sentence here."]
    assert lead3_regex("") == []
    assert lead3_regex("  \n ") == []


# ---------------------------------------------------------------- oracle


def test_greedy_oracle_picks_the_matching_sentences():
    sents = [
        "The weather was mild on Tuesday.",
        "The president signed the climate bill into law.",
        "Local bakeries reported strong sales.",
        "The bill cuts emissions by half by 2030.",
        "A dog was seen in the park.",
    ]
    refs = ["President signs climate bill into law", "Bill cuts emissions by half by 2030"]
    assert greedy_oracle(sents, refs) == [1, 3]
    assert greedy_oracle(sents, refs, max_n=1) in ([1], [3])
    assert greedy_oracle(sents, refs, metric="rouge1") == [1, 3]


def test_greedy_oracle_stops_without_improvement_and_edge_cases():
    sents = ["Cats purr.", "Totally unrelated words here."]
    assert greedy_oracle(sents, ["cats purr"]) == [0]
    assert greedy_oracle([], ["cats purr"]) == []
    assert greedy_oracle(sents, [""]) == []
    with pytest.raises(ValueError):
        greedy_oracle(sents, ["x"], metric="bleu")


def test_greedy_oracle_matches_rouge_score_reference():
    """Each greedy step's score equals rouge_score's R-1+R-2 F1 on the selection."""
    from collections import Counter

    from rouge_score import rouge_scorer as rs
    from rouge_score import tokenizers

    tok = tokenizers.DefaultTokenizer(use_stemmer=True)
    sents = [
        "Officials said the storm killed three people in the region on Sunday.",
        "The storm, named Alberto, made landfall near the coast late Saturday.",
        "Schools will stay closed on Monday, the governor said.",
        "Residents were told to avoid flooded roads.",
        "Power was restored to most homes by Sunday evening.",
    ]
    refs = ["Storm Alberto kills three people", "Schools closed Monday; residents told to avoid roads"]
    rt = tok.tokenize(" ".join(refs))
    r1, r2 = rs._create_ngrams(rt, 1), rs._create_ngrams(rt, 2)

    def score(sel):
        c1, c2 = Counter(), Counter()
        for j in sel:
            st = tok.tokenize(sents[j])
            c1 += rs._create_ngrams(st, 1)
            c2 += rs._create_ngrams(st, 2)
        return rs._score_ngrams(r1, c1).fmeasure + rs._score_ngrams(r2, c2).fmeasure

    chosen, best = [], 0.0
    while len(chosen) < 4:
        cands = [(score(chosen + [i]), -i) for i in range(len(sents)) if i not in chosen]
        s, neg_i = max(cands)
        if s <= best + 1e-12:
            break
        chosen.append(-neg_i)
        best = s
    assert greedy_oracle(sents, refs) == sorted(chosen)


# ---------------------------------------------------------------- bootstrap


def test_paired_bootstrap_ci_contains_true_diff():
    import numpy as np

    rng = np.random.default_rng(1)
    b = rng.normal(30, 10, size=400)
    a = b + 2.0 + rng.normal(0, 3, size=400)  # true mean gain 2
    mean, lo, hi = paired_bootstrap(list(a), list(b), n=1000, seed=0)
    assert lo < 2.0 < hi
    assert lo > 0  # a clear gain
    assert mean == pytest.approx(float(np.mean(a - b)))
    assert paired_bootstrap(list(a), list(b), seed=0) == (mean, lo, hi)  # deterministic


def test_paired_bootstrap_no_gain_and_dicts():
    per_a = [{"rouge1": v} for v in (10.0, 20.0, 30.0, 40.0)]
    per_b = [{"rouge1": v} for v in (20.0, 10.0, 40.0, 30.0)]
    mean, lo, hi = paired_bootstrap(per_a, per_b, metric="rouge1", n=500)
    assert mean == 0.0
    assert lo < 0 < hi
    with pytest.raises(ValueError):
        paired_bootstrap([1.0], [1.0, 2.0])


# ---------------------------------------------------------------- read_jsonl


def test_read_jsonl_plain_gz_and_limit(tmp_path):
    recs = [{"id": str(i), "article": f"Article {i}.", "highlights": [f"h{i}"]} for i in range(5)]
    text = "\n".join(json.dumps(r) for r in recs) + "\n\n"
    plain = tmp_path / "a.jsonl"
    plain.write_text(text, encoding="utf-8")
    gz = tmp_path / "a.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as fh:
        fh.write(text)
    assert list(read_jsonl(plain)) == recs
    assert list(read_jsonl(gz)) == recs
    assert [r["id"] for r in read_jsonl(gz, limit=2)] == ["0", "1"]
    assert list(read_jsonl(plain, limit=0)) == []


def test_read_jsonl_missing_file_raises_at_call(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_jsonl(tmp_path / "nope.jsonl")


def test_read_jsonl_malformed_line_names_line_number(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": 1}\n\n{"id": 2,\n', encoding="utf-8")
    it = read_jsonl(p)
    assert next(it) == {"id": 1}
    with pytest.raises(InputError, match=r"bad\.jsonl:3: malformed JSON"):
        next(it)
    p.write_text('{"id": 1}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r":2: expected a JSON object"):
        list(read_jsonl(p))


def test_read_jsonl_bad_gzip(tmp_path):
    p = tmp_path / "x.jsonl.gz"
    p.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="cannot read"):
        list(read_jsonl(p))


# ---------------------------------------------------------------- evaluate


RECORDS = [
    {"id": "a", "article": "The cat sat. The dog ran. A bird sang. Fish swam.", "highlights": ["the cat sat"]},
    {"id": "b", "article": "BOOM here. The sky is blue. Grass is green.", "highlights": ["The sky is blue"]},
    {"id": "c", "article": "Rain fell. Roads flooded. People waited.", "highlights": ["Roads flooded"]},
]


def _first(article):
    return lead3_regex(article)[:1]


def _explodes(article):
    if "BOOM" in article:
        raise RuntimeError("kaboom")
    return lead3_regex(article)[:1]


def test_evaluate_scores_times_and_counts():
    calls = []
    res = evaluate(RECORDS, {"lead3": lead3_regex, "first": _first},
                   progress=lambda i, n: calls.append((i, n)))
    assert isinstance(res, EvalResult)
    assert res.ids == ["a", "b", "c"]
    assert list(res.methods) == ["lead3", "first"]
    assert calls[-1] == (6, 6) and len(calls) == 6
    lead = res.methods["lead3"]
    assert lead.n == 3 and lead.errors == 0
    assert lead.avg_highlights == pytest.approx(3.0)
    assert res.predictions["first"] == [["The cat sat."], ["BOOM here."], ["Rain fell."]]
    first = res.methods["first"]
    assert first.avg_words == pytest.approx(7 / 3)
    # per-article R-1: 100 (exact), 0 (no overlap), 0 -> mean 33.33
    assert first.rouge1 == pytest.approx(100 / 3)
    assert [p["rouge1"] for p in res.per_article["first"]] == pytest.approx([100.0, 0.0, 0.0])
    assert lead.median_ms >= 0 and len(res.times_ms["lead3"]) == 3
    assert lead.rouge1 == pytest.approx(rouge(res.predictions["lead3"], [r["highlights"] for r in RECORDS])["rouge1"])


def test_evaluate_method_that_raises_counts_errors():
    res = evaluate(iter(RECORDS), {"lead3": lead3_regex, "flaky": _explodes, "bad": lambda a: "a string"})
    flaky = res.methods["flaky"]
    assert flaky.errors == 1
    assert "kaboom" in flaky.first_error
    assert res.predictions["flaky"][1] == []
    assert res.per_article["flaky"][0]["rouge1"] == pytest.approx(100.0)
    assert res.methods["bad"].errors == 3  # a str is not a list of highlights
    table = format_table(res)
    assert "flaky: 1 error(s)" in table and "kaboom" in table
    md = to_markdown(res)
    assert md.count("\n") == 4 and md.startswith("| method |")


def test_evaluate_accepts_objects_with_text_and_string_highlights():
    from types import SimpleNamespace

    recs = [{"article": "One two. Three four.", "highlights": "one two\nthree four"}]
    res = evaluate(recs, {"obj": lambda a: [SimpleNamespace(text="One two."), SimpleNamespace(text="Three four.")]})
    assert res.ids == [0]
    assert res.methods["obj"].rouge1 == pytest.approx(100.0)
    with pytest.raises(InputError):
        evaluate([{"id": 1}], {"x": _first})


def test_format_table_deltas_and_time_ratio():
    res = evaluate(RECORDS, {"lead3": lead3_regex, "first": _first})
    res.methods["lead3"].median_ms, res.methods["first"].median_ms = 2.0, 1.0
    lines = format_table(res, baseline="lead3").splitlines()
    assert lines[0].split()[:4] == ["method", "n", "R-1", "dR-1"]
    lead_row, first_row = lines[2].split(), lines[3].split()
    assert lead_row[3] == "+0.00" and lead_row[10] == "1.00"
    d = res.methods["first"].rouge1 - res.methods["lead3"].rouge1
    assert first_row[3] == f"{d:+.2f}" and first_row[10] == "0.50"
    no_base = format_table(res, baseline="missing").splitlines()
    assert no_base[2].split()[3] == "-"


def test_benchmarks_common(tmp_path, capsys):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import common
    finally:
        sys.path.pop(0)
    assert common.DATA_DIR == Path(__file__).resolve().parents[1].parent / "shared" / "data"
    assert common.median([3, 1, 2]) == 2 and common.median([]) == 0.0
    assert common.peak_rss_mb() > 1
    with pytest.raises(SystemExit) as exc:
        common.require_data("no/such/file-xyz.jsonl")
    assert exc.value.code == 0
    assert "skipped: ../shared/data/no/such/file-xyz.jsonl not found" in capsys.readouterr().out
