#!/usr/bin/env node
// The CLI runs from its TypeScript sources, as the CDK apps do (cdk.json runs tsx): `npx glue-platform` works
// straight after `npm ci`, with no build step to forget. tsx transpiles each file once as it loads.
'use strict';
require('tsx/cjs/api').register();
const { main } = require('../src/main.ts');
main();
