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

  // A refusal (an expired form, too many requests, a report already sent) shows next to the
  // form or link that caused it, not at the top of the page. The server's answer still names
  // the page's alert region, for a browser where this script did not run.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var refused = event.detail.xhr.getResponseHeader("X-Refusal");
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!refused || !source) return;
    event.detail.shouldSwap = false;
    var anchor = source.closest("form") || source;
    var note = anchor.nextElementSibling;
    if (!note || !note.classList.contains("refusal")) {
      note = document.createElement("p");
      note.className = "notice notice-warning refusal";
      note.setAttribute("role", "alert");
      anchor.insertAdjacentElement("afterend", note);
    }
    note.textContent = new DOMParser().parseFromString(event.detail.serverResponse, "text/html").body.textContent.trim();
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    var anchor = source && (source.closest("form") || source);
    var note = anchor && anchor.nextElementSibling;
    if (note && note.classList.contains("refusal")) note.remove();
  });

  // The report form learns which device's steps the reader was reading.
  document.addEventListener("htmx:configRequest", function (event) {
    var device = document.documentElement.getAttribute("data-device");
    if (device && event.detail.elt.hasAttribute("data-with-device")) event.detail.parameters.device = device;
  });

  // The device switcher: show one device's steps, remember the choice for the next guides, and
  // keep it in the address, so that a reload or a shared link shows the same.
  var root = document.documentElement;

  function showDevice(device) {
    if (device) root.setAttribute("data-device", device);
    else root.removeAttribute("data-device");
    document.querySelectorAll("[data-choose-device]").forEach(function (link) {
      if (link.getAttribute("data-choose-device") === device) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-choose-device]");
    if (!link) return;
    event.preventDefault();
    var device = link.getAttribute("data-choose-device");
    showDevice(device);
    try {
      window.localStorage.setItem("guides.device", device || "all");
    } catch (error) {
      // storage refused: the address below still keeps the choice
    }
    var address = new URL(window.location.href);
    if (device) address.searchParams.set("device", device);
    else address.searchParams.delete("device");
    window.history.replaceState(window.history.state, "", address);
    var announcer = document.getElementById("announcer");
    var switcher = link.closest("[data-announce]");
    if (announcer && switcher) announcer.textContent = switcher.getAttribute("data-announce") + " " + link.textContent.trim();
  });

  // device.js may have chosen from the reader's last choice: the switcher says which.
  if (document.querySelector("[data-choose-device]")) showDevice(root.getAttribute("data-device") || "");
})();
