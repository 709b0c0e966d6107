"""Checking answers against the OpenAPI document the API serves (/api/schema/), as a client would read it.

`Served(document).check(response)` finds the operation whose path template matches the response's request
path, and validates the JSON body against the schema the document gives for that status (JSON Schema 2020-12,
OpenAPI 3.1's dialect, with format checks for dates), resolving `$ref`s into the document's components. It
records what it checked, so that a test can assert that every operation's answers were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


@dataclass
class Served:
    document: dict[str, Any]
    checked: set[tuple[str, int]] = field(default_factory=set)  # (path template, status)

    def template_of(self, path: str) -> str:
        matches = [template for template in self.document["paths"] if _template_regex(template).match(path)]
        assert len(matches) == 1, f"{path} matches {matches} in the schema"
        return matches[0]

    def check(self, response, method: str = "get") -> Any:
        """The response's JSON, after checking it is what the document says this operation answers."""
        path = response.wsgi_request.path
        template = self.template_of(path)
        operation = self.document["paths"][template][method]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method.upper()} {path}: {status} is not documented"
        self.checked.add((template, response.status_code))
        content = operation["responses"][status].get("content")
        if content is None:
            assert response.content == b"", f"{path}: {status} has a body the schema does not describe"
            return None
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        data = json.loads(response.content)
        schema = {**content["application/json"]["schema"], "components": self.document["components"]}
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
        assert not errors, f"{path} ({status}):\n" + "\n".join(
            f"  at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors[:10]
        )
        return data
