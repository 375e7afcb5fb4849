import * as path from 'node:path';

import { buildSync } from 'esbuild';

/** application-repo/scripts: the step scripts, tested offline by test/scripts. */
export const STEP_SCRIPTS_DIRECTORY = path.resolve(__dirname, '..', '..', 'scripts');

/** The Node.js the CodeBuild standard images carry at least. */
const NODE_TARGET = 'node18';

const bundles = new Map<string, string>();

/**
 * One step script (a module of scripts/ exporting `main`), bundled into a single CommonJS file with
 * Node built-ins only. Bundled at synth time and embedded in the step's commands, so the step needs no source
 * checkout and always runs the version of the script that was synthesized with the pipeline.
 */
export function bundleStepScript(moduleName: string): string {
  const cached = bundles.get(moduleName);
  if (cached !== undefined) return cached;
  const result = buildSync({
    stdin: {
      contents: `import { main } from './${moduleName}';\nvoid main();\n`,
      resolveDir: STEP_SCRIPTS_DIRECTORY,
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
  if (output === undefined) throw new Error(`esbuild produced no output for scripts/${moduleName}.ts`);
  bundles.set(moduleName, output.text);
  return output.text;
}

/** Shell commands that write the bundled script (base64, so no quoting can break it) and run it with Node. */
export function embeddedScriptCommands(moduleName: string): string[] {
  const file = `${moduleName}.js`;
  const encoded = Buffer.from(bundleStepScript(moduleName), 'utf8').toString('base64');
  return [`echo '${encoded}' | base64 -d > ${file}`, `node ${file}`];
}
