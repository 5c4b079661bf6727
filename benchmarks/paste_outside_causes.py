"""The per-page side of ``paste_outside_estimate.py`` (issue 31, session 13b): why the readable pages lose
recall on the pasted path (the paste, the model, or both paths: a gold-convention sign), read only on half A,
Dragnet's training pages and the written validation pages; and the shipped router's split of every set
(aggregates)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from paste_outside_estimate import ORDER, TOKEN_RE, _f, set_scores, shingles

READABLE = ("readability-A", "dragnet-train", "modern-blind", "modern-sealed")   # per-page reading allowed
# A pasted line counts as a gold line when at least this share of its shingles is in the gold, and as
# dropped when less than this share is in the output (one line of 1-3 tokens is one shingle: 0 or 1).
LINE_SHARE = 0.5
SHORT_LINE = 8            # tokens: a shorter dropped line reads as a caption, list item, label or heading


ROUTED = Path("/tmp/ng13b/routed.json")


def routed_flags(raw: dict) -> dict:
    """``(set, id) -> routed`` (the shipped router sends the pasted text to the modern pair), cached."""
    if ROUTED.exists():
        return {tuple(k.split("\t")): v for k, v in json.loads(ROUTED.read_text()).items()}
    from bench_paste_modern import page_routed
    from newsgist.reading import pageroute
    router = pageroute.load_router()
    out = {k: bool(page_routed(r["pasted"], router)) for k, r in raw.items()}
    ROUTED.write_text(json.dumps({"\t".join(k): v for k, v in out.items()}))
    return out


def print_routed(groups: dict, raw: dict) -> None:
    flags = routed_flags(raw)
    print("\n## By the shipped router's choice (modern pair or Dragnet pair)\n")
    print("| set | routed pages | routed: HTML F1 / pasted F1 | not routed: HTML F1 / pasted F1 |\n|---|---|---|---|")
    for s in ORDER:
        rows = groups.get(s, [])
        if not rows:
            continue
        cells = []
        for want in (True, False):
            sel = [r for r in rows if flags[(s, r["id"])] == want]
            h = _f(set_scores([r["html"] for r in sel])[2]) if sel and "html" in sel[0] else "-"
            cells.append(f"{h} / {_f(set_scores([r['text'] for r in sel])[2])}" if sel else "-")
        print(f"| {s} | {sum(flags[(s, r['id'])] for r in rows)} / {len(rows)} | " + " | ".join(cells) + " |")


def dropped_lines(r: dict) -> list[tuple[str, int]]:
    """The pasted text's gold lines the pasted path does not keep: ``(line, its shingles)``."""
    g, out = shingles(r["gold"]), shingles(r["text"])
    lines = []
    for ln in r["pasted"].split("\n"):
        sh = shingles(ln)
        n = sum(sh.values())
        if not n:
            continue
        if sum((sh & g).values()) / n >= LINE_SHARE and sum((sh & out).values()) / n < LINE_SHARE:
            lines.append((ln.strip(), n))
    return lines


def cause_of(row: dict) -> str:
    loss = 1 - row["text"][1]
    if row["paste_loss"] >= loss / 2:
        return "paste"
    if "shared_loss" in row and row["shared_loss"] >= row["model_loss"] / 2:
        return "both paths drop it"
    return "model (HTML path keeps it)" if "shared_loss" in row else "model"


def print_pages(groups: dict, raw: dict, n: int) -> None:
    print("\n## Readable pages (half A: validation, never trained on; Dragnet training: in-sample; "
          "written validation): causes of recall loss\n")
    print("| set | pages with R loss > 0.05 | paste | model (HTML path keeps it) | both paths drop it | model (no HTML) |"
          " loss mass: paste / model only / both | dropped gold lines: short (< 8 tokens) / longer, their shingles |")
    print("|---|---|---|---|---|---|---|---|")
    for s in READABLE:
        rows = [r for r in groups.get(s, []) if 1 - r["text"][1] > 0.05]
        if not rows:
            continue
        c = Counter(cause_of(r) for r in rows)
        allr = groups[s]
        k = len(allr)
        mass_both = sum(r.get("shared_loss", 0.0) for r in allr) / k
        mass_paste = sum(r["paste_loss"] for r in allr) / k
        mass_model = sum(r["model_loss"] for r in allr) / k - mass_both
        short = long_ = sh_s = sh_l = 0
        for r in allr:
            for ln, m in dropped_lines(raw[(s, r["id"])]):
                if len(TOKEN_RE.findall(ln)) < SHORT_LINE:
                    short, sh_s = short + 1, sh_s + m
                else:
                    long_, sh_l = long_ + 1, sh_l + m
        print(f"| {s} | {len(rows)} / {k} | {c['paste']} | {c['model (HTML path keeps it)']} | {c['both paths drop it']} | "
              f"{c['model']} | {mass_paste:.3f} / {mass_model:.3f} / {mass_both:.3f} | {short} / {long_} lines, {sh_s} / {sh_l} |")
    if not n:
        return
    for s in READABLE:
        rows = sorted(groups.get(s, []), key=lambda r: r["text"][1])[:n]
        print(f"\n### {s}: the {len(rows)} pages of largest pasted-path recall loss\n")
        for r in rows:
            html = f", HTML R {r['html'][1]:.2f} P {r['html'][0]:.2f}" if "html" in r else ""
            print(f"- {r['id']}: pasted R {r['text'][1]:.2f} P {r['text'][0]:.2f}{html}; whole-page R {r['pasted'][1]:.2f}; "
                  f"paste {r['paste_loss']:.2f}, model {r['model_loss']:.2f}"
                  + (f", both {r['shared_loss']:.2f}" if "shared_loss" in r else "") + f" -> {cause_of(r)}")
            for ln, m in sorted(dropped_lines(raw[(s, r["id"])]), key=lambda x: -x[1])[:4]:
                print(f"    - dropped ({m} shingles): {ln[:90]!r}")

