// The step editing pages of the admin (guides/admin/writing.py). Loaded as a file, with its
// words in the admin's language in data attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  var words = script.dataset;

  // New rows (a step, a prerequisite, a variant) open on the source language's tab: an editor
  // who had clicked the English tab would otherwise write French into English fields. The tabs
  // of a new row are built by modeltranslation right after Django adds the row.
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      showSourceLanguage(event.target);
      addMoveButtons();
    }, 0);
  });

  function showSourceLanguage(row) {
    var $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.tabs) return;
    row.querySelectorAll(".ui-tabs").forEach(function (tabs) {
      tabs.querySelectorAll(".ui-tabs-nav a").forEach(function (link, index) {
        if (link.textContent.trim() === words.sourceLanguage) $(tabs).tabs("option", "active", index);
      });
    });
  }

  // Steps and prerequisites move with buttons as well as by dragging: keyboard and screen
  // reader users reorder them too. Positions are renumbered 1..n in the page; the server keeps
  // them so when the form is saved.
  function rowsOf(group) {
    return Array.prototype.filter.call(group.querySelectorAll(".inline-related"), function (row) {
      return !row.classList.contains("empty-form") && row.querySelector("input[name$='-position']");
    });
  }

  function renumber(group) {
    rowsOf(group).forEach(function (row, index) {
      var position = row.querySelector("input[name$='-position']");
      if (position.value !== "") position.value = String(index + 1);
    });
  }

  function move(button, step) {
    var row = button.closest(".inline-related");
    var group = row.parentElement;
    var rows = rowsOf(group);
    var index = rows.indexOf(row);
    var other = rows[index + step];
    if (!other) return;
    if (step < 0) group.insertBefore(row, other);
    else group.insertBefore(other, row);
    renumber(group);
    button.focus();
    var status = row.querySelector(".move-status");
    if (status) status.textContent = words.moved.replace("%(position)s", String(index + step + 1));
  }

  function addMoveButtons() {
    document.querySelectorAll(".inline-group .inline-related").forEach(function (row) {
      if (row.classList.contains("empty-form") || row.querySelector(".move-buttons")) return;
      if (!row.querySelector("input[name$='-position']")) return;
      var heading = row.querySelector("h3");
      if (!heading) return;
      var box = document.createElement("span");
      box.className = "move-buttons";
      [["up", words.moveUp, -1], ["down", words.moveDown, 1]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "move-" + spec[0];
        button.textContent = spec[1];
        button.addEventListener("click", function () { move(button, spec[2]); });
        box.appendChild(button);
      });
      var status = document.createElement("span");
      status.className = "move-status visually-hidden";
      status.setAttribute("role", "status");
      box.appendChild(status);
      heading.appendChild(box);
    });
  }

  document.addEventListener("DOMContentLoaded", addMoveButtons);

  // The Markdown preview (htmx) posts with the admin's CSRF token.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
})();
