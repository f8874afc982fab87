/* The admin's autocomplete boxes (select2) are comboboxes named only by their current choice, a read-only textbox
   with no name, so an empty one says nothing to a screen reader: name both by the field's label. */
(function () {
  "use strict";
  function name(root) {
    Array.prototype.slice.call(root.querySelectorAll("select.admin-autocomplete")).forEach(function (select) {
      var label = select.id && document.querySelector("label[for='" + select.id + "']");
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection[role='combobox']");
      if (!label || !box) { return; }
      label.id = label.id || select.id + "-label";
      var shown = box.getAttribute("aria-labelledby") || "";
      if (shown.split(" ").indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
      }
      var choice = box.querySelector("[role='textbox']");  // the current choice, a read-only textbox
      if (choice) { choice.setAttribute("aria-labelledby", label.id); }
    });
  }
  // right after Django's autocomplete.js has set the boxes up: its jQuery ready handler was registered before this
  // deferred script ran, and ready handlers run in order; and for each inline row added
  if (window.django && window.django.jQuery) { window.django.jQuery(function () { name(document); }); }
  window.addEventListener("load", function () { name(document); });
  document.addEventListener("formset:added", function (event) { setTimeout(function () { name(event.target); }, 0); });
}());
