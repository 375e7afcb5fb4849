// Jest's transformer for the TypeScript sources: esbuild strips the types, one file at a time, as ts-jest did with
// isolatedModules. Type-checking is `tsc -b`'s job (scripts/test.sh runs it before jest, over every test file too).
// The test command gives each run a fresh temp directory, so jest's transform cache starts empty: ts-jest then
// loaded the TypeScript compiler in each worker and transpiled every file with it, a cost esbuild does not have.
'use strict';

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const { transformSync, version } = require('esbuild');

/** What tsconfig.base.json asks of the emitted JavaScript: CommonJS for Node 20, ES2022 class fields. */
const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'external',
  sourcesContent: true,
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
};

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = transformSync(sourceText, { ...OPTIONS, sourcefile: sourcePath });
    return { code, map };
  },
  // Jest keeps the code it ran under this key, after adding coverage counters under --coverage: so the key says
  // whether it did, besides everything the output depends on.
  getCacheKey(sourceText, sourcePath, { configString, instrument }) {
    return createHash('sha256')
      .update(version)
      .update(readFileSync(__filename))
      .update(configString)
      .update(instrument ? 'instrument' : '')
      .update(sourcePath)
      .update(sourceText)
      .digest('hex');
  },
};
