import { putRunPointer, runPointerKey, type RunPointer } from './aws-calls';
import type { TriggerClients } from './clients';
import { beforeDeadline, type Deadline } from './deadline';
import { errorMessage, errorName } from './errors';
import { logger, type MetricCounts } from './telemetry';

/** Writes the run pointer beside the manifest. Never throws: the run owns its objects whatever happens here. */
export const writePointerStep = async (
  pointer: RunPointer,
  bucket: string,
  clients: TriggerClients,
  deadline: Deadline,
  counts: MetricCounts,
): Promise<void> => {
  try {
    await beforeDeadline(deadline, (signal) => putRunPointer(clients.s3, bucket, pointer, signal));
  } catch (error) {
    // The run owns the objects now: failing the messages would hand them to a second run.
    counts.RunPointerWriteFailures += 1;
    logger.error('RUN POINTER NOT WRITTEN: the run started and owns its objects; find them in these logs', {
      pointerKey: runPointerKey(pointer.manifestKey),
      manifestKey: pointer.manifestKey,
      jobRunId: pointer.jobRunId,
      errorName: errorName(error),
      error: errorMessage(error),
    });
  }
};
