/*
 * Buurtstem — questionnaire pages (progressive enhancement; every page works without it).
 *
 * - Moves focus to the error summary when the page shows one.
 * - Conditional questions: questions whose condition refers to an answer on this same page
 *   carry it in data-condition. They are shown or hidden (the hidden attribute) as the
 *   respondent answers, with the same rules as the server (surveys/validation.py,
 *   condition_matches / visible_questions); answers from other pages come from the
 *   json_script "survey-condition-context". A status message announces the change.
 * - Overlast grid: the second step ("hoeveel overlast?") of a row is shown only when the
 *   respondent says it occurs.
 */
(function () {
  "use strict";

  var DONT_KNOW = "weet_niet";
  var NUMERIC = { mark_1_10: true, number: true };
  var GRID = { grid: true, overlast_grid: true };

  function checkedValue(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : null;
  }

  function toNumber(text) {
    if (text === null || text === undefined || text === "") {
      return null;
    }
    var value = Number(String(text).trim().replace(",", "."));
    return isFinite(value) ? value : null;
  }

  /* The answer of one question as the server stores it: {row key: value} ("" = no rows). */
  function readAnswer(form, wrapper) {
    var code = wrapper.dataset.question;
    var type = wrapper.dataset.type;
    var name = "q-" + code;
    var answer = {};
    if (GRID[type]) {
      var rows = JSON.parse(wrapper.dataset.rows || "[]");
      rows.forEach(function (row) {
        if (type === "grid") {
          var value = checkedValue(form, name + "-" + row);
          if (value !== null) {
            answer[row] = value;
          }
          return;
        }
        var occurs = checkedValue(form, name + "-" + row + "-komt_voor");
        var nuisance = checkedValue(form, name + "-" + row + "-overlast");
        if (occurs === DONT_KNOW) {
          answer[row] = DONT_KNOW;
        } else if (occurs === "nee") {
          answer[row] = { komt_voor: "nee" };
        } else if (occurs === "ja" || nuisance) {
          answer[row] = nuisance ? { komt_voor: "ja", overlast: nuisance } : { komt_voor: "ja" };
        }
      });
      return answer;
    }
    var dontKnow = form.querySelector('input[name="' + name + '-weet_niet"]:checked');
    if (dontKnow) {
      answer[""] = DONT_KNOW;
      return answer;
    }
    var value = null;
    if (type === "multiple_choice") {
      var chosen = Array.prototype.map.call(
        form.querySelectorAll('input[name="' + name + '"]:checked'),
        function (input) {
          return input.value;
        }
      );
      value = chosen.length ? chosen : null;
    } else if (type === "location") {
      var buurt = form.querySelector('[name="' + name + '-buurt"]');
      var lat = form.querySelector('[name="' + name + '-lat"]');
      value = (lat && lat.value) || (buurt && buurt.value) ? { buurt: buurt ? buurt.value : "" } : null;
    } else {
      var field = form.querySelector('[name="' + name + '"]');
      if (field && (field.type === "radio" || field.type === "checkbox")) {
        value = checkedValue(form, name);
      } else if (field) {
        value = field.value.trim() || null;
      }
      if (value !== null && value !== DONT_KNOW && NUMERIC[type]) {
        value = toNumber(value);
      }
    }
    if (value !== null) {
      answer[""] = value;
    }
    return answer;
  }

  function atoms(type, stored, condition) {
    var row = condition.row;
    var values;
    if (GRID[type]) {
      if (row !== undefined && row !== null) {
        values = Object.prototype.hasOwnProperty.call(stored, row) ? [stored[row]] : [];
      } else {
        values = Object.keys(stored)
          .filter(function (key) {
            return key !== "";
          })
          .map(function (key) {
            return stored[key];
          });
      }
      if (type === "overlast_grid") {
        var part = condition.part || "komt_voor";
        values = values.map(function (value) {
          return value && typeof value === "object" ? value[part] : value;
        });
      }
    } else {
      var value = stored[""];
      values = Array.isArray(value) ? value.slice() : [value];
    }
    return values.filter(function (value) {
      return value !== null && value !== undefined;
    });
  }

  function matches(condition, answers) {
    if (!condition) {
      return true;
    }
    if (condition.all) {
      return condition.all.every(function (part) {
        return matches(part, answers);
      });
    }
    if (condition.any) {
      return condition.any.some(function (part) {
        return matches(part, answers);
      });
    }
    var entry = answers[condition.question];
    if (!entry || !Object.keys(entry.rows).length) {
      return false;
    }
    var target = condition.value;
    var namesDontKnow =
      target === DONT_KNOW || (Array.isArray(target) && target.indexOf(DONT_KNOW) !== -1);
    var found = atoms(entry.type, entry.rows, condition).filter(function (value) {
      return namesDontKnow || value !== DONT_KNOW;
    });
    if (!found.length) {
      return false;
    }
    switch (condition.operator) {
      case "answered":
        return true;
      case "equals":
        return found.some(function (value) {
          return value === target;
        });
      case "not_equals":
        return found.every(function (value) {
          return value !== target;
        });
      case "in":
        return found.some(function (value) {
          return target.indexOf(value) !== -1;
        });
      case "gte":
      case "lte":
        return found.some(function (value) {
          if (typeof value !== "number") {
            return false;
          }
          return condition.operator === "gte" ? value >= target : value <= target;
        });
      default:
        return false;
    }
  }

  function questionText(wrapper) {
    var legend = wrapper.querySelector(".bs-question__legend");
    return legend ? legend.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function Conditions(form) {
    this.form = form;
    this.wrappers = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    this.status = document.getElementById("survey-announcer");
    var context = document.getElementById("survey-condition-context");
    this.context = context ? JSON.parse(context.textContent || "{}") : {};
  }

  Conditions.prototype.update = function (announce) {
    var self = this;
    var answers = {};
    Object.keys(this.context).forEach(function (code) {
      answers[code] = { type: self.context[code].type, rows: self.context[code].rows || {} };
    });
    var messages = [];
    this.wrappers.forEach(function (wrapper) {
      var visible = true;
      if (wrapper.dataset.condition) {
        visible = matches(JSON.parse(wrapper.dataset.condition), answers);
        if (visible === wrapper.hidden) {
          wrapper.hidden = !visible;
          messages.push(
            (visible ? self.form.dataset.textAdded : self.form.dataset.textRemoved) +
              " " +
              questionText(wrapper)
          );
        }
      }
      if (visible) {
        answers[wrapper.dataset.question] = {
          type: wrapper.dataset.type,
          rows: readAnswer(self.form, wrapper),
        };
      }
    });
    if (announce && messages.length && this.status) {
      this.status.textContent = messages.join(" ");
    }
  };

  function setUpOverlastRow(row) {
    var step = row.querySelector('[data-step="nuisance"]');
    var occurs = row.querySelector('[data-step="occurs"]');
    if (!step || !occurs) {
      return;
    }
    var hint = step.querySelector(".bs-overlast-row__only");
    if (hint) {
      hint.hidden = true;
    }
    function sync() {
      var chosen = occurs.querySelector("input:checked");
      step.hidden = !(chosen && chosen.value === "ja");
    }
    occurs.addEventListener("change", sync);
    sync();
  }

  function init() {
    var form = document.querySelector(".bs-survey-form");
    if (!form) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll(".bs-overlast-row"), setUpOverlastRow);
    var conditions = new Conditions(form);
    conditions.update(false);
    form.addEventListener("change", function () {
      conditions.update(true);
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.type === "text") {
        conditions.update(true);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
