import type { EngineResult, SummaryText } from '../../rollout/result.js';

/** The CodeDeploy side of a result: the deployment the rollout was handed to. */
export interface CodeDeployResult extends EngineResult {
  readonly kind: 'codedeploy';
  readonly application: string;
  readonly deploymentGroup: string;
  /** CodeDeploy's id; undefined when no deployment was created. */
  readonly deploymentId?: string;
  readonly deploymentConfig?: string;
  /** CodeDeploy's own status when the step ended (Succeeded, Failed, Stopped, InProgress, …). */
  readonly status?: string;
  /** The deployment's page in the AWS console. */
  readonly consoleUrl?: string;
}

/** What a result says of a CodeDeploy deployment. */
export interface CodeDeployFacts {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly deploymentId?: string;
  readonly deploymentConfig?: string;
  readonly status?: string;
  /** The region CodeDeploy was called in, for the console link. */
  readonly region?: string;
  /** What the deployment moves, for the closing line of a step that hands it over and ends: the alias and the version. */
  readonly moves?: { readonly alias: string; readonly version?: string };
}

/** Where a person watches a CodeDeploy deployment: its page in the AWS console. */
export function codeDeployConsoleUrl(region: string, deploymentId: string): string {
  const r = encodeURIComponent(region);
  return `https://${r}.console.aws.amazon.com/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${r}`;
}

/**
 * The result's CodeDeploy part, with what the outputs and the summary show of it: CodeDeploy's id
 * as the deployment-id output (a later step watches it with codedeploy-deployment-id), a row with
 * a link to the deployment in the console, and, for a step that hands over and ends, where to follow it.
 */
export function codeDeployResult(facts: CodeDeployFacts): CodeDeployResult {
  const { deploymentId: id, region } = facts;
  const consoleUrl = region && id ? codeDeployConsoleUrl(region, id) : undefined;
  const where: SummaryText[] = [
    { text: ' in ' },
    { text: `${facts.application}/${facts.deploymentGroup}` },
    ...(facts.deploymentConfig ? [{ text: ', ' }, { text: facts.deploymentConfig }] : [])
  ];
  const row: SummaryText[] = id
    ? [
        { text: 'deployment ' },
        { text: id, ...(consoleUrl ? { link: consoleUrl } : {}) },
        ...(facts.status ? [{ text: ' (CodeDeploy: ' }, { text: facts.status }, { text: ')' }] : []),
        ...where
      ]
    : [{ text: 'no deployment id known' }, ...where];
  const what = facts.moves ? `alias ${facts.moves.alias} to version ${facts.moves.version ?? '?'}` : 'the alias';
  return {
    kind: 'codedeploy',
    application: facts.application,
    deploymentGroup: facts.deploymentGroup,
    ...(facts.deploymentConfig ? { deploymentConfig: facts.deploymentConfig } : {}),
    ...(id ? { deploymentId: id, trackingId: id } : {}),
    ...(facts.status ? { status: facts.status } : {}),
    ...(consoleUrl ? { consoleUrl } : {}),
    facts: [{ label: 'CodeDeploy', parts: row }],
    carriedOn: {
      by: 'AWS CodeDeploy',
      closingLine:
        `in-progress: CodeDeploy deployment ${id ?? '?'} moves ${what}${consoleUrl ? `; watch it at ${consoleUrl}` : ''}, ` +
        `or in a later step with codedeploy-deployment-id: ${id ?? '?'}`
    }
  };
}
