// The API documentation pages (templates/drf_spectacular/): what Swagger UI and Redoc leave out for
// accessibility, done from a script file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // Redoc, started here rather than by its <redoc> element, to give it a theme whose colours keep
  // AA contrast (its default green and red on their tints are 4.36:1 and 4.49:1).
  var redoc = document.getElementById("redoc-container");
  if (redoc && window.Redoc) {
    window.Redoc.init(
      redoc.getAttribute("data-spec-url"),
      {
        theme: {
          colors: {
            success: { main: "#146c2e" },
            error: { main: "#b02a37" },
            warning: { main: "#8a5a00" },
          },
        },
      },
      redoc
    );
  }

  // Swagger UI draws a parameter's list of values (<select>) and fields without a label: each is
  // named by the parameter of its row (``tr[data-param-name]``), as it is drawn.
  var swagger = document.getElementById("swagger-ui");
  if (!swagger) {
    return;
  }
  function nameFields() {
    swagger.querySelectorAll("tr[data-param-name]").forEach(function (row) {
      row.querySelectorAll("select, input, textarea").forEach(function (field) {
        if (!field.getAttribute("aria-label")) {
          field.setAttribute("aria-label", row.getAttribute("data-param-name"));
        }
      });
    });
  }
  new MutationObserver(nameFields).observe(swagger, { childList: true, subtree: true });
})();
