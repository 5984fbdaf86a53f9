/* Printed from the kiosk: print at once, then go back to the kiosk for the next visitor. */
(function () {
  "use strict";
  var slip = document.querySelector(".ticket-slip");
  if (!slip || !slip.dataset.back) { return; }
  window.addEventListener("load", function () {
    window.setTimeout(function () { window.print(); }, 200);
    window.setTimeout(function () { window.location.assign(slip.dataset.back); }, 15000);
  });
})();
