"""Validates the custom resources in rendered manifests against their CustomResourceDefinitions.

Usage: validate-custom-resources.py --crds DIR [--crds DIR...] MANIFEST...

kubernetes-validate knows only the built-in kinds (it warns about any other and passes it), so
the chart's PodMonitor and ServiceMonitor are checked here, against the openAPIV3Schema of the
served version in the CRD files, as strictly as `kubectl apply --validate=strict`: a field the
schema does not declare is an error, unless the schema preserves unknown fields. A custom
resource whose CRD is not in DIR is an error too, never a silent pass. Exit 1 on any finding.
"""

import argparse
import copy
import pathlib
import sys

import jsonschema
import yaml


def strict(schema):
    """The schema with undeclared fields refused, as the API server's strict field validation does."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if not isinstance(node, dict):
            return
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for key in ("properties", "patternProperties"):
            for child in node.get(key, {}).values():
                walk(child)
        for key in ("items", "additionalProperties"):
            walk(node.get(key))
        for key in ("allOf", "anyOf", "oneOf"):
            for child in node.get(key, []):
                walk(child)

    walk(schema)
    return schema


def load_crds(dirs):
    """(apiVersion, kind) -> schema, for every served version of every CRD in the directories."""
    schemas = {}
    for directory in dirs:
        files = sorted(pathlib.Path(directory).glob("*.yaml"))
        if not files:
            sys.exit(f"no CRD files in {directory}: run make setup")
        for path in files:
            for crd in yaml.safe_load_all(path.read_text()):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                spec = crd["spec"]
                for version in spec["versions"]:
                    if version.get("served"):
                        key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                        schemas[key] = strict(version["schema"]["openAPIV3Schema"])
    return schemas


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--crds", action="append", required=True)
    parser.add_argument("manifests", nargs="+")
    args = parser.parse_args()
    schemas = load_crds(args.crds)
    findings = checked = 0
    for manifest in args.manifests:
        for obj in yaml.safe_load_all(pathlib.Path(manifest).read_text()):
            if not obj:
                continue
            api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
            group = api_version.rpartition("/")[0]
            schema = schemas.get((api_version, kind))
            # The built-in groups ("" for v1, "apps", "networking.k8s.io") are kubernetes-validate's.
            if schema is None and ("." not in group or group.endswith(".k8s.io")):
                continue
            name = f"{manifest}: {kind} {obj.get('metadata', {}).get('name')}"
            if schema is None:
                print(f"ERROR {name}: no CRD for {api_version} {kind} in {', '.join(args.crds)}")
                findings += 1
                continue
            errors = list(jsonschema.Draft7Validator(schema).iter_errors(obj))
            for error in errors:
                where = ".".join(str(p) for p in error.absolute_path) or "(root)"
                print(f"ERROR {name}: {where}: {error.message}")
            findings += len(errors)
            checked += 1
    if findings:
        sys.exit(1)
    print(f"{checked} custom resources valid against their CRDs")


if __name__ == "__main__":
    main()
