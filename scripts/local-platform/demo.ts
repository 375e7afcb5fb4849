/**
 * The platform's path on a local emulator, for `npm run demo`: uploads with `glue-platform upload --follow`, the
 * trigger handler on the queue's messages, the Glue run by the job on local Spark, `glue-platform status`, and a
 * Spark SQL query of the table. No AWS account: moto on 127.0.0.1 holds the stage (see docs/decisions.md).
 *   npx tsx scripts/local-platform/demo.ts [CSV_FILE ...]
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

import { processIo } from '../../operator-cli/src/io';
import { run } from '../../operator-cli/src/run';

import { startLocalPlatform } from './local-platform';

const SAMPLES = path.resolve(
  __dirname,
  '..',
  '..',
  'application-repo',
  'glue-jobs',
  'file_processor',
  'samples',
);
const DEFAULT_FILES = [
  'orders-2026-11-01.csv',
  'orders-2026-11-02-messy.csv',
  'orders-2026-11-05-latin1.csv',
].map((name) => path.join(SAMPLES, name));
const DATASET = 'orders';

const say = (text: string): boolean => process.stdout.write(`${text}\n`);

async function gluePlatform(args: readonly string[], endpoint: string): Promise<number> {
  say(`\n$ glue-platform ${args.join(' ')}`);
  return run([...args, '--stage', 'dev', '--endpoint-url', endpoint], { ...processIo(), interactive: false });
}

async function main(): Promise<number> {
  const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_FILES;
  const started = Date.now();
  say('demo: starting moto on 127.0.0.1 with the dev stage under its real names');
  // Beside the demo's other output, so the staged objects, run requests and Iceberg warehouse can be looked at.
  const workDir = path.resolve(__dirname, '..', '..', '.build', 'demo', 'local-platform');
  mkdirSync(workDir, { recursive: true });
  const platform = await startLocalPlatform({ workDir });
  try {
    say(`demo: stage ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${platform.endpoint})`);
    const uploadStarted = Date.now();
    const upload = gluePlatform(
      ['upload', ...files, '--dataset', DATASET, '--follow', '--interval', '1s'],
      platform.endpoint,
    );
    let settled = false;
    let committedAfter = 0;
    void upload.finally(() => {
      settled = true;
      committedAfter = (Date.now() - uploadStarted) / 1000;
    });
    // The event source mapping and Glue, played by the driver until the CLI has seen every file end.
    while (!settled) {
      const delivery = await platform.trigger();
      if (delivery.messages > 0)
        say(`demo: trigger handled ${delivery.messages} message(s), ${delivery.failed} failed`);
      for (const outcome of await platform.runJobs()) {
        say(
          `demo: Glue run ${outcome.jobRunId} executed on local Spark in ${outcome.seconds.toFixed(1)}s: ${outcome.status}`,
        );
        if (outcome.error) say(outcome.error);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const uploadCode = await upload;
    say(`demo: upload --follow to every file in its terminal state: ${committedAfter.toFixed(1)}s`);
    await gluePlatform(['status', '--dataset', DATASET], platform.endpoint);
    await gluePlatform(['runs', '--limit', '3'], platform.endpoint);

    const table = `glue_catalog.${platform.emu.stage.database}.${DATASET}`;
    const sql = [
      `SELECT regexp_extract(source_key, '[^/]+$', 0) AS file, count(*) AS row_count FROM ${table} GROUP BY 1 ORDER BY 1`,
      `SELECT regexp_extract(source_key, '[^/]+$', 0) AS file, reason FROM ${table}__quarantine ORDER BY 1, 2 LIMIT 5`,
    ];
    const answers = await platform.query(sql);
    for (const [i, rows] of answers.entries()) {
      say(`\n> ${sql[i]}`);
      for (const row of rows) say(`  ${Object.values(row).map(String).join('  ')}`);
    }
    say(`\ndemo: local platform path done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    say(
      `demo: staged objects, run requests and the Iceberg warehouse are in ${path.relative(process.cwd(), workDir)}`,
    );
    // A quarantined file ends the upload with 1, by design: the demo shows it and goes on.
    return uploadCode > 1 ? uploadCode : 0;
  } finally {
    await platform.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
