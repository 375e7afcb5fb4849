import { buildSync } from 'esbuild';

/** The Node.js the CodeBuild standard images carry at least. */
const NODE_TARGET = 'node18';

/** Packages a step script must not bundle: megabytes of CDK in every step's commands, and no use at run time. */
const CDK_PACKAGE = /(^|\/)node_modules\/(aws-cdk-lib|constructs|cdk-nag)\//;

const bundles = new Map<string, string>();

/**
 * A step script (a TypeScript module exporting `main`, beside its step construct), bundled into one CommonJS file
 * with Node built-ins only. Bundled at synth time and embedded in the step's commands, so the step needs no source
 * checkout and no `npm ci`, and always runs the version of the script that was synthesized with the pipeline.
 * Shared by the step constructs of shared-constructs and of the apps.
 */
export function bundleStepScript(modulePath: string): string {
  const cached = bundles.get(modulePath);
  if (cached !== undefined) return cached;
  const result = buildSync({
    stdin: {
      contents: `import { main } from ${JSON.stringify(modulePath)};\nmain();\n`,
      resolveDir: __dirname,
      sourcefile: 'step-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    minify: true,
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const cdkInputs = Object.keys(result.metafile.inputs).filter((input) => CDK_PACKAGE.test(input));
  if (cdkInputs.length > 0) {
    throw new Error(
      `Step script ${modulePath} bundles CDK code (${cdkInputs.slice(0, 3).join(', ')}); a step script must ` +
        'import only CDK-free modules, such as @glue-platform/shared-constructs/contracts or ' +
        '@glue-platform/shared-constructs/src/pipeline/steps/aws-cli, never the package index',
    );
  }
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${modulePath}`);
  bundles.set(modulePath, output.text);
  return output.text;
}

/** Shell commands that write the bundled script (base64, so no quoting can break it) and run it with Node. */
export function embeddedScriptCommands(modulePath: string, fileName: string): string[] {
  const encoded = Buffer.from(bundleStepScript(modulePath), 'utf8').toString('base64');
  return [`echo '${encoded}' | base64 -d > ${fileName}`, `node ${fileName}`];
}
