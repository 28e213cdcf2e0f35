// Recording a take in the browser (MediaRecorder) and sending it to the server.
(function () {
  "use strict";
  var sections = document.querySelectorAll("[data-take]");
  if (!sections.length) { return; }
  var csrf = document.getElementById("csrf").value;
  var uploadUrl = document.getElementById("upload-url").value;
  var byInput = document.getElementById("by");

  function post(url, form) {
    return fetch(url, { method: "POST", body: form, credentials: "same-origin",
                        headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
      .then(function (r) { return r.json(); });
  }

  function setup(section) {
    var start = section.querySelector(".rec-start");
    var stop = section.querySelector(".rec-stop");
    var status = section.querySelector(".rec-status");
    var player = section.querySelector(".rec-audio");
    var confirm = section.querySelector(".rec-confirm");
    var recorder = null;
    var chunks = [];

    function say(text, state) {
      status.textContent = text;
      section.dataset.state = state;
    }
    function text() {
      var field = section.querySelector(".take-text");
      return field ? field.value : section.dataset.text;
    }

    if (confirm) {
      confirm.addEventListener("click", function () {
        var form = new FormData();
        form.append("by", byInput.value);
        post(confirm.dataset.url, form).then(function (answer) {
          say(answer.message, answer.ok ? "confirmed" : "error");
        });
      });
    }
    if (!start) { return; }

    start.addEventListener("click", function () {
      if (!byInput.value.trim()) { say("Hãy ghi tên người đọc trước khi ghi âm.", "error"); byInput.focus(); return; }
      if (!text().trim()) { say("Hãy nhập câu cần ghi âm.", "error"); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.addEventListener("dataavailable", function (e) { if (e.data.size) { chunks.push(e.data); } });
        recorder.addEventListener("stop", function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          send(new Blob(chunks, { type: recorder.mimeType || "audio/webm" }));
        });
        recorder.start();
        start.disabled = true;
        stop.disabled = false;
        say("Đang ghi âm… Đọc xong bấm \"Dừng và lưu\".", "recording");
      }).catch(function (err) {
        say("Không mở được micrô: " + err.name + ". Hãy cho phép trang dùng micrô.", "error");
      });
    });

    stop.addEventListener("click", function () {
      if (recorder && recorder.state === "recording") { recorder.stop(); }
      stop.disabled = true;
      say("Đang gửi và kiểm tra bản ghi…", "sending");
    });

    function send(blob) {
      var form = new FormData();
      form.append("text", text());
      form.append("by", byInput.value);
      form.append("kind", section.dataset.kind);
      if (section.dataset.episode) {
        form.append("episode", section.dataset.episode);
        form.append("segment", section.dataset.segment);
      }
      form.append("audio", blob, "take.webm");
      post(uploadUrl, form).then(function (answer) {
        start.disabled = false;
        say(answer.message, answer.ok ? (answer.flagged ? "flagged" : "saved") : "error");
        if (answer.audio) { player.hidden = false; player.src = answer.audio; }
      }).catch(function () {
        start.disabled = false;
        say("Gửi bản ghi thất bại. Hãy kiểm tra kết nối rồi thử lại.", "error");
      });
    }
  }

  Array.prototype.forEach.call(sections, setup);
})();
