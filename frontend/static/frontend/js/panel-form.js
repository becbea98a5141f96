/*
 * Buurtstem — burgerpanel forms: move focus to the error summary after a failed submit, so
 * screen reader and keyboard users start at the list of what to correct (each item links to
 * its field). Without JavaScript the summary is still announced (role="alert").
 */
(function () {
  "use strict";

  function start() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
