import { existsSync, statSync } from 'node:fs';

import { DEFAULT_JOB_ID, MAX_JOB_ID_LENGTH } from '@glue-platform/shared-constructs';

import { PLATFORM_OWNED_ARGUMENTS } from './job-arguments';
import { ENTRYPOINT_FILE, GlueJobDefinition, jobPaths } from './job-definition';

/** One thing wrong with a registry entry: which entry and field, and what is expected. */
export interface JobRegistryProblem {
  /** `jobs[0].id`, or `jobs` for the registry as a whole. */
  readonly path: string;
  readonly message: string;
}

/** Thrown with every problem of the registry at once, so a job author fixes them in one go. */
export class JobRegistryError extends Error {
  constructor(readonly problems: readonly JobRegistryProblem[]) {
    super(
      `Invalid Glue job registry (application-repo/lib/job-registry.ts): ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'JobRegistryError';
  }
}

const JOB_ID = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const ARGUMENT_NAME = /^--[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Glue caps batch job timeouts at 7 days. */
const MAX_TIMEOUT_MINUTES = 7 * 24 * 60;

const isWholeNumber = (value: number, min: number): boolean => Number.isInteger(value) && value >= min;

function idProblems(id: string): string[] {
  const problems: string[] = [];
  if (!JOB_ID.test(id)) {
    problems.push(
      `got "${id}"; expected snake_case: lowercase letters and digits, words joined by single underscores, starting with a letter`,
    );
  }
  if (id.length > MAX_JOB_ID_LENGTH) {
    problems.push(
      `got ${id.length} characters; expected at most ${MAX_JOB_ID_LENGTH} so every derived name fits`,
    );
  }
  return problems;
}

function folderProblems(jobsDirectory: string, id: string): string[] {
  const paths = jobPaths(jobsDirectory, id);
  if (!existsSync(paths.folder) || !statSync(paths.folder).isDirectory()) {
    return [
      `no folder glue-jobs/${id}/ for this job; create it with ${ENTRYPOINT_FILE} and src/${id}/__init__.py`,
    ];
  }
  const problems: string[] = [];
  if (!existsSync(paths.entrypoint)) {
    problems.push(`missing glue-jobs/${id}/${ENTRYPOINT_FILE}, the script Glue runs`);
  }
  if (!existsSync(paths.packageInit)) {
    problems.push(`missing glue-jobs/${id}/src/${id}/__init__.py, the package shipped with --extra-py-files`);
  }
  return problems;
}

function settingProblems(job: GlueJobDefinition, at: string): JobRegistryProblem[] {
  const problems: JobRegistryProblem[] = [];
  const add = (field: string, message: string): void => {
    problems.push({ path: `${at}.${field}`, message });
  };
  if (job.description.trim().length === 0) add('description', 'expected a non-empty description');
  if (!isWholeNumber(job.maxWorkers, 2)) {
    add(
      'maxWorkers',
      `got ${job.maxWorkers}; expected a whole number of at least 2 (a driver and an executor)`,
    );
  }
  const minutes = job.timeout.toMinutes({ integral: false });
  if (!isWholeNumber(minutes, 1) || minutes > MAX_TIMEOUT_MINUTES) {
    add(
      'timeout',
      `got ${minutes} minutes; expected whole minutes from 1 to ${MAX_TIMEOUT_MINUTES} (7 days)`,
    );
  }
  const maxRetries = job.maxRetries ?? 0;
  if (!isWholeNumber(maxRetries, 0))
    add('maxRetries', `got ${maxRetries}; expected a whole number of at least 0`);
  const concurrency = job.maxConcurrentRuns ?? 1;
  if (!isWholeNumber(concurrency, 1)) {
    add('maxConcurrentRuns', `got ${concurrency}; expected a whole number of at least 1`);
  }
  if ((job.jobRunQueuing ?? true) && maxRetries > 0) {
    add(
      'maxRetries',
      `got ${maxRetries} with job-run queuing on; Glue requires 0 retries for queued jobs: set maxRetries to 0 or jobRunQueuing to false`,
    );
  }
  for (const name of Object.keys(job.arguments ?? {})) {
    if (!ARGUMENT_NAME.test(name)) {
      add(`arguments["${name}"]`, 'expected an argument name starting with "--", such as --my_option');
    } else if (PLATFORM_OWNED_ARGUMENTS.has(name)) {
      add(
        `arguments["${name}"]`,
        'the platform sets this argument (PLATFORM_OWNED_ARGUMENTS in job-arguments.ts); remove it from the entry',
      );
    }
  }
  return problems;
}

/**
 * Every problem of the registry: ids, duplicates, settings, shared packages and the job folders under
 * `jobsDirectory`.
 */
export function jobRegistryProblems(
  jobs: readonly GlueJobDefinition[],
  jobsDirectory: string,
): JobRegistryProblem[] {
  const problems: JobRegistryProblem[] = [];
  const firstIndex = new Map<string, number>();
  jobs.forEach((job, index) => {
    const at = `jobs[${index}]`;
    const ids = idProblems(job.id);
    problems.push(...ids.map((message) => ({ path: `${at}.id`, message })));
    const first = firstIndex.get(job.id);
    if (first !== undefined) {
      problems.push({
        path: `${at}.id`,
        message: `duplicate id "${job.id}", already used by jobs[${first}]`,
      });
    } else {
      firstIndex.set(job.id, index);
    }
    if (ids.length === 0) {
      problems.push(
        ...folderProblems(jobsDirectory, job.id).map((message) => ({ path: `${at}.id`, message })),
      );
    }
    problems.push(...settingProblems(job, at));
  });
  jobs.forEach((job, index) => {
    (job.sharedPackages ?? []).forEach((id, k) => {
      if (id === job.id || !firstIndex.has(id)) {
        problems.push({
          path: `jobs[${index}].sharedPackages[${k}]`,
          message:
            `got "${id}"; expected the id of another job of the registry, whose src/<id>/ package ships ` +
            'with this job',
        });
      }
    });
  });
  if (!firstIndex.has(DEFAULT_JOB_ID)) {
    problems.push({
      path: 'jobs',
      message: `no entry "${DEFAULT_JOB_ID}"; the trigger starts that job for every dataset, so the registry must hold it`,
    });
  }
  return problems;
}

/** Returns the registry unchanged when it is valid; throws a JobRegistryError listing every problem otherwise. */
export function validateJobRegistry(
  jobs: readonly GlueJobDefinition[],
  jobsDirectory: string,
): readonly GlueJobDefinition[] {
  const problems = jobRegistryProblems(jobs, jobsDirectory);
  if (problems.length > 0) throw new JobRegistryError(problems);
  return jobs;
}
