import * as path from 'node:path';

import { buildSync } from 'esbuild';

/** The Node.js the CodeBuild standard images carry at least. */
const NODE_TARGET = 'node18';

const bundles = new Map<string, string>();

/**
 * One step script (module `moduleName` of the step's folder `directory`, exporting `main`), bundled into a single
 * CommonJS file with Node built-ins only. Bundled at synth time and embedded in the step's commands, so the step
 * needs no source checkout and always runs the version of the script that was synthesized with the pipeline.
 */
export function bundleStepScript(directory: string, moduleName: string): string {
  const entry = path.join(directory, moduleName);
  const cached = bundles.get(entry);
  if (cached !== undefined) return cached;
  const result = buildSync({
    stdin: {
      contents: `import { main } from './${moduleName}';\nvoid main();\n`,
      resolveDir: directory,
      sourcefile: `${moduleName}-entry.ts`,
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
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry}.ts`);
  bundles.set(entry, output.text);
  return output.text;
}

/** Shell commands that write the bundled script (base64, so no quoting can break it) and run it with Node. */
export function embeddedScriptCommands(directory: string, moduleName: string): string[] {
  const file = `${moduleName}.js`;
  const encoded = Buffer.from(bundleStepScript(directory, moduleName), 'utf8').toString('base64');
  return [`echo '${encoded}' | base64 -d > ${file}`, `node ${file}`];
}
