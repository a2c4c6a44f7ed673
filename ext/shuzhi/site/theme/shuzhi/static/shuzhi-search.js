/* 述职档案搜索页的界面：表单、筛选、结果列表、摘要、地址栏。检索本身在 shuzhi-search-core.js。
 *
 * searchindex.js 载入时调用 ShuzhiSearch.setIndex(…)。每次搜索（提交表单或改变筛选）都在浏览器
 * 历史中记一笔（history.pushState），所以“后退”回到上一次搜索及其结果；直接打开带参数的地址
 * 则照参数搜索。摘要取自结果页本身（fetch），取不到（如从磁盘打开站点时）就只列标题。
 * 界面文字为中文；“年份待定”等标签由页面提供（shuzhi.labels）。
 * 测试与基准通过 ShuzhiSearch.query(q, facets) 直接调用检索。
 */
"use strict";
(function (global) {
  const core = global.ShuzhiSearchCore;
  const PAGE = 20; // results rendered (and snippets fetched) at a time
  const DEFAULT_LABELS = {undated: "年份待定", org: "单位待定", kind: "类型待定", handbook: "使用手册"};

  let search = null; // core.createSearch(index)
  let loadedAt = null;
  let ui = null;

  function setIndex(data) {
    search = core.createSearch(data);
    loadedAt = performance.now();
  }

  function query(q, facets) {
    if (!search) throw new Error("搜索索引尚未载入");
    return search.query(q, facets);
  }

  function pageLabels() {
    const el = document.getElementById("sz-search-labels");
    try {
      return {...DEFAULT_LABELS, ...(el ? JSON.parse(el.textContent) : {})};
    } catch (e) {
      return DEFAULT_LABELS;
    }
  }

  const urls = (name) => core.pageUrls(name, global.DOCUMENTATION_OPTIONS || {FILE_SUFFIX: ".html", LINK_SUFFIX: ".html", BUILDER: "html"},
    document.documentElement.dataset.content_root || "");

  /** The text of a fetched page: {full, body}, body without the headings. */
  function pageText(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const main = doc.querySelector('[role="main"]') || doc.body;
    main.querySelectorAll(".headerlink, script, style").forEach((el) => el.remove());
    const full = main.textContent || "";
    main.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach((el) => el.remove());
    return {full, body: main.textContent || ""};
  }

  function fillFacets(result, facets) {
    const counted = result && (result.pieces.length || Object.values(facets).some((v) => v));
    for (const dim of core.DIMS) {
      const select = ui.form.elements[dim];
      select.replaceChildren(select.options[0] || new Option("", ""));
      for (const value of search.facetValues(dim)) {
        const name = core.label(dim, value, ui.labels);
        const n = counted ? result.counts[dim].get(value) || 0 : null;
        const option = new Option(n === null ? name : `${name}（${n}）`, value);
        option.disabled = n === 0 && facets[dim] !== value;
        select.add(option);
      }
      select.value = facets[dim] || "";
    }
  }

  /** The snippet of a hit, from its page; a hit whose page holds all the bigrams but not the phrase is dropped. */
  async function fill(li, hit, pieces, token, drop) {
    const p = li.querySelector(".context");
    try {
      const response = await fetch(urls(hit.name).fetch);
      if (!response.ok) throw new Error(`${response.status}`); // an error page is not the hit's text
      const page = pageText(await response.text());
      if (token !== ui.token) return;
      const html = core.snippet(page, pieces);
      if (html === null) drop(li);
      else p.innerHTML = html;
    } catch (e) {
      if (token === ui.token) p.textContent = "";
    }
  }

  function hitItem(hit, pieces, highlight) {
    const li = document.createElement("li");
    li.className = `sz-hit sz-tier-${hit.tier}`;
    const a = document.createElement("a");
    a.href = urls(hit.name).link + (highlight ? `?highlight=${encodeURIComponent(highlight)}` : "") + (hit.head ? `#${hit.head[1]}` : "");
    a.innerHTML = core.highlighted(hit.title, pieces);
    const meta = document.createElement("span");
    meta.className = "sz-hit-meta";
    meta.textContent = core.metaLine(hit.report, ui.labels);
    li.append(a, meta);
    if (hit.head) {
      const head = document.createElement("p");
      head.className = "sz-hit-head";
      head.innerHTML = "章节：" + core.highlighted(hit.head[0], pieces);
      li.append(head);
    }
    const context = document.createElement("p");
    context.className = "context";
    context.textContent = "正在载入摘要……";
    li.append(context);
    return li;
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
    summary.textContent = core.summaryText(shown, q, facets, ui.labels);
    const highlight = result.pieces.map((p) => p.text).join(" ");
    const token = (ui.token = {});
    const drop = (li) => {
      li.remove();
      shown -= 1;
      summary.textContent = core.summaryText(shown, q, facets, ui.labels);
    };
    let next = 0;
    const more = document.createElement("button");
    more.type = "button";
    more.className = "sz-more";
    more.textContent = "显示更多结果";
    const page = () => {
      const batch = result.results.slice(next, next + PAGE);
      next += batch.length;
      for (const hit of batch) {
        const li = hitItem(hit, result.pieces, highlight);
        list.append(li);
        fill(li, hit, result.pieces, token, drop);
      }
      if (next < result.results.length) results.append(more);
      else more.remove();
    };
    more.addEventListener("click", page);
    page();
    return result;
  }

  /** Show the search of `state` ({q, facets}): the form set to it, its results listed. */
  function show(state) {
    const {q, facets} = state;
    ui.form.elements.q.value = q;
    if (q || Object.values(facets).some((v) => v)) render(q, facets);
    else {
      ui.token = {};
      ui.results.replaceChildren();
      fillFacets(null, facets);
    }
  }

  function fromForm() {
    const els = ui.form.elements;
    return {q: els.q.value.trim(), facets: {year: els.year.value, org: els.org.value, kind: els.kind.value}};
  }

  /** A new search from the form: a new history entry (unless the address would not change), then its results. */
  function submit() {
    const state = fromForm();
    const address = core.toParams(state.q, state.facets);
    if (address !== (global.location.search || "?")) global.history.pushState(state, "", address);
    show(state);
    const progress = document.getElementById("search-progress");
    if (progress) progress.textContent = "";
  }

  function init() {
    const results = document.getElementById("search-results");
    const form = document.querySelector("form.sz-search-page");
    if (!results || !form) return;
    ui = {results, form, token: null, elapsed: 0, labels: pageLabels()};
    if (!search) {
      results.innerHTML = '<p class="search-summary">搜索索引未能载入，请稍后刷新页面再试。</p>';
      return;
    }
    form.querySelector(".sz-facets").hidden = !search.hasReports;
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      submit();
    });
    for (const dim of core.DIMS) form.elements[dim].addEventListener("change", submit);
    // back and forward: the search of that history entry (its address says which)
    global.addEventListener("popstate", () => show(core.fromParams(global.location.search)));
    show(core.fromParams(global.location.search));
    form.elements.q.focus();
  }

  global.ShuzhiSearch = {
    setIndex, query, normalise: core.normalise, runs: core.runs, grams: core.grams, decode: core.decode,
    snippet: core.snippet, get ready() { return search !== null; }, get loadedAt() { return loadedAt; },
    get elapsed() { return ui ? ui.elapsed : null; },
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(window);
