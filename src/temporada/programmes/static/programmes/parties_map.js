// Parties of a legal instrument on the RCM shapes (no tile server; same-origin GeoJSON only).
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("parties-map");
    var script = document.querySelector("script[data-geojson]");
    if (!el || !window.L || !script) { return; }
    var parties = JSON.parse(document.getElementById("party-codes").textContent);
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
    fetch(script.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var layer = L.geoJSON(geo, {
          style: function (f) {
            var party = parties.indexOf(f.id || f.properties.iso_a3) !== -1;
            return { color: "#333", weight: 1, fillColor: party ? "#0b5d3b" : "#d9d9d9", fillOpacity: party ? 0.8 : 0.4 };
          },
          onEachFeature: function (f, l) {
            var lang = document.documentElement.lang || "es";
            l.bindTooltip(f.properties["name_" + lang] || f.properties.name_en);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds());
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
