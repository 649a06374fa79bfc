// Starts Swagger UI on /api/v1/docs. Served as a file (not inline) for the CSP.
// Two repairs of Swagger UI's markup for screen readers and keyboards, redone whenever it
// redraws: the server chooser gets a name (a bare "combo box" otherwise), and the path link
// inside each operation's toggle button becomes plain text (a link nested in a button is
// a second, unreachable control; the button already opens the operation).
function repairSwaggerMarkup(root) {
  var servers = document.getElementById("servers");
  if (servers && !servers.getAttribute("aria-label")) {
    servers.setAttribute("aria-label", {{ _('API server')|tojson }});
  }
  var nested = root.querySelectorAll(".opblock-summary-control a[href]");
  for (var i = 0; i < nested.length; i++) { nested[i].removeAttribute("href"); }
}

function nameUnlabelledControls() {
  var root = document.getElementById("swagger-ui");
  repairSwaggerMarkup(root);
  new MutationObserver(function () { repairSwaggerMarkup(root); }).observe(root, { childList: true, subtree: true });
}
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("swagger-ui");
  if (!element || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: element.getAttribute("data-spec-url"),
    domNode: element,
    // No deep links: they put an <a> inside each operation's toggle button (a nested
    // interactive control that screen readers cannot reach, axe "nested-interactive").
    deepLinking: false,
    tryItOutEnabled: false,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: nameUnlabelledControls
  });
});
