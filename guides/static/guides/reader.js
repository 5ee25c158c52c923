// Small behaviours around htmx on guide pages. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  function flash(message) {
    var region = document.getElementById("flash");
    if (!region) return;
    var note = document.createElement("p");
    note.className = "notice notice-warning";
    note.textContent = message;
    region.replaceChildren(note);
  }

  // htmx swaps 4xx answers (they carry a readable message); 5xx and network failures do not
  // answer with anything useful, so say so in the reader's language, taken from the page.
  document.addEventListener("htmx:responseError", function () {
    flash(document.body.dataset.errorMessage);
  });
  document.addEventListener("htmx:sendError", function () {
    flash(document.body.dataset.errorMessage);
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("flash");
    if (region) region.replaceChildren();
  });

  // "Cancel" in a report form opened in place: close it and give focus back to its opener.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-report]");
    var slot = button && button.closest(".report-slot");
    if (!slot) return; // on the report's own page the link simply leads back to the guide
    event.preventDefault();
    slot.replaceChildren();
    var opener = document.getElementById(button.dataset.closeReport);
    if (opener) opener.focus();
  });
})();
