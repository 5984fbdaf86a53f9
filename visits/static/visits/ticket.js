/* A visitor's ticket on their phone: polls the ticket every 3 s while the page is visible;
   beeps and vibrates (where the browser allows it) when the number is called. */
(function () {
  "use strict";
  var root = document.getElementById("ticket-status");
  if (!root) { return; }
  var labels = {};
  document.getElementById("ticket-labels").content.querySelectorAll("[data-status]").forEach(function (el) {
    labels[el.dataset.status] = el.textContent;
  });
  var lastStatus = root.dataset.status;
  var lastCounter = null;
  var timer = null;
  var finished = ["done", "no_show", "expired"];

  document.getElementById("ticket-sound").addEventListener("click", function (event) {
    window.pstChime.unlock();
    window.pstChime.play();
    event.target.hidden = true;
  });

  function alertVisitor() {
    window.pstChime.play();
    if (navigator.vibrate) { navigator.vibrate([400, 200, 400, 200, 400]); }
  }

  function update(data) {
    document.getElementById("ticket-state").textContent = labels[data.status] || data.status;
    document.getElementById("ticket-position").textContent = data.position || "—";
    document.getElementById("ticket-estimate").textContent = data.position ? data.estimated_wait_minutes : "—";
    var called = data.status === "called" || data.status === "serving";
    document.getElementById("ticket-called").hidden = !called;
    if (data.status === "called" && (lastStatus !== "called" || lastCounter !== data.counter)) {
      alertVisitor();
    }
    lastStatus = data.status;
    lastCounter = data.counter;
    if (finished.indexOf(data.status) !== -1) { stop(); }
  }

  function poll() {
    fetch(root.dataset.api, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { update(data); } })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  function start() { if (!timer) { timer = window.setInterval(poll, 3000); poll(); } }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else if (finished.indexOf(lastStatus) === -1) { start(); }
  });
  if (finished.indexOf(lastStatus) === -1) { start(); }
})();
