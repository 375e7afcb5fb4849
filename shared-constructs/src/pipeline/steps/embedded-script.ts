import { buildSync } from 'esbuild';

/** The Node.js the CodeBuild standard images carry at least. */
const NODE_TARGET = 'node18';

const bundles = new Map<string, string>();

/**
 * A step script (a TypeScript module exporting `main`), bundled into one CommonJS file with Node built-ins only.
 * Bundled at synth time and embedded in the step's commands, so the step needs no source checkout and no
 * `npm ci`, and always runs the version of the script that was synthesized with the pipeline.
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
    logLevel: 'silent',
  });
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
