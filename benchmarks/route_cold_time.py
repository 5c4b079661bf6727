"""Cold first-call time of ``clean()`` and of a cold CLI ``newsgist highlights`` with no router, a router
routing every page and one routing none (its modern pair: copies of the shipped trees and GRU), issue
31, session 12c (review 12a, #2). Each cell: the median of N fresh processes.

Usage: ``python benchmarks/route_cold_time.py SRC PAGE [N]`` (SRC: a ``src`` folder, e.g. one from
``git archive``, to time another version); it writes its routers under /tmp/ng12c/router."""
import json, os, shutil, statistics, subprocess, sys
SRC = sys.argv[1]; PAGE = sys.argv[2]; N = int(sys.argv[3]) if len(sys.argv) > 3 else 3
models = os.path.join(SRC, "newsgist", "models")
d = "/tmp/ng12c/router"; os.makedirs(d, exist_ok=True)
shutil.copy(os.path.join(models, "page-lines.json"), d + "/page-lines-modern.json")
shutil.copy(os.path.join(models, "page-seq.json"), d + "/page-seq-modern.json")
base = {"kind": "newsgist-page-route", "columns": ["modern_share", "modern_log1p", "latin_share"],
        "mean": [0.0] * 3, "sd": [1.0] * 3, "coef": [1.0, 0.0, 0.0], "intercept": 0.0,
        "modern_lines": "page-lines-modern.json", "modern_seq": "page-seq-modern.json"}
for name, t in (("all", -1.0), ("none", 99.0)):
    json.dump(dict(base, threshold=t), open(f"{d}/route-{name}.json", "w"))
code = ("import time,sys; t0=time.perf_counter(); from newsgist.reading.clean import clean; t1=time.perf_counter();"
        "c=clean(open(sys.argv[1]).read()); t2=time.perf_counter(); print(f'{t1-t0:.3f} {t2-t1:.3f} {c.page_model}')")
for label, route in (("no router", None), ("router, page routed", "all"), ("router, page not routed", "none")):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGIST_")}
    env["PYTHONPATH"] = SRC
    if route:
        env["NEWSGIST_PAGE_ROUTE"] = f"{d}/route-{route}.json"
    firsts, clis, pair = [], [], None
    for _ in range(N):
        out = subprocess.run([sys.executable, "-c", code, PAGE], env=env, capture_output=True, text=True, check=True).stdout.split()
        firsts.append(float(out[1])); pair = out[2]
        import time
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsgist", "highlights", PAGE], env=env, capture_output=True, check=True)
        clis.append(time.perf_counter() - t)
    print(f"| {label} | {pair} | {statistics.median(firsts):.3f} | {statistics.median(clis):.3f} |")
