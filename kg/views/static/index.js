// papers-kg index: filter the entity table by text and label, sort it by any column, and offer
// close names when a search finds nothing. Text is only ever read and written as text.
(function () {
  "use strict";

  var table = document.getElementById("entities");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var query = document.getElementById("q");
  var labelFilter = document.getElementById("label-filter");
  var shown = document.getElementById("shown");
  var suggest = document.getElementById("did-you-mean");

  // the same key as kg.text.match_key: accents dropped, lower case, only letters and digits
  function norm(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^0-9a-z]+/g, "");
  }

  function bigrams(text) {
    var grams = {};
    for (var i = 0; i < text.length - 1; i++) grams[text.slice(i, i + 2)] = (grams[text.slice(i, i + 2)] || 0) + 1;
    return grams;
  }

  function similarity(a, b) {
    var ga = bigrams(a), gb = bigrams(b), shared = 0, total = Math.max(a.length - 1, 0) + Math.max(b.length - 1, 0);
    Object.keys(ga).forEach(function (g) { if (gb[g]) shared += Math.min(ga[g], gb[g]); });
    return total ? 2 * shared / total : 0;
  }

  function offer(term, label) {
    suggest.replaceChildren();
    suggest.hidden = true;
    if (!term) return;
    var scored = rows.filter(function (row) { return !label || row.dataset.label === label; })
      .map(function (row) { return { row: row, score: similarity(term, norm(row.dataset.name)) }; })
      .filter(function (s) { return s.score >= 0.4; })
      .sort(function (a, b) { return b.score - a.score; })
      .slice(0, 5);
    if (!scored.length) { suggest.textContent = "No entity matches."; suggest.hidden = false; return; }
    suggest.appendChild(document.createTextNode("No entity matches. Did you mean"));
    scored.forEach(function (s, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = s.row.dataset.name;
      button.addEventListener("click", function () { query.value = s.row.dataset.name; apply(); });
      suggest.appendChild(document.createTextNode(i ? "," : ""));
      suggest.appendChild(button);
    });
    suggest.appendChild(document.createTextNode("?"));
    suggest.hidden = false;
  }

  function apply() {
    var term = norm(query.value), label = labelFilter.value, count = 0;
    rows.forEach(function (row) {
      var visible = (!label || row.dataset.label === label) && (!term || row.dataset.search.indexOf(term) !== -1);
      row.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = count + " of " + rows.length + " shown";
    if (count) { suggest.hidden = true; suggest.replaceChildren(); } else offer(term, label);
  }

  function sortBy(th) {
    var index = th.cellIndex, numeric = th.dataset.type === "number";
    var direction = th.getAttribute("aria-sort") === (numeric ? "descending" : "ascending") ?
      (numeric ? "ascending" : "descending") : (numeric ? "descending" : "ascending");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction);
    var sign = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.cells[index].dataset.value, y = b.cells[index].dataset.value;
      var diff = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { sensitivity: "base" });
      return sign * diff || a.dataset.name.localeCompare(b.dataset.name);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var button = th.querySelector("button");
    if (button) button.addEventListener("click", function () { sortBy(th); });
  });
  query.addEventListener("input", apply);
  labelFilter.addEventListener("change", apply);
  apply();
})();
