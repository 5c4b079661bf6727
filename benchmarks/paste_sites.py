"""Which site each Dragnet page is from, and whether a candidate's gain holds on sites its
folds never saw (issue 31, session 7; information only, never a ship criterion).

A learned lexicon (``paste_candidates.Lexicon``) could learn one site's template words: Dragnet
holds several pages of some sites, and train_paste's folds (page i -> i % 4) put them in
different folds. The site of a page is read from its HTML (:func:`site_of`): the canonical
link, else ``og:url``, else ``<base href>``, else an RSS/Atom alternate link, else the host the
page links to most (absolute links, at least :data:`MIN_LINKS`, social and ad hosts left out),
cut to its registrable part (:func:`registrable`). ``split`` then pairs two per-page F1 files
(``paste_failures.py pipeline --out``) on the pages whose site occurs on no page of the other
three folds (their fold's lexicon never saw the site) and on the rest. No held-out page is read.

Usage::

    python benchmarks/paste_sites.py sites --out /tmp/sites.json
    python benchmarks/paste_sites.py split /tmp/sites.json PROBS.pkl BASE.json CANDIDATE.json
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# A host linked this many times (absolute links) names the page's own site when nothing else does.
MIN_LINKS = 3
# Hosts that are never a page's own site: share buttons, ads, feeds, widgets, standards.
THIRD_PARTY = ("facebook.com", "twitter.com", "google.com", "googleapis.com", "doubleclick.net", "addthis.com",
               "sharethis.com", "feedburner.com", "digg.com", "reddit.com", "stumbleupon.com", "linkedin.com",
               "pinterest.com", "youtube.com", "w3.org", "creativecommons.org", "wordpress.org", "gravatar.com",
               "amazon.com", "delicious.com", "technorati.com", "apple.com", "adobe.com", "macromedia.com",
               "googlesyndication.com", "google-analytics.com", "statcounter.com", "quantserve.com",
               "scorecardresearch.com", "disqus.com", "feedblitz.com", "yahoo.com", "bit.ly", "addtoany.com",
               "tweetmeme.com", "plus.google.com", "instagram.com", "flickr.com", "typekit.com", "jquery.com",
               "cloudfront.net", "akamaihd.net", "blogger.com", "intensedebate.com", "sitemeter.com")
# A blog platform's subdomain is a site of its own.
PLATFORMS = ("blogspot.com", "wordpress.com", "typepad.com", "tumblr.com", "livejournal.com")
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov"}

_ATTR = r"""=\s*["']?([^"'\s>]+)"""
_CANONICAL = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
_OG_URL = re.compile(r"<meta\b[^>]*\bproperty\s*=\s*[\"']?og:url\b[^>]*>", re.I)
_BASE = re.compile(r"<base\b[^>]*>", re.I)
_ALTERNATE = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?alternate\b[^>]*application/(?:rss|atom)\+xml[^>]*>"
                        r"|<link\b[^>]*application/(?:rss|atom)\+xml[^>]*\brel\s*=\s*[\"']?alternate\b[^>]*>", re.I)
_HREF = re.compile(r"\bhref" + _ATTR, re.I)
_CONTENT = re.compile(r"\bcontent" + _ATTR, re.I)
_HOST = re.compile(r"^(?:https?:)?//([^/?#:\"']+)", re.I)
_ABS_HREF = re.compile(r"\bhref\s*=\s*[\"']?(?:https?:)?//([^/?#:\"'\s>]+)", re.I)


def registrable(host: str) -> str | None:
    """A host cut to its site: lower case, no ``www.`` / ``m.``; the last two labels (three under
    a two-letter country code's ``co.`` / ``com.`` ...; a blog platform's subdomain kept)."""
    host = host.lower().strip(".")
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2 or not re.fullmatch(r"[a-z]{2,}", labels[-1]):
        return None
    while labels and labels[0] in ("www", "m") and len(labels) > 2:
        labels = labels[1:]
    keep = 2
    if ".".join(labels[-2:]) in PLATFORMS or (len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL):
        keep = 3
    return ".".join(labels[-keep:]) if len(labels) >= keep else ".".join(labels)


def _third_party(site: str) -> bool:
    return any(site == t or site.endswith("." + t) for t in THIRD_PARTY)


def _from_tag(tag_re, attr_re, html: str) -> str | None:
    for m in tag_re.finditer(html):
        a = attr_re.search(m.group(0))
        h = _HOST.match(a.group(1)) if a else None
        site = registrable(h.group(1)) if h else None
        if site and not _third_party(site):
            return site
    return None


def site_of(html: str) -> tuple[str | None, str]:
    """The page's site and where it was read (``canonical``, ``og:url``, ``base``, ``feed``,
    ``links``), or ``(None, "none")``."""
    for how, tag, attr in (("canonical", _CANONICAL, _HREF), ("og:url", _OG_URL, _CONTENT), ("base", _BASE, _HREF),
                           ("feed", _ALTERNATE, _HREF)):
        site = _from_tag(tag, attr, html)
        if site:
            return site, how
    hosts = Counter(s for s in (registrable(h) for h in _ABS_HREF.findall(html)) if s and not _third_party(s))
    if hosts:
        site, n = max(hosts.items(), key=lambda kv: (kv[1], kv[0]))
        if n >= MIN_LINKS:
            return site, "links"
    return None, "none"


def sites(out: Path) -> None:
    import paste_render
    from newsgist.evaluation.train_paste import split_of
    table, how = {}, Counter()
    for p in paste_render.load_pages("dragnet"):
        if split_of(p["id"]) != "train":
            continue
        s, h = site_of(p.get("html") or "")
        table[p["id"]] = s
        how[h] += 1
    known = Counter(s for s in table.values() if s)
    print(f"{len(table)} training pages; site from: " + ", ".join(f"{k} {v}" for k, v in how.most_common()))
    print(f"{len(known)} sites; pages on a site with more than one page: "
          f"{sum(v for v in known.values() if v > 1)}; largest: {known.most_common(8)}")
    out.write_text(json.dumps(table) + "\n")


def split(sites_file: Path, probs: Path, base: Path, cand: Path) -> None:
    from paste_failures import paired
    table = json.loads(sites_file.read_text())
    with probs.open("rb") as fh:
        ids = list(pickle.load(fh)["oof"])
    fold = {k: n % 4 for n, k in enumerate(ids)}          # train_paste's folds, as cv_paste builds them
    by_fold = {f: Counter(table.get(k) for k in ids if fold[k] == f) for f in range(4)}
    a, b = json.loads(base.read_text()), json.loads(cand.read_text())
    groups = {"site unseen by its fold's training folds": [], "site seen in another fold": [], "no site found": []}
    for k in ids:
        s = table.get(k)
        if not s:
            groups["no site found"].append(k)
        elif any(by_fold[f][s] for f in range(4) if f != fold[k]):
            groups["site seen in another fold"].append(k)
        else:
            groups["site unseen by its fold's training folds"].append(k)
    for name, keys in groups.items():
        if len(keys) > 1:
            print(f"{name}: " + paired({k: a[k] for k in keys if k in a}, {k: b[k] for k in keys if k in b}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("sites", "split"))
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.what == "sites":
        sites(args.out or Path("/tmp/newsgist-paste/sites.json"))
    else:
        split(*args.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
