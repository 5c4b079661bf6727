"""Step 2 of the two-step use: turn ``newsgist cluster``'s stories file into the input of
``newsgist story --stories`` (one ``{"id", "articles": [{text, source, date, title}]}`` line
per story), reading the article texts from the feed.

    python examples/cluster/story_input.py FEED.jsonl STORIES.jsonl [--min-size 2] [--story s000001] > story-in.jsonl
    newsgist story --stories story-in.jsonl --out cards.jsonl

Streams the feed once; holds the texts of the chosen stories' articles only.
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("feed")
ap.add_argument("stories")
ap.add_argument("--min-size", type=int, default=2, help="stories with at least this many articles")
ap.add_argument("--story", action="append", help="only this story id (repeatable)")
args = ap.parse_args()

wanted = {}
with open(args.stories, encoding="utf-8") as fh:
    for line in fh:
        s = json.loads(line)
        if s["size"] >= args.min_size and (not args.story or s["story"] in args.story):
            wanted[s["story"]] = s["articles"]
where = {json.dumps(a): sid for sid, ids in wanted.items() for a in ids}
texts = {}
with open(args.feed, encoding="utf-8") as fh:
    for line in fh:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        key = json.dumps(rec.get("id")) if isinstance(rec, dict) else None
        if key in where:
            item = {"text": rec.get("text", rec.get("article"))}
            item.update({k: rec[k] for k in ("source", "date", "title") if isinstance(rec.get(k), str)})
            texts[key] = item
for sid, ids in wanted.items():
    arts = [texts[json.dumps(a)] for a in ids if json.dumps(a) in texts]
    sys.stdout.write(json.dumps({"id": sid, "articles": arts}, ensure_ascii=False) + "\n")
