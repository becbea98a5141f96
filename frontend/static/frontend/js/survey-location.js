/*
 * Buurtstem — location questions: a point picker on a map of the buurt boundaries.
 *
 * There is no tile server: the buurt polygons from the area API are the base layer. A click
 * (or "choose the middle of the map" for keyboard users, who pan with the arrow keys) sets
 * the hidden lat/lon inputs, drops a marker, names the buurt and selects it in the buurt
 * list below, which stays the complete non-map alternative (buurt + description). Without
 * JavaScript or when the map cannot load, only that alternative is shown.
 */
(function () {
  "use strict";

  var maps = window.Buurtstem.maps;
  var STYLE = maps.STYLES.light;
  var CHOSEN = { color: "#1a1a1a", weight: 3, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.45 };

  function ringContains(ring, lon, lat) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0];
      var yi = ring[i][1];
      var xj = ring[j][0];
      var yj = ring[j][1];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
        inside = !inside;
      }
    }
    return inside;
  }

  function polygonContains(rings, lon, lat) {
    if (!rings.length || !ringContains(rings[0], lon, lat)) {
      return false;
    }
    for (var k = 1; k < rings.length; k++) {
      if (ringContains(rings[k], lon, lat)) {
        return false;
      }
    }
    return true;
  }

  function featureContains(feature, lon, lat) {
    var geometry = feature.geometry;
    if (geometry.type === "Polygon") {
      return polygonContains(geometry.coordinates, lon, lat);
    }
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.some(function (polygon) {
        return polygonContains(polygon, lon, lat);
      });
    }
    return false;
  }

  function Picker(element) {
    this.element = element;
    this.id = element.dataset.location;
    this.text = element.dataset;
    this.lat = document.getElementById(this.id + "-lat");
    this.lon = document.getElementById(this.id + "-lon");
    this.select = document.getElementById(this.id + "-buurt");
    this.status = element.querySelector("[data-status]");
    this.canvas = document.getElementById(this.id + "-map");
    this.features = [];
    this.layers = {};
    this.marker = null;
    this.chosenCode = null;
  }

  Picker.prototype.fail = function () {
    this.canvas.hidden = true;
    Array.prototype.forEach.call(this.element.querySelectorAll("button, .bs-location__hint"), function (el) {
      el.hidden = true;
    });
    this.status.textContent = this.text.textFailed;
  };

  Picker.prototype.load = function () {
    var self = this;
    this.element.hidden = false;
    if (!maps.available()) {
      this.fail();
      return;
    }
    maps
      .loadBuurten(this.text.areasUrl, this.text.codePrefix)
      .then(function (features) {
        self.features = features;
        if (!self.features.length) {
          self.fail();
          return;
        }
        self.draw();
      })
      .catch(function () {
        self.fail();
      });
  };

  Picker.prototype.draw = function () {
    var self = this;
    var map = maps.createMap(this.canvas, this.text, { minZoom: 10, maxZoom: 19 });
    this.map = map;
    var layer = maps.drawBuurten(map, this.features, STYLE, {
      onEachFeature: function (feature, featureLayer) {
        self.layers[feature.properties.code] = featureLayer;
        featureLayer.on("click", function (event) {
          self.choose(event.latlng.lat, event.latlng.lng);
        });
      },
    });
    maps.fitBuurten(map, layer, null, { maxBounds: false });
    map.on("click", function (event) {
      self.choose(event.latlng.lat, event.latlng.lng);
    });
    this.element.querySelector('[data-action="center"]').addEventListener("click", function () {
      var center = map.getCenter();
      self.choose(center.lat, center.lng);
    });
    this.element.querySelector('[data-action="clear"]').addEventListener("click", function () {
      self.clear();
    });
    if (this.lat.value && this.lon.value) {
      this.choose(Number(this.lat.value), Number(this.lon.value), true);
    }
  };

  Picker.prototype.buurtAt = function (lat, lon) {
    for (var i = 0; i < this.features.length; i++) {
      if (featureContains(this.features[i], lon, lat)) {
        return this.features[i].properties;
      }
    }
    return null;
  };

  Picker.prototype.highlight = function (code) {
    if (this.chosenCode && this.layers[this.chosenCode]) {
      this.layers[this.chosenCode].setStyle(STYLE);
    }
    this.chosenCode = code;
    if (code && this.layers[code]) {
      this.layers[code].setStyle(CHOSEN);
    }
  };

  Picker.prototype.choose = function (lat, lon, quiet) {
    var buurt = this.buurtAt(lat, lon);
    if (!buurt) {
      this.status.textContent = this.text.textOutside;
      return;
    }
    this.lat.value = lat.toFixed(6);
    this.lon.value = lon.toFixed(6);
    if (this.marker) {
      this.marker.setLatLng([lat, lon]);
    } else {
      this.marker = window.L.circleMarker([lat, lon], {
        radius: 9,
        color: "#1a1a1a",
        weight: 3,
        fillColor: "#ffd200",
        fillOpacity: 1,
      }).addTo(this.map);
    }
    this.highlight(buurt.code);
    if (this.select) {
      this.select.value = buurt.code;
    }
    this.status.textContent = this.text.textChosen + " " + buurt.name + ".";
    if (!quiet) {
      this.element.dispatchEvent(new Event("change", { bubbles: true }));
    }
  };

  Picker.prototype.clear = function () {
    this.lat.value = "";
    this.lon.value = "";
    if (this.marker) {
      this.marker.remove();
      this.marker = null;
    }
    this.highlight(null);
    this.status.textContent = "";
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-location]"), function (element) {
      new Picker(element).load();
    });
  }

  maps.ready(init);
})();
