// "Add a row" for Django formsets: clones the <template> of the empty form, numbered like Django does.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.getAttribute("data-formset-add");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var template = document.querySelector('[data-formset-template="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var maximum = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!container || !template || !total) {
      return;
    }
    button.hidden = false;
    document.querySelectorAll("[data-formset-fallback]").forEach(function (note) {
      note.hidden = true;
    });
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maximum && index >= parseInt(maximum.value, 10)) {
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement(container.tagName === "TBODY" ? "tbody" : "div");
      holder.innerHTML = html;
      var added = holder.firstElementChild;
      var title = added.querySelector(".fw-semibold");
      if (title && title.textContent.trim() === "Collectivité") {
        title.textContent = "Collectivité " + (index + 1);
      }
      container.appendChild(added);
      total.value = String(index + 1);
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    });
  });
})();
