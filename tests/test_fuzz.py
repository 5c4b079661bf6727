"""Property tests (hypothesis): whatever the input, a card or a typed error.

Inputs: the repository's own articles (examples/, tests/fixtures/) mutated (text
inserted, cut, doubled, spliced, wrapped in tags), random Unicode (astral planes
included, lone surrogates excluded), control characters, zero-width and bidi marks,
BOMs, broken HTML, and huge repeats of a short unit. Properties, for every input:

* only :class:`~newsgist.errors.NewsgistError` subclasses escape, and never
  ``StageError`` (that is an unexpected exception inside a stage, wrapped);
* every span (highlights, quotes, speakers, entities, figures, dates, dateline,
  removed, paragraphs, sentences) lies inside the input and names what SCHEMA.md says:
  a highlight's ``text`` is ``input[start:end]``, or, with ``spans``, the rebuild rule
  (:func:`~newsgist.grounding.faithfulness.render_spans`); a quote's words appear in
  order inside its span;
* the same input twice gives the same JSON, timings aside.

The short run is part of the normal suite (:data:`SHORT_EXAMPLES` examples a property,
derandomised, no deadline). The long run counts instead of stopping at the first
failure::

    scripts/fuzz.sh 100000          # = python tests/test_fuzz.py 100000 [--card-every 20] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import newsgist  # noqa: E402
from newsgist.errors import ModelError, NewsgistError, StageError  # noqa: E402
from newsgist.grounding.faithfulness import render_spans  # noqa: E402
from newsgist.options import Options  # noqa: E402
from newsgist.pipeline import run  # noqa: E402
from newsgist.reading.inputs import Source, decode, from_text  # noqa: E402
from newsgist.reading.load import article_from_source  # noqa: E402

# Examples a property in the normal suite: enough to cover every strategy branch
# a few times, few enough for ~20 s on a shared core (the card ones parse with spaCy).
SHORT_EXAMPLES = 40
SHORT_CARD_EXAMPLES = 20
# The bar for one input.
SLOW_INPUT_S = 10.0
# Long run: an input still running after this long is stopped and counted as slow.
ABORT_INPUT_S = 60.0
# Largest generated repeat (characters): the long run's highlights inputs; card inputs
# a tenth of it (the spaCy parse is ~100x slower a character). Sizes are log-uniform.
MAX_REPEAT_CHARS = 30_000
SHORT_MAX_REPEAT_CHARS = 6_000


# ------------------------------------------------------------------ the repository's own texts

def _own_texts() -> tuple[list[str], list[str]]:
    texts, pages = [(ROOT / "examples" / "harbour-bridge.txt").read_text(encoding="utf-8")], []
    for p in sorted((ROOT / "tests" / "fixtures" / "batch" / "dir").glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8", errors="replace"))
    for name in ("batch/corpus.jsonl", "ranker/tiny.jsonl"):
        for line in (ROOT / "tests" / "fixtures" / name).read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:   # the batch fixture's deliberately broken lines: inputs too
                rec = {"article": line}
            if isinstance(rec, dict) and isinstance(rec.get("article", rec.get("text")), str):
                texts.append(rec.get("article", rec.get("text")))
    for p in sorted((ROOT / "tests" / "fixtures").rglob("*.html")):
        pages.append(p.read_text(encoding="utf-8"))
    return [t for t in texts if t.strip()], pages


TEXTS, PAGES = _own_texts()
WORDS = sorted({w for t in TEXTS for w in t.split()})
SPECIALS = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",                      # zero-width, BOM, soft hyphen
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",            # bidi marks and embeddings
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c",
    "\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",          # control characters
    "\r", "\r\n", "\t", "\n", "\n\n", "\u2028", "\u2029", "\u00a0", "\u3000",
    "\U0001f600", "\U0001d400", "\U00020000", "\U0010fffd", "\U0001f1fa\U0001f1f8",  # astral planes
    "e\u0301", "\ufffd", "\ufdd0",
    "“", "”", "‘", "’", '"', "'", "«", "»", "„", "‹", "›", "—", "–", "-", "…", "...",
    ".", "?", "!", ",", ";", ":", "(", ")", "[", "]", "$", "%", "£", "€", "1", "2.5", "1,000",
    "<p>", "</p>", "<br>", "<div>", "</div>", "<script>", "</script>", "<!--", "-->", "<![CDATA[",
    "]]>", "<title>", "<h1>", "</h1>", "<li>", "&amp;", "&#x1F600;", "&nbsp;", "&", "<", ">",
    "Mr.", "U.S.", "said", "according to", "told", "he said.", "CNN", "(CNN) --", "Story highlights",
]
SHAPES = [  # the slow shapes, as units to repeat
    "according to ", "Para. “Quote,” he said.\n\n", "<p>Para. “Quote,” he said.</p>", "who said, ",
    ".,;:'\"-()“”ab", "“", "\u200b.", "A. ", "$1 ", "Mr. Smith said “yes.” ",
]
TAGS = ["p", "div", "span", "a", "article", "main", "h1", "h2", "li", "ul", "table", "td", "script", "style",
        "title", "meta", "br", "img", "figure", "figcaption", "header", "footer", "nav", "aside", "blockquote"]

characters = st.characters(exclude_categories=("Cs",))       # any code point but lone surrogates
token = st.one_of(characters, st.sampled_from(SPECIALS), st.sampled_from(WORDS).map(lambda w: w + " "))
unicode_text = st.lists(token, max_size=300).map("".join)


@st.composite
def mutated_article(draw):
    text = draw(st.sampled_from(TEXTS + PAGES))
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "double", "replace", "splice", "truncate", "wrap", "case"]))
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        if op == "insert":
            text = text[:i] + draw(unicode_text) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "double":
            text = text[:j] + text[i:j] * draw(st.integers(1, 20)) + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.sampled_from(SPECIALS)) + text[i + 1:]
        elif op == "splice":
            other = draw(st.sampled_from(TEXTS + PAGES))
            text = text[:i] + other[draw(st.integers(0, len(other))):]
        elif op == "truncate":
            text = text[:i]
        elif op == "wrap":
            tag = draw(st.sampled_from(TAGS))
            text = text[:i] + f"<{tag}>" + text[i:j] + draw(st.sampled_from([f"</{tag}>", "", f"<{tag}>"])) + text[j:]
        else:
            text = text[:i] + text[i:j].swapcase() + text[j:]
    return text


@st.composite
def broken_html(draw):
    parts = [draw(st.sampled_from(["", "<!DOCTYPE html>", "<html>", "<html><head><title>T</title></head>"]))]
    for _ in range(draw(st.integers(1, 30))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="story"', ' id="x', " data-x='1'", ' style="display:none"']))
        body = draw(st.one_of(unicode_text, st.sampled_from(TEXTS).map(lambda t: t[:600])))
        close = draw(st.sampled_from([f"</{tag}>", "", "</", f"</{tag}", "</div></div>"]))
        parts.append(f"<{tag}{attrs}>{body}{close}")
    return "".join(parts)


@st.composite
def nested_html(draw):
    depth = draw(st.integers(1, 3000))
    tag = draw(st.sampled_from(["div", "span", "p", "b"]))
    return f"<{tag}>" * depth + draw(st.sampled_from(TEXTS))[:500] + f"</{tag}>" * draw(st.integers(0, depth))


def huge_repeat(max_chars: int):
    @st.composite
    def build(draw):
        unit = draw(st.one_of(st.sampled_from(SHAPES), unicode_text.filter(bool), st.sampled_from(TEXTS)))
        # the size is log-uniform: most repeats are short, some reach max_chars
        size = int(2 ** draw(st.floats(0, max_chars.bit_length(), allow_nan=False)))
        times = max(1, min(size, max_chars) // max(1, len(unit)))
        return draw(st.sampled_from(["", "The mayor, ", "<p>"])) + unit * times + draw(st.sampled_from(["", "left.", "</p>"]))
    return build()


def as_bytes(text_strategy):
    """The same inputs as bytes, some with a BOM, in UTF-16, or with broken UTF-8."""
    @st.composite
    def build(draw):
        t = draw(text_strategy)
        how = draw(st.sampled_from(["utf-8", "bom", "utf-16", "broken"]))
        if how == "bom":
            return b"\xef\xbb\xbf" + t.encode("utf-8")
        if how == "utf-16":
            return t.encode("utf-16")
        data = t.encode("utf-8")
        if how == "broken" and data:
            k = draw(st.integers(0, len(data)))
            return data[:k] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80"])) + data[k:]
        return data
    return build()


def inputs(max_repeat: int):
    texts = st.one_of(mutated_article(), mutated_article(), unicode_text, broken_html(), nested_html(),
                      huge_repeat(max_repeat))
    return st.one_of(texts, texts, as_bytes(texts))


# ------------------------------------------------------------------ running one input and checking it

class InputTimeout(BaseException):
    """Raised by the long run's alarm; a BaseException so no stage's handler can swallow it."""


class TimeUp(KeyboardInterrupt):
    """The long run's --max-seconds are spent: stop generating and print the counts."""


def process(payload, highlights_only: bool, options: Options | None = None):
    """(article or None, error or None) for one input; untyped exceptions propagate, and so
    do StageError (a crash inside a stage) and ModelError (a broken install, not the input)."""
    options = options or Options()
    try:
        if isinstance(payload, bytes):
            text, enc = decode(payload, "auto")
            src = Source(text, "text", None, enc)
        else:
            src = from_text(payload)
        return run(article_from_source(src), options, highlights_only=highlights_only), None
    except (StageError, ModelError):
        raise
    except NewsgistError as exc:
        return None, exc


def _in(n: int, a: int, b: int) -> bool:
    return isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= n


def violations(article, payload) -> list[str]:
    """What in this card breaks the span contract (SCHEMA.md); [] if nothing."""
    src = article.source
    n = len(src)
    card = article.to_dict()
    bad = []
    if article.kind == "text" and isinstance(payload, str) and src != from_text(payload).text:
        bad.append("source is not the normalised input")
    for h in card["highlights"]:
        if not _in(n, h["start"], h["end"]):
            bad.append(f"highlight span {h['start']}:{h['end']} outside the input ({n})")
        elif "spans" in h:
            spans = [(s["start"], s["end"]) for s in h["spans"]]
            if not all(_in(n, a, b) and h["start"] <= a and b <= h["end"] for a, b in spans):
                bad.append(f"compressed spans {spans} outside {h['start']}:{h['end']}")
            elif render_spans(src, spans) != h["text"]:
                bad.append(f"compressed text not rebuilt from its spans: {h['text']!r}")
        elif src[h["start"]:h["end"]] != h["text"]:
            bad.append(f"highlight text != input[start:end]: {h['text']!r}")
    for q in card["quotes"]:
        if not _in(n, q["start"], q["end"]):
            bad.append(f"quote span {q['start']}:{q['end']} outside the input")
            continue
        piece, pos = src[q["start"]:q["end"]], 0
        for w in q["text"].split():
            pos = piece.find(w, pos)
            if pos < 0:
                bad.append(f"quote word {w!r} not in its span")
                break
            pos += len(w)
        if q["speaker_start"] >= 0 and (not _in(n, q["speaker_start"], q["speaker_end"])
                                        or src[q["speaker_start"]:q["speaker_end"]] != q["speaker_mention"]):
            bad.append(f"speaker span {q['speaker_start']}:{q['speaker_end']} != {q['speaker_mention']!r}")
    for e in card["entities"]:
        for a, b in e["spans"]:
            if not _in(n, a, b) or a == b:
                bad.append(f"entity {e['name']!r} span {a}:{b} outside the input")
    for f in card["figures"] + card["dates"]:
        if not _in(n, f["start"], f["end"]) or src[f["start"]:f["end"]] != f["text"]:
            bad.append(f"figure {f['text']!r} at {f['start']}:{f['end']} is not input[start:end]")
    for r in card["removed"] + ([card["dateline"]] if card["dateline"] else []):
        if not _in(n, r["start"], r["end"]) or src[r["start"]:r["end"]] != r["text"]:
            bad.append(f"removed/dateline {r['text'][:40]!r} at {r['start']}:{r['end']} is not input[start:end]")
    body = card["body"]
    for p in body["paragraphs"] + body["sentences"]:
        if not _in(n, p["start"], p["end"]):
            bad.append(f"paragraph/sentence {p['start']}:{p['end']} outside the input")
    if not bad and body["text"] != "\n\n".join(src[p["start"]:p["end"]] for p in body["paragraphs"]):
        bad.append("body.text is not the paragraphs joined")
    return bad


def without_timings(card: dict) -> str:
    card = dict(card, meta={k: v for k, v in card["meta"].items() if k != "timings_ms"})
    return json.dumps(card, sort_keys=True, ensure_ascii=False)


def check_input(payload, highlights_only: bool, options: Options | None = None, twice: bool = True) -> list[str]:
    """Every property for one input: [] or what went wrong (an untyped exception propagates)."""
    article, _ = process(payload, highlights_only, options)
    if article is None:
        return []
    bad = violations(article, payload)
    if twice:
        again, _ = process(payload, highlights_only, options)
        if again is None or without_timings(again.to_dict()) != without_timings(article.to_dict()):
            bad.append("not deterministic: the same input twice gave different cards")
    return bad


# ------------------------------------------------------------------ the short run (normal test suite)

SHORT = settings(max_examples=SHORT_EXAMPLES, derandomize=True, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck), print_blob=True)


@SHORT
@given(inputs(SHORT_MAX_REPEAT_CHARS))
def test_highlights_any_input(payload):
    assert check_input(payload, highlights_only=True) == []


@settings(SHORT, max_examples=SHORT_CARD_EXAMPLES)
@given(st.one_of(mutated_article(), huge_repeat(SHORT_MAX_REPEAT_CHARS // 10), broken_html(), unicode_text),
       st.booleans())
def test_card_any_input(payload, compress):
    assert check_input(payload, highlights_only=False, options=Options(compress=compress)) == []


@settings(SHORT, max_examples=SHORT_CARD_EXAMPLES)
@given(st.sampled_from(TEXTS), st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=8), st.randoms())
def test_invisible_marks_keep_spans_exact(text, marks, rnd):
    """Zero-width, bidi, BOM and control marks sprinkled through a real article."""
    chars = list(text)
    for m in marks:
        chars.insert(rnd.randrange(len(chars) + 1), m)
    assert check_input("".join(chars), highlights_only=False, twice=False) == []


def test_a_plain_untyped_bug_is_reported_as_stage_error(monkeypatch):
    """The harness sees a crash inside a stage (StageError), not a silent typed error."""
    import newsgist.highlighting.select as sel
    monkeypatch.setattr(sel, "_prepared", lambda *a, **k: 1 / 0)   # every selection reads it
    try:
        check_input(TEXTS[0], highlights_only=True, twice=False)
    except StageError as exc:
        assert "ZeroDivisionError" in exc.message
    else:
        raise AssertionError("the broken stage went unnoticed")


# ------------------------------------------------------------------ the long run (scripts/fuzz.sh N)

def _describe(payload) -> str:
    return f"{type(payload).__name__}, {len(payload):,} chars" if isinstance(payload, str) else \
        f"bytes, {len(payload):,} bytes"


def long_run(n: int, card_every: int, seed_value: int, save: Path, max_seconds: float | None = None) -> int:
    process(TEXTS[0], highlights_only=False, options=Options(compress=True))   # load the models first
    codes: dict = {}
    stats = {"inputs": 0, "highlights_runs": 0, "card_runs": 0, "typed_errors": 0, "untyped_exceptions": 0,
             "stage_errors": 0, "span_violations": 0, "nondeterministic": 0, "over_10s": 0}
    slowest = [0.0, ""]
    failures: list[dict] = []
    t_start = time.perf_counter()

    def on_alarm(signum, frame):
        raise InputTimeout()

    signal.signal(signal.SIGALRM, on_alarm)

    @seed(seed_value)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs(MAX_REPEAT_CHARS), st.integers(0, 3))
    def one(payload, extra):
        if max_seconds and time.perf_counter() - t_start > max_seconds:
            raise TimeUp()
        k = stats["inputs"]
        stats["inputs"] += 1
        card = card_every > 0 and k % card_every == 0
        if card and len(payload) > MAX_REPEAT_CHARS // 10:
            payload = payload[:MAX_REPEAT_CHARS // 10]
        options = Options(compress=card and extra == 0)
        stats["card_runs" if card else "highlights_runs"] += 1
        t0 = time.perf_counter()
        kind, detail = None, ""
        signal.setitimer(signal.ITIMER_REAL, ABORT_INPUT_S)
        try:
            article, err = process(payload, highlights_only=not card, options=options)
            signal.setitimer(signal.ITIMER_REAL, 0)
            if err is not None:
                stats["typed_errors"] += 1
                codes[err.code] = codes.get(err.code, 0) + 1
            else:
                bad = violations(article, payload)
                if k % 10 == 0 and not bad:   # determinism on every 10th input (it doubles the time)
                    again, _ = process(payload, highlights_only=not card, options=options)
                    if again is None or without_timings(again.to_dict()) != without_timings(article.to_dict()):
                        stats["nondeterministic"] += 1
                        kind, detail = "nondeterministic", ""
                if bad:
                    stats["span_violations"] += 1
                    kind, detail = "span_violation", "; ".join(bad[:3])
        except ModelError as exc:   # the install is broken: no input can tell anything
            print(f"fuzz: stopped: {exc.message}", file=sys.stderr)
            raise SystemExit(3)
        except InputTimeout:
            kind, detail = "aborted", f"stopped after {ABORT_INPUT_S:.0f} s"
        except StageError as exc:
            signal.setitimer(signal.ITIMER_REAL, 0)
            stats["stage_errors"] += 1
            kind, detail = "stage_error", exc.message
        except Exception as exc:  # noqa: BLE001  (what the fuzzer is looking for)
            signal.setitimer(signal.ITIMER_REAL, 0)
            stats["untyped_exceptions"] += 1
            kind, detail = "untyped", f"{type(exc).__name__}: {exc} @ {traceback.format_exc().splitlines()[-3].strip()}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t0
        if dt > SLOW_INPUT_S:
            stats["over_10s"] += 1
            kind = kind or "slow"
            detail = (detail + " " if detail else "") + f"{dt:.1f} s"
        if dt > slowest[0]:
            slowest[:] = [dt, _describe(payload) + (" (card)" if card else " (highlights)")]
        if kind and len(failures) < 200:
            failures.append({"kind": kind, "detail": detail[:500], "card": card, "compress": options.compress,
                             "input": payload if isinstance(payload, str) else payload.decode("latin-1"),
                             "bytes": isinstance(payload, bytes)})
        if stats["inputs"] % 1000 == 0:
            print(f"  ... {stats['inputs']:,} inputs, {time.perf_counter() - t_start:.0f} s, "
                  f"failures {len(failures)}, typed errors {dict(sorted(codes.items()))}", flush=True)

    try:
        one()
    except TimeUp:
        print(f"fuzz: --max-seconds {max_seconds:.0f} reached after {stats['inputs']:,} inputs")
    elapsed = time.perf_counter() - t_start
    print(f"\nfuzz: seed {seed_value}, {elapsed:.0f} s")
    print("| count | value |\n|---|---:|")
    for k, v in stats.items():
        print(f"| {k} | {v:,} |")
    print(f"| slowest input | {slowest[1]}, {slowest[0]:.2f} s |")
    print("typed errors by code: " + ", ".join(f"{k} {v:,}" for k, v in sorted(codes.items())))
    if failures:
        save.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in failures) + "\n", encoding="utf-8")
        print(f"\n{len(failures)} failing inputs saved to {save} (one JSON a line: kind, detail, input)")
        for f in failures[:10]:
            print(f"  {f['kind']}: {f['detail'][:200]}")
    bad = stats["untyped_exceptions"] + stats["stage_errors"] + stats["span_violations"] + stats["over_10s"] \
        + stats["nondeterministic"]
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz newsgist: N generated inputs, counts of what went wrong.")
    ap.add_argument("n", type=int, help="inputs to generate")
    ap.add_argument("--card-every", type=int, default=20, help="every Kth input runs the full card (0: never)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", type=Path, default=Path("fuzz-failures.jsonl"))
    ap.add_argument("--max-seconds", type=float, default=None, help="stop early after this long (counts so far)")
    args = ap.parse_args(argv)
    return long_run(args.n, args.card_every, args.seed, args.save, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main())
