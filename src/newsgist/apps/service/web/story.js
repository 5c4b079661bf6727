/* newsgist story page: several reports of one event -> POST /v1/story -> one story card.
 *
 * Spans (start/end) count Unicode code points in each article's source_text. Article text
 * is only ever set with textContent (never innerHTML).
 */
"use strict";

const API_STORY = "/v1/story";
const URL_LINE = /^https?:\/\/\S+$/i;
const START_INPUTS = 3;
const MAX_INPUTS = 20;

const $ = (id) => document.getElementById(id);
let card = null;
let current = 0;

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function cpToUtf16(text, i) {
  if (!/[\uD800-\uDFFF]/.test(text)) return i;
  let u = 0, n = 0;
  for (const ch of text) { if (n >= i) break; u += ch.length; n += 1; }
  return u;
}

function addInput() {
  const box = $("story-inputs");
  const n = box.children.length;
  if (n >= MAX_INPUTS) return;
  const wrap = el("div");
  const id = `article-${n}`;
  const label = el("label", `Article ${n + 1}`);
  label.htmlFor = id;
  const ta = el("textarea");
  ta.id = id;
  ta.className = "story-input";
  ta.spellcheck = false;
  ta.placeholder = "Paste a report here, or an http(s):// address";
  wrap.append(label, ta);
  box.append(wrap);
}

function outletName(i) {
  const a = card.articles[i];
  return a.outlet || a.title || a.source || `Article ${a.input + 1}`;
}

function sourceButton(s) {
  const b = el("button", outletName(s.article), "src-link");
  b.type = "button";
  b.dataset.article = String(s.article);
  b.addEventListener("click", () => showSource(s.article, s.start, s.end));
  return b;
}

function showSource(i, start, end) {
  current = i;
  const text = card.articles[i].source_text;
  const box = $("source-article");
  box.replaceChildren();
  for (const b of $("source-tabs").children) b.setAttribute("aria-selected", String(Number(b.dataset.article) === i));
  if (start === undefined) {
    box.append(document.createTextNode(text));
    return;
  }
  const a = cpToUtf16(text, start), z = cpToUtf16(text, end);
  const mark = el("mark", text.slice(a, z), "active");
  box.append(document.createTextNode(text.slice(0, a)), mark, document.createTextNode(text.slice(z)));
  box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 40);
  mark.scrollIntoView({block: "nearest"});
}

function render() {
  $("story-result").hidden = false;
  const n = card.articles.length;
  const m = card.meta;
  const notes = [`${n} article${n === 1 ? "" : "s"}`];
  if (m.duplicates.length) notes.push(`${m.duplicates.length} duplicate${m.duplicates.length === 1 ? "" : "s"} counted once`);
  if (m.failed.length) notes.push("not read: " + m.failed.map((f) => `article ${f.input + 1} (${f.error.code}: ${f.error.message})`).join("; "));
  $("story-meta").textContent = notes.join(" · ");

  const list = $("story-highlights");
  list.replaceChildren();
  for (const h of card.highlights) {
    const li = el("li");
    li.append(el("span", h.text, "hl-text"));
    li.append(el("span", `${h.sources.length}/${n} report${h.sources.length === 1 ? "" : "s"}`, "src-count"));
    for (const s of h.sources) li.append(sourceButton(s));
    list.append(li);
  }

  const dis = $("disagreements").tBodies[0];
  dis.replaceChildren();
  for (const d of card.disagreements) {
    const tr = el("tr");
    tr.append(el("td", d.label, "what"));
    const td = el("td");
    for (const v of d.values) {
      const span = el("span", null, "value");
      const b = sourceButton(v);
      b.textContent = v.text;
      span.append(b, el("span", ` ${outletName(v.article)}${v.claimed_by ? ", " + v.claimed_by : ""}`, "who"));
      td.append(span);
    }
    tr.append(td);
    dis.append(tr);
  }
  $("dis-box").hidden = card.disagreements.length === 0;

  const adds = $("additions");
  adds.replaceChildren();
  let any = false;
  if (n > 1) {
    for (const a of card.additions) {
      if (!a.items.length) continue;
      any = true;
      adds.append(el("p", outletName(a.article), "outlet"));
      const ul = el("ul");
      for (const it of a.items) {
        const li = el("li", it.text);
        li.append(sourceButton({article: a.article, start: it.start, end: it.end}));
        ul.append(li);
      }
      adds.append(ul);
    }
  }
  $("add-box").hidden = !any;

  const qt = $("story-quotes").tBodies[0];
  qt.replaceChildren();
  for (const q of card.quotes) {
    const tr = el("tr");
    tr.append(el("td", q.speaker || "—"), el("td", `“${q.text}”`, "quote"));
    const td = el("td");
    for (const s of q.sources) td.append(sourceButton(s));
    tr.append(td);
    qt.append(tr);
  }
  $("squotes-box").hidden = card.quotes.length === 0;

  const tabs = $("source-tabs");
  tabs.replaceChildren();
  card.articles.forEach((a, i) => {
    const b = el("button", outletName(i));
    b.type = "button";
    b.setAttribute("role", "tab");
    b.dataset.article = String(i);
    b.addEventListener("click", () => showSource(i));
    tabs.append(b);
  });
  showSource(0);
}

async function submit(ev) {
  ev.preventDefault();
  $("story-error").hidden = true;
  const articles = [];
  for (const ta of document.querySelectorAll(".story-input")) {
    const v = ta.value.trim();
    if (!v) continue;
    articles.push(URL_LINE.test(v) ? {url: v} : {text: ta.value});
  }
  if (!articles.length) {
    showError("empty_input", "paste at least one article");
    return;
  }
  $("story-status").textContent = "Reading " + articles.length + " article" + (articles.length === 1 ? "" : "s") + "…";
  $("story-go").disabled = true;
  try {
    const r = await fetch(API_STORY, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({articles, options: {count: Number($("story-count").value)}})});
    const data = await r.json();
    if (!r.ok) {
      showError(data.error ? data.error.code : String(r.status), data.error ? data.error.message : r.statusText);
      return;
    }
    card = data;
    render();
    $("story-status").textContent = "";
  } catch (e) {
    showError("network", String(e));
  } finally {
    $("story-go").disabled = false;
  }
}

function showError(code, message) {
  $("story-status").textContent = "";
  const box = $("story-error");
  box.textContent = `${code}: ${message}`;
  box.hidden = false;
}

document.addEventListener("DOMContentLoaded", () => {
  for (let i = 0; i < START_INPUTS; i++) addInput();
  $("add-article").addEventListener("click", addInput);
  $("story-form").addEventListener("submit", submit);
});
