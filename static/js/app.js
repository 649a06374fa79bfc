// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";

  // Facet panels start open (useful without JS); on narrow screens fold them above the results.
  function collapseFacets() {
    document.querySelectorAll("details[data-collapse-below]").forEach(function (panel) {
      var limit = parseInt(panel.getAttribute("data-collapse-below"), 10);
      if (window.innerWidth < limit) {
        panel.removeAttribute("open");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", collapseFacets);
  } else {
    collapseFacets();
  }
})();
