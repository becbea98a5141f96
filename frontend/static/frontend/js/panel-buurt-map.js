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

  var maps = window.Buurtstem.maps;
  var STYLES = {
    base: maps.STYLES.base,
    hover: maps.STYLES.hover,
    selected: { color: "#1a1a1a", weight: 4, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.8 },
  };

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

  BuurtPicker.prototype.setStatus = function (message, warning) {
    maps.setStatus(this.status, message, warning);
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
    if (!this.select || !this.element || !maps.available() || !urls.length) {
      return;
    }
    this.wrapper.hidden = false;
    this.setStatus(this.data.textLoading);
    Promise.all(urls.map(maps.getJson))
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
        maps.warn("buurt map", error);
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
    this.setStatus(this.data.textFailed, true);
  };

  BuurtPicker.prototype.draw = function (features) {
    var self = this;
    var map = maps.createMap(this.element, this.data, { minZoom: 10, maxZoom: 18 });
    this.map = map;
    var layer = maps.drawBuurten(map, features, STYLES.base, {
      onEachFeature: function (feature, featureLayer) {
        var code = feature.properties.code;
        self.layersByCode[code] = featureLayer;
        featureLayer.bindTooltip(maps.escapeHtml(feature.properties.name), {
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
    });
    maps.fitBuurten(map, layer);
    maps.wheelZoomOnFocus(this.element, map);
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
        animate: !maps.prefersReducedMotion(),
      });
    }
  };

  function start() {
    var wrapper = document.getElementById("buurt-picker");
    if (wrapper) {
      new BuurtPicker(wrapper).load();
    }
  }

  maps.ready(start);
})();
