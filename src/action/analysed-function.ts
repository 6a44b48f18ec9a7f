import { ResourceNotFound } from '../aws/failures.js';
import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { AnalysedFunction } from '../checks/analysis/analysis-check.js';
import type { TargetSettings } from '../config/settings.js';

/**
 * A function as the per-version analysis reads it: the version its alias serves and that version's
 * time limit, and the time limit the new version will have (the configured one, else $LATEST's).
 */
export function analysedFunction(
  lambda: LambdaGateway,
  target: Pick<TargetSettings, 'functionName' | 'alias'>,
  configuredTimeoutSeconds?: number
): AnalysedFunction {
  return {
    live: async (signal) => {
      const [alias, timeoutSeconds] = await Promise.all([
        lambda.getAlias(target.functionName, target.alias, signal),
        lambda.getTimeoutSeconds(`${target.functionName}:${target.alias}`, signal).catch((error: unknown) => {
          if (error instanceof ResourceNotFound) return undefined;
          throw error;
        })
      ]);
      return alias && timeoutSeconds !== undefined ? { version: alias.version, timeoutSeconds } : undefined;
    },
    newTimeoutSeconds: async (signal) => configuredTimeoutSeconds ?? (await lambda.getTimeoutSeconds(target.functionName, signal))
  };
}
