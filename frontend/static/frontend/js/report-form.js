/*
 * Buurtstem — the melding form (/melden/).
 *
 * Enhancements only: every step works without this script (buurt list instead of the map,
 * server-side checks instead of live hints).
 * - Error summary: gets focus after a failed submission, so screen readers start there.
 * - Category: the channel to use first (112, Veilig Thuis, …) appears as soon as a topic is
 *   chosen, from the domain's category data (json_script).
 * - Description: a character counter, announced politely.
 * - Place: a point picker on a Leaflet map of the buurt boundaries (no tile server needed):
 *   click or tap places a draggable pin, Enter on the focused map places it in the middle,
 *   "Gebruik mijn locatie" uses the browser's geolocation. The point fills the hidden lat/lon
 *   inputs; the buurt is looked up to confirm the place (the server decides on submit).
 *
 * Configuration comes from data- attributes (no inline script: CSP).
 */
(function () {
  "use strict";

  var maps = window.Buurtstem.maps;
  var PIN_SIZE = 30;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  /* --- Error summary ------------------------------------------------------------------ */

  /* --- Category note ------------------------------------------------------------------ */

  function initCategoryNote() {
    var select = document.getElementById("id_category");
    var note = document.getElementById("report-category-note");
    var dataElement = document.getElementById("report-category-notes");
    var texts = document.getElementById("report-note-texts");
    if (!select || !note || !dataElement || !texts || select.type === "hidden") {
      return;
    }
    var notes = JSON.parse(dataElement.textContent || "{}");
    select.addEventListener("change", function () {
      var info = notes[select.value];
      note.textContent = "";
      if (!info) {
        return;
      }
      if (info.channel) {
        var alert = document.createElement("div");
        alert.className = "utrecht-alert utrecht-alert--warning";
        var p = document.createElement("p");
        var strong = document.createElement("strong");
        strong.textContent = info.accepts ? texts.dataset.textAttention : texts.dataset.textNotHere;
        p.appendChild(strong);
        p.appendChild(document.createTextNode(" " + info.description));
        alert.appendChild(p);
        note.appendChild(alert);
      } else if (info.description) {
        var description = document.createElement("p");
        description.className = "utrecht-form-field__description";
        description.textContent = info.description;
        note.appendChild(description);
      }
    });
  }

  /* --- Character counter -------------------------------------------------------------- */

  function initCounter() {
    var textarea = document.getElementById("id_description");
    var counter = document.getElementById("description-counter");
    if (!textarea || !counter) {
      return;
    }
    var max = parseInt(counter.dataset.max, 10);
    var lang = document.documentElement.lang || "nl";
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) === -1) {
      described.push(counter.id);
      textarea.setAttribute("aria-describedby", described.join(" "));
    }
    function update() {
      var left = max - textarea.value.length;
      var number = new Intl.NumberFormat(lang).format(Math.abs(left));
      var text;
      if (left >= 0) {
        text = left === 1 ? counter.dataset.textOneLeft : format(counter.dataset.textLeft, { n: number });
      } else {
        text = left === -1 ? counter.dataset.textOneOver : format(counter.dataset.textOver, { n: number });
      }
      if (counter.textContent !== text) {
        counter.textContent = text;
      }
      counter.classList.toggle("bs-counter--over", left < 0);
    }
    textarea.addEventListener("input", update);
    update();
  }

  /* --- Point picker ------------------------------------------------------------------- */

  function PointPicker(block) {
    this.block = block;
    this.text = block.dataset;
    this.canvas = document.getElementById("report-map");
    this.status = document.getElementById("report-map-status");
    this.latInput = document.getElementById("id_lat");
    this.lonInput = document.getElementById("id_lon");
    this.buurtSelect = document.getElementById("id_buurt");
    this.clearButton = document.getElementById("report-clear-point");
    this.locateButton = document.getElementById("report-use-location");
    this.map = null;
    this.marker = null;
    this.bounds = null;
    this.lookupCounter = 0;
  }

  PointPicker.prototype.setStatus = function (message, warning) {
    maps.setStatus(this.status, message, warning, "bs-report-map__status--warning");
  };

  PointPicker.prototype.start = function () {
    var self = this;
    if (!maps.available() || !this.latInput) {
      return; // the buurt list is the way
    }
    this.block.hidden = false;
    var intro = document.getElementById("report-place-intro");
    if (intro && intro.dataset.textWithMap) {
      intro.textContent = intro.dataset.textWithMap;
    }
    this.setStatus(this.text.textLoading);
    maps
      .loadBuurten(this.block.dataset.areasUrl, this.block.dataset.codePrefix)
      .then(function (features) {
        if (!features.length) {
          throw new Error("No buurten to draw");
        }
        self.setStatus("");
        self.draw(features);
      })
      .catch(function (error) {
        maps.warn("report map", error);
        self.canvas.hidden = true;
        self.locateButton.hidden = true;
        self.setStatus(self.text.textFailed, true);
      });
  };

  PointPicker.prototype.draw = function (features) {
    var self = this;
    var L = window.L;
    var map = maps.createMap(this.canvas, this.text, { minZoom: 10, maxZoom: 19 });
    this.map = map;
    var layer = maps.drawBuurten(map, features, maps.STYLES.light, {
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(maps.escapeHtml(feature.properties.name || ""), { sticky: true, direction: "top" });
      },
    });
    this.bounds = maps.fitBuurten(map, layer);

    map.on("click", function (event) {
      self.place(event.latlng, { zoom: false });
    });
    maps.wheelZoomOnFocus(this.canvas, map);
    // Keyboard: Enter or Space on the focused map puts the pin in the middle of the view.
    this.canvas.addEventListener("keydown", function (event) {
      if (event.target !== self.canvas) {
        return;
      }
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        self.place(map.getCenter(), { zoom: false });
      }
    });
    this.clearButton.addEventListener("click", function () {
      self.clear();
    });
    this.locateButton.addEventListener("click", function () {
      self.locate();
    });

    // Back in step 1 with a point chosen before: show it again.
    var lat = parseFloat(this.latInput.value);
    var lon = parseFloat(this.lonInput.value);
    if (isFinite(lat) && isFinite(lon)) {
      this.place(L.latLng(lat, lon), { zoom: true });
    }
  };

  PointPicker.prototype.place = function (latlng, options) {
    var self = this;
    var L = window.L;
    if (!this.marker) {
      var icon = L.divIcon({
        className: "bs-report-pin",
        iconSize: [PIN_SIZE, PIN_SIZE],
        iconAnchor: [PIN_SIZE / 2, PIN_SIZE],
      });
      this.marker = L.marker(latlng, {
        draggable: true,
        autoPan: true,
        keyboard: true,
        title: this.text.textMarker,
        alt: this.text.textMarker,
        icon: icon,
      }).addTo(this.map);
      var element = this.marker.getElement();
      if (element) {
        element.setAttribute("aria-label", this.text.textMarker);
        element.setAttribute("role", "img");
      }
      this.marker.on("dragend", function () {
        self.update(self.marker.getLatLng());
      });
    } else {
      this.marker.setLatLng(latlng);
    }
    if (options && options.zoom) {
      this.map.setView(latlng, Math.max(this.map.getZoom(), 16), { animate: false });
    }
    this.clearButton.hidden = false;
    this.update(latlng);
  };

  PointPicker.prototype.update = function (latlng) {
    var self = this;
    this.latInput.value = latlng.lat.toFixed(6);
    this.lonInput.value = latlng.lng.toFixed(6);
    var ticket = ++this.lookupCounter;
    this.setStatus(this.text.textLookingUp);
    var url = this.block.dataset.lookupUrl + "?lat=" + encodeURIComponent(this.latInput.value) +
      "&lon=" + encodeURIComponent(this.lonInput.value);
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (ticket !== self.lookupCounter) {
          return; // a newer point was chosen meanwhile
        }
        if (!result.ok) {
          self.setStatus(result.body && result.body.code === "outside_municipality" ? self.text.textOutside : self.text.textLookupFailed, true);
          return;
        }
        var buurt = result.body.buurt || {};
        var wijk = result.body.wijk;
        if (self.buurtSelect && buurt.code) {
          var option = self.buurtSelect.querySelector('option[value="' + buurt.code + '"]');
          if (option) {
            self.buurtSelect.value = buurt.code;
          }
        }
        self.setStatus(
          wijk && wijk.name
            ? format(self.text.textChosenWijk, { buurt: buurt.name, wijk: wijk.name })
            : format(self.text.textChosen, { buurt: buurt.name })
        );
      })
      .catch(function () {
        if (ticket === self.lookupCounter) {
          self.setStatus(self.text.textLookupFailed, true);
        }
      });
  };

  PointPicker.prototype.clear = function () {
    if (this.marker) {
      this.map.removeLayer(this.marker);
      this.marker = null;
    }
    this.lookupCounter++;
    this.latInput.value = "";
    this.lonInput.value = "";
    this.clearButton.hidden = true;
    this.setStatus(this.text.textCleared);
    this.canvas.focus();
  };

  PointPicker.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) {
      this.setStatus(this.text.textGeoUnsupported, true);
      return;
    }
    this.setStatus(this.text.textLocating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var latlng = window.L.latLng(position.coords.latitude, position.coords.longitude);
        if (self.bounds && !self.bounds.pad(0.1).contains(latlng)) {
          self.setStatus(self.text.textGeoOutside, true);
          return;
        }
        self.place(latlng, { zoom: true });
      },
      function (error) {
        var denied = error && error.code === 1; // PERMISSION_DENIED
        self.setStatus(denied ? self.text.textGeoDenied : self.text.textGeoUnavailable, true);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  };

  function start() {
    initCategoryNote();
    initCounter();
    var block = document.getElementById("report-map-block");
    if (block) {
      new PointPicker(block).start();
    }
  }

  maps.ready(start);
})();
