// The demand editor: live quality score and matching listings while typing, and showing the
// challenge and confidential fields only when they apply. The form works fully without this
// file (the server renders the same score and matches on every save).
(function () {
  "use strict";

  var DEBOUNCE_MS = 600;
  var form = document.getElementById("demand-form");
  if (!form) { return; }
  var previewUrl = form.getAttribute("data-preview-url");
  var suggestUrl = form.getAttribute("data-suggest-url");
  var suggestionPanel = document.querySelector("[data-facet-suggestions]");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var qualityPanel = document.querySelector("[data-quality-panel]");
  var previewPanel = document.querySelector("[data-preview-panel]");
  var timer = null;
  var sequence = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }  // never innerHTML: user text
    return node;
  }

  function roundToFive(value) {
    return Math.max(0, Math.min(100, Math.round(value / 5) * 5));
  }

  function renderQuality(quality) {
    if (!qualityPanel) { return; }
    qualityPanel.querySelector("[data-quality-value]").textContent = quality.score;
    var meter = qualityPanel.querySelector("[data-quality-meter]");
    meter.className = "dq-meter__fill dq-meter__fill--p" + roundToFive(quality.score) +
      (quality.passes ? "" : " dq-meter__fill--low");
    qualityPanel.querySelector("[data-quality-note]").textContent =
      qualityPanel.getAttribute(quality.passes ? "data-note-pass" : "data-note-low");
    var list = qualityPanel.querySelector("[data-quality-checks]");
    list.textContent = "";
    quality.checks.forEach(function (check) {
      var item = element("li", "dq-check dq-check--" + check.state);
      var mark = element("span", "dq-check__mark", check.state === "ok" ? "✓" : (check.state === "vague" ? "!" : "○"));
      mark.setAttribute("aria-hidden", "true");
      item.appendChild(mark);
      item.appendChild(element("span", "dq-check__title", check.title));
      item.appendChild(element("span", "visually-hidden", check.state_label));
      if (check.state !== "ok") { item.title = check.advice; }
      list.appendChild(item);
    });
  }

  function renderListings(listings) {
    if (!previewPanel) { return; }
    var list = previewPanel.querySelector("[data-preview-list]");
    list.textContent = "";
    listings.forEach(function (listing) {
      var item = element("li", listing.strong ? "match" : "match match--weaker");
      var link = element("a", "match__title", listing.title);
      link.href = listing.url;
      item.appendChild(link);
      item.appendChild(element("p", "match__org", listing.organization));
      var score = element("div", listing.strong ? "match-score" : "match-score match-score--weak");
      var track = element("span", "match-score__track");
      track.setAttribute("aria-hidden", "true");
      track.appendChild(element("span", "bar bar--after bar--p" + roundToFive(listing.percent)));
      score.appendChild(track);
      score.appendChild(element("span", "match-score__value", listing.percent_label));
      if (!listing.strong) { score.appendChild(element("span", "match-score__weak", listing.weak_label)); }
      item.appendChild(score);
      if (listing.reasons) { item.appendChild(element("p", "match-reasons", listing.reasons)); }
      list.appendChild(item);
    });
    previewPanel.querySelector("[data-preview-empty]").hidden = listings.length > 0;
  }

  // Industries and scenarios the server infers from the text: each is a button that ticks the
  // matching checkbox (the server validates the ids on save like any other choice).
  function checkboxFor(suggestion) {
    var boxes = form.querySelectorAll("input[type=checkbox][name=" + suggestion.field + "]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === String(suggestion.id)) { return boxes[i]; }
    }
    return null;
  }

  function renderSuggestions(suggestions) {
    if (!suggestionPanel) { return; }
    var list = suggestionPanel.querySelector("[data-facet-suggestion-list]");
    list.textContent = "";
    suggestions.forEach(function (suggestion) {
      var box = checkboxFor(suggestion);
      if (!box || box.checked) { return; }
      var item = element("li", "facet-suggestions__item");
      var button = element("button", "button button--quiet button--small", suggestion.label + " · " +
        suggestionPanel.getAttribute("data-accept-label"));
      button.type = "button";
      button.addEventListener("click", function () {
        box.checked = true;
        box.dispatchEvent(new Event("change", { bubbles: true }));
        item.remove();
        suggestionPanel.hidden = list.children.length === 0;
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    suggestionPanel.hidden = list.children.length === 0;
  }

  function refreshSuggestions() {
    if (!suggestUrl || !suggestionPanel) { return; }
    var mine = sequence;
    fetch(suggestUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("suggestions failed: " + response.status); }
      return response.json();
    }).then(function (payload) {
      if (mine === sequence) { renderSuggestions(payload.suggestions); }
    }).catch(function () {
      // Suggestions are a convenience: without them the form works as before.
    });
  }

  function refresh() {
    var mine = ++sequence;
    if (previewPanel) { previewPanel.setAttribute("aria-busy", "true"); }
    fetch(previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview failed: " + response.status); }
      return response.json();
    }).then(function (payload) {
      if (mine !== sequence) { return; }  // an older answer arriving late
      renderQuality(payload.quality);
      renderListings(payload.listings);
    }).catch(function () {
      // Keep what is shown; the server renders the same panels on the next save.
    }).then(function () {
      if (mine === sequence && previewPanel) { previewPanel.removeAttribute("aria-busy"); }
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { refresh(); refreshSuggestions(); }, DEBOUNCE_MS);
  }

  function syncOptionalSections() {
    var challenge = form.querySelector("[data-challenge-toggle]");
    var challengeFields = form.querySelector("[data-challenge-fields]");
    // A section with an error message stays visible whatever the choice.
    if (challenge && challengeFields && !challengeFields.querySelector(".lm-field--invalid")) {
      challengeFields.hidden = !challenge.checked;
    }
    var summaryOnly = form.querySelector("[data-confidentiality=summary_only]");
    var details = form.querySelector("[data-confidential-details]");
    if (summaryOnly && details && !details.querySelector(".lm-field--invalid")) {
      details.hidden = !summaryOnly.checked;
    }
  }

  // "3 selected" / "已选 3 项": the server renders the text, the script only swaps the number.
  function syncCounts() {
    form.querySelectorAll(".lm-checklist").forEach(function (fieldset) {
      var count = fieldset.querySelector(".lm-checklist__count");
      if (count) {
        count.textContent = count.textContent.replace(/\d+/, fieldset.querySelectorAll("input:checked").length);
      }
    });
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function () { syncOptionalSections(); syncCounts(); schedule(); });
  syncOptionalSections();
})();
