#!/usr/bin/env node
// The `gatehouse` command. Runs the compiled CLI (npm run build).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`gatehouse: ${err?.message ?? err}`); process.exitCode = 1; },
);
