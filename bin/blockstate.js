#!/usr/bin/env node
// `blockstate serve <app file>`: see src/server/cli.ts. In a checkout of the repository it
// runs the TypeScript sources through tsx (so an app importing "blockstate", mapped to src/ by
// tsconfig.json, shares its classes); an installed package runs its build.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const source = path.join(__dirname, "..", "src", "server", "cli.ts");
let cli;
if (fs.existsSync(source)) {
  require("tsx/cjs/api").register();
  cli = require(source);
} else cli = require("../dist/cjs/server/cli.js");
cli.main(process.argv.slice(2)).then((result) => {
  if (typeof result === "number") process.exitCode = result;
});
