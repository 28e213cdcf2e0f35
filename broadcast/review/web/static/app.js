// Progress of a save: poll the job's status until it is done, then go back to the episode.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        // a restarted server no longer knows the job; the text is saved, the episode page tells the rest
        if (r.status === 404) { window.location.assign(box.dataset.doneUrl); return new Promise(function () {}); }
        return r.json();
      })
      .then(function (s) {
        bar.max = Math.max(s.total, 1);
        bar.value = s.done;
        message.textContent = s.message;
        if (s.state === "done") {
          window.location.assign(box.dataset.doneUrl);
        } else if (s.state === "error") {
          window.location.assign(box.dataset.errorUrl);
        } else {
          window.setTimeout(poll, 400);
        }
      })
      .catch(function () { window.setTimeout(poll, 1500); });
  }
  poll();
})();

// Pronunciation fix: a word selected in a segment (its text or its spoken form) fills the fix form.
(function () {
  "use strict";
  var written = document.getElementById("reading-written");
  var which = document.getElementById("reading-segment");
  if (!written || !which) { return; }
  function take(segment, text) {
    text = (text || "").trim();
    if (!text || text.length > 80) { return; }
    written.value = text;
    which.value = segment;
    var box = document.getElementById("cach-doc");
    if (box) { box.open = true; }
  }
  document.querySelectorAll("section.segment").forEach(function (section) {
    var segment = section.id.replace(/^doan-/, "");
    section.addEventListener("mouseup", pick);
    section.addEventListener("touchend", pick);
    function pick(event) {
      var target = event.target;
      if (target.tagName === "TEXTAREA") {
        take(segment, target.value.substring(target.selectionStart, target.selectionEnd));
      } else {
        take(segment, String(window.getSelection ? window.getSelection() : ""));
      }
    }
  });
})();

// Approval: how much of the programme was played goes into the approve form.
(function () {
  "use strict";
  var audio = document.getElementById("program");
  var field = document.getElementById("played-s");
  var note = document.getElementById("played-note");
  if (!audio || !field) { return; }
  function update() {
    var seconds = 0;
    for (var i = 0; i < audio.played.length; i += 1) { seconds += audio.played.end(i) - audio.played.start(i); }
    field.value = seconds.toFixed(1);
    if (note && audio.duration) {
      note.textContent = "Đã nghe " + Math.min(100, Math.round(100 * seconds / audio.duration)) +
        "% chương trình.";
    }
  }
  audio.addEventListener("timeupdate", update);
  audio.addEventListener("ended", update);
})();
