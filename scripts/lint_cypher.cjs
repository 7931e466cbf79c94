// Check .cypher files with Neo4j's own Cypher parser and semantic analysis
// (@neo4j-cypher/language-support, installed by scripts/test into .cache/npm).
// Usage: node scripts/lint_cypher.cjs FILE...
// Prints one JSON object: file -> list of {severity: "error"|"warning"|..., line, message}.
// Parameters declared in a file's header (`// param: name = example -- help`) count as defined.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { lintCypherQuery } = require(path.join(root, ".cache/npm/node_modules/@neo4j-cypher/language-support"));
const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "hint" };

function headerParameters(text) {
  const parameters = {};
  for (const line of text.split("\n")) {
    const match = /^\/\/\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s+--\s/.exec(line);
    if (match) parameters[match[1]] = JSON.parse(match[2]);
  }
  return parameters;
}

const report = {};
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  report[file] = lintCypherQuery(text, { parameters: headerParameters(text) }).map((diagnostic) => ({
    severity: SEVERITY[diagnostic.severity] || String(diagnostic.severity),
    line: diagnostic.range.start.line + 1,
    message: diagnostic.message,
  }));
}
process.stdout.write(JSON.stringify(report, null, 1) + "\n");
