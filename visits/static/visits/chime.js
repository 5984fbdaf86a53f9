/* A two-tone chime made with Web Audio (no sound file), shared by the board and the ticket page. */
(function () {
  "use strict";
  var context = null;
  function audio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return null; }
    if (!context) { context = new Ctx(); }
    if (context.state === "suspended") { context.resume(); }
    return context;
  }
  function tone(ctx, frequency, start, length) {
    var osc = ctx.createOscillator();
    var gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + length);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(ctx.currentTime + start);
    osc.stop(ctx.currentTime + start + length + 0.05);
  }
  window.pstChime = {
    unlock: function () { return audio() !== null; },
    play: function () {
      var ctx = audio();
      if (!ctx) { return 0; }
      tone(ctx, 784, 0, 0.6);   // G5
      tone(ctx, 523, 0.55, 0.9); // C5
      return 1500; // milliseconds until the chime has faded
    }
  };
})();
