import { startJobRun } from './aws-calls';
import type { TriggerClients } from './clients';
import { beforeDeadline, type Deadline } from './deadline';
import { errorMessage, errorName, isDefiniteRefusal } from './errors';
import type { ManifestPlan } from './manifest-step';
import { findRunOfManifest } from './run-lookup';
import { logger } from './telemetry';

export type RunOutcome =
  | { readonly kind: 'started'; readonly jobRunId: string; readonly foundByLookup: boolean }
  /** Glue answered no: no run exists, the claims can be released. */
  | { readonly kind: 'refused'; readonly error: unknown }
  /** The answer was lost and the lookup could not find the run: it may still exist. */
  | { readonly kind: 'in-doubt'; readonly error: unknown };

/** Runs older than the claim by this much cannot be the manifest's (clocks of two services differ a little). */
const LOOKUP_CLOCK_SLACK_MS = 60_000;

/**
 * Starts one run on the manifest, once: StartJobRun is never retried blindly. When its answer is lost (a server
 * error, a timeout, the deadline) the run may exist all the same, so it is looked up by its manifest before the
 * caller decides anything; a start still in doubt afterwards keeps its claims until their lease ends.
 */
export const startRunStep = async (
  plan: ManifestPlan,
  jobName: string,
  clients: TriggerClients,
  deadline: Deadline,
): Promise<RunOutcome> => {
  let startError: unknown;
  try {
    const jobRunId = await beforeDeadline(deadline, (signal) =>
      startJobRun(clients.glueStart, jobName, plan.uri, signal),
    );
    return { kind: 'started', jobRunId, foundByLookup: false };
  } catch (error) {
    if (isDefiniteRefusal(error)) return { kind: 'refused', error };
    startError = error;
  }
  try {
    const lookup = await beforeDeadline(deadline, (signal) =>
      findRunOfManifest(
        clients.glue,
        jobName,
        plan.manifestId,
        new Date(plan.createdAt.getTime() - LOOKUP_CLOCK_SLACK_MS),
        signal,
      ),
    );
    if (lookup.kind === 'found') return { kind: 'started', jobRunId: lookup.jobRunId, foundByLookup: true };
  } catch (error) {
    logger.warn('run of a manifest whose start is in doubt could not be looked up', {
      manifestKey: plan.key,
      errorName: errorName(error),
      error: errorMessage(error),
    });
  }
  return { kind: 'in-doubt', error: startError };
};
