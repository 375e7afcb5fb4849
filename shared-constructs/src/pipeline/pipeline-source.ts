import { PlatformConfig } from '../config-schema';
import { PlatformApp } from '../naming';

/** The npm workspace (folder at the repository root) of each app. */
export const APP_WORKSPACES: Record<PlatformApp, string> = {
  infrastructure: 'infrastructure-repo',
  application: 'application-repo',
};

/** Files at the repository root that every app's build reads: a change to one may change any app. */
export const SHARED_ROOT_PATHS = [
  'package.json',
  'package-lock.json',
  'tsconfig*.json',
  'platform.config.json',
  'jest.config.js',
  'eslint.config.mjs',
];

/** Root files only one app's build reads: the Python environment and linter of the Glue jobs. */
export const APP_ROOT_PATHS: Record<PlatformApp, readonly string[]> = {
  infrastructure: [],
  application: ['requirements-dev.txt', 'ruff.toml'],
};

/** CodePipeline accepts at most this many file-path patterns per push filter. */
export const MAX_FILE_PATHS_PER_FILTER = 8;

/** Where an app's pipeline reads its source. */
export interface AppSource {
  readonly connectionArn: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly branch: string;
}

/** The app's own repository (and branch) when the config gives one, else the shared repository and branch. */
export function appSource(config: PlatformConfig, app: PlatformApp): AppSource {
  const own = config.source[app];
  return {
    connectionArn: config.source.connectionArn,
    repository: own?.repository ?? config.source.repository,
    branch: own?.branch ?? config.source.branch,
  };
}

/**
 * The file-path patterns whose change starts `app`'s pipeline: its own workspace, the shared library, the
 * scripts, the shared root files and its own; plus the config file the pipeline synthesizes with, when it is not the default.
 * Returned in groups that each fit in one push filter.
 */
export function triggerFilePathGroups(app: PlatformApp, configFile?: string): string[][] {
  const code = [`${APP_WORKSPACES[app]}/**`, 'shared-constructs/**', 'scripts/**', ...APP_ROOT_PATHS[app]];
  const root = [...SHARED_ROOT_PATHS];
  if (configFile && !root.includes(configFile)) code.push(configFile);
  return [code, root];
}
