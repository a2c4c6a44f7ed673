/* 述职档案搜索：按汉字二元组（相邻两个字）检索，静态、离线。
 *
 * 构建时，shuzhi 把每页文字的所有二元组写入 searchindex.js（ShuzhiSearch.setIndex）；
 * 这里把查询按同样的规则切成二元组，取各二元组所在页面的交集，所以报告里出现过的任何
 * 两字以上的短语都能找到，不论它是不是词典里的词。规则与 ext/shuzhi/search/grams.py 一致：
 * NFKC、小写、去掉紧挨汉字的空白，在空白、标点、控制字符处断开。
 *
 * 排序：短语在报告标题中 > 在章节标题中 > 只在正文中；同一档内新年度在前。
 * 摘要：取回结果页，找到短语，前后各取一段，用 <mark> 标出短语。
 * 筛选：年度、单位、类型（来自索引中的 reports/orgs/kinds）。
 * 界面文字全部为中文。测试与基准通过 ShuzhiSearch.query(q, facets) 直接调用检索。
 */
"use strict";
(function (global) {
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
  const SPACE_BY_HAN = new RegExp(`(?<=[${HAN}])\\s+|\\s+(?=[${HAN}])`, "gu");
  const SEPARATOR = /[\p{P}\p{Z}\p{C}\s]/u;
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
  const PAGE = 20; // results rendered (and snippets fetched) at a time
  const UNDATED = "undated";

  /* ---- the same normalisation, runs and bigrams as shuzhi.search.grams ---- */

  const normalise = (text) => text.normalize("NFKC").toLowerCase().replace(SPACE_BY_HAN, "");

  function runs(text) {
    const out = [];
    let cur = "";
    for (const ch of text) {
      // astral characters (length 2) never separate, as in Python
      if (ch.length === 1 && SEPARATOR.test(ch)) {
        if (cur) out.push(cur);
        cur = "";
      } else {
        cur += ch;
      }
    }
    if (cur) out.push(cur);
    return out;
  }

  function runGrams(run) {
    const cps = Array.from(run);
    if (cps.length === 1) return [run];
    const out = [];
    for (let i = 0; i + 1 < cps.length; i++) out.push(cps[i] + cps[i + 1]);
    return out;
  }

  const grams = (text) => new Set(runs(normalise(text)).flatMap(runGrams));

  function decode(code) {
    const numbers = [];
    let value = 0, shift = 0;
    for (const ch of code) {
      const digit = VALUE.get(ch);
      if (digit >= 32) {
        value |= (digit - 32) << shift;
        shift += 5;
      } else {
        numbers.push(value | (digit << shift));
        value = shift = 0;
      }
    }
    const pages = [];
    let prev = -1;
    for (let k = 0; k < numbers.length; ) {
      const step = numbers[k];
      const start = prev + 1 + (step >> 1);
      if (step & 1) {
        const length = numbers[k + 1] + 2;
        for (let p = start; p < start + length; p++) pages.push(p);
        k += 2;
      } else {
        pages.push(start);
        k += 1;
      }
      prev = pages[pages.length - 1];
    }
    return pages;
  }

  /* ---- the index ---- */

  let index = null;
  const cache = new Map(); // term -> pages
  let keys = null; // all terms, for one-character queries
  let docs = null; // per page: {title, ntitle, heads: [[title, anchor, ntitle]], report}

  function pagesOf(term) {
    if (!cache.has(term)) {
      const code = index.terms[term];
      cache.set(term, code === undefined ? [] : decode(code));
    }
    return cache.get(term);
  }

  function prepare() {
    if (docs) return;
    docs = index.docnames.map((name, i) => ({
      name, title: index.titles[i], ntitle: normalise(index.titles[i] || ""), heads: [], report: null,
    }));
    const ntitles = index.headtitles.map(normalise);
    index.heads.forEach((heads, doc) => {
      for (const [t, anchor] of heads) docs[doc].heads.push([index.headtitles[t], anchor, ntitles[t]]);
    });
    for (const [doc, year, org, kind] of index.reports) {
      docs[doc].report = {year, org: index.orgs[org], kind: index.kinds[kind]};
    }
  }

  /** A query → its pieces (split at whitespace), each with its runs, normalised. */
  function parse(q) {
    return q.split(/\s+/).map(normalise).filter((p) => p)
      .map((text) => ({text, runs: runs(text)}))
      .filter((p) => p.runs.length);
  }

  function intersect(lists) {
    if (!lists.length) return [];
    lists.sort((a, b) => a.length - b.length);
    let out = lists[0];
    for (const other of lists.slice(1)) {
      const set = new Set(other);
      out = out.filter((p) => set.has(p));
      if (!out.length) break;
    }
    return out;
  }

  function containing(char) {
    keys = keys || Object.keys(index.terms);
    const pages = new Set();
    for (const key of keys) if (key.includes(char)) for (const p of pagesOf(key)) pages.add(p);
    return [...pages];
  }

  /** Pages holding every bigram of every piece (one-character runs only when nothing longer is asked). */
  function candidates(pieces) {
    const allRuns = pieces.flatMap((p) => p.runs);
    const long = allRuns.filter((r) => Array.from(r).length > 1);
    if (long.length) return intersect([...new Set(long.flatMap(runGrams))].map(pagesOf));
    return intersect([...new Set(allRuns)].map(containing));
  }

  const NONE = "_none"; // the facet value of a report without an organisation or kind
  const yearKey = (report) => (report.year === null ? UNDATED : String(report.year));
  const facetKey = (report, dim) => (dim === "year" ? yearKey(report) : report[dim] || NONE);

  function matchesFacets(doc, facets, skip) {
    const active = Object.entries(facets || {}).filter(([k, v]) => v && k !== skip);
    if (!active.length) return true;
    const r = docs[doc].report;
    if (!r) return false;
    return active.every(([k, v]) => facetKey(r, k) === v);
  }

  /** Tier 3: every piece in the title; 2: every piece in the title or a section heading (the first
   * such heading is linked); 1: the body only. `partial`: pieces in the title or a heading, for
   * multi-word queries within a tier. */
  function rank(doc, pieces) {
    const d = docs[doc];
    if (!pieces.length) return {tier: 0, partial: 0, head: null};
    let head = null, inTitle = 0, inHeads = 0;
    for (const p of pieces) {
      if (d.ntitle.includes(p.text)) {
        inTitle += 1;
        continue;
      }
      const h = d.heads.find((x) => x[2].includes(p.text));
      if (h) {
        inHeads += 1;
        head = head || h;
      }
    }
    const tier = inTitle === pieces.length ? 3 : inTitle + inHeads === pieces.length ? 2 : 1;
    return {tier, partial: inTitle + inHeads, head: tier === 3 ? null : head};
  }

  const collator = new Intl.Collator("zh-Hans-CN");

  function compare(a, b) {
    if (a.tier !== b.tier) return b.tier - a.tier;
    if (a.partial !== b.partial) return b.partial - a.partial;
    const ra = docs[a.doc].report, rb = docs[b.doc].report;
    if (!ra !== !rb) return ra ? -1 : 1;
    if (ra && rb && ra.year !== rb.year) return (rb.year ?? -1) - (ra.year ?? -1);
    return collator.compare(a.title, b.title);
  }

  /** Search: {pieces, results: [{doc, name, title, tier, head, report}], counts: {year, org, kind}}. */
  function query(q, facets) {
    if (!index) throw new Error("搜索索引尚未载入");
    prepare();
    facets = facets || {};
    const pieces = parse(q || "");
    let pages;
    if (pieces.length) pages = candidates(pieces);
    else if (Object.values(facets).some((v) => v)) pages = index.reports.map((r) => r[0]);
    else pages = [];
    pages = pages.filter((p) => docs[p].title); // pages left out of the search (nosearch) have no title
    const counts = {year: new Map(), org: new Map(), kind: new Map()};
    for (const p of pages) {
      const r = docs[p].report;
      if (!r) continue;
      for (const dim of ["year", "org", "kind"]) {
        if (!matchesFacets(p, facets, dim)) continue;
        const key = facetKey(r, dim);
        counts[dim].set(key, (counts[dim].get(key) || 0) + 1);
      }
    }
    const results = pages.filter((p) => matchesFacets(p, facets)).map((doc) => {
      const d = docs[doc];
      return {doc, name: d.name, title: d.title, report: d.report, ...rank(doc, pieces)};
    });
    results.sort(compare);
    return {pieces, results, counts};
  }

  /* ---- snippets: the page's text, the phrase found and marked ---- */

  /** The text without whitespace, NFKC and lower-cased, with the index in `text` of each unit. */
  function searchable(text) {
    let norm = "";
    const map = [];
    let i = 0;
    for (const ch of text) {
      if (!/\s/.test(ch)) {
        const n = ch.normalize("NFKC").toLowerCase();
        norm += n;
        for (let k = 0; k < n.length; k++) map.push(i);
      }
      i += ch.length;
    }
    return {norm, map, end: (j) => map[j] + 1};
  }

  /** Ranges [start, end) in `text` where any of the needles (normalised, no whitespace) occurs. */
  function ranges(text, needles) {
    const s = searchable(text);
    const out = [];
    for (const needle of needles) {
      if (!needle) continue;
      for (let at = s.norm.indexOf(needle); at >= 0; at = s.norm.indexOf(needle, at + needle.length)) {
        let end = s.map[at + needle.length - 1] + 1;
        while (end < text.length && /[\udc00-\udfff]/.test(text[end])) end++;
        out.push([s.map[at], end]);
      }
    }
    out.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const r of out) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    }
    return merged;
  }

  const escapeHTML = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function marked(text, rs, from, to) {
    let out = "", at = from;
    for (const [a, b] of rs) {
      if (b <= from || a >= to) continue;
      const s = Math.max(a, from), e = Math.min(b, to);
      out += escapeHTML(text.slice(at, s)) + "<mark>" + escapeHTML(text.slice(s, e)) + "</mark>";
      at = e;
    }
    return out + escapeHTML(text.slice(at, to));
  }

  const needlesOf = (pieces) => {
    const whole = pieces.map((p) => p.text.replace(/\s/g, ""));
    return [...whole, ...pieces.flatMap((p) => (p.runs.length > 1 ? p.runs : []))];
  };

  const squeeze = (text) => text.replace(/\s+/g, " ").trim();
  const opening = (text) => escapeHTML(text.slice(0, 120)) + (text.length > 120 ? "……" : "");

  /** A snippet of about 120 characters around the first hit in the body text (`page.body`, headings
   * left out: the heading hit is shown apart), hits marked; null when the page (`page.full`) lacks
   * a part of the phrase — it holds all the phrase's bigrams, but not the phrase. */
  function snippet(page, pieces) {
    const required = pieces.flatMap((p) => p.runs).filter((r) => Array.from(r).length > 1);
    const full = searchable(squeeze(page.full)).norm;
    if (required.some((r) => !full.includes(r))) return null;
    let text = squeeze(page.body);
    let rs = ranges(text, needlesOf(pieces));
    if (!rs.length) {
      text = squeeze(page.full);
      rs = ranges(text, needlesOf(pieces));
    }
    if (!rs.length) return opening(text);
    let from = Math.max(0, rs[0][0] - 40);
    // start after a break rather than on a comma or a half word: skip to just past punctuation if there is one near
    const cut = text.slice(from, rs[0][0]).search(/[\p{P}\s]\S/u);
    if (from > 0 && cut >= 0 && cut < 20) from += cut + 1;
    while (from > 0 && from < rs[0][0] && /[\p{P}\s]/u.test(text[from])) from++;
    const to = Math.min(text.length, rs[0][1] + 80);
    return (from > 0 ? "……" : "") + marked(text, rs, from, to) + (to < text.length ? "……" : "");
  }

  /** The text of a fetched page: {full, body}, body without the headings. */
  function pageText(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const main = doc.querySelector('[role="main"]') || doc.body;
    main.querySelectorAll(".headerlink, script, style").forEach((el) => el.remove());
    const full = main.textContent || "";
    main.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((el) => el.remove());
    return {full, body: main.textContent || ""};
  }

  /* ---- the search page ---- */

  const contentRoot = () => document.documentElement.dataset.content_root || "";

  function urls(name) {
    const opts = global.DOCUMENTATION_OPTIONS || {FILE_SUFFIX: ".html", LINK_SUFFIX: ".html", BUILDER: "html"};
    if (opts.BUILDER === "dirhtml") {
      const dir = name === "index" ? "" : name.replace(/\/?index$/, "") + "/";
      return {link: contentRoot() + dir, fetch: contentRoot() + dir};
    }
    return {link: contentRoot() + name + opts.LINK_SUFFIX, fetch: contentRoot() + name + opts.FILE_SUFFIX};
  }

  const label = (dim, key) => (dim === "year" ? (key === UNDATED ? "年份待定" : `${key}年`)
    : key === NONE ? (dim === "org" ? "单位未填写" : "类型未填写") : key);
  const metaLine = (r) => (r ? ["year", "org", "kind"].map((dim) => label(dim, facetKey(r, dim))).join(" · ") : "使用手册");

  let ui = null;

  let loadedAt = null;

  function setIndex(data) {
    index = data;
    loadedAt = performance.now();
    cache.clear();
    keys = docs = null;
  }

  function fillFacets(result, facets) {
    const last = (a, b, key) => (a === key) - (b === key);
    const dims = [
      ["year", "全部年度", (a, b) => last(a, b, UNDATED) || b.localeCompare(a)],
      ["org", "全部单位", (a, b) => last(a, b, NONE) || collator.compare(a, b)],
      ["kind", "全部类型", (a, b) => last(a, b, NONE) || collator.compare(a, b)],
    ];
    prepare();
    for (const [dim, all, order] of dims) {
      const select = ui.form.elements[dim];
      const values = new Set(index.reports.map((r) => facetKey(docs[r[0]].report, dim)));
      const counted = result && (result.pieces.length || Object.values(facets).some((v) => v));
      select.replaceChildren(new Option(all, ""));
      for (const value of [...values].sort(order)) {
        const n = counted ? result.counts[dim].get(value) || 0 : null;
        const option = new Option(n === null ? label(dim, value) : `${label(dim, value)}（${n}）`, value);
        option.disabled = n === 0 && facets[dim] !== value;
        select.add(option);
      }
      select.value = facets[dim] || "";
    }
  }

  function state() {
    const params = new URLSearchParams(global.location.search);
    return {q: params.get("q") || "", facets: {year: params.get("year") || "", org: params.get("org") || "", kind: params.get("kind") || ""}};
  }

  function pushState(q, facets) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const [k, v] of Object.entries(facets)) if (v) params.set(k, v);
    global.history.replaceState(null, "", "?" + params.toString());
  }

  function summaryText(n, q, facets) {
    const active = ["year", "org", "kind"].filter((dim) => facets[dim]).map((dim) => label(dim, facets[dim]));
    const within = active.length ? `（筛选：${active.join("、")}）` : "";
    if (n) return q ? `搜索完成，找到 ${n} 个相关页面${within}。` : `共 ${n} 篇报告${within}。`;
    const filtered = active.length > 0;
    return filtered ? "没有找到相关页面。可以放宽年度、单位或类型的筛选再试。"
      : "没有找到相关页面。请检查词语是否写对，或换一个较短的词语再试。";
  }

  function render(q, facets) {
    const results = ui.results;
    results.replaceChildren();
    const started = performance.now();
    const result = query(q, facets);
    ui.elapsed = performance.now() - started;
    fillFacets(result, facets);
    const h2 = document.createElement("h2");
    h2.textContent = "搜索结果";
    const summary = document.createElement("p");
    summary.className = "search-summary";
    const list = document.createElement("ul");
    list.className = "search";
    results.append(h2, summary, list);
    let shown = result.results.length;
    summary.textContent = summaryText(shown, q, facets);
    const highlight = result.pieces.map((p) => p.text).join(" ");
    const token = (ui.token = {});
    let next = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "sz-more";
    more.textContent = "显示更多结果";

    const drop = (li) => {
      li.remove();
      shown -= 1;
      summary.textContent = summaryText(shown, q, facets);
    };

    async function fill(li, hit) {
      const p = li.querySelector(".context");
      try {
        const response = await fetch(urls(hit.name).fetch);
        if (token !== ui.token) return;
        const page = pageText(await response.text());
        const html = result.pieces.length ? snippet(page, result.pieces) : opening(squeeze(page.body));
        if (html === null) drop(li); // all its bigrams, but not the phrase: not a hit
        else p.innerHTML = html;
      } catch (e) {
        p.textContent = "";
      }
    }

    function page() {
      const batch = result.results.slice(next, next + PAGE);
      next += batch.length;
      for (const hit of batch) {
        const li = document.createElement("li");
        li.className = `sz-hit sz-tier-${hit.tier}`;
        const a = document.createElement("a");
        const {link} = urls(hit.name);
        a.href = link + (highlight ? `?highlight=${encodeURIComponent(highlight)}` : "") + (hit.head ? `#${hit.head[1]}` : "");
        a.innerHTML = result.pieces.length ? marked(hit.title, ranges(hit.title, needlesOf(result.pieces)), 0, hit.title.length) : escapeHTML(hit.title);
        const meta = document.createElement("span");
        meta.className = "sz-hit-meta";
        meta.textContent = metaLine(hit.report);
        li.append(a, meta);
        if (hit.head) {
          const head = document.createElement("p");
          head.className = "sz-hit-head";
          head.innerHTML = "章节：" + marked(hit.head[0], ranges(hit.head[0], needlesOf(result.pieces)), 0, hit.head[0].length);
          li.append(head);
        }
        const context = document.createElement("p");
        context.className = "context";
        context.textContent = "正在载入摘要……";
        li.append(context);
        list.append(li);
        fill(li, hit);
      }
      if (next < result.results.length) results.append(more);
      else more.remove();
    }
    more.addEventListener("click", page);
    page();
    return result;
  }

  function init() {
    const results = document.getElementById("search-results");
    const form = document.querySelector("form.sz-search-page");
    if (!results || !form) return;
    ui = {results, form, token: null, elapsed: 0};
    const progress = document.getElementById("search-progress");
    if (!index) {
      results.innerHTML = '<p class="search-summary">搜索索引未能载入，请稍后刷新页面再试。</p>';
      return;
    }
    const {q, facets} = state();
    form.elements.q.value = q;
    form.querySelector(".sz-facets").hidden = !index.reports.length;
    fillFacets(null, facets);
    const run = () => {
      const q = form.elements.q.value.trim();
      const facets = {year: form.elements.year.value, org: form.elements.org.value, kind: form.elements.kind.value};
      pushState(q, facets);
      if (q || Object.values(facets).some((v) => v)) render(q, facets);
      else {
        results.replaceChildren();
        fillFacets(null, facets);
      }
      if (progress) progress.textContent = "";
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      run();
    });
    for (const dim of ["year", "org", "kind"]) form.elements[dim].addEventListener("change", run);
    if (q || Object.values(facets).some((v) => v)) run();
    form.elements.q.focus();
  }

  global.ShuzhiSearch = {setIndex, query, normalise, runs, grams, decode, snippet, get ready() { return index !== null; }, get loadedAt() { return loadedAt; },
    get elapsed() { return ui ? ui.elapsed : null; }};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(window);
