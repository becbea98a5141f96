/*
 * Buurtstem — buurt map on the home page.
 *
 * Draws the buurt polygons from the area API (GeoJSON) with Leaflet, with or without a tile
 * layer, and links the map to the accessible list of buurten next to it: hovering or focusing a
 * buurt in the list highlights it on the map, choosing it zooms the map to it, and choosing a
 * buurt on the map marks its row in the list. The list is the complete alternative to the map;
 * when the API or Leaflet is unavailable the map area says so and the list remains.
 *
 * Configuration comes from data- attributes on the map element (no inline script: CSP).
 */
(function () {
  "use strict";

  var maps = window.Buurtstem.maps;
  var STYLES = maps.STYLES;
  var WIDE_LAYOUT = "(min-width: 64em)";
  var LOADING_MESSAGE_DELAY_MS = 400;

  function isOutOfView(element) {
    var rect = element.getBoundingClientRect();
    return rect.bottom < 0 || rect.top > (window.innerHeight || document.documentElement.clientHeight);
  }

  function AreaMap(element) {
    this.element = element;
    this.wrapper = element.closest(".bs-area-map") || element.parentNode;
    this.status = document.getElementById("area-map-status");
    this.hint = document.getElementById("area-map-hint");
    this.text = element.dataset;
    this.lang = document.documentElement.lang || "nl";
    this.layersByCode = {};
    this.rowsByCode = {};
    this.selectedCode = null;
    this.map = null;
  }

  AreaMap.prototype.setStatus = function (message, variant) {
    maps.setStatus(this.status, message, variant === "warning");
  };

  AreaMap.prototype.fail = function (message) {
    this.wrapper.classList.add("bs-area-map--failed");
    this.element.hidden = true;
    if (this.hint) {
      this.hint.hidden = true;
    }
    this.setStatus(message, "warning");
  };

  AreaMap.prototype.load = function () {
    var self = this;
    if (!maps.available()) {
      this.fail(this.text.textFailed);
      return;
    }
    var stopLoadingMessage = maps.later(function () {
      self.setStatus(self.text.textLoading);
    }, LOADING_MESSAGE_DELAY_MS);
    maps
      .loadBuurten(this.element.dataset.areasUrl, this.element.dataset.codePrefix)
      .then(function (features) {
        stopLoadingMessage();
        if (!features.length) {
          self.fail(self.text.textEmpty);
          return;
        }
        self.draw(features);
        self.setStatus("");
        self.linkList();
      })
      .catch(function (error) {
        stopLoadingMessage();
        maps.warn("buurt map", error);
        self.fail(self.text.textFailed);
      });
  };

  AreaMap.prototype.inhabitantsText = function (props) {
    if (props.inhabitants_suppressed) {
      return this.text.textSuppressed;
    }
    if (props.inhabitants === null || props.inhabitants === undefined) {
      return this.text.textUnknown;
    }
    var number = new Intl.NumberFormat(this.lang).format(props.inhabitants);
    return number + " " + (props.inhabitants === 1 ? this.text.textInhabitant : this.text.textInhabitants);
  };

  AreaMap.prototype.tooltipContent = function (props) {
    var wrapper = document.createElement("span");
    var name = document.createElement("span");
    name.className = "bs-map-tooltip__name";
    name.textContent = props.name;
    var detail = document.createElement("span");
    detail.textContent = this.inhabitantsText(props);
    wrapper.appendChild(name);
    wrapper.appendChild(detail);
    return wrapper;
  };

  AreaMap.prototype.draw = function (features) {
    var self = this;
    var data = this.element.dataset;
    var map = maps.createMap(this.element, data, { minZoom: 10, maxZoom: 18 });
    this.map = map;
    var layer = maps.drawBuurten(map, features, STYLES.base, {
      onEachFeature: function (feature, featureLayer) {
        var code = feature.properties.code;
        self.layersByCode[code] = featureLayer;
        featureLayer.bindTooltip(self.tooltipContent(feature.properties), {
          sticky: true,
          direction: "top",
          opacity: 1,
        });
        featureLayer.on({
          mouseover: function () {
            self.highlight(code);
          },
          mouseout: function () {
            self.unhighlight(code);
          },
          click: function () {
            self.select(code, { fromMap: true });
          },
        });
      },
    });
    maps.fitBuurten(map, layer, data.bounds);
    maps.wheelZoomOnFocus(this.element, map);
    map.on("click", function () {
      map.scrollWheelZoom.enable();
    });
  };

  AreaMap.prototype.styleFor = function (code) {
    return code === this.selectedCode ? STYLES.selected : STYLES.base;
  };

  AreaMap.prototype.labelPoint = function (featureLayer) {
    var label = featureLayer.feature.properties.label;
    if (label && label.length === 2) {
      return window.L.latLng(label[0], label[1]);
    }
    return featureLayer.getBounds().getCenter();
  };

  AreaMap.prototype.highlight = function (code, showTooltip) {
    var featureLayer = this.layersByCode[code];
    if (!featureLayer) {
      return;
    }
    if (code !== this.selectedCode) {
      featureLayer.setStyle(STYLES.hover);
    }
    featureLayer.bringToFront();
    if (showTooltip) {
      featureLayer.openTooltip(this.labelPoint(featureLayer));
    }
  };

  AreaMap.prototype.unhighlight = function (code, closeTooltip) {
    var featureLayer = this.layersByCode[code];
    if (!featureLayer) {
      return;
    }
    featureLayer.setStyle(this.styleFor(code));
    if (closeTooltip && code !== this.selectedCode) {
      featureLayer.closeTooltip();
    }
    if (this.selectedCode && this.layersByCode[this.selectedCode]) {
      this.layersByCode[this.selectedCode].bringToFront();
    }
  };

  AreaMap.prototype.select = function (code, options) {
    var featureLayer = this.layersByCode[code];
    if (!featureLayer) {
      return;
    }
    var previous = this.selectedCode;
    this.selectedCode = code;
    if (previous && previous !== code) {
      this.layersByCode[previous].setStyle(STYLES.base);
      this.layersByCode[previous].closeTooltip();
      if (this.rowsByCode[previous]) {
        this.rowsByCode[previous].classList.remove("bs-area-row--active");
      }
    }
    featureLayer.setStyle(STYLES.selected);
    featureLayer.bringToFront();
    var row = this.rowsByCode[code];
    if (row) {
      row.classList.add("bs-area-row--active");
    }

    var wide = window.matchMedia && window.matchMedia(WIDE_LAYOUT).matches;
    var behavior = maps.prefersReducedMotion() ? "auto" : "smooth";
    if (options && options.fromMap) {
      // Beside the map (wide screens) the list follows the map; stacked, the page stays put.
      if (row && wide && isOutOfView(row)) {
        row.scrollIntoView({ block: "nearest", behavior: behavior });
      }
      return;
    }
    this.map.fitBounds(featureLayer.getBounds(), {
      maxZoom: 14,
      padding: [48, 48],
      animate: !maps.prefersReducedMotion(),
    });
    featureLayer.openTooltip(this.labelPoint(featureLayer));
    if (!wide && isOutOfView(this.element)) {
      this.element.scrollIntoView({ block: "nearest", behavior: behavior });
    }
  };

  AreaMap.prototype.linkList = function () {
    var self = this;
    var hintId = "area-map-show-hint";
    if (!document.getElementById(hintId)) {
      var hint = document.createElement("span");
      hint.id = hintId;
      hint.hidden = true;
      hint.textContent = this.text.textShowOnMap;
      this.wrapper.appendChild(hint);
    }
    var rows = document.querySelectorAll(".bs-area-row[data-area-code]");
    Array.prototype.forEach.call(rows, function (row) {
      var code = row.getAttribute("data-area-code");
      var cell = row.querySelector(".bs-area-row__name");
      if (!self.layersByCode[code] || !cell) {
        return;
      }
      self.rowsByCode[code] = row;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "bs-link-button";
      button.textContent = cell.textContent.trim();
      button.setAttribute("aria-describedby", hintId);
      cell.textContent = "";
      cell.appendChild(button);

      button.addEventListener("click", function () {
        self.select(code, { fromMap: false });
      });
      button.addEventListener("focus", function () {
        self.highlight(code, true);
      });
      button.addEventListener("blur", function () {
        self.unhighlight(code, true);
      });
      row.addEventListener("mouseenter", function () {
        self.highlight(code, true);
      });
      row.addEventListener("mouseleave", function () {
        self.unhighlight(code, true);
      });
    });
  };

  function start() {
    var element = document.getElementById("area-map");
    if (element) {
      new AreaMap(element).load();
    }
  }

  maps.ready(start);
})();
