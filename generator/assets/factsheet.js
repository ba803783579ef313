/* factsheet: filter the timeline by kind and by actor, in the browser (no server, no request),
   and search hyphenated names as their words. Reads only data attributes the generator wrote
   (ids); shows the filter only when this runs. */
(function () {
  "use strict";

  /* The query Material's search worker receives ({type: 2, data: query}) is read the way the
     names are indexed, so that an entry's name or alias finds its own page first:
     - a hyphen inside a word is a space: lunr reads "Kim Jong-un" as "kim* jong un* jong un*",
       which ranks pages full of "UN" above Kim Jong Un's own page;
     - brackets, quotes and commas around words go ("(September" finds "September");
     - short connecting words go when other words remain: Material searches every word as a
       prefix ("in*" matches "Interfax"), so they would rank unrelated pages first.
     Quoted phrases and +/- operators are left alone. What the reader typed stays as typed. */
  var CONNECTORS = ("a an and as at by for from in into is of on or the to with " +
    "в во и или к ко на о об от по с со у за из до для").split(" ");

  function words(query) {
    if (/["+]|(^|\s)-/.test(query)) return query;  // lunr syntax the reader meant
    var terms = query
      .replace(/([\p{L}\p{N}])[-‐‑–—](?=[\p{L}\p{N}])/gu, "$1 ")
      .replace(/[()\[\]{}“”„«»‹›,;:!?¿¡]/g, " ")
      .split(/\s+/)
      .filter(Boolean);
    var kept = terms.filter(function (t) { return CONNECTORS.indexOf(t.toLowerCase()) < 0; });
    return (kept.length ? kept : terms).join(" ");
  }

  if (typeof Worker !== "undefined" && !Worker.prototype.postMessage.fsWords) {
    var post = Worker.prototype.postMessage;
    var patched = function (message) {
      var args = Array.prototype.slice.call(arguments);
      if (message && message.type === 2 && typeof message.data === "string") {
        args[0] = Object.assign({}, message, { data: words(message.data) });
      }
      return post.apply(this, args);
    };
    patched.fsWords = true;
    Worker.prototype.postMessage = patched;
  }

  function name_search_dialog() {  // Material's search dialog has no accessible name
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.getAttribute("aria-label") && !dialog.getAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", "Search");
    }
  }

  function setup() {
    name_search_dialog();
    if (window.location.hash) open_target();
    var form = document.querySelector("div.fs-filter");  // the filter controls (no <form>: nothing to submit)
    if (!form || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var kind = form.querySelector('[data-fs-filter="kind"]');
    var actor = form.querySelector('[data-fs-filter="actor"]');
    var count = form.querySelector(".fs-filter__count");
    var items = Array.prototype.slice.call(document.querySelectorAll(".fs-tl"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-fs-group]"));

    function apply() {
      var k = kind ? kind.value : "";
      var a = actor ? actor.value : "";
      var shown = 0;
      items.forEach(function (item) {
        var actors = " " + (item.getAttribute("data-actors") || "") + " ";
        var ok = (!k || item.getAttribute("data-kind") === k) && (!a || actors.indexOf(" " + a + " ") >= 0);
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      groups.reverse().forEach(function (group) {  // innermost first
        group.hidden = !group.querySelector(".fs-tl:not([hidden])");
      });
      groups.reverse();
      if (count) count.textContent = shown + " of " + items.length + " shown";
    }

    var params = new URLSearchParams(window.location.search);
    [["kind", kind], ["actor", actor]].forEach(function (pair) {
      var wanted = params.get(pair[0]);
      if (wanted && pair[1] && pair[1].querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        pair[1].value = wanted;
      }
    });
    form.addEventListener("change", apply);
    form.hidden = false;
    apply();
  }

  /* Long sections are collapsed (<details class="fs-collapse">): open the one a link points
     into (a source note's back-link to the text, a claim's anchor), and all of them before
     printing, so nothing is missing on paper. */
  function open_target() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) node.open = true;
    }
    if (target) target.scrollIntoView();
  }

  if (typeof window !== "undefined" && window.addEventListener) {
    window.addEventListener("hashchange", open_target);
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details.fs-collapse"), function (d) {
        d.open = true;
      });
    });
  }

  if (typeof document === "undefined") return;  // not in a page (a test harness)
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
