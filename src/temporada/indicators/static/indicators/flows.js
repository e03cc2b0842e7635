// Flow map of migrant-stock corridors over the RCM country shapes: no tile server, same-origin GeoJSON only.
// Each flow is a curved line from origin to destination (bending right, so A→B and B→A stay apart),
// its width grows with the square root of the number of people, and it ends in a small dot at the destination.
(function () {
  "use strict";
  function curve(a, b) {
    var mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
    var dx = b[0] - a[0], dy = b[1] - a[1];
    var cx = mx - dy * 0.2, cy = my + dx * 0.2;  // control point to the right of the direction
    var pts = [];
    for (var i = 0; i <= 24; i++) {
      var t = i / 24, u = 1 - t;
      pts.push([u * u * a[0] + 2 * u * t * cx + t * t * b[0], u * u * a[1] + 2 * u * t * cy + t * t * b[1]]);
    }
    return pts;
  }
  function start() {
    var el = document.getElementById("flow-map");
    var script = document.querySelector("script[data-geojson]");
    var dataEl = document.getElementById("flow-data");
    if (!el || !window.L || !script || !dataEl) { return; }
    var data = JSON.parse(dataEl.textContent);
    var lang = document.documentElement.lang || "es";
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false, keyboard: true });
    var max = 1;
    data.flows.forEach(function (f) { if (f.v > max) { max = f.v; } });
    fetch(script.getAttribute("data-geojson"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        var base = L.geoJSON(geo, {
          style: { color: "#6b7680", weight: 1, fillColor: "#dfe7e2", fillOpacity: 0.9 },
          onEachFeature: function (f, l) { l.bindTooltip(f.properties["name_" + lang] || f.properties.name_en); }
        }).addTo(map);
        // The view must exist before the flows are projected onto it.
        var used = [];
        data.flows.forEach(function (f) { used.push(data.anchors[f.o], data.anchors[f.d]); });
        map.fitBounds(used.length ? L.latLngBounds(used) : base.getBounds(), { padding: [30, 30] });
        data.flows.forEach(function (f) {
          var a = data.anchors[f.o], b = data.anchors[f.d];
          if (!a || !b) { return; }
          var width = 1.5 + 14 * Math.sqrt(f.v / max);
          L.polyline(curve(a, b), { color: "#0b5d3b", weight: width, opacity: 0.55, lineCap: "round" })
            .bindTooltip(f.on + " → " + f.dn + ": " + f.label).addTo(map);
          L.circleMarker(b, { radius: 3, color: "#07432a", fillOpacity: 1, weight: 1 }).addTo(map);
        });
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
