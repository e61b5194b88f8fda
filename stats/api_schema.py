"""The open API's contract, as its OpenAPI schema states it: every answer it can give, every value it accepts.

- ``ApiPagination``: the API's pages; ``page`` starts at 1, and a page out of range is a 404.
- ``document_answers``, a drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS``): beside each
  operation's 200, its refusals, each with its body: 400 (the refused parameters, each with its
  message), 401 (token endpoints, with ``WWW-Authenticate``), 404 (page out of range), 429 (with
  ``Retry-After``); and the codes a parameter takes (``delegation``, ``department``) as an enumeration
  of the codes in the directory, which the views check against the same lists.

``tests/api/test_schema_contract.py`` runs schemathesis with every check against a live server to hold
the API to it.
"""

from django.db import DatabaseError
from rest_framework.pagination import PageNumberPagination

from partnership.models import Delegation, Department

# Query parameters naming a row of the directory: the codes they take, read when the schema is built.
DIRECTORY_CODES = {
    "delegation": lambda: list(Delegation.objects.order_by("code").values_list("code", flat=True)),
    "department": lambda: list(Department.objects.order_by("code").values_list("code", flat=True)),
}
# Where the directory cannot be read (``check --deploy`` builds the schema before ``migrate``), the shape of
# its codes: a delegation's slug; a département of metropolitan France, Corsica or overseas.
DIRECTORY_PATTERNS = {
    "delegation": r"^[-a-z0-9]+$",
    "department": r"^(0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])$",
}
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}


class ApiPagination(PageNumberPagination):
    """DRF's page numbers, held to the schema: ``page`` is a whole number, 1 or more; anything else is a 404."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        # Digits only: DRF took « » for page 1 and « last » for the last page, and Python's int() reads « 1_0 »
        # as 10, all of which the schema (an integer) refuses. The paginator answers « Page non valide. ».
        return value if value.isascii() and value.isdigit() else "invalide"

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
                parameter["description"] = (
                    "Numéro de page, à partir de 1\u202f; au-delà de la dernière page\u00a0: 404."
                )
        return parameters


def _error(description: str, schema: dict, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


def _refused_parameters(names: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {
            name: {"type": "string", "description": f"Pourquoi «\u00a0{name}\u00a0» est refusé."} for name in names
        },
        "minProperties": 1,
        "additionalProperties": False,
    }


def _directory_codes(read) -> list[str]:
    try:
        return read()
    except DatabaseError:
        return []


def document_answers(result, generator, request, public):
    """Post-processing hook: the refusals of every operation and the codes of the directory's parameters."""
    codes = {name: _directory_codes(read) for name, read in DIRECTORY_CODES.items()}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            refused = []
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter["in"] == "query" and name in codes:
                    refused.append(name)
                    # An empty or unreadable directory has no code to list: the shape of its codes instead.
                    if codes[name]:
                        parameter["schema"] = {**parameter["schema"], "enum": codes[name]}
                    else:
                        parameter["schema"] = {**parameter["schema"], "pattern": DIRECTORY_PATTERNS[name]}
            responses = operation.setdefault("responses", {})
            if refused:
                responses["400"] = _error("Paramètre refusé\u00a0: son nom et la raison.", _refused_parameters(refused))
            # An open operation's requirement is empty (``[{}]``); a token endpoint's names ``tokenAuth``.
            if any(operation.get("security", [])):
                responses["401"] = _error(
                    "Jeton absent ou invalide (en-tête « Authorization: Token <clé> »).",
                    DETAIL,
                    {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
                )
            responses["404"] = _error("Page inexistante (au-delà de la dernière).", DETAIL)
            responses["429"] = _error(
                "Trop de requêtes\u00a0: réessayer après le délai donné.",
                DETAIL,
                {
                    "Retry-After": {
                        "schema": {"type": "integer", "minimum": 0},
                        "required": True,
                        "description": "Secondes à attendre avant la requête suivante.",
                    }
                },
            )
    return result
