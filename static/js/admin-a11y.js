// Accessible names that Django's admin widgets leave out, added once the widgets are built:
// - the autocomplete (Select2) combobox is named by its rendered value only, empty until a choice;
// - the filter of a « filter_horizontal » list puts aria-label on a <span> without a role.
(function () {
  "use strict";
  var counter = 0;

  function labelId(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (!label) {
      return "";
    }
    if (!label.id) {
      counter += 1;
      label.id = "a11y-label-" + counter;
    }
    return label.id;
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var id = labelId(select);
      if (!id || !container || !container.classList.contains("select2")) {
        return;
      }
      container.querySelectorAll('[role="combobox"]').forEach(function (combobox) {
        var rendered = combobox.querySelector('[role="textbox"]');
        combobox.setAttribute("aria-labelledby", rendered && rendered.id ? id + " " + rendered.id : id);
      });
      container.querySelectorAll('[role="textbox"]').forEach(function (textbox) {
        textbox.setAttribute("aria-labelledby", id);
      });
    });
  }

  function giveTooltipsARole() {
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (tooltip) {
      tooltip.setAttribute("role", "img");
    });
  }

  // The calendar and clock buttons of date and time fields are links whose only content is an empty
  // <span title="…">: the title becomes the link's name (HTML_CodeSniffer H91.A.NoContent).
  function nameDateTimeShortcuts() {
    document.querySelectorAll('a[id^="calendarlink"], a[id^="clocklink"]').forEach(function (link) {
      var icon = link.querySelector("[title]");
      if (icon && !link.getAttribute("aria-label")) {
        link.setAttribute("aria-label", icon.getAttribute("title"));
      }
    });
  }

  // A change list's first cell of each row is a <th> (the link to the object): it heads its row.
  function scopeRowHeaders() {
    document.querySelectorAll("#result_list tbody th:not([scope])").forEach(function (cell) {
      cell.setAttribute("scope", "row");
    });
  }

  function fix() {
    nameAutocompletes();
    giveTooltipsARole();
    nameDateTimeShortcuts();
    scopeRowHeaders();
  }

  // Registered after the admin's own scripts, so these run once Select2 and SelectFilter are built.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(fix);
  }
  window.addEventListener("load", fix);
  document.addEventListener("formset:added", function () {
    window.setTimeout(fix, 0);
  });
})();
