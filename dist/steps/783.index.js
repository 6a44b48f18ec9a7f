export const id = 783;
export const ids = [783];
export const modules = {

/***/ 8783:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SdkCodeDeployGateway: () => (/* binding */ SdkCodeDeployGateway),
  weightPercent: () => (/* binding */ weightPercent)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-codedeploy/dist-cjs/index.js
var dist_cjs = __webpack_require__(7507);
// EXTERNAL MODULE: ./src/core/deadline.ts
var deadline = __webpack_require__(6343);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(4296);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/aws/codedeploy-appspec.ts

/**
 * The AppSpec of a Lambda deployment, as JSON (CodeDeploy takes JSON or YAML):
 *
 *   {"version":0.0,"Resources":[{"orders":{"Type":"AWS::Lambda::Function","Properties":{"Name":"orders",
 *    "Alias":"live","CurrentVersion":"1","TargetVersion":"2"}}}],"Hooks":[{"BeforeAllowTraffic":"CodeDeployHook_pre"}]}
 *
 * `version` is written `0.0` (JSON.stringify would write `0`), as AWS documents it.
 */
function appSpecContent(spec) {
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
function appSpecSha256(content) {
    return (0,external_node_crypto_.createHash)('sha256').update(content, 'utf8').digest('hex');
}
/** A resource's logical name: the function's name, letters and digits only. */
function logicalName(functionName) {
    const name = functionName.replace(/[^A-Za-z0-9]/g, '');
    return name === '' ? 'LambdaFunction' : name;
}

// EXTERNAL MODULE: ./src/aws/failures.ts
var failures = __webpack_require__(678);
// EXTERNAL MODULE: ./src/aws/translate.ts
var translate = __webpack_require__(5979);
;// CONCATENATED MODULE: ./src/aws/sdk-codedeploy-gateway.ts






/** The statuses of a deployment that has not ended. */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];
/** BatchGetDeployments takes at most 25 ids. */
const BATCH_SIZE = 25;
/**
 * CodeDeployGateway over the AWS SDK v3 client, in the deployment's region (the function's, when
 * `function-name` is a full ARN). Retries and time limits come from the clients; every call is cut
 * short by its signal; every error leaves as a domain failure (see translate.ts). The SDK error
 * names that mean "absent" or "already done" are read here, and nowhere above.
 */
class SdkCodeDeployGateway {
    clients;
    /** The Lambda target of each deployment watched (one per Lambda deployment; asked for once). */
    targetIds = new Map();
    constructor(clients) {
        this.clients = clients;
    }
    get region() {
        return this.clients.regionFor(undefined);
    }
    async getApplication(name, signal) {
        const answer = await this.callOrAbsent(['ApplicationDoesNotExistException'], 'GetApplication', signal, (client, o) => client.send(new dist_cjs/* GetApplicationCommand */.eOh({ applicationName: name }), o));
        if (!answer?.application)
            return undefined;
        return { name: answer.application.applicationName ?? name, computePlatform: answer.application.computePlatform ?? 'Server' };
    }
    async createApplication(name, signal) {
        await this.callOrAbsent(['ApplicationAlreadyExistsException'], 'CreateApplication', signal, (client, o) => client.send(new dist_cjs/* CreateApplicationCommand */.ObD({ applicationName: name, computePlatform: 'Lambda' }), o));
    }
    async getDeploymentGroup(application, name, signal) {
        const answer = await this.callOrAbsent(['DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException'], 'GetDeploymentGroup', signal, (client, o) => client.send(new dist_cjs/* GetDeploymentGroupCommand */.WOp({ applicationName: application, deploymentGroupName: name }), o));
        const info = answer?.deploymentGroupInfo;
        if (!info)
            return undefined;
        const alarms = info.alarmConfiguration?.enabled
            ? (info.alarmConfiguration.alarms ?? []).flatMap((a) => (a.name ? [a.name] : []))
            : [];
        const rollback = info.autoRollbackConfiguration?.enabled
            ? (info.autoRollbackConfiguration.events ?? [])
            : [];
        const last = info.lastAttemptedDeployment;
        return {
            name: info.deploymentGroupName ?? name,
            ...(info.computePlatform ? { computePlatform: info.computePlatform } : {}),
            ...(info.serviceRoleArn ? { serviceRoleArn: info.serviceRoleArn } : {}),
            alarms,
            autoRollbackEvents: rollback,
            ...(last?.deploymentId && last.status ? { lastAttempted: { deploymentId: last.deploymentId, status: last.status } } : {})
        };
    }
    async createDeploymentGroup(application, name, options, signal) {
        await this.callOrAbsent(['DeploymentGroupAlreadyExistsException'], 'CreateDeploymentGroup', signal, (client, o) => client.send(new dist_cjs/* CreateDeploymentGroupCommand */.YqN({
            applicationName: application,
            deploymentGroupName: name,
            serviceRoleArn: options.serviceRoleArn,
            deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
            ...alarmMembers(options.alarms)
        }), o), 
        // Passing the service role needs iam:PassRole as well; AWS names it when it is missing.
        'codedeploy:CreateDeploymentGroup');
    }
    async getDeploymentConfig(name, signal) {
        const answer = await this.callOrAbsent(['DeploymentConfigDoesNotExistException'], 'GetDeploymentConfig', signal, (client, o) => client.send(new dist_cjs/* GetDeploymentConfigCommand */.z2K({ deploymentConfigName: name }), o));
        const info = answer?.deploymentConfigInfo;
        if (!info)
            return undefined;
        return routingOf(info.trafficRoutingConfig);
    }
    async createDeploymentConfig(name, routing, signal) {
        const created = await this.callOrAbsent(['DeploymentConfigAlreadyExistsException'], 'CreateDeploymentConfig', signal, (client, o) => client.send(new dist_cjs/* CreateDeploymentConfigCommand */.JKx({
            deploymentConfigName: name,
            computePlatform: 'Lambda',
            trafficRoutingConfig: trafficRoutingConfig(routing)
        }), o));
        return created !== undefined;
    }
    async createDeployment(deployment, signal) {
        const content = appSpecContent(deployment.appSpec);
        const answer = await this.call('CreateDeployment', signal, (client, o) => client.send(new dist_cjs/* CreateDeploymentCommand */.ttP({
            applicationName: deployment.application,
            deploymentGroupName: deployment.deploymentGroup,
            deploymentConfigName: deployment.deploymentConfig,
            description: deployment.description,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: appSpecSha256(content) } },
            autoRollbackConfiguration: {
                enabled: deployment.autoRollbackEvents.length > 0,
                events: [...deployment.autoRollbackEvents]
            },
            ...(deployment.alarms
                ? {
                    overrideAlarmConfiguration: {
                        enabled: true,
                        ignorePollAlarmFailure: false,
                        alarms: deployment.alarms.alarms.map((alarm) => ({ name: alarm }))
                    }
                }
                : {})
        }), o));
        if (!answer.deploymentId)
            throw new failures/* NoAnswer */.W_('CreateDeployment answered without a deployment id', 'CreateDeployment');
        return answer.deploymentId;
    }
    async getDeployment(deploymentId, signal) {
        const answer = await this.callOrAbsent(['DeploymentDoesNotExistException'], 'GetDeployment', signal, (client, o) => client.send(new dist_cjs/* GetDeploymentCommand */.Tvn({ deploymentId }), o));
        if (!answer) {
            throw new failures/* ResourceNotFound */.MI(`CodeDeploy deployment ${deploymentId} does not exist in ${this.region ?? 'the default region'}`, 'GetDeployment');
        }
        if (!answer.deploymentInfo)
            throw new failures/* NoAnswer */.W_(`GetDeployment answered without the deployment ${deploymentId}`, 'GetDeployment');
        return deploymentView(answer.deploymentInfo, deploymentId);
    }
    async getLambdaTarget(deploymentId, signal) {
        let targetId = this.targetIds.get(deploymentId);
        if (!targetId) {
            const listed = await this.call('ListDeploymentTargets', signal, (client, o) => client.send(new dist_cjs/* ListDeploymentTargetsCommand */.$9V({ deploymentId }), o));
            targetId = listed.targetIds?.[0];
            if (!targetId)
                return undefined;
            this.targetIds.set(deploymentId, targetId);
        }
        const answer = await this.callOrAbsent(['DeploymentTargetDoesNotExistException'], 'GetDeploymentTarget', signal, (client, o) => client.send(new dist_cjs/* GetDeploymentTargetCommand */.Oxg({ deploymentId, targetId }), o));
        const target = answer?.deploymentTarget?.lambdaTarget;
        return target ? lambdaTargetView(target) : undefined;
    }
    async listActiveDeployments(application, group, limit, signal) {
        const listed = await this.callOrAbsent(['DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException'], 'ListDeployments', signal, (client, o) => client.send(new dist_cjs/* ListDeploymentsCommand */.sr8({
            applicationName: application,
            deploymentGroupName: group,
            includeOnlyStatuses: [...ACTIVE_STATUSES]
        }), o));
        const ids = (listed?.deployments ?? []).slice(0, Math.min(limit, BATCH_SIZE));
        if (ids.length === 0)
            return [];
        const answer = await this.call('BatchGetDeployments', signal, (client, o) => client.send(new dist_cjs/* BatchGetDeploymentsCommand */.ARk({ deploymentIds: ids }), o));
        return (answer.deploymentsInfo ?? []).map((info) => deploymentView(info, info.deploymentId ?? ''));
    }
    async stopDeployment(deploymentId, autoRollback, signal) {
        const answer = await this.callOrAbsent(['DeploymentAlreadyCompletedException'], 'StopDeployment', signal, (client, o) => client.send(new dist_cjs/* StopDeploymentCommand */.NzN({ deploymentId, autoRollbackEnabled: autoRollback }), o));
        if (!answer)
            return { kind: 'already-ended' };
        return {
            kind: 'stopping',
            status: answer.status ?? 'Pending',
            ...(answer.statusMessage ? { message: answer.statusMessage } : {})
        };
    }
    /** One call in the deployment's region; any failure leaves as a domain failure (see translate.ts). */
    async call(operation, signal, send, action = `codedeploy:${operation}`) {
        try {
            const sent = send(this.client(), { abortSignal: signal });
            // The signal ends the wait even where the SDK would not notice it (between retries, say).
            return await (signal ? (0,deadline/* raceSignal */.WU)(sent, signal) : sent);
        }
        catch (error) {
            throw (0,translate/* translateSdkError */.J)(error, { operation, action, endpoint: this.clients.endpoint('codedeploy'), signal });
        }
    }
    /** The same, but undefined when CodeDeploy answers one of the errors named in `absent` ("does not exist", "already done"). */
    async callOrAbsent(absent, operation, signal, send, action = `codedeploy:${operation}`) {
        try {
            const sent = send(this.client(), { abortSignal: signal });
            return await (signal ? (0,deadline/* raceSignal */.WU)(sent, signal) : sent);
        }
        catch (error) {
            if (!signal?.aborted && absent.includes((0,errors/* errorName */.Is)(error)))
                return undefined;
            throw (0,translate/* translateSdkError */.J)(error, { operation, action, endpoint: this.clients.endpoint('codedeploy'), signal });
        }
    }
    client() {
        return this.clients.client('codedeploy', undefined, (config) => new dist_cjs/* CodeDeployClient */.cHd(config));
    }
}
function alarmMembers(settings) {
    return {
        alarmConfiguration: {
            enabled: settings.alarms.length > 0,
            ignorePollAlarmFailure: false,
            alarms: settings.alarms.map((name) => ({ name }))
        },
        autoRollbackConfiguration: { enabled: settings.autoRollbackEvents.length > 0, events: [...settings.autoRollbackEvents] }
    };
}
function trafficRoutingConfig(routing) {
    switch (routing.type) {
        case 'AllAtOnce':
            return { type: 'AllAtOnce' };
        case 'TimeBasedCanary':
            return {
                type: 'TimeBasedCanary',
                timeBasedCanary: { canaryPercentage: routing.percentage, canaryInterval: routing.intervalMinutes }
            };
        case 'TimeBasedLinear':
            return {
                type: 'TimeBasedLinear',
                timeBasedLinear: { linearPercentage: routing.percentage, linearInterval: routing.intervalMinutes }
            };
    }
}
function routingOf(config) {
    if (config?.type === 'TimeBasedCanary' && config.timeBasedCanary) {
        return {
            type: 'TimeBasedCanary',
            percentage: config.timeBasedCanary.canaryPercentage ?? 0,
            intervalMinutes: config.timeBasedCanary.canaryInterval ?? 0
        };
    }
    if (config?.type === 'TimeBasedLinear' && config.timeBasedLinear) {
        return {
            type: 'TimeBasedLinear',
            percentage: config.timeBasedLinear.linearPercentage ?? 0,
            intervalMinutes: config.timeBasedLinear.linearInterval ?? 0
        };
    }
    return { type: 'AllAtOnce' };
}
function deploymentView(info, deploymentId) {
    const error = info.errorInformation;
    const rollback = info.rollbackInfo;
    return {
        deploymentId: info.deploymentId ?? deploymentId,
        status: info.status ?? 'Created',
        application: info.applicationName ?? '',
        deploymentGroup: info.deploymentGroupName ?? '',
        deploymentConfig: info.deploymentConfigName ?? '',
        ...(info.description ? { description: info.description } : {}),
        ...(info.creator ? { creator: info.creator } : {}),
        ...(error && (error.code || error.message) ? { error: { code: error.code ?? 'UNKNOWN', message: error.message ?? '' } } : {}),
        ...(rollback
            ? {
                rollback: {
                    ...(rollback.rollbackDeploymentId ? { rollbackDeploymentId: rollback.rollbackDeploymentId } : {}),
                    ...(rollback.rollbackTriggeringDeploymentId
                        ? { rollbackTriggeringDeploymentId: rollback.rollbackTriggeringDeploymentId }
                        : {}),
                    ...(rollback.rollbackMessage ? { message: rollback.rollbackMessage } : {})
                }
            }
            : {}),
        ...(info.createTime ? { createdAtMs: info.createTime.getTime() } : {}),
        ...(info.completeTime ? { completedAtMs: info.completeTime.getTime() } : {})
    };
}
function lambdaTargetView(target) {
    const info = target.lambdaFunctionInfo;
    const events = (target.lifecycleEvents ?? []).map((event) => {
        const d = event.diagnostics;
        const diagnostics = d
            ? `${d.errorCode ?? 'error'}${d.scriptName ? ` (${d.scriptName})` : ''}${d.message ? `: ${d.message}` : ''}`
            : undefined;
        return {
            name: event.lifecycleEventName ?? 'unknown',
            status: event.status ?? 'Unknown',
            ...(diagnostics ? { diagnostics } : {})
        };
    });
    const allowTraffic = events.find((event) => event.name === 'AllowTraffic')?.status;
    const weight = weightPercent(info?.targetVersionWeight, allowTraffic);
    return {
        functionName: info?.functionName ?? '',
        alias: info?.functionAlias ?? '',
        currentVersion: info?.currentVersion ?? '',
        targetVersion: info?.targetVersion ?? '',
        ...(weight !== undefined ? { weightPercent: weight } : {}),
        ...(target.targetArn ? { targetArn: target.targetArn } : {}),
        lifecycleEvents: events
    };
}
/**
 * `targetVersionWeight` in percent. AWS documents it as "the percentage of production traffic";
 * whether 10 % comes as 10 or 0.1 is unconfirmed, so both are read: a value below 1 is a fraction.
 * 1 itself is 1 % while AllowTraffic is still shifting (a 1 % step), else all the traffic (the
 * shift is done: 100 % as a fraction).
 */
function weightPercent(raw, allowTrafficStatus) {
    if (raw === undefined || !Number.isFinite(raw) || raw < 0)
        return undefined;
    if (raw < 1)
        return roundWeight(raw * 100);
    if (raw === 1)
        return allowTrafficStatus === 'Succeeded' ? 100 : 1;
    return roundWeight(Math.min(raw, 100));
}
function roundWeight(value) {
    return Math.round(value * 100) / 100;
}


/***/ })

};
