/* 述职档案搜索的核心：索引解码、查询、排序、摘要。不触及页面（没有 DOM），浏览器与 Node 共用。
 *
 * 按汉字二元组（相邻两个字）检索：构建时 shuzhi 把每页文字的所有二元组写入 searchindex.js；
 * 这里把查询按同样的规则切成二元组，取各二元组所在页面的交集，所以报告里出现过的任何两字以上
 * 的短语都能找到。规则与 ext/shuzhi/search/grams.py 一致：NFKC、小写、去掉紧挨汉字的空白，
 * 在空白、标点、控制字符处断开。
 *
 * 排序：短语在报告标题中 > 在章节标题中 > 只在正文中；同一档内新年度在前。
 * 摘要：在结果页的文字中找到短语，前后各取一段，用 <mark> 标出短语（HTML 已转义）。
 *
 * 这是普通脚本而不是 ES 模块：站点要能直接从磁盘打开（file://），而 Chromium 不允许 file://
 * 页面加载模块脚本。脚本不引用任何东西，在浏览器中定义全局 ShuzhiSearchCore，在 Node 中作为
 * CommonJS 模块导出同一对象（tests/js/ 用 node --test 测试）。界面在 shuzhi-search.js。
 */
"use strict";
(function (root, factory) {
  const core = factory();
  if (typeof module === "object" && module.exports) module.exports = core;
  else root.ShuzhiSearchCore = core;
})(typeof self !== "undefined" ? self : this, function () {
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
  const SPACE_BY_HAN = new RegExp(`(?<=[${HAN}])\\s+|\\s+(?=[${HAN}])`, "gu");
  const SEPARATOR = /[\p{P}\p{Z}\p{C}\s]/u;
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
  const UNDATED = "undated"; // the year facet of a report without a year
  const NONE = "_none"; // the facet value of a report without an organisation or kind
  const DIMS = ["year", "org", "kind"];

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

  /** A posting list (shuzhi.search.postings) → its sorted page numbers. */
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

  const yearKey = (report) => (report.year === null ? UNDATED : String(report.year));
  const facetKey = (report, dim) => (dim === "year" ? yearKey(report) : report[dim] || NONE);
  const collator = new Intl.Collator("zh-Hans-CN");

  /* ---- the index: {docnames, titles, terms, heads, headtitles, reports, orgs, kinds} ---- */

  /** The search over one loaded index: query(q, facets) and the facets' values. */
  function createSearch(index) {
    const cache = new Map(); // term -> pages
    let keys = null; // all terms, for one-character queries
    const docs = index.docnames.map((name, i) => ({
      name, title: index.titles[i], ntitle: normalise(index.titles[i] || ""), heads: [], report: null,
    }));
    const ntitles = index.headtitles.map(normalise);
    index.heads.forEach((heads, doc) => {
      for (const [t, anchor] of heads) docs[doc].heads.push([index.headtitles[t], anchor, ntitles[t]]);
    });
    for (const [doc, year, org, kind] of index.reports) {
      docs[doc].report = {year, org: index.orgs[org], kind: index.kinds[kind]};
    }

    function pagesOf(term) {
      if (!cache.has(term)) {
        const code = index.terms[term];
        cache.set(term, code === undefined ? [] : decode(code));
      }
      return cache.get(term);
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

    function compare(a, b) {
      if (a.tier !== b.tier) return b.tier - a.tier;
      if (a.partial !== b.partial) return b.partial - a.partial;
      const ra = docs[a.doc].report, rb = docs[b.doc].report;
      if (!ra !== !rb) return ra ? -1 : 1;
      if (ra && rb && ra.year !== rb.year) return (rb.year ?? -1) - (ra.year ?? -1);
      return collator.compare(a.title, b.title);
    }

    /** Search: {pieces, results: [{doc, name, title, tier, partial, head, report}], counts: {year, org, kind}}. */
    function query(q, facets) {
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
        for (const dim of DIMS) {
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

    /** The values of a facet over the whole archive, in the order the page lists them (none last). */
    function facetValues(dim) {
      const values = new Set(index.reports.map((r) => facetKey(docs[r[0]].report, dim)));
      const last = (a, b, key) => (a === key) - (b === key);
      const order = dim === "year" ? (a, b) => last(a, b, UNDATED) || b.localeCompare(a)
        : (a, b) => last(a, b, NONE) || collator.compare(a, b);
      return [...values].sort(order);
    }

    return {query, facetValues, hasReports: index.reports.length > 0};
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
    return {norm, map};
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

  /** `text[from:to]` as HTML, the ranges `rs` marked. */
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

  /** A whole line (a title, a heading) as HTML with the query's pieces marked. */
  const highlighted = (text, pieces) => (pieces.length ? marked(text, ranges(text, needlesOf(pieces)), 0, text.length) : escapeHTML(text));

  const squeeze = (text) => text.replace(/\s+/g, " ").trim();
  /** The first 120 characters of a text, as HTML. */
  const opening = (text) => escapeHTML(text.slice(0, 120)) + (text.length > 120 ? "……" : "");

  /** A snippet of about 120 characters around the first hit in the body text (`page.body`, headings
   * left out: the heading hit is shown apart), hits marked; null when the page (`page.full`) lacks
   * a part of the phrase — it holds all the phrase's bigrams, but not the phrase. */
  function snippet(page, pieces) {
    if (!pieces.length) return opening(squeeze(page.body));
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

  /* ---- words on the page: labels come from the page (shuzhi.labels), the rest is here ---- */

  /** A facet value as shown: 2023年, or the label for none (`labels`: {undated, org, kind}). */
  function label(dim, key, labels) {
    if (dim === "year") return key === UNDATED ? labels.undated : `${key}年`;
    return key === NONE ? labels[dim] : key;
  }

  const metaLine = (report, labels) => (report ? DIMS.map((dim) => label(dim, facetKey(report, dim), labels)).join(" · ") : labels.handbook);

  function summaryText(n, q, facets, labels) {
    const active = DIMS.filter((dim) => facets[dim]).map((dim) => label(dim, facets[dim], labels));
    const within = active.length ? `（筛选：${active.join("、")}）` : "";
    if (n) return q ? `搜索完成，找到 ${n} 个相关页面${within}。` : `共 ${n} 篇报告${within}。`;
    return active.length ? "没有找到相关页面。可以放宽年度、单位或类型的筛选再试。"
      : "没有找到相关页面。请检查词语是否写对，或换一个较短的词语再试。";
  }

  /* ---- the page's address: the query and facets as URL parameters ---- */

  /** `?q=…&year=…` → {q, facets}. */
  function fromParams(search) {
    const params = new URLSearchParams(search);
    const facets = {};
    for (const dim of DIMS) facets[dim] = params.get(dim) || "";
    return {q: params.get("q") || "", facets};
  }

  /** {q, facets} → `?q=…&year=…` (empty values left out). */
  function toParams(q, facets) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const dim of DIMS) if (facets[dim]) params.set(dim, facets[dim]);
    return "?" + params.toString();
  }

  /** The link and the address to fetch of a page (`opts`: Sphinx's DOCUMENTATION_OPTIONS). */
  function pageUrls(name, opts, contentRoot) {
    if (opts.BUILDER === "dirhtml") {
      const dir = name === "index" ? "" : name.replace(/\/?index$/, "") + "/";
      return {link: contentRoot + dir, fetch: contentRoot + dir};
    }
    return {link: contentRoot + name + opts.LINK_SUFFIX, fetch: contentRoot + name + opts.FILE_SUFFIX};
  }

  return {
    UNDATED, NONE, DIMS,
    normalise, runs, runGrams, grams, decode, parse, createSearch,
    ranges, marked, escapeHTML, highlighted, squeeze, opening, snippet,
    label, metaLine, summaryText, fromParams, toParams, pageUrls,
  };
});
