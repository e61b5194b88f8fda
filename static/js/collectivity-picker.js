// Search-as-you-type for collectivité fields: fills the shared <datalist> with the server's matches.
(function () {
  "use strict";
  var datalist = document.getElementById("collectivity-options");
  var status = document.getElementById("collectivity-search-status");
  if (!datalist) {
    return;
  }
  var timer = null;
  var lastQuery = "";

  function render(results) {
    datalist.replaceChildren();
    results.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.label;
      option.textContent = item.kind;
      datalist.appendChild(option);
    });
    if (status) {
      status.textContent = results.length ? results.length + (results.length > 1 ? " collectivités proposées" : " collectivité proposée") : "Aucune collectivité trouvée";
    }
  }

  function search(input) {
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery || query.indexOf(" – ") !== -1) {
      return;
    }
    lastQuery = query;
    var url = input.getAttribute("data-collectivity-search") + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) {
          render(data.results);
        }
      })
      .catch(function () {
        if (status) {
          status.textContent = "La recherche est momentanément indisponible.";
        }
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-collectivity-search]")) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      search(input);
    }, 200);
  });
})();
