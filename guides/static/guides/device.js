// Chooses whose steps a guide page shows before the page is drawn (see guides/devices.py): the
// device in the address, else the reader's last choice, else a guess from the browser. Loaded
// in <head>, without defer, on guide pages whose steps differ by device only.
(function () {
  "use strict";
  var root = document.documentElement;
  var offered = (root.getAttribute("data-devices") || "").split(" ");

  function remembered() {
    try {
      return window.localStorage.getItem("guides.device");
    } catch (error) {
      return null; // storage refused (private mode, blocked cookies): choose again each time
    }
  }

  function guessed() {
    var agent = navigator.userAgent;
    if (/Android/i.test(agent)) return "android";
    if (/iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1)) return "ios";
    return /Mobi/i.test(agent) ? "" : "web";
  }

  if (root.hasAttribute("data-device")) return; // the address chose
  var choice = remembered();
  if (choice === null) choice = guessed();
  if (offered.indexOf(choice) !== -1) root.setAttribute("data-device", choice);
})();
