// graphql-codegen schema loader: reads the committed gzip introspection, so codegen never downloads.
const { readFileSync } = require("node:fs");
const { gunzipSync } = require("node:zlib");
const { buildClientSchema } = require("graphql");

module.exports = (file) => buildClientSchema(JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")).data);
