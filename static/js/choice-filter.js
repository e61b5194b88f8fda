// A long list of checkboxes made searchable (the co-organisers of an event): a search field filters the
// list as one types, accents and case aside; the checked boxes stay shown, and a status says how many
// match. Without JavaScript the list stays a list of checkboxes, in a scrollable box.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[-'’]/g, " ");
  }
  document.querySelectorAll("[data-choice-filter]").forEach(function (box, index) {
    var items = Array.prototype.slice.call(box.querySelectorAll(".form-check"));
    if (!items.length) {
      return;
    }
    var id = "choice-filter-" + index;
    var label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = id;
    label.textContent = box.getAttribute("data-choice-filter");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm mb-2";
    input.setAttribute("autocomplete", "off");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = items[0].parentNode;
    list.parentNode.insertBefore(label, list);
    list.parentNode.insertBefore(input, list);
    list.parentNode.insertBefore(status, list);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = fold(item.textContent);
        var checked = item.querySelector("input").checked;
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.hidden = !(match || checked);
        if (!item.hidden) {
          shown += 1;
        }
      });
      status.textContent = shown + (shown > 1 ? " associations affichées" : " association affichée");
    });
  });
})();
