// An enquiry thread marks itself read once shown: the page GET never writes, so this posts
// the hidden #enquiry-read form (with its CSRF token) in the background. Without JS the
// thread simply stays "new" until the reader answers.
(function () {
  "use strict";

  function markRead() {
    var form = document.getElementById("enquiry-read");
    if (!form || !window.fetch) {
      return;
    }
    window.fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markRead);
  } else {
    markRead();
  }
})();
