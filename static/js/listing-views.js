// A listing page counts its view once shown: the page GET never writes, so this posts the
// hidden #listing-view form (with its CSRF token) in the background, as a beacon when the
// browser has one. The server counts a session at most once per listing and day, and never
// the listing's own organization or staff. Without JS nothing is counted (nor are most bots).
(function () {
  "use strict";

  function countView() {
    var form = document.getElementById("listing-view");
    if (!form || !window.FormData) {
      return;
    }
    var data = new FormData(form);
    if (navigator.sendBeacon && navigator.sendBeacon(form.action, data)) {
      return;
    }
    if (window.fetch) {
      window.fetch(form.action, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", countView);
  } else {
    countView();
  }
})();
