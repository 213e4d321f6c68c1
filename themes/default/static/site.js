/* copcat: loaded on every page. "/" focuses the search box (the search page's own box
   there, the header's elsewhere) unless the reader is typing in a field. A button marked
   data-print (the print edition's) is shown, and prints the page. */
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById("search-q") || document.querySelector("form.site-search input[name=q]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    if (box.select) box.select();
  });
})();
