/*
 * Buurtstem — choose your buurt on a map (burgerpanel sign-up and profile).
 *
 * The <select> with the buurten (grouped by wijk) is the real form control and works without
 * JavaScript and by keyboard. This script adds a map next to it as an extra way to choose:
 * the buurt boundaries come from the area API (GeoJSON, no tile server needed); clicking a
 * buurt sets the select, and choosing in the select highlights the buurt on the map. Only the
 * buurten that are options of the select are drawn. When Leaflet or the API is unavailable
 * the map stays hidden and the select remains.
 *
 * Configuration comes from data- attributes on #buurt-picker (no inline script: CSP).
 */
(function () {
  "use strict";

  var STYLES = {
    base: { color: "#154273", weight: 1.5, opacity: 1, fillColor: "#5b8fc7", fillOpacity: 0.22 },
    hover: { color: "#0f3157", weight: 3, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.5 },
    selected: { color: "#1a1a1a", weight: 4, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.8 },
  };

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function BuurtPicker(wrapper) {
    this.wrapper = wrapper;
    this.data = wrapper.dataset;
    this.select = document.getElementById(this.data.selectId);
    this.element = document.getElementById("buurt-map");
    this.status = document.getElementById("buurt-map-status");
    this.layersByCode = {};
    this.namesByCode = {};
    this.map = null;
  }

  BuurtPicker.prototype.setStatus = function (message) {
    this.status.textContent = message || "";
  };

  BuurtPicker.prototype.optionCodes = function () {
    var codes = {};
    Array.prototype.forEach.call(this.select.options, function (option) {
      if (option.value) {
        codes[option.value] = option.textContent;
      }
    });
    return codes;
  };

  BuurtPicker.prototype.load = function () {
    var self = this;
    var urls = (this.data.areasUrls || "").split(" ").filter(Boolean);
    if (!this.select || !this.element || typeof window.L === "undefined" || !urls.length) {
      return;
    }
    if (typeof window.fetch !== "function") {
      return;
    }
    this.wrapper.hidden = false;
    this.setStatus(this.data.textLoading);
    var requests = urls.map(function (url) {
      return window
        .fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "application/geo+json, application/json" },
        })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("Area API answered " + response.status);
          }
          return response.json();
        });
    });
    Promise.all(requests)
      .then(function (collections) {
        var allowed = self.optionCodes();
        var features = [];
        collections.forEach(function (collection) {
          (collection.features || []).forEach(function (feature) {
            var code = feature.properties && feature.properties.code;
            if (feature.geometry && Object.prototype.hasOwnProperty.call(allowed, code)) {
              features.push(feature);
            }
          });
        });
        if (!features.length) {
          throw new Error("No buurten to draw");
        }
        self.namesByCode = allowed;
        self.draw(features);
        self.setStatus("");
        self.showSelected(false);
      })
      .catch(function (error) {
        if (window.console) {
          window.console.warn("Buurtstem: the buurt map could not be loaded.", error);
        }
        self.fail();
      });
  };

  BuurtPicker.prototype.fail = function () {
    if (this.map) {
      this.map.remove();
      this.map = null;
    }
    this.element.hidden = true;
    document.getElementById("buurt-map-hint").hidden = true;
    this.status.classList.add("utrecht-alert--warning");
    this.setStatus(this.data.textFailed);
  };

  BuurtPicker.prototype.draw = function (features) {
    var self = this;
    var L = window.L;
    var map = L.map(this.element, {
      zoomControl: false,
      attributionControl: false,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
      minZoom: 10,
      maxZoom: 18,
    });
    this.map = map;
    L.control
      .zoom({ zoomInTitle: this.data.textZoomIn, zoomOutTitle: this.data.textZoomOut })
      .addTo(map);
    var attribution = L.control.attribution({ prefix: false });
    attribution.addAttribution(escapeHtml(this.data.attribution || ""));
    attribution.addTo(map);
    if (this.data.tileUrl) {
      L.tileLayer(this.data.tileUrl, { maxZoom: 19 }).addTo(map);
    }
    var layer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        style: function () {
          return STYLES.base;
        },
        onEachFeature: function (feature, featureLayer) {
          var code = feature.properties.code;
          self.layersByCode[code] = featureLayer;
          featureLayer.bindTooltip(escapeHtml(feature.properties.name), {
            sticky: true,
            direction: "top",
            opacity: 1,
          });
          featureLayer.on({
            mouseover: function () {
              if (code !== self.select.value) {
                featureLayer.setStyle(STYLES.hover);
              }
            },
            mouseout: function () {
              featureLayer.setStyle(code === self.select.value ? STYLES.selected : STYLES.base);
            },
            click: function () {
              self.choose(code);
            },
          });
        },
      }
    ).addTo(map);
    var bounds = layer.getBounds();
    map.fitBounds(bounds, { padding: [8, 8], animate: false });
    map.setMaxBounds(bounds.pad(0.6));
    this.element.addEventListener("focus", function () {
      map.scrollWheelZoom.enable();
    });
    this.element.addEventListener("blur", function () {
      map.scrollWheelZoom.disable();
    });
    this.select.addEventListener("change", function () {
      self.showSelected(true);
    });
  };

  BuurtPicker.prototype.choose = function (code) {
    this.select.value = code;
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.setStatus(this.data.textChosen + " " + (this.namesByCode[code] || code));
  };

  BuurtPicker.prototype.showSelected = function (zoom) {
    var selected = this.select.value;
    var self = this;
    Object.keys(this.layersByCode).forEach(function (code) {
      self.layersByCode[code].setStyle(code === selected ? STYLES.selected : STYLES.base);
    });
    var featureLayer = this.layersByCode[selected];
    if (!featureLayer) {
      return;
    }
    featureLayer.bringToFront();
    if (zoom && !this.map.getBounds().contains(featureLayer.getBounds())) {
      this.map.fitBounds(featureLayer.getBounds(), {
        maxZoom: 14,
        padding: [48, 48],
        animate: !prefersReducedMotion(),
      });
    }
  };

  function start() {
    var wrapper = document.getElementById("buurt-picker");
    if (wrapper) {
      new BuurtPicker(wrapper).load();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
