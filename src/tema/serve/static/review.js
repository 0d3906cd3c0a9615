// Keyboard labelling for the review page: 1–9 pick the theme and save, Shift + 1–9 sets a
// second theme first, S skips, U or Backspace undoes. The buttons do the same by mouse.
(function () {
  "use strict";
  var form = document.getElementById("label-form");
  var busy = false;

  function submit(target, button) {
    if (busy || !target) { return; }
    busy = true;
    if (button && target.requestSubmit) { target.requestSubmit(button); }
    else if (button) { button.click(); }
    else { target.submit(); }
  }

  function toggleSecond(key) {
    var box = form.querySelector('input[name="second_label"][data-key="' + key + '"]');
    if (!box) { return; }
    if (box.checked) {
      form.querySelector('input[name="second_label"][value=""]').checked = true;
    } else {
      box.checked = true;
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("input[type=text], textarea, select")) { return; }
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }
    var digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code || "");
    if (digit && form) {
      var button = form.querySelector('button[data-key="' + digit[1] + '"]');
      if (!button) { return; }
      event.preventDefault();
      if (event.shiftKey) { toggleSecond(digit[1]); } else { submit(form, button); }
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key === "s") {
      event.preventDefault();
      submit(document.getElementById("skip-form"), document.getElementById("skip"));
    } else if (key === "u" || key === "backspace") {
      event.preventDefault();
      submit(document.getElementById("undo-form"), document.getElementById("undo"));
    }
  });

  // The note ("Lagret.", "Angret: …") is about the step just taken, and comes in the address
  // the step sent the browser to. Take it out of the address, so that a reload or a bookmark
  // shows the unit again without saying the step once more.
  if (window.history.replaceState && window.URLSearchParams) {
    var query = new URLSearchParams(window.location.search);
    if (query.has("note")) {
      query.delete("note");
      var rest = query.toString();
      window.history.replaceState(
        null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
    }
  }

  // A second click or key press while the page is being sent does nothing.
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post]"), function (f) {
    f.addEventListener("submit", function () { busy = true; });
  });
}());
