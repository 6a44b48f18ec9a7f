/**
 * The facts of the current workflow run that a GitHub deployment needs, read from the runner's
 * default environment variables. Read from the environment given, at call time: @actions/github's
 * `context` is fixed when the module is first imported, which a test (or a post step) cannot change.
 */
export interface RunContext {
  readonly owner: string;
  readonly repo: string;
  /** The commit the run is for (`GITHUB_SHA`); the deployment's `ref`. */
  readonly sha: string;
  /** `GITHUB_REF`, e.g. `refs/heads/main`; undefined when the event has none. */
  readonly ref?: string;
  /** The workflow run's page, the statuses' `log_url`. */
  readonly runUrl: string;
  /** Who triggered the run (`GITHUB_ACTOR`); undefined when not set. */
  readonly actor?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const REQUIRED = ['GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_RUN_ID'] as const;

/** Thrown by readRunContext when the run's variables are missing (not running in GitHub Actions). */
export class RunContextError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (not running in GitHub Actions?)`);
    this.name = 'RunContextError';
  }
}

/**
 * The run's context from `env` (pure: no I/O, nothing cached). Throws a RunContextError naming
 * every missing or malformed variable. `GITHUB_SERVER_URL` defaults to https://github.com.
 */
export function readRunContext(env: Env): RunContext {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const missing: string[] = REQUIRED.filter((name) => value(name) === undefined);
  const repository = value('GITHUB_REPOSITORY');
  const slash = repository?.indexOf('/') ?? -1;
  if (repository !== undefined && (slash <= 0 || slash === repository.length - 1 || repository.indexOf('/', slash + 1) !== -1)) {
    missing.push(`GITHUB_REPOSITORY (not owner/repo: ${JSON.stringify(repository)})`);
  }
  if (missing.length > 0 || repository === undefined) throw new RunContextError(missing);
  const server = (value('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
  return {
    owner: repository.slice(0, slash),
    repo: repository.slice(slash + 1),
    sha: value('GITHUB_SHA') as string,
    ref: value('GITHUB_REF'),
    runUrl: `${server}/${repository}/actions/runs/${value('GITHUB_RUN_ID') as string}`,
    actor: value('GITHUB_ACTOR')
  };
}
