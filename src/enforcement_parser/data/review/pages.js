"use strict";
(function () { // a scan's page images (only on such pages): a field's box follows its row, as its span does
  var table = document.getElementById("fields");
  var pages = document.getElementById("pages");
  function boxesOf(path) {
    return Array.prototype.filter.call(pages.querySelectorAll("rect.pbox"), function (b) { return b.dataset.path === path; });
  }
  function flash(el) {
    el.classList.remove("flash");
    void el.getBoundingClientRect(); // restart the animation when clicked again
    el.classList.add("flash");
    clearTimeout(el.flashTimer);
    el.flashTimer = setTimeout(function () { el.classList.remove("flash"); }, 1600);
  }
  function showBox(path) { // after page.js, whose click handler cleared the previous .current
    var boxes = boxesOf(path);
    if (!boxes.length) return;
    boxes.forEach(function (b) { b.classList.add("current"); flash(b); });
    boxes[0].scrollIntoView({ block: "center", inline: "nearest" });
  }
  function rowOf(e) { return e.target.closest("button, input") ? null : e.target.closest("tr.linked"); }
  table.addEventListener("click", function (e) { var row = rowOf(e); if (row) showBox(row.dataset.path); });
  table.addEventListener("keydown", function (e) {
    var row = rowOf(e);
    if (row && (e.key === "Enter" || e.key === " ")) showBox(row.dataset.path);
  });
  pages.addEventListener("click", function (e) { // a box finds its row through its span (page.js)
    var box = e.target.closest("rect.pbox");
    if (!box) return;
    var mark = Array.prototype.find.call(document.querySelectorAll("#text mark.ev"), function (m) {
      return m.dataset.paths.split(" ").indexOf(box.dataset.path) >= 0;
    });
    if (mark) mark.click();
  });
})();
