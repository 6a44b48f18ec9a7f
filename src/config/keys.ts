/**
 * Every input, output and saved-state key of the action, declared once. Nothing else in the code
 * spells these names as raw strings; action.yml and docs/inputs.md are checked against this module.
 */
export const Inputs = {
  FunctionName: 'function-name',
  Functions: 'functions',
  Alias: 'alias',
  Strategy: 'strategy',
  Alarms: 'alarms',
  PreTrafficHook: 'pre-traffic-hook',
  PostTrafficHook: 'post-traffic-hook',
  AlarmPollInterval: 'alarm-poll-interval',
  AllowAlarmAtStart: 'allow-alarm-at-start',
  VersionDescription: 'version-description',
  CodeSha256: 'code-sha256',
  MaxRetries: 'max-retries',
  DryRun: 'dry-run',
  OnSplitAlias: 'on-split-alias',
  PreTrafficCommand: 'pre-traffic-command',
  PostTrafficCommand: 'post-traffic-command',
  CommandTimeout: 'command-timeout',
  DeploymentEnvironment: 'deployment-environment',
  GithubToken: 'github-token',
  AllowNewAlias: 'allow-new-alias',
  AwsConnectTimeout: 'aws-connect-timeout',
  AwsRequestTimeout: 'aws-request-timeout',
  MaxBakeExtension: 'max-bake-extension',
  FinalBake: 'final-bake',
  MaxErrorRate: 'max-error-rate',
  MaxErrorRateIncrease: 'max-error-rate-increase',
  MaxP99Duration: 'max-p99-duration',
  MaxP99DurationIncrease: 'max-p99-duration-increase',
  MinInvocations: 'min-invocations',
  FailedChecksLimit: 'failed-checks-limit',
  // Probes: the action's own invocations, before traffic (the new version) and during the rollout (the alias).
  ProbePayload: 'probe-payload',
  ProbeExpect: 'probe-expect',
  ProbeMaxDuration: 'probe-max-duration',
  ProbeRate: 'probe-rate',
  // Where the new code comes from (at most one source), and the configuration of the new version.
  ZipFile: 'zip-file',
  CodeDir: 'code-dir',
  AllowExternalSymlinks: 'allow-external-symlinks',
  S3Bucket: 's3-bucket',
  S3Key: 's3-key',
  S3ObjectVersion: 's3-object-version',
  ImageUri: 'image-uri',
  Handler: 'handler',
  Runtime: 'runtime',
  MemorySize: 'memory-size',
  Timeout: 'timeout',
  EnvVars: 'env-vars',
  Layers: 'layers',
  Architectures: 'architectures',
  Description: 'description',
  Engine: 'engine',
  CodeDeployApplication: 'codedeploy-application',
  CodeDeployDeploymentGroup: 'codedeploy-deployment-group',
  CodeDeployServiceRole: 'codedeploy-service-role',
  Wait: 'wait',
  CodeDeployDeploymentId: 'codedeploy-deployment-id',
  CodeDeployPollInterval: 'codedeploy-poll-interval',
  // Aliases with provisioned concurrency: how long to wait for Lambda's allocation, and the headroom raised for the rollout.
  ProvisionedConcurrencyTimeout: 'provisioned-concurrency-timeout',
  ProvisionedConcurrencyHeadroom: 'provisioned-concurrency-headroom',
  // What invokes the function (the trigger audit), an existing version instead of a new one, pruning.
  OnUnroutedTriggers: 'on-unrouted-triggers',
  Version: 'version',
  FromAlias: 'from-alias',
  RollbackTo: 'rollback-to',
  KeepVersions: 'keep-versions',
  KeepDays: 'keep-days',
  Prune: 'prune',
  // A rollout held for approval, and the operations that continue, end or watch it (src/config/operation.ts).
  Operation: 'operation',
  HoldMaxAge: 'hold-max-age',
  Expedite: 'expedite',
  DeploymentId: 'deployment-id',
  Reason: 'reason',
  DeployWindow: 'deploy-window',
  DeployWindowOverride: 'deploy-window-override'
} as const;

/**
 * Inputs that were renamed before the first release. action.yml no longer declares them; the action
 * reads them only to refuse them, saying what to write instead (src/config/deployment-environment.ts).
 */
export const RetiredInputs = {
  Environment: 'environment'
} as const;

export const Outputs = {
  Status: 'status',
  Version: 'version',
  PreviousVersion: 'previous-version',
  AliasArn: 'alias-arn',
  DeploymentId: 'deployment-id',
  Plan: 'plan',
  DurationSeconds: 'duration-seconds',
  FailureReason: 'failure-reason',
  CodeSha256: 'code-sha256',
  Versions: 'versions',
  PreviousVersions: 'previous-versions',
  HeldWeight: 'held-weight'
} as const;

/** Saved with core.saveState by main at every phase change; read by the post step. */
export const State = {
  /** The deployment's snapshot (JSON of DeploymentSnapshot). */
  Snapshot: 'deployment',
  /** The GitHub deployment created for this run, if any (its numeric id). */
  GithubDeploymentId: 'github-deployment-id'
} as const;

export type InputName = (typeof Inputs)[keyof typeof Inputs];
export type RetiredInputName = (typeof RetiredInputs)[keyof typeof RetiredInputs];
export type OutputName = (typeof Outputs)[keyof typeof Outputs];
