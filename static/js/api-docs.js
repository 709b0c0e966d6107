/* The API's browsable documentation (/api/docs/): Swagger UI, from the copy django-ninja ships, on the OpenAPI
   document named by the page. A file rather than an inline script, so the site's CSP (script-src 'self') holds;
   the layout without the top bar, whose logo carries an inline <style> that the CSP (style-src 'self') refuses. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // No badge from swagger.io: the site makes no third-party requests.
    validatorUrl: null,
    // The API is read-only.
    supportedSubmitMethods: ["get", "head"]
  });
})();
