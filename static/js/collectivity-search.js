// Registration form: fill the collectivité <select> from the search box as the user types.
// Without JavaScript the "Rechercher" button submits the search and the page lists the matches.
(function () {
  "use strict";
  document.querySelectorAll(".collectivity-search").forEach(function (container) {
    var input = container.querySelector("[data-collectivity-search]");
    var select = container.querySelector("[data-collectivity-select]");
    var url = container.getAttribute("data-search-url");
    if (!input || !select || !url) {
      return;
    }
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query === lastQuery) {
          return;
        }
        lastQuery = query;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            var placeholder = select.options.length ? select.options[0].text : "";
            select.innerHTML = "";
            var empty = document.createElement("option");
            empty.value = "";
            empty.textContent = data.results.length ? placeholder : "Aucune collectivité trouvée";
            select.appendChild(empty);
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.id;
              option.textContent = item.label;
              select.appendChild(option);
            });
            if (data.results.length === 1) {
              select.value = String(data.results[0].id);
            }
          })
          .catch(function () {});
      }, 250);
    });
  });
})();
