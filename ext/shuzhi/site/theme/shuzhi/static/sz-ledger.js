// 问题整改台账页的筛选：按年度、单位、整改状态显示表格行。
// 地址中的 ?year=2023&org=…&status=reappeared 预选筛选条件（单位页、统计页可直接链接到筛选后的台账）。
(function () {
  "use strict";

  function setup(form) {
    var table = document.querySelector("table.sz-ledger-table");
    var count = form.querySelector(".sz-ledger-count");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));

    function apply() {
      var want = {};
      selects.forEach(function (s) { want[s.name] = s.value; });
      var shown = 0;
      rows.forEach(function (tr) {
        var ok = (!want.year || tr.dataset.year === want.year) &&
                 (!want.org || tr.dataset.org === want.org) &&
                 (!want.status || tr.dataset.status === want.status);
        tr.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = "显示 " + shown + " 条";
    }

    var query = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var value = query.get(s.name);
      if (value && Array.prototype.some.call(s.options, function (o) { return o.value === value; })) s.value = value;
      s.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }

  function init() {
    var form = document.querySelector("form[data-sz-ledger-filter]");
    if (form) setup(form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
