/* Display board: fetches the read-only board fragment every second while visible, and
   announces each new call (or recall) with a chime and Indonesian speech:
   "Nomor antrean A nol nol tiga, silakan menuju loket satu". */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var live = document.getElementById("board-live");
  var clock = document.getElementById("board-clock");
  var soundButton = document.getElementById("board-sound");
  var numbers = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"];
  var soundOn = window.localStorage.getItem("pst-board-sound") === "on";
  var lastKey = currentKey();
  var timer = null;
  var busy = false;

  function currentKey() {
    var grid = live.querySelector("[data-call-key]");
    return grid ? grid.dataset.callKey : "";
  }
  function counterWords(n) {
    return String(n).split("").map(function (d) { return numbers[Number(d)]; }).join(" ");
  }
  function announce() {
    var grid = live.querySelector("[data-call-key]");
    if (!soundOn || !grid || !grid.dataset.spoken) { return; }
    var text = "Nomor antrean " + grid.dataset.spoken + ", silakan menuju loket " +
      counterWords(grid.dataset.counterNumber);
    var delay = window.pstChime.play();
    if (!("speechSynthesis" in window)) { return; }
    window.setTimeout(function () {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "id-ID";
      utterance.rate = 0.9;
      var voice = window.speechSynthesis.getVoices().filter(function (v) { return v.lang.indexOf("id") === 0; })[0];
      if (voice) { utterance.voice = voice; }
      window.speechSynthesis.speak(utterance);
    }, delay);
  }
  function poll() {
    if (busy) { return; }
    busy = true;
    fetch(root.dataset.live, { credentials: "same-origin", headers: { "X-Requested-With": "board" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        live.innerHTML = html;
        var key = currentKey();
        if (key && key !== lastKey) { announce(); }
        lastKey = key;
      })
      .catch(function () { /* the network is back at the next tick */ })
      .finally(function () { busy = false; });
  }
  function tick() {
    if (clock) {
      clock.textContent = new Date().toLocaleTimeString("id-ID", { timeZone: clock.dataset.tz, hour: "2-digit", minute: "2-digit", second: "2-digit" });
    }
  }
  function start() { if (!timer) { timer = window.setInterval(function () { poll(); tick(); }, 1000); poll(); tick(); } }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }
  function showSound() { soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false"); }
  soundButton.addEventListener("click", function () {
    soundOn = !soundOn;
    window.localStorage.setItem("pst-board-sound", soundOn ? "on" : "off");
    if (soundOn) { window.pstChime.unlock(); }
    showSound();
  });
  showSound();
  document.addEventListener("visibilitychange", function () { if (document.hidden) { stop(); } else { start(); } });
  start();
})();
