/**
 * Prints the `--datasets` argument CDK gives file_processor (the validated dataset registry as JSON), so local runs
 * (`npm run demo`, scripts/run-local-job.sh) treat each dataset exactly as a deployed stage does.
 */
import { DATASET_REGISTRY, datasetsArgument } from '../lib/dataset-registry';
import { validateDatasetRegistry } from '../lib/validate-dataset-registry';

process.stdout.write(datasetsArgument(validateDatasetRegistry(DATASET_REGISTRY)));
