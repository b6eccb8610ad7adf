/**
 * The layers of src/ (README, "The repository") and the rules `npm test` checks with
 * dependency-cruiser (`npm run deps`).
 *
 *   core -> storage -> blocks, components (templates) -> runtime (instances)
 *        -> node, testing, server, redis (edges) ; src/index.ts (the main entry) on top of runtime
 *
 * A file may import files of its own layer and of the layers before it, never of a later one.
 * Edges are leaves: they do not import each other. A new folder under src/ must be given a
 * layer here (rule "layer-unknown").
 *
 * Type-only imports (`import type`, `import { type X }`) count for the layer rules: a lower
 * layer's declarations never name a higher layer's types. They count for circles too: no file
 * may reach itself through imports, type-only ones included (rule "no-circular"). A lower file
 * that needs a higher class names a small interface of what it uses, which the class satisfies
 * structurally (src/runtime/sites.ts: `AppSite`, `SessionSite`, `RunSite`).
 *
 * The template classes of src/blocks/ form one public graph of types (a block's event methods
 * return a `Dependency`, whose `.then` is again an event method's type and whose `inputs` are
 * Cells), so they are one module, src/blocks/block.ts; what it needs of the `Blocks` class above
 * it is `BlocksSite`.
 *
 * Tests, bench and examples are not checked (they may import any layer).
 */
const LAYERS = [["core"], ["storage"], ["blocks", "components"], ["runtime"], ["node", "testing", "server", "redis"]];
const EDGES = LAYERS[LAYERS.length - 1];
const ALL = LAYERS.flat();

const folder = (names) => `^src/(${names.join("|")})/`;

/** @type {import("dependency-cruiser").IForbiddenRuleType[]} */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join("-")}`,
  comment: `${layer.join("/")} may import only ${LAYERS.slice(0, i + 1).flat().join(", ")} (README: the layers)`,
  severity: "error",
  from: { path: folder(layer) },
  to: { path: [folder(LAYERS.slice(i + 1).flat()), "^src/index\\.ts$"] },
}));

module.exports = {

  forbidden: [
    ...layerRules,
    {
      name: "layer-edges",
      comment: "edges (node, testing, server, redis) import the layers below, not each other or the main entry",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: { path: [folder(EDGES), "^src/index\\.ts$"], pathNot: "^src/$1/" },
    },
    {
      name: "layer-edges-from-main",
      comment: "the main entry is browser-safe: it does not import the edges (node, server, ...)",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: folder(EDGES) },
    },
    {
      name: "layer-unknown",
      comment: "every folder of src/ has a layer in .dependency-cruiser.cjs",
      severity: "error",
      from: { path: "^src/", pathNot: [folder(ALL), "^src/index\\.ts$"] },
      to: {},
    },
    {
      name: "no-circular",
      comment: "no import circle between files, type-only imports included (README: the layers)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-tests",
      comment: "src/ does not import tests, bench or examples",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(spec|bench|examples|scripts)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
