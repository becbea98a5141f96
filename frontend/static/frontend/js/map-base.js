/*
 * Buurtstem — groundwork shared by every map (window.Buurtstem.maps).
 *
 * There is no tile server: each map draws the buurt boundaries from the area API
 * (/api/v1/geo/areas/, GeoJSON) as its base layer. This module holds what the map scripts
 * have in common: the boundary styles, fetching and filtering the buurten, creating the
 * Leaflet map with translated zoom buttons, attribution and an optional tile layer, fitting
 * the municipality, wheel zoom only while the map has focus, status messages and small
 * helpers. Each page script (area-map.js, report-map.js, panel-buurt-map.js, report-form.js,
 * survey-location.js, staff-report-map.js) keeps its own behaviour on top.
 *
 * Load it with <script src nonce defer> before the page script (deferred scripts run in
 * order). It does not touch Leaflet until a map is made, so pages may load it without
 * Leaflet.
 */
(function () {
  "use strict";

  var STYLES = {
    // Buurt boundaries you can point at (home map, panel picker).
    base: { color: "#154273", weight: 1.5, opacity: 1, fillColor: "#5b8fc7", fillOpacity: 0.22 },
    hover: { color: "#0f3157", weight: 3, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.5 },
    selected: { color: "#1a1a1a", weight: 4, opacity: 1, fillColor: "#ffd200", fillOpacity: 0.75 },
    // Lighter boundaries under a point picker (report form, survey location question).
    light: { color: "#154273", weight: 1.5, opacity: 1, fillColor: "#5b8fc7", fillOpacity: 0.18 },
  };

  function prefersReducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  /* Runs fn once the document is parsed (at once when it already is). */
  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  /* Whether a map can be drawn at all: Leaflet is loaded and the browser can fetch. */
  function available() {
    return typeof window.L !== "undefined" && typeof window.fetch === "function";
  }

  function getJson(url) {
    return window
      .fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/geo+json, application/json" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(url + " answered " + response.status);
        }
        return response.json();
      });
  }

  /* The features of an area collection with a geometry and a code starting with prefix. */
  function buurtFeatures(collection, prefix) {
    prefix = prefix || "";
    return (collection.features || []).filter(function (feature) {
      var code = feature.properties && feature.properties.code;
      return feature.geometry && typeof code === "string" && code.indexOf(prefix) === 0;
    });
  }

  /* Promise of the buurt features from the area API at url (filtered by code prefix). */
  function loadBuurten(url, prefix) {
    return getJson(url).then(function (collection) {
      return buurtFeatures(collection, prefix);
    });
  }

  /* Calls fn after delayMs unless the returned function is called first (e.g. a loading
     message that only appears when loading is slow). */
  function later(fn, delayMs) {
    var timer = window.setTimeout(fn, delayMs);
    return function () {
      window.clearTimeout(timer);
    };
  }

  /* Sets the text of a (live region) status element; the warning classes (space separated,
     default "utrecht-alert--warning") are on while warning is true. */
  function setStatus(element, message, warning, warningClasses) {
    if (!element) {
      return;
    }
    element.textContent = message || "";
    (warningClasses || "utrecht-alert--warning").split(" ").forEach(function (name) {
      element.classList.toggle(name, Boolean(warning));
    });
  }

  function warn(what, error) {
    if (window.console) {
      window.console.warn("Buurtstem: the " + what + " could not be loaded.", error);
    }
  }

  /* A Leaflet map in element with translated zoom buttons (data.textZoomIn/Out), the
     attribution (data.attribution, escaped) and a tile layer only when data.tileUrl is set.
     Wheel zoom starts off (see wheelZoomOnFocus). */
  function createMap(element, data, options) {
    var L = window.L;
    var map = L.map(element, {
      zoomControl: false,
      attributionControl: false,
      scrollWheelZoom: false,
      zoomSnap: 0.25,
      minZoom: options.minZoom,
      maxZoom: options.maxZoom,
    });
    L.control.zoom({ zoomInTitle: data.textZoomIn, zoomOutTitle: data.textZoomOut }).addTo(map);
    if (data.attribution !== undefined) {
      var attribution = L.control.attribution({ prefix: false });
      attribution.addAttribution(escapeHtml(data.attribution));
      attribution.addTo(map);
    }
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  /* The buurt features as a GeoJSON layer on map, all drawn in style; options are passed on
     to L.geoJSON (onEachFeature, interactive, …). */
  function drawBuurten(map, features, style, options) {
    var layerOptions = window.L.Util.extend(
      {
        style: function () {
          return style;
        },
      },
      options || {}
    );
    return window.L.geoJSON({ type: "FeatureCollection", features: features }, layerOptions).addTo(map);
  }

  /* Fits the map to the municipality: the bounds in boundsJson (data-bounds, [[s, w], [n, e]])
     or else those of layer. Unless options.maxBounds is false, panning stops a little beyond.
     Returns the bounds, or null when there are none (nothing fitted). */
  function fitBuurten(map, layer, boundsJson, options) {
    var bounds = null;
    if (boundsJson) {
      try {
        bounds = window.L.latLngBounds(JSON.parse(boundsJson));
      } catch (error) {
        bounds = null;
      }
    }
    if (!bounds || !bounds.isValid()) {
      bounds = layer.getBounds();
    }
    if (!bounds.isValid()) {
      return null;
    }
    map.fitBounds(bounds, { padding: [8, 8], animate: false });
    if (!options || options.maxBounds !== false) {
      map.setMaxBounds(bounds.pad(0.6));
    }
    return bounds;
  }

  /* Wheel zoom only while the map has focus, so scrolling the page never gets trapped. */
  function wheelZoomOnFocus(element, map) {
    element.addEventListener("focus", function () {
      map.scrollWheelZoom.enable();
    });
    element.addEventListener("blur", function () {
      map.scrollWheelZoom.disable();
    });
  }

  window.Buurtstem = window.Buurtstem || {};
  window.Buurtstem.maps = {
    STYLES: STYLES,
    prefersReducedMotion: prefersReducedMotion,
    escapeHtml: escapeHtml,
    ready: ready,
    available: available,
    getJson: getJson,
    buurtFeatures: buurtFeatures,
    loadBuurten: loadBuurten,
    later: later,
    setStatus: setStatus,
    warn: warn,
    createMap: createMap,
    drawBuurten: drawBuurten,
    fitBuurten: fitBuurten,
    wheelZoomOnFocus: wheelZoomOnFocus,
  };
})();
