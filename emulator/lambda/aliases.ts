import { lambdaErrors } from '../shared/errors.js';
import { newRevisionId, type AliasRecord, type FunctionRecord } from './records.js';
import type { LambdaModel } from './model.js';
import type { ProvisionedConcurrency } from './provisioned.js';

/** RoutingConfig as the SDK serialises it (`{}` and `{AdditionalVersionWeights: {}}` both mean "no routing"). */
export interface RoutingConfigInput {
  AdditionalVersionWeights?: Record<string, unknown>;
}

/** CreateAlias body. */
export interface CreateAliasInput {
  Name?: string;
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: RoutingConfigInput;
}

/** UpdateAlias body: omitted fields keep their current value. */
export interface UpdateAliasInput {
  FunctionVersion?: string;
  Description?: string;
  RoutingConfig?: RoutingConfigInput;
  RevisionId?: string;
}

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;
const LATEST_IN_ROUTING = '$LATEST is not supported for an alias pointing to more than 1 version';

/** Alias operations with Lambda's validation rules for weighted routing. */
export class AliasService {
  constructor(
    private readonly model: LambdaModel,
    /** Provisioned concurrency: a routing change of an alias that has some starts an allocation. */
    private readonly provisioned: ProvisionedConcurrency,
    /** Runs before any alias changes: the traffic model routes the calls due so far by the weights they met. */
    private readonly beforeChange: () => void = () => undefined
  ) {}

  get(fn: FunctionRecord, name: string): AliasRecord {
    const alias = fn.aliases.get(name);
    if (!alias) throw lambdaErrors.notFound(`Alias not found: ${fn.arns.function(fn.name, name)}`);
    return alias;
  }

  list(fn: FunctionRecord, functionVersion?: string): AliasRecord[] {
    const all = [...fn.aliases.values()].sort((a, b) => a.name.localeCompare(b.name));
    return functionVersion === undefined ? all : all.filter((a) => a.functionVersion === functionVersion);
  }

  create(fn: FunctionRecord, input: CreateAliasInput): AliasRecord {
    this.beforeChange();
    const name = requireString(input.Name, 'name');
    if (!ALIAS_NAME.test(name))
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`
      );
    const functionVersion = requireString(input.FunctionVersion, 'functionVersion');
    if (fn.aliases.has(name)) {
      throw lambdaErrors.conflict(`Alias already exists: ${fn.arns.function(fn.name, name)}`);
    }
    const weights = this.validateRouting(fn, functionVersion, parseWeights(input.RoutingConfig));
    assertDescription(input.Description);
    const alias: AliasRecord = {
      name,
      functionVersion,
      description: input.Description ?? '',
      weights,
      revisionId: newRevisionId()
    };
    fn.aliases.set(name, alias);
    return alias;
  }

  update(fn: FunctionRecord, name: string, input: UpdateAliasInput): AliasRecord {
    this.beforeChange();
    const alias = this.get(fn, name);
    this.model.assertRevision(alias.revisionId, input.RevisionId);
    this.provisioned.settle(fn);
    const functionVersion = input.FunctionVersion ?? alias.functionVersion;
    const temporary = this.provisioned.temporaryWeightsOf(fn, name);
    // Lambda's own weights are not the alias's routing: an update that names none leaves none.
    const requested = input.RoutingConfig === undefined ? (temporary ? {} : alias.weights) : parseWeights(input.RoutingConfig);
    this.provisioned.assertUpdatable(fn, name, Object.keys(requested).length === 0);
    const weights = this.provisioned.route(fn, alias, functionVersion, this.validateRouting(fn, functionVersion, requested));
    assertDescription(input.Description);
    alias.functionVersion = functionVersion;
    alias.weights = weights;
    if (input.Description !== undefined) alias.description = input.Description;
    alias.revisionId = newRevisionId();
    return alias;
  }

  delete(fn: FunctionRecord, name: string): void {
    this.beforeChange();
    this.get(fn, name);
    fn.aliases.delete(name);
    fn.provisioned.delete(name);
  }

  /** AliasConfiguration as returned by the API. */
  toApi(fn: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
    const hasRouting = Object.keys(alias.weights).length > 0;
    return {
      AliasArn: fn.arns.function(fn.name, alias.name),
      Name: alias.name,
      FunctionVersion: alias.functionVersion,
      Description: alias.description,
      ...(hasRouting ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } } : {}),
      RevisionId: alias.revisionId
    };
  }

  /** Applies every routing rule; returns the weights to store. */
  private validateRouting(fn: FunctionRecord, functionVersion: string, weights: Record<string, number>): Record<string, number> {
    this.assertVersionExists(fn, functionVersion);
    const entries = Object.entries(weights);
    if (entries.length === 0) return {};
    if (entries.length > 1) {
      throw lambdaErrors.invalidParameter('Number of items in AdditionalVersionWeights must not exceed 1');
    }
    const [extra, weight] = entries[0]!;
    if (functionVersion === '$LATEST' || extra === '$LATEST') throw lambdaErrors.invalidParameter(LATEST_IN_ROUTING);
    if (!/^[0-9]+$/.test(extra)) {
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${extra}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]`
      );
    }
    if (!(weight > 0 && weight < 1)) {
      throw lambdaErrors.invalidParameter(
        `Invalid weight ${weight} for version ${extra}: an additional version weight must be greater than 0.0 and less than 1.0`
      );
    }
    if (extra === functionVersion) {
      throw lambdaErrors.invalidParameter(
        `Additional version ${extra} must be different from the alias FunctionVersion ${functionVersion}`
      );
    }
    this.assertVersionExists(fn, extra);
    return { [extra]: weight };
  }

  private assertVersionExists(fn: FunctionRecord, version: string): void {
    if (version === '$LATEST') return;
    if (!/^[0-9]+$/.test(version)) {
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${version}' at 'functionVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)`
      );
    }
    this.model.version(fn, version);
  }
}

/** Lambda keeps at most 256 characters of an alias's description. */
const MAX_DESCRIPTION_CHARS = 256;

function assertDescription(description: string | undefined): void {
  if (description === undefined || description.length <= MAX_DESCRIPTION_CHARS) return;
  throw lambdaErrors.invalidParameter(
    `1 validation error detected: Value '${description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DESCRIPTION_CHARS}`
  );
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw lambdaErrors.invalidParameter(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`
    );
  }
  return value;
}

function parseWeights(routing: RoutingConfigInput | undefined): Record<string, number> {
  const raw = routing?.AdditionalVersionWeights ?? {};
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw lambdaErrors.invalidParameter(`Invalid weight for version ${key}: must be a number`);
    }
    out[key] = value;
  }
  return out;
}
