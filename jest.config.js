/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/spec"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  moduleNameMapper: {
    "^blockstate$": "<rootDir>/src/index.ts",
    "^blockstate/testing$": "<rootDir>/src/testing/index.ts",
  },
};
