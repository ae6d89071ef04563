// Validates Kubernetes objects against the kubernetes-models schemas (core API and the CRDs of
// External Secrets and the Prometheus operator). Input: a JSON array of objects (file argument).
// Output: one JSON line per object: {id, result: "valid" | "invalid" | "no-model", errors}.
import { readFileSync } from "node:fs";

const packages = ["kubernetes-models", "@kubernetes-models/external-secrets", "@kubernetes-models/prometheus-operator"];

async function model(apiVersion, kind) {
  const path = apiVersion.includes("/") ? `${apiVersion}/${kind}` : `v1/${kind}`;
  for (const pkg of packages) {
    try {
      const module = await import(`${pkg}/${path}`);
      if (module[kind]) return module[kind];
    } catch (e) {
      if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return null;
}

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const object of objects) {
  const id = `${object.apiVersion}/${object.kind}/${object.metadata?.name}`;
  const Model = await model(object.apiVersion, object.kind);
  if (!Model) {
    console.log(JSON.stringify({ id, result: "no-model", errors: [] }));
    continue;
  }
  try {
    new Model(object).validate();
    console.log(JSON.stringify({ id, result: "valid", errors: [] }));
  } catch (e) {
    console.log(JSON.stringify({ id, result: "invalid", errors: [String(e.message)] }));
  }
}
