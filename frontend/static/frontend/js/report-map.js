/*
 * Buurtstem — the public meldingen map (/meldingen/kaart/).
 *
 * Base layer: the buurt boundaries from the area API (no tile server needed). On top: the
 * number of reports per grid cell from the public map API, for the cell size that belongs
 * to the zoom level (100 m zoomed in, up to 1600 m zoomed out). The API already applies the
 * small-count rule: a cell with fewer than `min_count` reports has null numbers and is drawn
 * as "<5". Only the cells in view are drawn; each is a keyboard-focusable marker with a text
 * label. The filters are the server-rendered form above the map (the page URL carries them
 * into data-cells-url); the table view is the complete alternative.
 *
 * Configuration comes from data- attributes on the map element (no inline script: CSP).
 */
(function () {
  "use strict";

  var maps = window.Buurtstem.maps;
  var AREA_STYLE = {
    color: "#5f6b7a",
    weight: 1.25,
    opacity: 1,
    fillColor: "#ffffff",
    fillOpacity: 0.6,
    interactive: false,
  };
  var LOADING_MESSAGE_DELAY_MS = 400;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function cellSizeForZoom(zoom) {
    // The same steps as reports.selectors.cell_size_for_zoom.
    if (zoom >= 16) {
      return 100;
    }
    if (zoom >= 15) {
      return 200;
    }
    if (zoom >= 14) {
      return 400;
    }
    if (zoom >= 13) {
      return 800;
    }
    return 1600;
  }

  function ReportMap(element) {
    this.element = element;
    this.data = element.dataset;
    this.status = document.getElementById("public-map-status");
    this.lang = document.documentElement.lang || "nl";
    this.numbers = new Intl.NumberFormat(this.lang);
    this.collections = {}; // cell size → promise of the API answer
    this.cellLayer = null;
    this.map = null;
    this.shownSize = null;
  }

  ReportMap.prototype.setStatus = function (message, variant) {
    maps.setStatus(this.status, message, variant === "warning", "utrecht-alert utrecht-alert--warning");
  };

  ReportMap.prototype.fail = function (error) {
    if (error) {
      maps.warn("meldingen map", error);
    }
    this.element.hidden = true;
    var hint = document.getElementById("public-map-hint");
    if (hint) {
      hint.hidden = true;
    }
    this.setStatus(this.data.textFailed, "warning");
  };

  ReportMap.prototype.load = function () {
    var self = this;
    if (!maps.available()) {
      this.fail();
      return;
    }
    var stopLoadingMessage = maps.later(function () {
      self.setStatus(self.data.textLoading);
    }, LOADING_MESSAGE_DELAY_MS);
    maps
      .loadBuurten(this.data.areasUrl, this.data.codePrefix)
      .then(function (features) {
        stopLoadingMessage();
        self.draw(features);
        self.showCells();
      })
      .catch(function (error) {
        stopLoadingMessage();
        self.fail(error);
      });
  };

  ReportMap.prototype.draw = function (features) {
    var self = this;
    var data = this.data;
    var map = maps.createMap(this.element, data, { minZoom: 11, maxZoom: 17 });
    this.map = map;
    var areas = maps.drawBuurten(map, features, AREA_STYLE);
    this.cellLayer = window.L.layerGroup().addTo(map);
    if (!maps.fitBuurten(map, areas, data.bounds)) {
      map.setView([52.158, 4.49], 13);
    }
    map.on("zoomend moveend", function () {
      self.showCells();
    });
    maps.wheelZoomOnFocus(this.element, map);
  };

  ReportMap.prototype.cells = function (size) {
    if (!this.collections[size]) {
      var url = this.data.cellsUrl;
      var zoom = { 100: 16, 200: 15, 400: 14, 800: 13, 1600: 12 }[size];
      url += (url.indexOf("?") === -1 ? "?" : "&") + "zoom=" + zoom;
      this.collections[size] = maps.getJson(url);
    }
    return this.collections[size];
  };

  ReportMap.prototype.showCells = function () {
    var self = this;
    var size = cellSizeForZoom(Math.round(this.map.getZoom()));
    this.cells(size)
      .then(function (collection) {
        if (size !== cellSizeForZoom(Math.round(self.map.getZoom()))) {
          return; // the user zoomed on while this was loading
        }
        self.render(collection, size);
      })
      .catch(function (error) {
        delete self.collections[size];
        self.fail(error);
      });
  };

  ReportMap.prototype.label = function (props, minCount) {
    return props.reports === null ? "<" + minCount : this.numbers.format(props.reports);
  };

  ReportMap.prototype.description = function (props, size, minCount) {
    var sizeText = this.numbers.format(size);
    if (props.reports === null) {
      return format(this.data.textCellSmall, { min: minCount, size: sizeText });
    }
    var text = format(this.data.textCell, { count: this.numbers.format(props.reports), size: sizeText });
    if (props.people !== null && props.people > props.reports) {
      text += ". " + format(this.data.textCellPeople, { people: this.numbers.format(props.people) });
    }
    return text;
  };

  ReportMap.prototype.diameter = function (props) {
    if (props.reports === null) {
      return 30;
    }
    return Math.round(Math.min(64, 34 + 8 * Math.log10(Math.max(1, props.reports))));
  };

  ReportMap.prototype.render = function (collection, size) {
    var L = window.L;
    var self = this;
    var minCount = collection.min_count || Number(this.data.minCount) || 5;
    var view = this.map.getBounds().pad(0.1);
    this.cellLayer.clearLayers();
    var shown = 0;
    (collection.features || []).forEach(function (feature) {
      var lonLat = feature.geometry.coordinates;
      var point = L.latLng(lonLat[1], lonLat[0]);
      if (!view.contains(point)) {
        return;
      }
      var props = feature.properties;
      var d = self.diameter(props);
      var description = self.description(props, size, minCount);
      var marker = L.marker(point, {
        icon: L.divIcon({
          className: "bs-cell" + (props.reports === null ? " bs-cell--small" : ""),
          html: '<span class="bs-cell__label" aria-hidden="true">' + maps.escapeHtml(self.label(props, minCount)) + "</span>",
          iconSize: [d, d],
        }),
        keyboard: true,
        title: description,
        riseOnHover: true,
      });
      marker.bindTooltip(description, { direction: "top", offset: [0, -d / 2], opacity: 1 });
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) {
          el.setAttribute("aria-label", description);
          el.removeAttribute("title");
          el.addEventListener("focus", function () {
            marker.openTooltip();
          });
          el.addEventListener("blur", function () {
            marker.closeTooltip();
          });
        }
      });
      self.cellLayer.addLayer(marker);
      shown += 1;
    });
    this.shownSize = size;
    this.element.setAttribute("data-cell-size", String(size));
    var total = (collection.features || []).length;
    this.setStatus(
      total
        ? format(this.data.textSummary, { size: this.numbers.format(size), cells: this.numbers.format(total) })
        : this.data.textEmpty
    );
  };

  function start() {
    var element = document.getElementById("public-report-map");
    if (element) {
      new ReportMap(element).load();
    }
  }

  maps.ready(start);
})();
