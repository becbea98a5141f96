/* Buurtstem: after a form was refused, move focus to the error summary at the top of the page
   (#error-summary, tabindex="-1"), so keyboard and screen reader users start at the list of
   errors, whose links lead to the fields. Loaded on every page by base.html. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
