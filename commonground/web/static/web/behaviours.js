/* Behaviour that templates ask for with data attributes, so no page needs an inline handler (the CSP runs none):
     data-autosubmit    on a field: its form is sent when the field changes;
     data-confirm="…"   on a form: the user confirms before it is sent;
     data-width="42.5"  on an element: its width in percent (bars), set through the CSSOM, which the CSP allows;
     data-left="80"     on an element: its offset from the left in percent (a threshold's mark on a bar);
   a .table-scroll that scrolls sideways (a wide table on a phone) can be focused, so a keyboard can scroll it;
     data-busy="…"      on a form: once sent, it is busy (aria-busy) and its submit buttons say "…" and wait,
                        so a slow upload is not sent twice;
     details[data-menu] a menu (the account menu, the nav's "More"): one open at a time, closed by a click
                        elsewhere or by Escape (focus back on its summary);
   and every tab bar (web/_tabs.html) keeps its current tab in view and fades the edge it can scroll towards. */
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

  document.addEventListener("submit", function (event) {
    var form = event.target, words = form.getAttribute("data-busy");
    if (!words || event.defaultPrevented) { return; }
    form.setAttribute("aria-busy", "true");
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (button) {
      button.setAttribute("data-idle", button.textContent);
      button.textContent = words;
      button.setAttribute("aria-busy", "true");
      window.setTimeout(function () { button.disabled = true; }, 0);  // after the browser took the submission
    });
  });

  // Back to a page kept in the browser's cache: its forms are no longer busy.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-busy][aria-busy]"), function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(form.querySelectorAll("button[data-idle]"), function (button) {
        button.textContent = button.getAttribute("data-idle");
        button.removeAttribute("aria-busy");
        button.disabled = false;
      });
    });
  });

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details[data-menu][open]"));
  }
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.open || !menu.hasAttribute || !menu.hasAttribute("data-menu")) { return; }
    openMenus().forEach(function (other) { if (other !== menu) { other.open = false; } });
  }, true);  // toggle does not bubble
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) { if (!menu.contains(event.target)) { menu.open = false; } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      var inside = menu.contains(document.activeElement);
      menu.open = false;
      if (inside) { menu.querySelector("summary").focus(); }
    });
  });

  function tabBars(root) {
    Array.prototype.slice.call(root.querySelectorAll(".tab-bar")).forEach(function (bar) {
      var list = bar.querySelector("ul");
      if (!list || bar.hasAttribute("data-hinted")) { return; }
      bar.setAttribute("data-hinted", "");
      var current = list.querySelector("[aria-current='page']");
      if (current) {
        var tab = current.parentNode;
        list.scrollLeft = tab.offsetLeft - (list.clientWidth - tab.offsetWidth) / 2;
      }
      function hint() {
        var end = list.scrollWidth - list.clientWidth;
        bar.classList.toggle("more-before", list.scrollLeft > 2);
        bar.classList.toggle("more-after", list.scrollLeft < end - 2);
      }
      list.addEventListener("scroll", hint, { passive: true });
      window.addEventListener("resize", hint);
      hint();
    });
  }

  function widths(root) {
    var bars = Array.prototype.slice.call(root.querySelectorAll("[data-width]"));
    if (root.hasAttribute && root.hasAttribute("data-width")) { bars.push(root); }
    bars.forEach(function (bar) { bar.style.width = parseFloat(bar.getAttribute("data-width")) + "%"; });
    root.querySelectorAll("[data-left]").forEach(function (mark) {
      mark.style.left = parseFloat(mark.getAttribute("data-left")) + "%";
    });
  }

  function scrollables(root) {
    root.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title || "table"));
      }
    });
  }

  // htmx calls back for the page once it is ready and for every piece it swaps in later.
  function settle(root) {
    widths(root);
    scrollables(root);
    tabBars(root);
  }
  if (window.htmx) {
    window.htmx.onLoad(settle);
  } else {
    document.addEventListener("DOMContentLoaded", function () { settle(document); });
  }
}());
