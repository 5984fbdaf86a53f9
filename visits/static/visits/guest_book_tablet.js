/* Guest-book tablet: keeps the device key from the URL fragment (#key=…) in localStorage
   and puts it into the form, so the server knows the form comes from a registered tablet. */
(function () {
  "use strict";
  var root = document.getElementById("guest-book-tablet");
  if (!root) { return; }
  var storageName = "pst-guest-book-key-" + root.dataset.device;
  var match = /(?:^|[#&])key=([^&]+)/.exec(window.location.hash);
  if (match) {
    window.localStorage.setItem(storageName, decodeURIComponent(match[1]));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var field = root.querySelector("input[name=device_key]");
  if (field) { field.value = window.localStorage.getItem(storageName) || ""; }
})();
