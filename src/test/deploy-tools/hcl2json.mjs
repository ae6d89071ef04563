// Parses Terraform files with HashiCorp's HCL parser (@cdktf/hcl2json) and prints
// {"<file>": <HCL as JSON>} for every file given as an argument.
import { readFileSync } from "node:fs";
import { parse } from "@cdktf/hcl2json";

const result = {};
for (const file of process.argv.slice(2)) {
  result[file] = await parse(file, readFileSync(file, "utf8"));
}
console.log(JSON.stringify(result));
