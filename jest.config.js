/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.test.ts"],
  // Gets what the tests need (Chromium for spec/browser) before the workers start.
  globalSetup: "<rootDir>/spec/support/global-setup.ts",
  // Type checking is `tsc --noEmit` (npm test); jest only transpiles, file by file
  // (tsconfig's isolatedModules).
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }] },
  moduleNameMapper: {
    "^blockstate$": "<rootDir>/src/index.ts",
    "^blockstate/testing$": "<rootDir>/src/testing/index.ts",
    "^blockstate/blocks$": "<rootDir>/src/blocks/index.ts",
    "^blockstate/server$": "<rootDir>/src/server/index.ts",
    "^blockstate/redis$": "<rootDir>/src/redis/index.ts",
    "^blockstate/node$": "<rootDir>/src/node/index.ts",
  },
};
