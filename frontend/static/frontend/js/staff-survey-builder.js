/*
 * Question form of the survey builder: show only the answer settings that belong to the
 * chosen type of question. Without JavaScript every field stays visible (each says what it
 * is for), so the form works either way.
 */
(function () {
  "use strict";

  var form = document.getElementById("question-form");
  if (!form) {
    return;
  }
  var typeSelect = form.querySelector('select[name="type"]');
  var hint = document.getElementById("type-fields-hint");
  if (!typeSelect) {
    return;
  }

  function update() {
    var type = typeSelect.value;
    form.querySelectorAll("[data-question-types]").forEach(function (input) {
      var wrapper = input.closest(".utrecht-form-field");
      if (!wrapper) {
        return;
      }
      var types = input.getAttribute("data-question-types").split(" ");
      var relevant = types.indexOf(type) !== -1;
      // A field with an error stays visible, so the error can always be read and fixed.
      wrapper.hidden = !relevant && !wrapper.classList.contains("utrecht-form-field--invalid");
    });
    if (hint) {
      hint.hidden = true;
    }
  }

  typeSelect.addEventListener("change", update);
  update();
})();
