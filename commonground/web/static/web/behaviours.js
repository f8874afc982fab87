/* Behaviour that templates ask for with data attributes, so no page needs an inline handler (the CSP runs none):
     data-autosubmit    on a field: its form is sent when the field changes;
     data-confirm="…"   on a form: the user confirms before it is sent;
     data-width="42.5"  on an element: its width in percent (bars), set through the CSSOM, which the CSP allows. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.hasAttribute("data-autosubmit")) { field.form.submit(); }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  function widths(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.hasAttribute && root.hasAttribute("data-width")) { bars.push(root); }
    bars.forEach(function (bar) { bar.style.width = parseFloat(bar.getAttribute("data-width")) + "%"; });
  }

  // htmx calls back for the page once it is ready and for every piece it swaps in later.
  if (window.htmx) {
    window.htmx.onLoad(widths);
  } else {
    document.addEventListener("DOMContentLoaded", function () { widths(document); });
  }
}());
