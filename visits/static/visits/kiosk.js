/* Ticket kiosk: the device key comes once in the URL fragment (#key=…) and is kept in
   localStorage; each tap posts one ticket request with its own request key, so a double
   tap or a retry never makes two tickets. */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var storageName = "pst-kiosk-key-" + root.dataset.device;
  var match = /(?:^|[#&])key=([^&]+)/.exec(window.location.hash);
  if (match) {
    window.localStorage.setItem(storageName, decodeURIComponent(match[1]));
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  var key = window.localStorage.getItem(storageName);
  var status = document.getElementById("kiosk-status");
  var buttons = root.querySelectorAll("[data-service]");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]");
  var messages = {};
  document.getElementById("kiosk-messages").content.querySelectorAll("[data-msg]").forEach(function (el) {
    messages[el.dataset.msg] = el.textContent;
  });
  if (!key) { document.getElementById("kiosk-unregistered").hidden = false; }

  function newRequestKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function setBusy(busy) {
    buttons.forEach(function (b) { b.disabled = busy; });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.disabled) { return; }
      setBusy(true);
      status.textContent = messages.wait;
      var priority = root.querySelector("input[name=priority]:checked");
      var headers = { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" };
      if (key) { headers.Authorization = "Bearer " + key; }
      fetch(root.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: headers,
        body: JSON.stringify({
          service: button.dataset.service,
          priority: priority ? priority.value : "",
          request_key: newRequestKey()
        })
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) { throw new Error(result.data.detail || messages.error); }
        var url = root.dataset.print.replace("/0/", "/" + result.data.id + "/");
        window.location.assign(url + "?back=" + encodeURIComponent(root.dataset.back));
      }).catch(function (error) {
        status.textContent = error.message && error.message !== "Failed to fetch" ? error.message : messages.error;
        setBusy(false);
      });
    });
  });
})();
