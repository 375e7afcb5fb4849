import * as path from 'node:path';

import { SUMMARY_SCRIPT } from '../../src/pipeline/steps/change-set-summary/change-set-summary-step';
import { bundleStepScript, embeddedScriptCommands } from '../../src/pipeline/steps/embedded-script';

test('a step script that imports CDK code is refused, naming the script and the package', () => {
  const script = path.join(__dirname, 'fixtures', 'cdk-step-script.ts');
  expect(() => bundleStepScript(script)).toThrow(
    /^Step script .*cdk-step-script\.ts bundles CDK code \(.*node_modules\/constructs\//,
  );
});

test('the commands write the bundle under the given name and run it with Node', () => {
  const [write, run] = embeddedScriptCommands(SUMMARY_SCRIPT, 'summary.js');
  const encoded = /^echo '([A-Za-z0-9+/=]+)' \| base64 -d > summary\.js$/.exec(write ?? '')?.[1];
  expect(Buffer.from(encoded ?? '', 'base64').toString('utf8')).toBe(bundleStepScript(SUMMARY_SCRIPT));
  expect(run).toBe('node summary.js');
});
