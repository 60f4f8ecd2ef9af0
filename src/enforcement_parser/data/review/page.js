"use strict";
(function () {
  var text = document.getElementById("text");
  var table = document.getElementById("fields");
  var tip = document.getElementById("tip");

  function hasPath(el, path) { return el.dataset.paths.split(" ").indexOf(path) >= 0; }
  function marksOf(path) {
    return Array.prototype.filter.call(text.querySelectorAll("mark.ev"), function (m) { return hasPath(m, path); });
  }
  function rowsOf(paths) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return paths.indexOf(r.dataset.path) >= 0; });
  }
  function flash(el) {
    el.classList.remove("flash");
    void el.offsetWidth; // restart the animation when clicked again
    el.classList.add("flash");
    clearTimeout(el.flashTimer);
    el.flashTimer = setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }
  function mark(els) {
    document.querySelectorAll(".current").forEach(function (e) { e.classList.remove("current"); });
    els.forEach(function (e) { e.classList.add("current"); });
  }
  function showSpan(path) {
    var marks = marksOf(path);
    if (!marks.length) return;
    mark(marks.concat(rowsOf([path])));
    marks[0].scrollIntoView({ block: "center", inline: "nearest" });
    marks.forEach(flash);
  }
  function showRows(paths) {
    var rows = rowsOf(paths);
    if (!rows.length) return;
    if (getComputedStyle(rows[0]).display === "none") setFilter("all");
    mark(rows.concat(marksOf(paths[0])));
    rows[0].scrollIntoView({ block: "center", inline: "nearest" });
    rows.forEach(flash);
  }
  function setFilter(value) {
    table.dataset.filter = value;
    document.querySelectorAll('input[name="filter"]').forEach(function (r) { r.checked = r.value === value; });
  }
  function toggleDrops(row) { // a missing field: show or hide the candidates that were dropped
    var panel = row.querySelector(".drops");
    panel.hidden = !panel.hidden;
    row.classList.toggle("open", !panel.hidden);
  }
  function activate(row) {
    if (row.classList.contains("linked")) showSpan(row.dataset.path);
    else if (row.classList.contains("explained")) toggleDrops(row);
  }
  table.addEventListener("click", function (e) {
    if (e.target.closest("button, input")) return; // the review actions (decide.js) are not the row's
    var row = e.target.closest("tr.linked, tr.explained");
    if (row) activate(row);
  });
  table.addEventListener("keydown", function (e) {
    if (e.target.closest("button, input")) return;
    var row = e.target.closest("tr.linked, tr.explained");
    if (row && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); activate(row); }
  });
  text.addEventListener("click", function (e) {
    var m = e.target.closest("mark.ev");
    if (m) showRows(m.dataset.paths.split(" "));
  });
  function placeTip(e) {
    var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = e.clientY + 18;
    if (y + tip.offsetHeight > window.innerHeight - 8) y = e.clientY - tip.offsetHeight - 12;
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }
  text.addEventListener("mouseover", function (e) {
    var m = e.target.closest("mark.ev");
    if (!m) { tip.hidden = true; return; }
    var tips = [];
    for (var el = m; el && el !== text; el = el.parentElement) {
      if (el.matches("mark.ev")) tips.push(el.dataset.tip);
    }
    tip.textContent = tips.join("\n"); // a nested span also shows the spans around it
    tip.hidden = false;
    placeTip(e);
  });
  text.addEventListener("mousemove", function (e) { if (!tip.hidden) placeTip(e); });
  text.addEventListener("mouseleave", function () { tip.hidden = true; });
  document.querySelectorAll('input[name="filter"]').forEach(function (r) {
    r.addEventListener("change", function () { setFilter(r.value); });
  });
})();
