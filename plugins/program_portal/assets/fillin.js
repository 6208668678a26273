/* Program portal: fill-in templates in the browser.
 *
 * What is typed or ticked stays in this page: nothing is stored (no localStorage,
 * sessionStorage, cookies or IndexedDB), nothing is sent (no request, no form
 * submission), and it is gone when the page is closed. This script only
 *   - shows the "Print or save as PDF" button, which calls window.print();
 *   - keeps the checklist tally up to date ("4 of 5 checked, all required met", in the page's language);
 *   - mirrors every blank into a print-only element, so a printout shows the whole
 *     text of a field and not only its visible part.
 */
(function () {
  "use strict";

  /* The page's labels in the program's language (JSON in a data attribute, see portal.js). */
  function labels() {
    var block = document.getElementById("pp-labels");
    if (!block) {
      return {};
    }
    try {
      return JSON.parse(block.getAttribute("data-pp-labels") || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  /* A plural label is one text per CLDR plural category of the page's language. */
  function plural(forms, n, lang) {
    if (!forms || typeof forms === "string") {
      return forms || "";
    }
    var category = "other";
    try {
      category = new Intl.PluralRules(lang || undefined).select(n);
    } catch (e) { /* an old browser: the "other" form */ }
    return forms[category] || forms.other || "";
  }

  function tallyText(words, checked, total, requiredOpen, requiredTotal) {
    var number = function (n) {
      try {
        return new Intl.NumberFormat(words.lang || undefined).format(n);
      } catch (e) {
        return String(n);
      }
    };
    var text = fill(words["checklist.tally"], { checked: number(checked), total: number(total) });
    if (requiredTotal === 0) {
      return text;
    }
    if (requiredOpen === 0) {
      return fill(words["checklist.all-met"], { tally: text });
    }
    return fill(plural(words["checklist.open"], requiredOpen, words.lang), { tally: text, open: number(requiredOpen) });
  }

  function setUpTallies(root) {
    var words = labels();
    root.querySelectorAll("[data-pp-tally]").forEach(function (tally) {
      if (tally.dataset.ppReady) {
        return;
      }
      tally.dataset.ppReady = "true";
      var scope = tally.closest("article") || root;
      var boxes = Array.prototype.slice.call(scope.querySelectorAll("input.pp-check"));
      function update() {
        var checked = 0;
        var requiredTotal = 0;
        var requiredOpen = 0;
        boxes.forEach(function (box) {
          var required = box.getAttribute("data-pp-required") === "true";
          if (box.checked) {
            checked += 1;
          }
          if (required) {
            requiredTotal += 1;
            if (!box.checked) {
              requiredOpen += 1;
            }
          }
        });
        tally.textContent = tallyText(words, checked, boxes.length, requiredOpen, requiredTotal);
        tally.classList.toggle("pp-tally--open", requiredOpen > 0);
        tally.classList.toggle("pp-tally--met", requiredTotal > 0 && requiredOpen === 0);
      }
      boxes.forEach(function (box) {
        box.setAttribute("autocomplete", "off");
        box.addEventListener("change", update);
      });
      update();
    });
  }

  function setUpPrint(root) {
    root.querySelectorAll("[data-pp-print]").forEach(function (button) {
      if (button.dataset.ppReady) {
        return;
      }
      button.dataset.ppReady = "true";
      button.hidden = false;
      button.addEventListener("click", function (event) {
        event.preventDefault();
        syncAll(root);
        window.print();
      });
    });
  }

  function setUpMirrors(root) {
    root.querySelectorAll(".pp-blank").forEach(function (field) {
      if (field.dataset.ppReady) {
        return;
      }
      field.dataset.ppReady = "true";
      field.setAttribute("autocomplete", "off");
      var area = field.tagName === "TEXTAREA";
      var mirror = document.createElement(area ? "div" : "span");
      mirror.className = "pp-print-mirror" + (area ? " pp-print-mirror--area" : "");
      mirror.setAttribute("aria-hidden", "true");
      if (area) {
        mirror.style.minHeight = (Number(field.getAttribute("rows")) || 3) * 1.5 + "em";
      }
      field.insertAdjacentElement("afterend", mirror);
      field.classList.add("pp-mirrored");
      field.addEventListener("input", function () {
        sync(field, mirror);
      });
      sync(field, mirror);
    });
  }

  function sync(field, mirror) {
    mirror.textContent = field.value;
    mirror.classList.toggle("pp-print-mirror--empty", field.value === "");
  }

  function syncAll(root) {
    root.querySelectorAll(".pp-blank.pp-mirrored").forEach(function (field) {
      var mirror = field.nextElementSibling;
      if (mirror && mirror.classList.contains("pp-print-mirror")) {
        sync(field, mirror);
      }
    });
  }

  function setUp() {
    setUpPrint(document);
    setUpMirrors(document);
    setUpTallies(document);
  }

  // No field is ever inside a form that could be submitted; if a page author wraps
  // one in a form anyway, submitting it does nothing.
  document.addEventListener(
    "submit",
    function (event) {
      if (event.target && event.target.querySelector && event.target.querySelector(".pp-blank, .pp-check")) {
        event.preventDefault();
      }
    },
    true
  );
  window.addEventListener("beforeprint", function () {
    syncAll(document);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp); // Material's instant navigation swaps pages without reloading scripts
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
