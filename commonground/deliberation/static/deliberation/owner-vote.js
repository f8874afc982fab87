/* The owner's vote page. */
(function () {
  "use strict";
  /* Copy a receipt code; where the clipboard is not available (plain http), select the code instead. */
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var code = document.querySelector("[data-receipt]");
      function selectCode() {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.copy).then(function () { button.textContent = button.dataset.copied; },
                                                                selectCode);
      } else { selectCode(); }
    });
  });

  /* An election ballot: once `seats` boxes are marked, the others are disabled (the server checks too). */
  document.querySelectorAll("form.owner-ballot-form[data-seats]").forEach(function (form) {
    var seats = parseInt(form.dataset.seats, 10);
    if (!seats) { return; }
    var boxes = form.querySelectorAll("input[type=checkbox]");
    function update() {
      var marked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (b) { b.disabled = !b.checked && marked >= seats; });
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
}());
