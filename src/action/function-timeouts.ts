import { ResourceNotFound } from '../aws/failures.js';
import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { FunctionTimeouts } from '../checks/analysis/analysis-check.js';
import type { TargetSettings } from '../config/settings.js';

/** A function's time limits as the analysis reads them: the alias's version, and what the new version will have. */
export function functionTimeouts(
  lambda: LambdaGateway,
  target: Pick<TargetSettings, 'functionName' | 'alias'>,
  configured?: number
): FunctionTimeouts {
  return {
    aliasTimeoutSeconds: async (signal) => {
      try {
        return await lambda.getTimeoutSeconds(`${target.functionName}:${target.alias}`, signal);
      } catch (error: unknown) {
        if (error instanceof ResourceNotFound) return undefined;
        throw error;
      }
    },
    newTimeoutSeconds: async (signal) => configured ?? (await lambda.getTimeoutSeconds(target.functionName, signal))
  };
}
