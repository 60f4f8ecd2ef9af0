"use strict";
(function () {
  var table = document.getElementById("index");
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, col, numeric) {
    var v = row.cells[col].dataset.sort;
    return numeric ? (v === "" ? -Infinity : Number(v)) : v;
  }
  function sortBy(th) {
    var col = heads.indexOf(th), numeric = th.dataset.type === "num";
    var dir = th.dataset.dir === "asc" ? "desc" : "asc";
    heads.forEach(function (h) { delete h.dataset.dir; });
    th.dataset.dir = dir;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      var c = numeric ? (x < y ? -1 : x > y ? 1 : 0) : String(x).localeCompare(String(y), "zh-CN");
      return dir === "asc" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  heads.forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(th); });
  });
})();
