// The first step of `npm run demo` and `npm run screenshots`, in plain JavaScript and importing nothing, so that an
// older Node reaches it and stops at once with how to get Node 22 instead of failing somewhere inside the stack.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    [
      `This needs Node.js 22 (>=22.12, see .nvmrc); this is Node v${process.versions.node}.`,
      "With nvm: nvm install 22 && nvm use 22",
      "Without nvm, Node 22 installs from the npm registry:",
      "  npm install --prefix ~/.cache/backorder-keeper/node22 node@22",
      "  export PATH=~/.cache/backorder-keeper/node22/node_modules/node/bin:$PATH",
      "then: npm install && npm run demo",
      "",
    ].join("\n"),
  );
  process.exit(1);
}
