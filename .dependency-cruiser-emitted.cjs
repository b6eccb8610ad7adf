/**
 * The second pass of `npm run deps` (see .dependency-cruiser.cjs): only the imports that remain
 * in the emitted JavaScript (type-only imports erased), and no circle among them at all. The
 * first pass already refuses every circle outside src/blocks/; this pass covers src/blocks/,
 * whose type-only circles the first pass still lets through (dependency-cruiser reports one
 * circle per import, so there a circle of value imports could hide behind a type-only one).
 */
const { options } = require("./.dependency-cruiser.cjs");

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no circle of value imports between files (they decide load order and break bundles)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: { ...options, tsPreCompilationDeps: false },
};
