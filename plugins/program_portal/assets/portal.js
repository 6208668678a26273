/* Program portal: calendar behaviour (reader's local time, past dates, subscribe block, cadence planner).
   Everything happens in this page: nothing is stored, nothing is sent. */
(function () {
  "use strict";

  var pad = function (n) { return (n < 10 ? "0" : "") + n; };

  /* The page's labels in the program's language: JSON in a data attribute the portal writes into
     each page that needs them (<div id="pp-labels" hidden data-pp-labels="{...}">). */
  function labels() {
    var block = document.getElementById("pp-labels");
    if (!block) return {};
    try { return JSON.parse(block.getAttribute("data-pp-labels") || "{}") || {}; } catch (e) { return {}; }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  /* The UTC offset, in minutes, that an ISO 8601 string like 2027-01-28T16:00:00+01:00 carries. */
  function isoOffset(iso) {
    var m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
    if (!m) return 0;
    var minutes = parseInt(m[2], 10) * 60 + parseInt(m[3], 10);
    return m[1] === "-" ? -minutes : minutes;
  }

  function localTimes(root, words) {
    var now = Date.now();
    var fmtDay = new Intl.DateTimeFormat(words.lang || undefined, { weekday: "short", day: "numeric", month: "short" });
    var fmtTime = new Intl.DateTimeFormat(words.lang || undefined, { hour: "2-digit", minute: "2-digit" });
    /* The reader's UTC offset on each date in the page's one style for zone names (GMT+1, UTC-5). */
    var fmtZone = null;
    try { fmtZone = new Intl.DateTimeFormat(words.lang || undefined, { timeZoneName: "shortOffset" }); } catch (e) { fmtZone = null; }
    var zoneAt = function (date) {
      var part = fmtZone && fmtZone.formatToParts(date).filter(function (p) { return p.type === "timeZoneName"; })[0];
      return (part && part.value.replace("-", "\u2212")) || Intl.DateTimeFormat().resolvedOptions().timeZone || words["sessions.your-zone"] || "";
    };
    root.querySelectorAll(".pp-occurrence time[datetime]").forEach(function (el) {
      var iso = el.getAttribute("datetime");
      var start = new Date(iso);
      var endIso = el.getAttribute("data-pp-end");
      var end = endIso ? new Date(endIso) : start;
      if (isNaN(start.getTime())) return;
      var item = el.closest("li") || el.parentNode;
      if (end.getTime() < now && item && !item.classList.contains("pp-occurrence--past")) {
        item.classList.add("pp-occurrence--past");
        var past = document.createElement("span");
        past.className = "pp-past-label";
        past.textContent = " " + (words["sessions.past"] || "");
        el.parentNode.appendChild(past);
      }
      /* Show the reader's own time when their offset on that date differs from the session's. */
      if (-start.getTimezoneOffset() !== isoOffset(iso) && !el.parentNode.querySelector(".pp-localtime")) {
        var local = document.createElement("span");
        local.className = "pp-localtime";
        local.textContent = " " + fill(words["sessions.your-time"], {
          zone: zoneAt(start), day: fmtDay.format(start), start: fmtTime.format(start), end: fmtTime.format(end)
        });
        el.parentNode.appendChild(local);
      }
    });
  }

  function subscribe(root, words) {
    root.querySelectorAll(".pp-feed").forEach(function (box) {
      var input = box.querySelector(".pp-feed-url");
      var url = new URL(input.getAttribute("data-pp-feed"), window.location.href);
      if (url.protocol !== "http:" && url.protocol !== "https:") return; /* a file share: no feed to subscribe to */
      input.value = url.href;
      var webcal = box.querySelector("[data-pp-webcal]");
      if (webcal) webcal.setAttribute("href", "webcal:" + url.href.replace(/^https?:/, ""));
      var copy = box.querySelector("[data-pp-copy]");
      if (copy) {
        copy.addEventListener("click", function () {
          var done = function () { copy.textContent = words["calendar.copied"] || copy.textContent; };
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(url.href).then(done, function () { input.select(); });
          } else {
            input.select();
            try { if (document.execCommand("copy")) done(); } catch (e) { /* the address stays selected */ }
          }
        });
      }
      box.hidden = false;
    });
  }

  /* -- cadence planner ----------------------------------------------------------------- */

  function icsStamp(d) {
    return d.getFullYear() + pad(d.getMonth() + 1) + pad(d.getDate()) + "T" + pad(d.getHours()) + pad(d.getMinutes()) + "00";
  }

  function icsText(s) {
    return String(s).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\n/g, "\\n");
  }

  function plannerDates(first, everyWeeks, months) {
    var end = new Date(first.getTime());
    end.setMonth(end.getMonth() + months);
    var dates = [];
    for (var d = new Date(first.getTime()); d < end && dates.length < 200; d.setDate(d.getDate() + 7 * everyWeeks)) {
      dates.push(new Date(d.getTime()));
    }
    return dates;
  }

  /* A calendar with one weekly series in the reader's local (floating) time. */
  function plannerIcs(summary, dates, everyWeeks, minutes) {
    var first = dates[0];
    var last = new Date(first.getTime() + minutes * 60000);
    var now = new Date();
    var stamp = now.getUTCFullYear() + pad(now.getUTCMonth() + 1) + pad(now.getUTCDate()) + "T" +
      pad(now.getUTCHours()) + pad(now.getUTCMinutes()) + pad(now.getUTCSeconds()) + "Z";
    var uid = "planner-" + icsStamp(first) + "-" + Math.random().toString(36).slice(2) + "@program-portal";
    return [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Program Portal//cadence planner//EN", "CALSCALE:GREGORIAN",
      "BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:" + stamp, "DTSTART:" + icsStamp(first), "DTEND:" + icsStamp(last),
      "RRULE:FREQ=WEEKLY;INTERVAL=" + everyWeeks + ";COUNT=" + dates.length,
      "SUMMARY:" + icsText(summary), "END:VEVENT", "END:VCALENDAR", ""
    ].join("\r\n");
  }

  function planner(box, words) {
    var everyWeeks = parseInt(box.getAttribute("data-pp-every-weeks"), 10);
    var minutes = parseInt(box.getAttribute("data-pp-minutes"), 10);
    var months = parseInt(box.getAttribute("data-pp-months"), 10);
    var title = box.getAttribute("data-pp-title");
    var dateInput = box.querySelector(".pp-planner-start");
    var timeInput = box.querySelector(".pp-planner-time");
    var list = box.querySelector(".pp-planner-dates");
    var button = box.querySelector(".pp-planner-download");
    /* The program's language and the portal's date style (CLDR yMMMEd and the locale's clock, as the calendar). */
    var fmt = new Intl.DateTimeFormat(words.lang || document.documentElement.lang || undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "numeric", minute: "2-digit" });
    var dates = [];
    function update() {
      list.textContent = "";
      dates = [];
      var d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateInput.value || "");
      var t = /^(\d{2}):(\d{2})/.exec(timeInput.value || "10:00") || [null, "10", "00"];
      if (d) {
        var first = new Date(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
        dates = plannerDates(first, everyWeeks, months);
        dates.forEach(function (date) {
          var li = document.createElement("li");
          var time = document.createElement("time");
          time.setAttribute("datetime", date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()));
          time.textContent = fmt.format(date);
          li.appendChild(time);
          list.appendChild(li);
        });
      }
      button.disabled = dates.length === 0;
    }
    dateInput.addEventListener("change", update);
    dateInput.addEventListener("input", update);
    timeInput.addEventListener("change", update);
    button.addEventListener("click", function () {
      if (!dates.length) return;
      var summary = fill(words["planner.event"] || "{track}", { track: title });
      var blob = new Blob([plannerIcs(summary, dates, everyWeeks, minutes)], { type: "text/calendar" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      var slug = function (s) { return String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); };
      a.download = [slug(title), slug(words["planner.file"] || "")].filter(Boolean).join("-") + ".ics";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
    update();
  }

  function init() {
    var words = labels();
    localTimes(document, words);
    subscribe(document, words);
    document.querySelectorAll("[data-pp-planner]").forEach(function (box) { planner(box, words); });
  }

  /* Material's instant navigation swaps pages without a reload: run on each new page. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
