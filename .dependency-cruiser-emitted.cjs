/**
 * The second pass of `npm run deps` (see .dependency-cruiser.cjs): only the imports that remain
 * in the emitted JavaScript (type-only imports erased), and no circle among them at all. A
 * separate pass because dependency-cruiser reports one circle per import: with type-only
 * imports in the graph, a circle of value imports could hide behind a type-only one.
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
