// Render every [data-vega-spec] element with vega-embed; the table view stays the no-JS fallback.
(function () {
  function render() {
    if (typeof vegaEmbed === "undefined") return;
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var specEl = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!specEl) return;
      var spec = JSON.parse(specEl.textContent);
      vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (err) {
        el.textContent = String(err);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
  document.body && document.body.addEventListener("htmx:afterSwap", render);
})();
