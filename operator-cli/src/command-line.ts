import { connect, type Clients } from './clients';
import { UsageError } from './errors';
import type { CliIo } from './io';
import { resolveStage, type Stage } from './stage';

/** Options every command takes. */
export const COMMON_OPTIONS = {
  stage: { type: 'string' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  'role-arn': { type: 'string' },
  'assume-role': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_USAGE = `Options of every command:
  --stage NAME          the stage (or GLUE_PLATFORM_STAGE); names, account and region come from the config
  --config PATH         the platform config (or PLATFORM_CONFIG; default: the repository's platform.config.json)
  --assume-role         act through the stage's operator role (<project>-<stage>-operator)
  --role-arn ARN        act through this role instead
  --endpoint-url URL    send every call to this endpoint (or AWS_ENDPOINT_URL), such as a local emulator
  --json                print JSON instead of a table
  -h, --help            this help`;

/** Runs a strict `parseArgs`: an unknown option or a missing value is a usage error showing the command's usage. */
export function parseOrExplain<R>(usage: string, parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
}

export interface CommonValues {
  readonly stage?: string;
  readonly config?: string;
  readonly 'endpoint-url'?: string;
  readonly 'role-arn'?: string;
  readonly 'assume-role'?: boolean;
}

/** The stage's names from the config, then clients for it; usage problems surface before any AWS call. */
export function stageOf(values: CommonValues, io: CliIo): Stage {
  if (values['role-arn'] && values['assume-role']) {
    throw new UsageError('Pass either --role-arn ARN or --assume-role, not both');
  }
  return resolveStage(values.stage, values.config, io.env);
}

export function clientsFor(stage: Stage, values: CommonValues, io: CliIo): Promise<Clients> {
  const roleArn = values['role-arn'] ?? (values['assume-role'] ? stage.operatorRoleArn : undefined);
  return connect(stage, { endpointUrl: values['endpoint-url'] ?? io.env.AWS_ENDPOINT_URL, roleArn });
}
