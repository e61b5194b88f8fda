// The collectivité picker: turns each [data-collectivity-picker] text input into a combobox whose listbox
// is filled, as the user types, by the directory's search endpoint (WAI-ARIA combobox pattern).
// Without JavaScript the input stays a plain text field: the server reads back a name or a code.
(function () {
  "use strict";
  var DELAY_MS = 200;

  function plural(count, singular, pluralForm) {
    return count + " " + (count > 1 ? pluralForm : singular);
  }

  function setUp(input) {
    if (input.getAttribute("data-picker-ready")) {
      return;
    }
    input.setAttribute("data-picker-ready", "true");
    var listbox = document.getElementById(input.id + "-options");
    var status = document.getElementById(input.id + "-status");
    if (!listbox || !status) {
      return;
    }
    var requiresCoverage = input.getAttribute("data-requires-coverage") === "true";
    var url = input.getAttribute("data-collectivity-picker");
    var timer = null;
    var lastQuery = input.value.trim();
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]"));
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) {
        return;
      }
      active = (index + all.length) % all.length;
      all.forEach(function (option, position) {
        option.classList.toggle("active", position === active);
        option.setAttribute("aria-selected", position === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      if (option.getAttribute("aria-disabled") === "true") {
        status.textContent = option.getAttribute("data-label") + " ne peut pas être choisie\u00a0: " +
          option.getAttribute("data-note") + ".";
        return;
      }
      input.value = option.getAttribute("data-label");
      lastQuery = input.value;
      close();
      status.textContent = input.value + " choisie.";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(results) {
      listbox.replaceChildren();
      results.forEach(function (item, position) {
        var option = document.createElement("li");
        option.id = input.id + "-option-" + position;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-label", item.label);
        option.textContent = item.label;
        var kind = document.createElement("span");
        kind.className = "text-body-secondary small ms-2";
        kind.textContent = item.kind;
        option.appendChild(kind);
        if (!item.covered) {
          option.setAttribute("data-note", item.note);
          var note = document.createElement("span");
          note.className = "badge text-bg-secondary ms-2";
          note.textContent = item.note;
          option.appendChild(note);
          if (requiresCoverage) {
            option.setAttribute("aria-disabled", "true");
            option.classList.add("disabled");
          }
        }
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      listbox.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length
        ? plural(results.length, "collectivité proposée", "collectivités proposées") +
          " ; flèches haut et bas pour parcourir, Entrée pour choisir."
        : "Aucune collectivité trouvée.";
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (query.length < 2) {
        listbox.replaceChildren();
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.results);
          }
        })
        .catch(function () {
          status.textContent = "La recherche est momentanément indisponible\u00a0: saisissez le code INSEE ou le SIREN.";
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" && options().length) {
        event.preventDefault();
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        // Choosing an option must not submit the form.
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      // Let a click on an option land before the list closes.
      window.setTimeout(close, 150);
    });
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(option);
      }
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("[data-collectivity-picker]").forEach(setUp);
  }

  setUpAll(document);
  // Rows added by formset.js (a union of collectivités) get their picker on first focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-collectivity-picker]")) {
      setUp(event.target);
    }
  });
})();
