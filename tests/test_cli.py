"""The CLI from the outside: formats, errors as one line with typed exit codes."""
import json
import subprocess
import sys

import pytest

from conftest import EXAMPLE

CMD = [sys.executable, "-m", "newsgist"]


def cli(*args, stdin=None):
    return subprocess.run(CMD + list(args), capture_output=True, text=True, input=stdin, timeout=120)


def test_card_json_schema():
    p = cli("card", "--format", "json", str(EXAMPLE))
    assert p.returncode == 0, p.stderr
    card = json.loads(p.stdout)
    for key in ("highlights", "page_highlights", "dateline", "headings", "quotes", "entities", "figures",
                "removed", "body", "meta"):
        assert key in card
    assert {"text", "paragraphs", "sentences"} <= set(card["body"])
    assert {"method", "version", "timings_ms"} <= set(card["meta"])
    q = card["quotes"][0]
    assert {"text", "speaker", "speaker_title", "start", "end"} <= set(q)
    f = card["figures"][0]
    assert {"text", "value", "unit", "counts", "start", "end"} <= set(f)
    e = card["entities"][0]
    assert {"name", "type", "variants", "mentions"} <= set(e)


def test_text_and_markdown_formats():
    p = cli("card", str(EXAMPLE))
    assert p.returncode == 0 and "HIGHLIGHTS" in p.stdout and "  • " in p.stdout
    p = cli("card", "-f", "markdown", str(EXAMPLE))
    assert p.returncode == 0 and "## Highlights" in p.stdout


def test_highlights_from_stdin_with_count():
    p = cli("highlights", "-n", "2", "-", stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert p.returncode == 0, p.stderr
    assert len([x for x in p.stdout.splitlines() if x.startswith("  • ")]) == 2


def test_text_command_prints_clean_body():
    p = cli("text", str(EXAMPLE))
    assert p.returncode == 0
    assert "Source: CNN" not in p.stdout and "Story highlights" not in p.stdout
    assert "\n\nFerries fill the gap\n\n" in p.stdout


@pytest.mark.parametrize("data,code", [(b"", 4), (b"  \n ", 4), (b"\x00\x01binary" * 50, 5),
                                       ("Café.".encode("latin-1"), 6),
                                       (b"breaking news the council met", 8),
                                       (b"<html><head><title>x</title></head><body></body></html>", 8)])
def test_bad_input_one_line_typed_exit(tmp_path, data, code):
    f = tmp_path / "in.txt"
    f.write_bytes(data)
    p = cli("card", str(f))
    assert p.returncode == code, p.stderr
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith("newsgist: error [")


def test_too_large_and_missing_and_bad_option(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"The council met. " * 1000)
    p = cli("card", "--max-bytes", "1000", str(f))
    assert p.returncode == 7 and "too_large" in p.stderr
    p = cli("card", str(tmp_path / "missing.txt"))
    assert p.returncode == 3 and "no such file" in p.stderr
    p = cli("highlights", "-n", "0", str(EXAMPLE))
    assert p.returncode == 2 and "count must be" in p.stderr


def test_methods_and_help():
    p = cli("methods")
    assert p.returncode == 0 and "position" in p.stdout and "(default)" in p.stdout
    for sub in ("card", "highlights", "text", "eval"):
        h = cli(sub, "--help")
        assert h.returncode == 0 and "usage:" in h.stdout


def test_eval_small(tmp_path):
    data = tmp_path / "d.jsonl"
    art = EXAMPLE.read_text(encoding="utf-8")
    data.write_text(json.dumps({"id": "x", "article": art,
                                "highlights": ["Port Aldine will close its harbour bridge for two years."]}) + "\n")
    out = tmp_path / "pred.jsonl"
    p = cli("eval", str(data), "-m", "default", "-m", "lead", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "lead3" in p.stdout and "default" in p.stdout
    pred = json.loads(out.read_text().splitlines()[0])
    assert pred["id"] == "x" and 1 <= len(pred["highlights"]) <= 4
    j = cli("eval", str(data), "-f", "json")     # the JSON summary (was an internal error)
    assert j.returncode == 0, j.stderr
    assert set(json.loads(j.stdout)["methods"]) == {"lead3", "default"}
