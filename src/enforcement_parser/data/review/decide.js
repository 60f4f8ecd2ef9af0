"use strict";
// Review actions: confirm / correct / not stated / add from selected text, kept in localStorage under the
// source's sha256 and exported as NAME.review.json (the format of schemas/review.schema.json).
(function () {
  var bar = document.getElementById("review-bar");
  var text = document.getElementById("text");
  var table = document.getElementById("fields");
  if (!bar || !text || !table) return;
  var KEY = "enforce-review:" + bar.dataset.sha256;
  var msg = document.getElementById("review-msg");
  var reviewerInput = document.getElementById("reviewer");
  var state = load();
  var lastSpan = null;

  // ---- offsets: characters (code points) of the decoded text, as the record's evidence counts them
  function codePoints(s) { return Array.from(s).length; }
  // The DOM must hold exactly the source text (CR kept as &#13;); otherwise offsets could lie.
  var textIntact = codePoints(text.textContent) === Number(text.dataset.length);

  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    var start = codePoints(before.toString());
    var chosen = range.toString();
    if (!chosen) return null;
    return { start: start, end: start + codePoints(chosen), text: chosen };
  }
  function rememberSelection() {
    var span = selectedSpan();
    if (!span) return;
    if (!textIntact) { say("this page's text differs from the source: select-to-add is off"); return; }
    lastSpan = span;
    document.getElementById("selection").textContent = "selected 「" + span.text + "」 " + span.start + "–" + span.end;
  }

  // ---- state
  // This browser's decisions for these bytes; else those of the review file the page was built with.
  function load() {
    var empty = { reviewer: "", fields: {} };
    try { return JSON.parse(localStorage.getItem(KEY)) || JSON.parse(bar.dataset.decisions || "null") || empty; }
    catch (e) { return empty; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { say("not saved in this browser: " + e.message); }
    render();
  }
  function say(s) { msg.textContent = s; }

  // ---- values typed by the reviewer, as the catalogue kind wants them
  var MULT = { "万": 1e4, "亿": 1e8 };
  function parseValue(kind, raw) {
    var s = String(raw).trim();
    if (kind === "names") {
      var names = s.split(/[、,，;；\s]+/).filter(Boolean);
      return names.length ? names : undefined;
    }
    if (kind === "text" || kind === "enum") return s || undefined;
    if (kind === "date") return /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined;
    var m = s.replace(/[,，\s]/g, "").match(/^(\d+(?:\.\d+)?)(万|亿)?(元|%|件|人|次|个|台|部|起|名|项)?$/);
    if (!m) return undefined;
    var n = Number(m[1]) * (m[2] ? MULT[m[2]] : 1);
    n = Math.round(n * 1e6) / 1e6;
    if ((kind === "count" || kind === "year") && !Number.isInteger(n)) return undefined;
    if (kind === "percent" && n > 100) return undefined;
    return n;
  }
  function guess(kind, span) {  // what a selection most likely says, as a starting point to edit
    if (!span) return "";
    if (kind === "text" || kind === "names" || kind === "date") return span.text;
    var m = span.text.replace(/[,，\s]/g, "").match(/\d+(?:\.\d+)?(万|亿)?/);
    return m ? m[0] : "";
  }

  // ---- decisions
  function machine(row) { return JSON.parse(row.dataset.value); }
  function machineSpan(row) {
    if (row.dataset.start === undefined) return null;
    return { start: Number(row.dataset.start), end: Number(row.dataset.end), text: row.dataset.evtext };
  }
  function decide(row, action, value, span, qualifier) {
    var d = { action: action, value: value === undefined ? null : value, machine: machine(row),
              time: new Date().toISOString() };
    if (span) d.evidence = span;
    if (qualifier && qualifier !== "exact") d.qualifier = qualifier;
    state.fields[row.dataset.path] = d;
    save();
  }
  function confirmRow(row) {
    if (machine(row) === null) { say(row.dataset.path + ": nothing to confirm — add a value (e) or mark not stated (x)"); return; }
    decide(row, "confirm", machine(row), machineSpan(row), row.dataset.qualifier);
  }
  function notStated(row) { decide(row, "not-stated", null, null); }
  function undo(row) { delete state.fields[row.dataset.path]; save(); }

  function edit(row) {
    var found = machine(row) !== null;
    var span = lastSpan || (found ? machineSpan(row) : null);
    if (!span) { say(row.dataset.path + ": select the value's text in the report first, then press e"); return; }
    var cell = row.querySelector("td.decide .decision");
    var input = document.createElement("input");
    input.type = "text";
    input.className = "edit";
    var kept = state.fields[row.dataset.path];
    input.value = lastSpan ? guess(row.dataset.kind, span)
      : kept && kept.value !== null ? String(kept.value) : found ? String(machine(row)) : "";
    cell.textContent = (found ? "更正 " : "添加 ") + "「" + span.text + "」 → ";
    cell.appendChild(input);
    input.focus();
    input.select();
    input.addEventListener("keydown", function (e) {
      e.stopPropagation();
      if (e.key === "Escape") { render(); row.focus(); return; }
      if (e.key !== "Enter") return;
      var value = parseValue(row.dataset.kind, input.value);
      if (value === undefined) { say(row.dataset.path + ": 「" + input.value + "」 is not a " + row.dataset.kind); return; }
      var sameSpan = !lastSpan && found;
      decide(row, found ? "correct" : "add", value, span, sameSpan ? row.dataset.qualifier : "exact");
      lastSpan = null;
      document.getElementById("selection").textContent = "select report text to add a value";
      say("");
      row.focus();
    });
  }

  // ---- showing the state
  function show(v) { return Array.isArray(v) ? v.join("、") : String(v); }
  var LABEL = { "confirm": "✓ 已确认", "correct": "✎ 更正为 ", "add": "+ 添加 ", "not-stated": "∅ 未载明" };
  function render() {
    var rows = table.tBodies[0].rows, done = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], d = state.fields[row.dataset.path];
      ["confirm", "correct", "add", "not-stated"].forEach(function (a) { row.classList.remove("d-" + a); });
      var cell = row.querySelector("td.decide .decision");
      if (!cell) continue;
      if (!d) { cell.textContent = ""; continue; }
      done++;
      row.classList.add("d-" + d.action);
      cell.textContent = LABEL[d.action] + (d.action === "correct" || d.action === "add" ? show(d.value) : "");
    }
    document.getElementById("progress").textContent = "reviewed " + done + "/" + rows.length;
    reviewerInput.value = state.reviewer || "";
  }

  // ---- export
  function exportFile() {
    var out = { review_version: "1", source: { path: bar.dataset.source, sha256: bar.dataset.sha256 },
                engine: bar.dataset.engine, reviewer: state.reviewer || null, fields: state.fields };
    var blob = new Blob([JSON.stringify(out, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = bar.dataset.file;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    say("exported " + bar.dataset.file + " (" + Object.keys(state.fields).length + " decisions)");
  }

  // ---- keyboard first, mouse too
  function visibleRows() {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return r.offsetParent !== null; });
  }
  function currentRow() { return document.activeElement && document.activeElement.closest ? document.activeElement.closest("#fields tbody tr") : null; }
  function move(step) {
    var rows = visibleRows();
    if (!rows.length) return;
    var i = rows.indexOf(currentRow());
    var next = rows[Math.max(0, Math.min(rows.length - 1, i < 0 ? 0 : i + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  var ACTIONS = { y: confirmRow, e: edit, x: notStated, u: undo };
  document.addEventListener("keydown", function (e) {
    if (e.target.closest && e.target.closest("input, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "j" || e.key === "k") { e.preventDefault(); move(e.key === "j" ? 1 : -1); return; }
    var act = ACTIONS[e.key], row = currentRow();
    if (act && row) { e.preventDefault(); act(row); }
  });
  table.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-act]");
    if (!button) return;
    var row = button.closest("tr");
    row.focus();
    ({ confirm: confirmRow, edit: edit, "not-stated": notStated, undo: undo })[button.dataset.act](row);
  });
  // Keep the selection: clicking a button or a row must not lose the text chosen for "add".
  text.addEventListener("mouseup", rememberSelection);
  text.addEventListener("keyup", rememberSelection);
  document.addEventListener("selectionchange", rememberSelection);
  reviewerInput.addEventListener("input", function () { state.reviewer = reviewerInput.value; save(); });
  document.getElementById("export").addEventListener("click", exportFile);
  render();
})();
