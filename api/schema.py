"""OpenAPI details drf-spectacular cannot infer: the error answers every operation may give,
the token security scheme, and links between operations (followed by schemathesis's
stateful tests and by clients)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from .action_inputs import action_components, list_action_components
from .serializers import Error

ERRORS = {
    "400": "Bad input: malformed JSON, unknown fields, wrong types, a refused rule or step.",
    "401": "Not signed in: send `Authorization: Token <key>` (or use a verified session).",
    "403": "Your role does not allow this.",
    "404": "No such object, or one you may not see.",
}
WRITE_ERRORS = {
    "409": "The object changed since you read it (`expected`, `expected_version`).",
    "415": "Send `Content-Type: application/json`.",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(Error, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AuditedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: get your key at /api/token/.",
        }


REFERENCE_FROM_BODY = {"reference": "$response.body#/reference"}
REFERENCE_FROM_PATH = {"reference": "$request.path.reference"}
FIRST_IN_PAGE = {"reference": "$response.body#/results/0/reference"}
LINKS = {
    "cases_list": {
        "200": {
            "GetFirstCase": ("cases_retrieve", FIRST_IN_PAGE),
            "GetFirstCaseActions": ("cases_actions_list", FIRST_IN_PAGE),
            "AddAllegationToFirstCase": ("cases_allegations_create", FIRST_IN_PAGE),
        }
    },
    # operation id -> status -> link name -> (target operation id, parameters)
    "cases_create": {
        "201": {
            "GetCase": ("cases_retrieve", REFERENCE_FROM_BODY),
            "GetAllegations": ("cases_allegations_list", REFERENCE_FROM_BODY),
            "AddAllegation": ("cases_allegations_create", REFERENCE_FROM_BODY),
            "GetActions": ("cases_actions_list", REFERENCE_FROM_BODY),
            "GetDeadlines": ("cases_deadlines_list", REFERENCE_FROM_BODY),
        }
    },
    "cases_retrieve": {
        "200": {
            "GetAllegations": ("cases_allegations_list", REFERENCE_FROM_PATH),
            "AddAllegation": ("cases_allegations_create", REFERENCE_FROM_PATH),
            "GetActions": ("cases_actions_list", REFERENCE_FROM_PATH),
            "GetDeadlines": ("cases_deadlines_list", REFERENCE_FROM_PATH),
        }
    },
    "cases_allegations_create": {
        "201": {
            "GetCase": ("cases_retrieve", REFERENCE_FROM_PATH),
            "GetAllegations": ("cases_allegations_list", REFERENCE_FROM_PATH),
        }
    },
    "cases_actions_run": {
        "200": {"GetCase": ("cases_retrieve", {"reference": "$response.body#/case/reference"})}
    },
}


def add_links(result, generator, request, public):
    """drf-spectacular postprocessing hook: add ``LINKS`` to the operations' responses, and
    state that a query parameter, when sent, is not empty (the API answers 400 to ``?q=``)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string":
                    schema.setdefault("minLength", 1)
            for code, links in LINKS.get(operation.get("operationId"), {}).items():
                response = operation.get("responses", {}).get(code)
                if response is None:
                    continue
                response["links"] = {
                    name: {"operationId": target, "parameters": parameters}
                    for name, (target, parameters) in links.items()
                }
    return result


def add_action_inputs(result, generator, request, public):
    """drf-spectacular postprocessing hook: each action's input, generated from its form
    (``api.action_inputs``), as a component; the body of ``cases_actions_run`` is any of them
    (the path's ``name`` says which applies)."""
    components, list_components = action_components(), list_action_components()
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(components)
    schemas.update(list_components)
    record = {"RecordDismissalListInput": list_components.pop("RecordDismissalListInput")}
    bodies = {
        "cases_actions_run": components,
        "list_entries_actions_run": list_components,
        "list_entries_create": record,
    }
    for path in result.get("paths", {}).values():
        operation = path.get("post")
        if isinstance(operation, dict) and operation.get("operationId") in bodies:
            names = bodies[operation["operationId"]]
            refs = [{"$ref": f"#/components/schemas/{name}"} for name in names]
            operation["requestBody"] = {
                "content": {"application/json": {"schema": {"anyOf": refs}}},
                "required": True,
            }
    return result
