/* Program portal, live preview only: `mkdocs serve` adds this file, a built site never has it.
 *
 * MkDocs' server appends an inline script to every HTML page it serves, which asks
 * /livereload/<epoch>/<request id> whether the site was rebuilt and reloads the page when it was.
 * The portal's Content-Security-Policy runs no inline script it did not ship, so that script is
 * blocked. This file (allowed as one of the site's own scripts) reads the two numbers from the
 * blocked script's text and asks the server the same question: the policy stays as published.
 */
(function () {
  "use strict";
  var request = null;
  var timer = null;

  function injected() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (scripts[i].src) continue;
      var match = /livereload\((\d+),\s*(\d+)\);\s*$/.exec(scripts[i].textContent || "");
      if (match) return { epoch: match[1], id: match[2] };
    }
    return null;
  }

  function ask(path, then) {
    request = new XMLHttpRequest();
    request.onloadend = function () { then(this); };
    request.open("GET", path);
    request.send();
  }

  function poll(epoch, id) {
    ask("/livereload/" + epoch + "/" + id, function (answer) {
      if (answer.status === 200 && parseFloat(answer.responseText) > parseFloat(epoch)) {
        window.location.reload();
      } else if (answer.status !== 0 || document.visibilityState === "visible") {
        timer = setTimeout(function () { poll(epoch, id); }, answer.status === 200 ? 0 : 3000);
      }
    });
  }

  var started = null;
  function start() {
    if (document.visibilityState !== "visible" || request) return;
    if (started) { poll(started.epoch, started.id); return; }
    var found = injected();
    if (found) {
      started = found;
      poll(found.epoch, found.id);
      return;
    }
    // A page the server sent without the script (its 404 page): the site as it is now is the one shown.
    ask("/livereload/0/0", function (answer) {
      request = null;
      if (answer.status === 200 && /^\d+$/.test(answer.responseText)) {
        started = { epoch: answer.responseText, id: "0" };
        poll(started.epoch, started.id);
      }
    });
  }

  function stop() {
    if (request) request.abort();
    if (timer) clearTimeout(timer);
    request = timer = null;
  }

  window.addEventListener("load", start);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") start(); else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
