"""The worker side of ``POST /v1/story`` (no FastAPI here: the spawned workers import it).

A job holds the story's articles as ``{text | html, source, outlet, date, title}`` (URLs were
fetched by the front end under the service's fetch rules), the positions they had in the
request, and the fetches that already failed. The answer is the story card with each
article's ``source_text`` (what its spans point into) and the request's positions restored.
"""
from __future__ import annotations

from newsgist.errors import NoReadableArticleError


def story_job(job: dict) -> dict:
    from newsgist.options import Options
    from newsgist.story.build import StoryOptions, story
    items, positions = [], job["positions"]
    for a in job["story"]:
        d = {k: a[k] for k in ("source", "outlet", "date", "title") if a.get(k) is not None}
        if a.get("html") is not None:
            d["text"] = a["html"]
        else:
            d["text"] = a["text"]
        items.append(d)
    pre_failed = list(job.get("failed", []))
    if not items:
        detail = "; ".join(f"article {f['input']}: [{f['error']['code']}] {f['error']['message']}" for f in pre_failed)
        raise NoReadableArticleError("no article of the story could be read" + (f" ({detail})" if detail else ""))
    opts = StoryOptions(card=Options.from_dict(job["options"]), **job["story_options"])
    try:
        st = story(items, opts)
    except NoReadableArticleError as exc:
        if pre_failed:
            exc.message += "; " + "; ".join(f"article {f['input']}: [{f['error']['code']}] {f['error']['message']}"
                                            for f in pre_failed)
        raise
    card = st.to_dict()
    for a, r in zip(card["articles"], st.reads):
        a["input"] = positions[a["input"]]
        a["source_text"] = r.article.source
    meta = card["meta"]
    for f in meta["failed"]:
        f["input"] = positions[f["input"]]
    for d in meta["duplicates"]:
        d["input"], d["same_as"] = positions[d["input"]], positions[d["same_as"]]
    meta["failed"] = sorted(meta["failed"] + pre_failed, key=lambda f: f["input"])
    meta["inputs"] = len(positions) + len(pre_failed)
    return card
