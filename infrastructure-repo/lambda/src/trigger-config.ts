/** What the trigger needs from its environment; read once at cold start. */
export interface TriggerConfig {
  /** Assets bucket: manifests and run pointers go under `manifests/`. */
  readonly assetsBucketName: string;
  /** The Glue job started once per manifest. */
  readonly glueJobName: string;
  /** Cap on objects per manifest; a dataset with more objects in one batch is split over several runs. */
  readonly maxObjectsPerManifest: number;
}

export const DEFAULT_MAX_OBJECTS_PER_MANIFEST = 1000;

const required = (env: NodeJS.ProcessEnv, name: string, what: string): string => {
  const value = env[name]?.trim();
  if (!value) {
    throw new Error(
      `Trigger configuration: environment variable ${name} is missing or empty; expected ${what}.`,
    );
  }
  return value;
};

/** Throws one error naming the variable that is missing or malformed and what it should hold. */
export const readTriggerConfig = (env: NodeJS.ProcessEnv): TriggerConfig => {
  const assetsBucketName = required(env, 'ASSETS_BUCKET_NAME', 'the name of the stage assets bucket');
  const glueJobName = required(env, 'GLUE_JOB_NAME', 'the name of the Glue job to start');
  // Without these Powertools would log as "service_undefined" and put metrics where no alarm looks.
  required(env, 'POWERTOOLS_SERVICE_NAME', 'the service name on every log line and metric');
  required(env, 'POWERTOOLS_METRICS_NAMESPACE', 'the CloudWatch namespace of the trigger metrics');
  const rawCap = env.MAX_OBJECTS_PER_MANIFEST?.trim();
  const maxObjectsPerManifest = rawCap ? Number(rawCap) : DEFAULT_MAX_OBJECTS_PER_MANIFEST;
  if (!Number.isInteger(maxObjectsPerManifest) || maxObjectsPerManifest < 1) {
    throw new Error(
      `Trigger configuration: MAX_OBJECTS_PER_MANIFEST is "${rawCap}"; expected a whole number of at least 1 ` +
        `(or leave it unset for ${DEFAULT_MAX_OBJECTS_PER_MANIFEST}).`,
    );
  }
  return { assetsBucketName, glueJobName, maxObjectsPerManifest };
};
