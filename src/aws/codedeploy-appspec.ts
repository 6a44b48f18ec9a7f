import { createHash } from 'node:crypto';
import type { LambdaAppSpec } from './codedeploy-gateway.js';

/**
 * The AppSpec of a Lambda deployment, as JSON (CodeDeploy takes JSON or YAML):
 *
 *   {"version":0.0,"Resources":[{"orders":{"Type":"AWS::Lambda::Function","Properties":{"Name":"orders",
 *    "Alias":"live","CurrentVersion":"1","TargetVersion":"2"}}}],"Hooks":[{"BeforeAllowTraffic":"CodeDeployHook_pre"}]}
 *
 * `version` is written `0.0` (JSON.stringify would write `0`), as AWS documents it.
 */
export function appSpecContent(spec: LambdaAppSpec): string {
  const hooks = [
    ...spec.beforeAllowTraffic.map((hook) => ({ BeforeAllowTraffic: hook })),
    ...spec.afterAllowTraffic.map((hook) => ({ AfterAllowTraffic: hook }))
  ];
  const body = {
    Resources: [
      {
        [logicalName(spec.functionName)]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: spec.functionName,
            Alias: spec.alias,
            CurrentVersion: spec.currentVersion,
            TargetVersion: spec.targetVersion
          }
        }
      }
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {})
  };
  return `{"version":0.0,${JSON.stringify(body).slice(1)}`;
}

/** The hex SHA-256 of AppSpec content (`appSpecContent.sha256`: CodeDeploy checks it against the content). */
export function appSpecSha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** A resource's logical name: the function's name, letters and digits only. */
function logicalName(functionName: string): string {
  const name = functionName.replace(/[^A-Za-z0-9]/g, '');
  return name === '' ? 'LambdaFunction' : name;
}
