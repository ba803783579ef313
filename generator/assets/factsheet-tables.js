/* factsheet: sortable and filterable tables (the sanctions overview), in the browser only.
 *
 * Progressive: the page holds the complete table; without this script it is simply a table.
 * With it, a list per chosen column keeps the rows naming a value, and each heading sorts.
 * A table opts in by sitting in <div class="fs-table" data-fs-table>; the wrapper may name
 * columns to filter by (data-fs-filters="2 3 6", 0-based) and what a row is (data-fs-noun).
 * A cell may carry its sort key in a data-sort attribute on an element inside it (dates:
 * yyyymmdd numbers). Nothing is fetched, nothing is written as HTML: text goes in through
 * textContent and elements are made with createElement, so no cell text can become markup.
 */
(function () {
  "use strict";

  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function cellText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  function sortKey(cell) {
    var keyed = cell.querySelector("[data-sort]");
    return keyed ? keyed.getAttribute("data-sort") : cellText(cell);
  }

  /* The values a cell holds for a filter: the names it links to, else its text. */
  function cellValues(cell) {
    var links = cell.querySelectorAll("a");
    var values = [];
    for (var i = 0; i < links.length; i++) {
      var text = cellText(links[i]);
      if (text && values.indexOf(text) < 0) values.push(text);
    }
    if (!values.length && cellText(cell)) values.push(cellText(cell));
    return values;
  }

  function compare(a, b) {
    var na = Number(a), nb = Number(b);
    if (a !== "" && b !== "" && !isNaN(na) && !isNaN(nb)) return na - nb;
    return collator.compare(a, b);
  }

  function enhance(wrapper) {
    if (wrapper.getAttribute("data-fs-ready")) return;
    var table = wrapper.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    wrapper.setAttribute("data-fs-ready", "1");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var noun = wrapper.getAttribute("data-fs-noun") || "rows";
    var filterColumns = (wrapper.getAttribute("data-fs-filters") || "")
      .split(/\s+/)
      .filter(function (x) { return x !== ""; })
      .map(Number)
      .filter(function (i) { return i >= 0 && i < headers.length; });

    /* controls: one list per filter column, a way back to all rows, a count. No <input> and
       no <button>: lists and focusable headings do it, and nothing can be submitted. */
    var controls = document.createElement("div");
    controls.className = "fs-table__controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Filter the " + noun);

    var selects = filterColumns.map(function (column) {
      var values = [];
      rows.forEach(function (row) {
        cellValues(row.cells[column]).forEach(function (v) {
          if (values.indexOf(v) < 0) values.push(v);
        });
      });
      values.sort(collator.compare);
      var select = document.createElement("select");
      select.className = "fs-table__filter";
      var title = cellText(headers[column]);
      select.setAttribute("aria-label", title);
      select.setAttribute("data-column", String(column));
      var any = document.createElement("option");
      any.value = "";
      any.textContent = title + ": all";
      select.appendChild(any);
      values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      var label = document.createElement("label");
      label.appendChild(select);
      controls.appendChild(label);
      return select;
    });

    var reset = document.createElement("span");
    reset.className = "fs-table__reset";
    reset.setAttribute("role", "button");
    reset.tabIndex = 0;
    reset.textContent = "Show all";
    controls.appendChild(reset);

    var status = document.createElement("p");
    status.className = "fs-table__status";
    status.setAttribute("aria-live", "polite");
    wrapper.insertBefore(status, wrapper.firstChild);
    wrapper.insertBefore(controls, wrapper.firstChild);

    function apply() {
      var shown = 0;
      var active = [];
      selects.forEach(function (select) {
        if (select.value) active.push(select.getAttribute("aria-label") + " = " + select.value);
      });
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (select) {
          if (ok && select.value) {
            ok = cellValues(row.cells[Number(select.getAttribute("data-column"))]).indexOf(select.value) >= 0;
          }
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = active.length
        ? "Showing " + shown + " of " + rows.length + " " + noun + " (" + active.join("; ") + ")"
        : "Showing all " + rows.length + " " + noun;
      wrapper.classList.toggle("fs-table--filtered", active.length > 0);
    }

    function onActivate(el, action) {  /* a click, or Enter or Space on the focused element */
      el.addEventListener("click", action);
      el.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          action();
        }
      });
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    onActivate(reset, function () {
      selects.forEach(function (select) { select.value = ""; });
      apply();
    });

    /* sorting: each heading can be focused and pressed; a second press reverses the order */
    headers.forEach(function (th, column) {
      th.classList.add("fs-table__sortable");
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.setAttribute("aria-sort", "none");
      onActivate(th, function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var order = rows.map(function (row, index) { return { row: row, index: index, key: sortKey(row.cells[column]) }; });
        order.sort(function (a, b) {
          var c = compare(a.key, b.key);
          if (c === 0) c = a.index - b.index; /* stable */
          return ascending ? c : -c;
        });
        order.forEach(function (item) { body.appendChild(item.row); });
      });
    });
    apply();
  }

  function init() {
    var wrappers = document.querySelectorAll(".fs-table[data-fs-table]");
    for (var i = 0; i < wrappers.length; i++) enhance(wrappers[i]);
  }

  /* Material's instant navigation swaps pages without reloading: run on each new page too */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
