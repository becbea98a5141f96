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

  var AREA_STYLE = { color: "#154273", weight: 1, opacity: 0.8, fillColor: "#5b8fc7", fillOpacity: 0.08 };
  var POINT_STYLE = { radius: 6, color: "#1a1a1a", weight: 1.5, fillColor: "#ffd200", fillOpacity: 0.95 };

  function text(element, name) {
    return element.dataset[name] || "";
  }

  function getJson(url) {
    return window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + " answered " + response.status);
        }
        return response.json();
      });
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
    if (this.status) {
      this.status.textContent = message || "";
      this.status.classList.toggle("utrecht-alert--warning", Boolean(warning));
    }
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
    return getJson(self.element.dataset.pointsUrl);
  };

  StaffReportMap.prototype.load = function () {
    var self = this;
    if (typeof window.L === "undefined" || typeof window.fetch !== "function") {
      this.fail();
      return;
    }
    this.setStatus(text(this.element, "textLoading"));
    Promise.all([getJson(this.element.dataset.areasUrl), this.points()])
      .then(function (results) {
        self.draw(results[0], results[1]);
      })
      .catch(function (error) {
        if (window.console) {
          window.console.warn("Buurtstem: the staff map could not be loaded.", error);
        }
        self.fail();
      });
  };

  StaffReportMap.prototype.draw = function (areas, points) {
    var self = this;
    var L = window.L;
    var element = this.element;
    var prefix = element.dataset.codePrefix || "";
    var buurten = (areas.features || []).filter(function (feature) {
      var code = feature.properties && feature.properties.code;
      return feature.geometry && typeof code === "string" && code.indexOf(prefix) === 0;
    });
    var map = L.map(element, {
      zoomControl: false,
      attributionControl: false,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
      minZoom: 10,
      maxZoom: 19,
    });
    L.control.zoom({ zoomInTitle: text(element, "textZoomIn"), zoomOutTitle: text(element, "textZoomOut") }).addTo(map);
    var attribution = L.control.attribution({ prefix: false });
    attribution.addAttribution(text(element, "attribution"));
    attribution.addTo(map);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
    }
    var base = L.geoJSON(
      { type: "FeatureCollection", features: buurten },
      {
        style: function () {
          return AREA_STYLE;
        },
        interactive: false,
      }
    ).addTo(map);
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
    element.addEventListener("focus", function () {
      map.scrollWheelZoom.enable();
    });
    element.addEventListener("blur", function () {
      map.scrollWheelZoom.disable();
    });

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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
