/* Program portal: the calendar's month grids (render/pages/visual.py) with today's month first.
   Without script every month is shown in date order; with it, the months before the reader's
   current month move to the end (marked past) and the current one is marked. Nothing is sent. */
(function () {
  "use strict";

  function monthKey(date) {
    var m = date.getMonth() + 1;
    return date.getFullYear() + "-" + (m < 10 ? "0" : "") + m;
  }

  function todayFirst(root) {
    var now = monthKey(new Date());
    root.querySelectorAll("[data-pp-grid] .pp-months").forEach(function (box) {
      if (box.getAttribute("data-pp-ordered")) return;
      box.setAttribute("data-pp-ordered", "1");
      var months = Array.prototype.slice.call(box.querySelectorAll("table[data-pp-month]"));
      var past = months.filter(function (t) { return t.getAttribute("data-pp-month") < now; });
      if (past.length === 0 || past.length === months.length) return; /* not started yet, or over */
      past.forEach(function (t) {
        t.classList.add("pp-month--past");
        box.appendChild(t); /* the DOM order is the reading and keyboard order */
      });
      months.forEach(function (t) {
        if (t.getAttribute("data-pp-month") === now) t.classList.add("pp-month--current");
      });
    });
  }

  function init() { todayFirst(document); }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
