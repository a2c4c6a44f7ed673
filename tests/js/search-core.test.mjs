// The search core (ext/shuzhi/site/theme/shuzhi/static/shuzhi-search-core.js) under Node's test runner:
// bigrams, posting lists, query and ranking, facets, snippets, labels, the page address.
// `node --test tests/js/` (run by `make test`); no npm packages. The page itself is tested in
// Chromium (tests/test_search_browser.py).
import assert from "node:assert/strict";
import {createRequire} from "node:module";
import {describe, it} from "node:test";

const require = createRequire(import.meta.url);
const core = require("../../ext/shuzhi/site/theme/shuzhi/static/shuzhi-search-core.js");

const LABELS = {undated: "年份待定", org: "单位待定", kind: "类型待定", handbook: "使用手册"};

// The encoder of shuzhi.search.postings, written again from its description: each step is
// 2·gap + has_run, then run length − 2 for a run (of two pages or more); five bits a letter,
// low bits first.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
function encode(pages) {
  const out = [];
  const number = (v) => {
    while (v >= 32) {
      out.push(ALPHABET[32 + (v & 31)]);
      v >>= 5;
    }
    out.push(ALPHABET[v]);
  };
  let prev = -1;
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1) j++;
    const gap = pages[i] - prev - 1;
    if (j > i) {
      number(2 * gap + 1);
      number(j - i - 1);
    } else number(2 * gap);
    prev = pages[j];
    i = j + 1;
  }
  return out.join("");
}

/** A searchindex.js payload for the pages [{name, title, text, heads: [[title, anchor, text]], report}]. */
function indexOf(pages) {
  const postings = new Map();
  const headtitles = [];
  const heads = pages.map((page, doc) => (page.heads || []).map(([title, anchor, text]) => {
    for (const g of core.grams(`${title} ${text}`)) (postings.get(g) || postings.set(g, new Set()).get(g)).add(doc);
    headtitles.push(title);
    return [headtitles.length - 1, anchor];
  }));
  pages.forEach((page, doc) => {
    for (const g of core.grams(`${page.title || ""} ${page.text}`)) (postings.get(g) || postings.set(g, new Set()).get(g)).add(doc);
  });
  const orgs = [...new Set(pages.filter((p) => p.report).map((p) => p.report.org))];
  const kinds = [...new Set(pages.filter((p) => p.report).map((p) => p.report.kind))];
  return {
    docnames: pages.map((p) => p.name),
    titles: pages.map((p) => p.title),
    terms: Object.fromEntries([...postings].map(([g, docs]) => [g, encode([...docs].sort((a, b) => a - b))])),
    heads, headtitles, orgs, kinds,
    reports: pages.flatMap((p, doc) => (p.report ? [[doc, p.report.year, orgs.indexOf(p.report.org), kinds.indexOf(p.report.kind)]] : [])),
  };
}

const PAGES = [
  {name: "reports/2022/a", title: "区发改委2022年述职报告", text: "推进党建品牌创建，开展三会一课。",
    report: {year: 2022, org: "区发改委", kind: "述职报告"}},
  {name: "reports/2023/a", title: "区发改委2023年述职报告", text: "落实三会一课制度，谈心谈话全覆盖。",
    heads: [["党建品牌建设情况", "dang-jian", "打造品牌。"]], report: {year: 2023, org: "区发改委", kind: "述职报告"}},
  {name: "reports/2023/b", title: "教育局党建品牌工作总结", text: "品牌特色不鲜明。", report: {year: 2023, org: "教育局", kind: "工作总结"}},
  {name: "reports/undated/c", title: "某支部书记述职报告", text: "党建引领，品牌建设滞后。", report: {year: null, org: "", kind: "述职报告"}},
  {name: "docs/guide", title: "写作指南", text: "三会一课的写法。"},
  {name: "archive/quality", title: "", text: "三会一课 党建品牌"}, // nosearch: no title in the index
];

describe("bigrams as in shuzhi.search.grams", () => {
  it("normalises width and case and drops spaces next to Han characters", () => {
    assert.equal(core.normalise("党建 品牌 ＡＢＣ"), "党建品牌abc");
    assert.equal(core.normalise("Party  Building"), "party  building");
  });
  it("splits runs at punctuation and spaces and keeps one-character runs", () => {
    assert.deepEqual(core.runs("三会一课、主题党日 x"), ["三会一课", "主题党日", "x"]);
    assert.deepEqual([...core.grams("党建品牌")], ["党建", "建品", "品牌"]);
    assert.deepEqual([...core.grams("党")], ["党"]);
  });
  it("keeps an astral character inside its run", () => {
    assert.deepEqual([...core.grams("𠀀党")], ["𠀀党"]);
  });
});

describe("posting lists", () => {
  it("decodes single pages, gaps and runs", () => {
    assert.deepEqual(core.decode("A"), [0]);
    assert.deepEqual(core.decode("K"), [5]);
    assert.deepEqual(core.decode("BC"), [0, 1, 2, 3]);
    assert.deepEqual(core.decode("CAE"), [1, 2, 5]);
    assert.deepEqual(core.decode(""), []);
  });
  it("decodes what the encoder writes, long numbers included", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 200; n++) {
      const pages = [];
      for (let p = Math.floor(random() * 3); pages.length < 1 + n % 40; p += 1 + Math.floor(random() * (n % 2 ? 3 : 5000))) pages.push(p);
      assert.deepEqual(core.decode(encode(pages)), pages);
    }
  });
});

describe("query and ranking", () => {
  const search = core.createSearch(indexOf(PAGES));
  const names = (q, facets) => search.query(q, facets).results.map((r) => r.name);

  it("finds every page holding all the bigrams of the phrase, never a nosearch page", () => {
    assert.deepEqual(new Set(names("三会一课")), new Set(["reports/2022/a", "reports/2023/a", "docs/guide"]));
    assert.deepEqual(names("不存在的短语"), []);
  });
  it("ranks a title hit before a heading hit before a body hit, newer years first within a tier", () => {
    const hits = search.query("党建品牌").results;
    assert.deepEqual(hits.map((r) => [r.name, r.tier]), [
      ["reports/2023/b", 3], ["reports/2023/a", 2], ["reports/2022/a", 1]]);
    assert.deepEqual(hits[1].head, ["党建品牌建设情况", "dang-jian", core.normalise("党建品牌建设情况")]);
  });
  it("asks for every piece of a multi-word query", () => {
    assert.deepEqual(names("三会一课 谈心谈话"), ["reports/2023/a"]);
  });
  it("answers a one-character query from the terms holding it", () => {
    assert.deepEqual(new Set(names("滞")), new Set(["reports/undated/c"]));
  });
  it("filters by facets and counts each facet as if it alone were unset", () => {
    const result = search.query("品牌", {year: "2023"});
    assert.deepEqual(new Set(result.results.map((r) => r.name)), new Set(["reports/2023/a", "reports/2023/b"]));
    assert.deepEqual(Object.fromEntries(result.counts.year), {2022: 1, 2023: 2, undated: 1});
    assert.deepEqual(Object.fromEntries(result.counts.org), {区发改委: 1, 教育局: 1});
    assert.deepEqual(names("品牌", {org: core.NONE}), ["reports/undated/c"]);
  });
  it("browses by facet alone, and lists the facet values newest first, none last", () => {
    assert.deepEqual(new Set(names("", {kind: "述职报告"})), new Set(["reports/2022/a", "reports/2023/a", "reports/undated/c"]));
    assert.deepEqual(names(""), []);
    assert.deepEqual(search.facetValues("year"), ["2023", "2022", "undated"]);
    assert.deepEqual(search.facetValues("org").at(-1), core.NONE);
  });
});

describe("snippets", () => {
  const pieces = core.parse("三会一课");
  it("marks the phrase in the body and escapes the text", () => {
    const html = core.snippet({full: "标题 落实<三会一课>制度", body: "落实<三会一课>制度"}, pieces);
    assert.equal(html, "落实&#60;<mark>三会一课</mark>&#62;制度");
  });
  it("finds the phrase across whitespace and width", () => {
    assert.equal(core.snippet({full: "三会 一课", body: "三会 一课"}, core.parse("三会一课")), "<mark>三会 一课</mark>");
  });
  it("drops a page holding the bigrams but not the phrase", () => {
    assert.equal(core.snippet({full: "三会，会一，一课", body: "三会，会一，一课"}, pieces), null);
  });
  it("cuts a long text around the first hit, after a break", () => {
    const body = "甲".repeat(100) + "，" + "乙".repeat(25) + "开展三会一课活动。" + "丙".repeat(200);
    const html = core.snippet({full: body, body}, pieces);
    assert.ok(html.startsWith(`……${"乙".repeat(25)}开展<mark>三会一课</mark>活动。丙`), html);
    assert.ok(html.endsWith("丙……") && html.length < 140, html);
  });
  it("shows the opening of the page when only facets were asked", () => {
    assert.equal(core.snippet({full: "标题 正文", body: "正文 <b>"}, []), "正文 &#60;b&#62;");
  });
  it("marks titles and headings", () => {
    assert.equal(core.highlighted("三会一课 & 党建", pieces), "<mark>三会一课</mark> &#38; 党建");
    assert.equal(core.highlighted("a<b", []), "a&#60;b");
  });
});

describe("words on the page", () => {
  it("names facet values with the page's labels", () => {
    assert.equal(core.label("year", "2023", LABELS), "2023年");
    assert.equal(core.label("year", core.UNDATED, LABELS), "年份待定");
    assert.equal(core.label("org", core.NONE, LABELS), "单位待定");
    assert.equal(core.metaLine({year: null, org: "", kind: "述职报告"}, LABELS), "年份待定 · 单位待定 · 述职报告");
    assert.equal(core.metaLine(null, LABELS), "使用手册");
  });
  it("says what was found and within which filters", () => {
    assert.equal(core.summaryText(3, "党建", {year: "2023"}, LABELS), "搜索完成，找到 3 个相关页面（筛选：2023年）。");
    assert.equal(core.summaryText(2, "", {kind: "述职报告"}, LABELS), "共 2 篇报告（筛选：述职报告）。");
    assert.match(core.summaryText(0, "党建", {year: "2023"}, LABELS), /放宽/);
  });
});

describe("the page address", () => {
  it("writes the query and facets as parameters and reads them back", () => {
    const facets = {year: "2023", org: "区发改委", kind: ""};
    const address = core.toParams("党建 品牌", facets);
    assert.equal(address, "?q=%E5%85%9A%E5%BB%BA+%E5%93%81%E7%89%8C&year=2023&org=%E5%8C%BA%E5%8F%91%E6%94%B9%E5%A7%94");
    assert.deepEqual(core.fromParams(address), {q: "党建 品牌", facets});
    assert.equal(core.toParams("", {year: "", org: "", kind: ""}), "?");
  });
  it("links pages of the html and dirhtml builders", () => {
    const html = {FILE_SUFFIX: ".html", LINK_SUFFIX: ".html", BUILDER: "html"};
    assert.deepEqual(core.pageUrls("reports/2023/a", html, "../"), {link: "../reports/2023/a.html", fetch: "../reports/2023/a.html"});
    const dir = {FILE_SUFFIX: ".html", LINK_SUFFIX: "", BUILDER: "dirhtml"};
    assert.deepEqual(core.pageUrls("docs/index", dir, ""), {link: "docs/", fetch: "docs/"});
  });
});
