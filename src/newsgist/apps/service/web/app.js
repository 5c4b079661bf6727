/* newsgist web page: send the pasted text or URL to the service, show the story card.
 *
 * Every span in the card (start/end) counts Unicode code points in the source text:
 * the pasted text, or card.source_text for HTML/URL input. The article is rendered
 * from those spans with createElement/textContent only -- article text never goes
 * through innerHTML.
 */
"use strict";

const API_CARD = "/v1/card";
const API_HIGHLIGHTS = "/v1/highlights";
const URL_RE = /^https?:\/\/\S+$/i;
const MAX_REMOVED_CHARS = 300;   // long removed blocks are shortened in the list

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

/* Map code-point offsets (Python) to UTF-16 indexes (JavaScript strings). */
function offsetMapper(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const map = [];
  let u = 0;
  for (const ch of text) { map.push(u); u += ch.length; }
  map.push(u);
  return (i) => map[Math.max(0, Math.min(i, map.length - 1))];
}

/* ---- state of the current card ---- */
let segments = [];      // rendered article pieces: {node, start, end} in UTF-16 units
let hlRanges = [];      // per highlight: the sentence range(s) it comes from

function setStatus(text) { $("status").textContent = text; }

function showError(code, message) {
  const box = $("error");
  box.replaceChildren(el("strong", code), document.createTextNode(": " + message));
  box.hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const value = $("input").value;
  $("error").hidden = true;
  if (!value.trim()) { showError("empty_input", "paste an article or a URL first"); return; }
  const trimmed = value.trim();
  const body = URL_RE.test(trimmed) ? { url: trimmed } : { text: value };
  const options = {};
  if ($("count").value) options.count = Number($("count").value);
  if (Object.keys(options).length) body.options = options;
  const endpoint = $("full").checked ? API_CARD : API_HIGHLIGHTS;

  const button = $("go");
  button.disabled = true;
  setStatus("Reading the article…");
  const t0 = performance.now();
  try {
    const resp = await fetch(endpoint, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    let data = null;
    try { data = await resp.json(); } catch (_) { data = null; }
    if (!resp.ok) {
      const err = (data && data.error) || { code: "http_" + resp.status, message: resp.statusText || "request failed" };
      showError(err.code, err.message);
      setStatus("");
      return;
    }
    render(data, body.text);
    setStatus(`Done in ${Math.round(performance.now() - t0)} ms`);
  } catch (e) {
    showError("network_error", "cannot reach the newsgist service (" + e.message + ")");
    setStatus("");
  } finally {
    button.disabled = false;
  }
}

/* ---- rendering ---- */

function render(card, sentText) {
  const source = typeof card.source_text === "string" ? card.source_text : (sentText || "");
  const u16 = offsetMapper(source);
  const span = (s, e) => [u16(s), u16(e)];
  renderMeta(card);
  renderArticle(card, source, span);
  renderHighlights(card, source, span);
  renderQuotes(card.quotes || [], span);
  renderEntities(card.entities || [], span);
  renderFigures(card.figures || [], span);
  renderGroups(card.groups || [], card.figures || [], span);
  renderList("page-highlights", card.page_highlights || [], (t) => el("li", t));
  renderList("removed", card.removed || [], (r) => {
    const li = el("li");
    li.append(el("span", r.reason, "reason"), document.createTextNode(" " + shorten(r.text)));
    return li;
  });
  $("result").hidden = false;
}

function shorten(text) {
  const t = String(text).replace(/\s+/g, " ").trim();
  return t.length > MAX_REMOVED_CHARS ? t.slice(0, MAX_REMOVED_CHARS) + "…" : t;
}

function renderMeta(card) {
  const meta = card.meta || {};
  const src = meta.source || {};
  const parts = [];
  if (meta.title) parts.push(meta.title);
  if (meta.sitename) parts.push(meta.sitename);
  if (meta.date) parts.push(meta.date);
  if (src.kind) parts.push(src.kind === "text" ? "pasted text" : src.kind);
  if (meta.method) parts.push("method " + meta.method);
  const ms = Object.values(meta.timings_ms || {}).reduce((a, b) => a + b, 0);
  if (ms) parts.push(Math.round(ms) + " ms");
  $("meta").textContent = parts.join(" · ");
  const heading = $("article-heading");
  heading.textContent = meta.title || "";
  heading.hidden = !meta.title;
}

/* The article: kept paragraphs, cut at every sentence / highlight / quote / figure /
 * entity boundary so that any of those ranges can be marked by toggling classes. */
function renderArticle(card, source, span) {
  const body = card.body || {};
  const paragraphs = body.paragraphs || [];
  const cuts = new Set();
  const addRange = ([s, e]) => { cuts.add(s); cuts.add(e); };
  (body.sentences || []).forEach((s) => addRange(span(s.start, s.end)));
  (card.highlights || []).forEach((h) => addRange(span(h.start, h.end)));
  (card.quotes || []).forEach((q) => addRange(span(q.start, q.end)));
  (card.figures || []).forEach((f) => figureRanges(f, span).forEach(addRange));
  (card.entities || []).forEach((e) => (e.spans || []).forEach(([s, t]) => addRange(span(s, t))));
  const hl = (card.highlights || []).map((h) => span(h.start, h.end));
  const sorted = [...cuts].sort((a, b) => a - b);

  const article = $("article");
  const frag = document.createDocumentFragment();
  segments = [];
  for (const p of paragraphs) {
    const [ps, pe] = span(p.start, p.end);
    const block = el(p.kind === "heading" ? "h3" : "p");
    let pos = ps;
    const inner = sorted.filter((c) => c > ps && c < pe).concat([pe]);
    for (const cut of inner) {
      if (cut <= pos) continue;
      const h = hl.findIndex(([s, e]) => pos >= s && cut <= e);
      const node = el(h >= 0 ? "mark" : "span", source.slice(pos, cut), h >= 0 ? "hl" : "seg");
      if (h >= 0) {
        node.dataset.h = String(h + 1);
        if (pos === hl[h][0]) node.classList.add("hl-first");
      }
      block.append(node);
      segments.push({ node, start: pos, end: cut });
      pos = cut;
    }
    frag.append(block);
  }
  if (!paragraphs.length) frag.append(el("p", source));
  article.replaceChildren(frag);
}

/* Mark every article segment inside the given ranges; scroll the first into view. */
function markRanges(ranges) {
  for (const s of segments) s.node.classList.remove("active");
  let first = null;
  for (const seg of segments) {
    if (ranges.some(([s, e]) => seg.start >= s && seg.end <= e)) {
      seg.node.classList.add("active");
      if (!first) first = seg.node;
    }
  }
  if (first) {
    const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    first.scrollIntoView({ behavior: calm ? "auto" : "smooth", block: "center", inline: "nearest" });
  }
  return first;
}

/* The sentence(s) a highlight comes from: those overlapping its span. */
function sentenceRange(card, h, span) {
  const [hs, he] = span(h.start, h.end);
  let s = hs, e = he;
  for (const sent of (card.body && card.body.sentences) || []) {
    const [ss, se] = span(sent.start, sent.end);
    if (ss < he && se > hs) { s = Math.min(s, ss); e = Math.max(e, se); }
  }
  return [s, e];
}

function activate(listItem) {
  for (const li of document.querySelectorAll(".current")) li.classList.remove("current");
  if (listItem) listItem.classList.add("current");
}

function renderHighlights(card, source, span) {
  const list = $("highlights");
  const items = (card.highlights || []).map((h, i) => {
    const li = el("li");
    li.append(el("span", i + 1, "badge"));
    const button = el("button", h.text, "hl-link");
    button.type = "button";
    button.dataset.h = String(i + 1);
    button.title = "Show this sentence in the article";
    const range = sentenceRange(card, h, span);
    button.addEventListener("click", () => { activate(li); markRanges([range]); });
    li.append(button);
    if (typeof h.supported === "boolean") {  // the grounding checker's verdict (none for other languages)
      const pieces = (h.unsupported || []).map((u) => `${u.kind}: ${u.text}`).join("; ");
      const mark = el("span", h.supported ? "✓" : "✗", h.supported ? "verdict ok" : "verdict bad");
      mark.title = (h.supported ? "Supported by the article" : "Not supported by the article")
        + (pieces ? ` (${pieces})` : "");
      mark.setAttribute("aria-label", mark.title);
      li.append(mark);
    }
    return li;
  });
  if (!items.length) items.push(el("li", "No highlight found.", "empty"));
  list.replaceChildren(...items);
}

function clickableRow(cells, ranges) {
  const tr = el("tr");
  for (const c of cells) tr.append(typeof c === "string" || c === null || c === undefined ? el("td", c || "") : c);
  if (ranges.length) {
    tr.tabIndex = 0;
    tr.classList.add("jump");
    tr.title = "Show in the article";
    const go = () => { activate(tr); markRanges(ranges); };
    tr.addEventListener("click", go);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(); } });
  }
  return tr;
}

function fillTable(id, rows) {
  $(id).tBodies[0].replaceChildren(...rows);
  $(id + "-box").hidden = rows.length === 0;
}

/* Quotes and reported speech. A partial quote inside reported speech ("within" names it) is shown
 * once, inside that row, its words marked; reported speech reads "(cue) text", without quote marks. */
function renderQuotes(quotes, span) {
  const rows = [];
  quotes.forEach((q, i) => {
    if (q.within !== null && q.within !== undefined) return;
    const cell = el("td", null, q.kind === "indirect" ? "quote reported" : "quote");
    if (q.kind === "indirect") {
      cell.append(el("span", "(" + (q.cue || "said") + ") ", "cue"));
      appendNested(cell, q.text, quotes.filter((p) => p.within === i).map((p) => p.text));
    } else {
      cell.textContent = "“" + q.text + "”";
    }
    rows.push(clickableRow([q.speaker || q.speaker_mention || "—", q.speaker_title || "", cell],
                           [span(q.start, q.end)]));
  });
  fillTable("quotes", rows);
}

/* Text with the nested partial quotes marked (textContent only). */
function appendNested(cell, text, parts) {
  let pos = 0;
  for (const part of parts) {
    const at = part ? text.indexOf(part, pos) : -1;
    if (at < 0) continue;
    cell.append(document.createTextNode(text.slice(pos, at)), el("mark", part, "nested-quote"));
    pos = at + part.length;
  }
  cell.append(document.createTextNode(text.slice(pos)));
}

/* Who claims a figure: "intel estimates, via Jeff Buchanan", "U.S. officials", or "" (the article). */
function claimant(f) {
  const c = f.claimed_by;
  if (!c) return "";
  const who = c.speaker || c.mention || "";
  return c.via ? (who ? c.via + ", via " + who : c.via) : who;
}

function qualifierText(f, kinds) {
  return (f.qualifiers || []).filter((q) => kinds.includes(q.kind)).map((q) => q.text).join("; ");
}

/* The ranges a figure row marks: the figure, and its claimant's mention where the card has one. */
function figureRanges(f, span) {
  const ranges = [span(f.start, f.end)];
  const c = f.claimed_by;
  if (c && Number.isInteger(c.start) && Number.isInteger(c.end)) ranges.push(span(c.start, c.end));
  return ranges;
}

/* Figures that count the same thing, side by side: what is counted, each estimate, who claims it, limits. */
function renderGroups(groups, figures, span) {
  const rows = [];
  for (const g of groups) {
    (g.figures || []).forEach((i, k) => {
      const f = figures[i];
      if (!f) return;
      const label = el("td", k === 0 ? g.label : "", "group-label");
      rows.push(clickableRow([label, el("td", f.text, "figure"), claimant(f) || "the article",
                              qualifierText(f, ["time", "scope", "hedge", "caveat"])], figureRanges(f, span)));
      if (k === 0) rows[rows.length - 1].classList.add("group-first");
    });
  }
  fillTable("groups", rows);
}

function renderEntities(entities, span) {
  fillTable("entities", entities.map((e) => clickableRow(
    [el("td", e.name, "name"), (e.type || "").toLowerCase(), e.title || "", el("td", e.mentions, "num")],
    (e.spans || []).map(([s, t]) => span(s, t)))));
}

function renderFigures(figures, span) {
  fillTable("figures", figures.map((f) => clickableRow(
    [el("td", f.text, "figure"), f.kind || "", f.counts || (f.unit || ""), claimant(f)], figureRanges(f, span))));
}

function renderList(id, items, make) {
  $(id).replaceChildren(...items.map(make));
  $(id + "-count").textContent = String(items.length);
  const box = $(id + "-box");
  if (id === "page-highlights") box.hidden = items.length === 0;
}

async function showVersion() {
  try {
    const resp = await fetch("/version");
    if (resp.ok) { const v = await resp.json(); $("version").textContent = `newsgist ${v.version}`; }
  } catch (_) { /* the footer is optional */ }
}

document.addEventListener("DOMContentLoaded", () => {
  $("form").addEventListener("submit", submit);
  $("input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("form").requestSubmit();
  });
  showVersion();
});
