/**
 * Dependency direction, checked inside `npm test` (`npm run depcheck`):
 * the engine is pure, routes stay thin, and only models touch Prisma.
 * test/depcruise.test.ts proves each rule fires on a deliberate violation.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "app/domain is the pure engine: it imports nothing outside app/domain (no packages, no node:).",
      severity: "error",
      from: { path: "^app/domain/" },
      to: { pathNot: "^app/domain/" },
    },
    {
      name: "routes-no-prisma",
      comment: "Routes call services and models; they never hold the Prisma client or its generated types.",
      severity: "error",
      from: { path: "^app/routes/" },
      to: { path: "^(app/generated/prisma|node_modules/@prisma/|node_modules/\\.prisma/)" },
    },
    {
      name: "routes-no-graphql-documents",
      comment: "Admin operations live with the gateway in app/shopify; routes never import them or graphql clients.",
      severity: "error",
      from: { path: "^app/routes/" },
      to: { path: "^(app/shopify/(operations|generated)/|node_modules/graphql-request/)" },
    },
    {
      name: "prisma-only-in-models",
      comment: "Only app/models (and the db singleton) import the generated Prisma client.",
      severity: "error",
      from: { path: "^app/", pathNot: "^app/(models/|db\\.server\\.ts|generated/)" },
      to: { path: "^app/generated/prisma" },
    },
    {
      name: "shopify-below-services",
      comment: "The gateway and webhook verification serve the services; they never import services, jobs or routes.",
      severity: "error",
      from: { path: "^app/shopify/" },
      to: { path: "^app/(services|jobs|routes|components)/" },
    },
    {
      name: "models-at-the-bottom",
      comment: "Models are the lowest layer beside the engine: they import no service, job, gateway or route.",
      severity: "error",
      from: { path: "^app/models/" },
      to: { path: "^app/(services|jobs|shopify|routes|components)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^app/", pathNot: "^app/generated/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "(node_modules|^app/generated/)" },
    exclude: { path: "\\.test\\.tsx?$" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
