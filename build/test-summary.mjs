// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON reports.
import { readFileSync, existsSync } from 'node:fs';

const files = process.argv.slice(2).length ? process.argv.slice(2) : ['test/artifacts/vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    failed++; // a suite that did not report did not pass
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
