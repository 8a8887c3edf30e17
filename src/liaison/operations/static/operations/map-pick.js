// Choosing a point on a county-outline map fills the latitude and longitude fields named
// by the frame's data-fill-lat / data-fill-lon. The SVG carries its bounds and margin; the
// projection is the server's (operations/geo.py): equirectangular, true at mid-latitude.
(function () {
  document.querySelectorAll("[data-fill-lat]").forEach(function (frame) {
    var svg = frame.querySelector("svg[data-bounds]");
    var lat = document.getElementById(frame.dataset.fillLat);
    var lon = document.getElementById(frame.dataset.fillLon);
    if (!svg || !lat || !lon) return;
    var b = svg.dataset.bounds.split(",").map(Number);
    var margin = Number(svg.dataset.margin), width = Number(svg.dataset.width);
    var k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    var scale = (width - 2 * margin) / ((b[2] - b[0]) * k);
    svg.style.cursor = "crosshair";
    svg.addEventListener("click", function (event) {
      var point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      var p = point.matrixTransform(svg.getScreenCTM().inverse());
      lon.value = (b[0] + (p.x - margin) / (k * scale)).toFixed(5);
      lat.value = (b[3] - (p.y - margin) / scale).toFixed(5);
      lat.dispatchEvent(new Event("change"));
    });
  });
})();
