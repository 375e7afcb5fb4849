import { GetJobRunsCommand, type JobRun } from '@aws-sdk/client-glue';
import 'aws-sdk-client-mock-jest';

import { findRunOfManifest } from '../src/run-lookup';

import { glueMock, resetAwsMocks } from './support/aws-mocks';
import { JOB_NAME, testDeps } from './support/events';

beforeEach(() => {
  resetAwsMocks();
});

const run = (id: string, manifestId: string, startedOn: string): JobRun => ({
  Id: id,
  Arguments: { '--manifest': `s3://assets/manifests/sales/2026-11-23/${manifestId}.json` },
  StartedOn: new Date(startedOn),
});

/** The job's runs, newest first, served in pages of two. */
const serve = (runs: JobRun[]) =>
  glueMock.on(GetJobRunsCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    return Promise.resolve({
      JobRuns: runs.slice(start, start + 2),
      NextToken: start + 2 < runs.length ? String(start + 2) : undefined,
    });
  });

const glue = () => testDeps().clients.glue;
const since = new Date('2026-11-23T10:00:00.000Z');

test('finds the run whose --manifest names the manifest, reading pages from the newest', async () => {
  serve([
    run('jr_4', 'm4', '2026-11-23T10:40:00Z'),
    run('jr_3', 'm3', '2026-11-23T10:30:00Z'),
    run('jr_2', 'm2', '2026-11-23T10:20:00Z'),
  ]);

  await expect(findRunOfManifest(glue(), JOB_NAME, 'm2', since)).resolves.toEqual({
    kind: 'found',
    jobRunId: 'jr_2',
  });
  expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 2);
});

test('a manifest id that is only the prefix of another does not match', async () => {
  serve([run('jr_1', 'm10', '2026-11-23T10:20:00Z')]);

  await expect(findRunOfManifest(glue(), JOB_NAME, 'm1', since)).resolves.toEqual({ kind: 'not-found' });
});

test('stops at the first page that reaches runs older than the window', async () => {
  serve([
    run('jr_5', 'a', '2026-11-23T10:40:00Z'),
    run('jr_4', 'b', '2026-11-23T09:00:00Z'),
    run('jr_3', 'wanted', '2026-11-23T08:00:00Z'),
  ]);

  await expect(findRunOfManifest(glue(), JOB_NAME, 'wanted', since)).resolves.toEqual({ kind: 'not-found' });
  expect(glueMock).toHaveReceivedCommandTimes(GetJobRunsCommand, 1);
});

test('too many recent runs to reach the window start leave the answer unknown', async () => {
  serve(Array.from({ length: 12 }, (_, index) => run(`jr_${index}`, `x${index}`, '2026-11-23T10:50:00Z')));

  await expect(findRunOfManifest(glue(), JOB_NAME, 'absent', since)).resolves.toEqual({ kind: 'unknown' });
});
