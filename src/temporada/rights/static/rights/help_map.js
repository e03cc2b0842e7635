// Help directory map: RCM countries and US states with at least one listed contact, from same-origin
// GeoJSON (no tile server). The table under the map carries the same information without JavaScript.
(function () {
  "use strict";
  function load(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }
  function start() {
    var el = document.getElementById("help-map");
    var script = document.querySelector("script[data-states]");
    if (!el || !window.L || !script) { return; }
    var states = JSON.parse(document.getElementById("help-states").textContent);
    var countries = JSON.parse(document.getElementById("help-countries").textContent);
    var lang = document.documentElement.lang || "es";
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    Promise.all([load(script.getAttribute("data-countries")), load(script.getAttribute("data-states"))])
      .then(function (geo) {
        var base = L.geoJSON(geo[0], {
          style: function (f) {
            var on = countries.indexOf(f.id || f.properties.iso_a3) !== -1;
            return { color: "#555", weight: 1, fillColor: on ? "#7fb89a" : "#e3e3e3", fillOpacity: 0.6 };
          },
          onEachFeature: function (f, l) { l.bindTooltip(f.properties["name_" + lang] || f.properties.name_en); }
        }).addTo(map);
        L.geoJSON(geo[1], {
          filter: function (f) { return states.indexOf(f.id) !== -1; },
          style: function () { return { color: "#07432a", weight: 1, fillColor: "#0b5d3b", fillOpacity: 0.85 }; },
          onEachFeature: function (f, l) { l.bindTooltip(f.properties.name); }
        }).addTo(map);
        map.fitBounds(base.getBounds());
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
