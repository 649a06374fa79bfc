// Character counters for long text fields. The field's server-side limit arrives as
// data-maxlength (from its WTForms Length validator); the browser no longer cuts pasted text
// at maxlength without a word. The counter counts as the server does: code points of the
// trimmed text, a line break as one character (the form normalises CRLF).
(function () {
  "use strict";

  function length(text) {
    return Array.from(text.trim()).length;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return values.hasOwnProperty(name) ? String(values[name]) : match;
    });
  }

  function attach(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) { return; }
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var status = document.createElement("span");
    status.className = "field__counter-over";
    status.setAttribute("role", "status");
    function update() {
      var count = length(field.value);
      var over = count - max;
      counter.firstChild.nodeValue = fill(counter.getAttribute("data-template"), {count: count, max: max});
      counter.classList.toggle("field__counter--over", over > 0);
      status.textContent = over > 0 ? " · " + fill(counter.getAttribute("data-over-template"), {over: over}) : "";
    }
    counter.appendChild(document.createTextNode(""));
    counter.appendChild(status);
    counter.hidden = false;
    field.addEventListener("input", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-counter-for]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
