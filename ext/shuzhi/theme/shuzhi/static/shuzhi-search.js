/* 搜索页中文化：Sphinx 8.2 的 searchtools.js 用复数形式的新提示语，zh_CN 译文仍是旧写法，
 * 页面因而显示英文“Search finished, found 3 pages…”。这里补上译文。 */
(function () {
  if (typeof Documentation === "undefined") return;
  const found = "搜索完成，找到 ${resultCount} 个相关页面。";
  Object.assign(Documentation.TRANSLATIONS, {
    "Search finished, found one page matching the search query.": [found, found],
    "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
      "没有找到相关页面。请检查词语是否写对，或换一个较短的词语再试。",
    "Search Results": "搜索结果",
    "Searching": "正在搜索",
    "Preparing search...": "正在准备搜索……",
  });
})();
