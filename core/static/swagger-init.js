// Starts Swagger UI on /api/v1/docs (flask-smorest's page does this in an inline script,
// which the Content-Security-Policy forbids). Settings come from the container's data-*.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = {
    url: container.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui-container",
    // No badge from an outside validator: the page talks to this site only.
    validatorUrl: null
  };
  var overrides = JSON.parse(container.getAttribute("data-config") || "{}");
  Object.keys(overrides).forEach(function (name) {
    config[name] = overrides[name];
  });
  window.addEventListener("load", function () {
    window.ui = window.SwaggerUIBundle(config);
  });
})();
