/*
 * Buurtstem — staff map of meldingen (/beheer/meldingen/?view=map and one report's page).
 *
 * Base layer: the buurt boundaries from the area API (there is no tile server). On top: the
 * exact points of the reports, either the current selection (GeoJSON from data-points-url)
 * or one report (JSON in the element named by data-point-id). Each point opens a popup with
 * the reference (a link to the report), category and status. The table on the page is the
 * complete alternative; when Leaflet or the data are unavailable the map says so.
 *
 * Configuration comes from data- attributes (no inline script: CSP).
 */
(function () {
  "use strict";

  var maps = window.Buurtstem.maps;
  var AREA_STYLE = { color: "#154273", weight: 1, opacity: 0.8, fillColor: "#5b8fc7", fillOpacity: 0.08 };
  var POINT_STYLE = { radius: 6, color: "#1a1a1a", weight: 1.5, fillColor: "#ffd200", fillOpacity: 0.95 };

  function text(element, name) {
    return element.dataset[name] || "";
  }

  function popupContent(element, props) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = text(element, "detailUrlTemplate").replace("00000000-0000-0000-0000-000000000000", props.uuid);
    link.textContent = props.reference;
    var lang = document.documentElement.lang || "nl";
    var category = lang.indexOf("en") === 0 && props.category_en ? props.category_en : props.category;
    var detail = document.createElement("div");
    detail.textContent = [category, props.status_label].filter(Boolean).join(" · ");
    if (props.uuid) {
      wrapper.appendChild(link);
    } else {
      var strong = document.createElement("strong");
      strong.textContent = props.reference;
      wrapper.appendChild(strong);
    }
    wrapper.appendChild(detail);
    return wrapper;
  }

  function StaffReportMap(element) {
    this.element = element;
    this.status = document.getElementById(element.dataset.statusId || "");
  }

  StaffReportMap.prototype.setStatus = function (message, warning) {
    maps.setStatus(this.status, message, warning);
  };

  StaffReportMap.prototype.fail = function () {
    this.element.hidden = true;
    this.setStatus(text(this.element, "textFailed"), true);
  };

  StaffReportMap.prototype.points = function () {
    var self = this;
    var id = this.element.dataset.pointId;
    if (id) {
      var source = document.getElementById(id);
      var point = source ? JSON.parse(source.textContent) : null;
      var features = point
        ? [
            {
              type: "Feature",
              geometry: { type: "Point", coordinates: [point.lon, point.lat] },
              properties: { reference: point.reference },
            },
          ]
        : [];
      return Promise.resolve({ type: "FeatureCollection", total: features.length, features: features });
    }
    return maps.getJson(self.element.dataset.pointsUrl);
  };

  StaffReportMap.prototype.load = function () {
    var self = this;
    if (!maps.available()) {
      this.fail();
      return;
    }
    this.setStatus(text(this.element, "textLoading"));
    var data = this.element.dataset;
    Promise.all([maps.loadBuurten(data.areasUrl, data.codePrefix), this.points()])
      .then(function (results) {
        self.draw(results[0], results[1]);
      })
      .catch(function (error) {
        maps.warn("staff map", error);
        self.fail();
      });
  };

  StaffReportMap.prototype.draw = function (buurten, points) {
    var self = this;
    var L = window.L;
    var element = this.element;
    var map = maps.createMap(element, element.dataset, { minZoom: 10, maxZoom: 19 });
    var base = maps.drawBuurten(map, buurten, AREA_STYLE, { interactive: false });
    var features = points.features || [];
    var layer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, POINT_STYLE);
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(popupContent(element, feature.properties || {}));
        },
      }
    ).addTo(map);

    var bounds = features.length ? layer.getBounds() : base.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: features.length === 1 ? 16 : 15, animate: false });
    } else {
      map.setView([52.16, 4.49], 12);
    }
    maps.wheelZoomOnFocus(element, map);

    var total = typeof points.total === "number" ? points.total : features.length;
    var summary = text(element, "textShown")
      .replace("{shown}", String(features.length))
      .replace("{total}", String(total));
    self.setStatus(element.dataset.pointId ? "" : summary);
  };

  function start() {
    var element = document.getElementById("staff-report-map");
    if (element) {
      new StaffReportMap(element).load();
    }
  }

  maps.ready(start);
})();
