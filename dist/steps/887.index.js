export const id = 887;
export const ids = [887];
export const modules = {

/***/ 6887:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createDeploymentTracker: () => (/* binding */ createDeploymentTracker)
/* harmony export */ });
/* unused harmony exports DEFAULT_TIMEOUT_MS, GitHubDeployments, noDeploymentTracker */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(157);
/* harmony import */ var _core_clock_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2257);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6343);
/* harmony import */ var _core_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4296);
/* harmony import */ var _core_run_context_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4448);
/* harmony import */ var _outcome_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(623);






const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_API_URL = 'https://api.github.com';
const MAX_DETAIL_CHARS = 400;
const PERMISSION_HINT = 'add `permissions: deployments: write` to the job (or the workflow) so that the token may create deployments';
/** Records the rollout as a GitHub deployment through the REST API. One attempt per call, no retries. */
class GitHubDeployments {
    options;
    octokit;
    timeoutMs;
    constructor(options) {
        this.options = options;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        // No `request` key here: @octokit/core merges constructor options shallowly, so one would drop
        // the proxy-aware fetch of @actions/github's defaults. The timeout goes on each call instead.
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(options.token, {
            baseUrl: (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
            userAgent: 'lambda-safe-deploy',
            log: {
                debug: () => undefined,
                info: () => undefined,
                warn: (message) => this.warn(`GitHub API: ${message}`),
                error: (message) => this.warn(`GitHub API: ${message}`)
            }
        });
    }
    async start(facts) {
        const { context, environment } = this.options;
        const description = (0,_outcome_js__WEBPACK_IMPORTED_MODULE_3__/* .capDescription */ .FD)(`Lambda ${facts.functionName}:${facts.alias} (${facts.strategy})`);
        let id;
        try {
            const response = await this.withTimeout((signal) => this.octokit.rest.repos.createDeployment({
                owner: context.owner,
                repo: context.repo,
                ref: context.sha,
                environment,
                description,
                auto_merge: false,
                required_contexts: [],
                transient_environment: false,
                payload: {
                    function: facts.functionName,
                    alias: facts.alias,
                    strategy: facts.strategy,
                    deploymentId: facts.deploymentId
                },
                request: { signal }
            }));
            const data = response.data;
            if (response.status !== 201 || !hasNumericId(data)) {
                // 202: GitHub merged the default branch into the ref instead of creating a deployment.
                const message = typeof data === 'object' && data !== null && 'message' in data ? String(data.message) : '';
                this.warn(`GitHub deployment to environment "${environment}" not recorded: GitHub answered HTTP ${response.status}` +
                    `${message ? ` (${capText(message, MAX_DETAIL_CHARS)})` : ''} without creating one. The AWS deployment goes on.`);
                return undefined;
            }
            id = data.id;
        }
        catch (error) {
            this.warn(`GitHub deployment to environment "${environment}" not recorded: ${this.explain(error)} The AWS deployment goes on.`);
            return undefined;
        }
        await this.setStatus(id, 'in_progress', description);
        return id;
    }
    async finish(deploymentId, outcome, description) {
        await this.setStatus(deploymentId, outcome, description);
    }
    async find(actionDeploymentId) {
        const { context, environment } = this.options;
        try {
            const response = await this.withTimeout((signal) => this.octokit.rest.repos.listDeployments({
                owner: context.owner,
                repo: context.repo,
                environment,
                per_page: FIND_PAGE_SIZE,
                request: { signal }
            }));
            const found = response.data.find((deployment) => payloadId(deployment) === actionDeploymentId);
            if (found !== undefined && hasNumericId(found))
                return found.id;
            this.warn(`GitHub deployment of ${actionDeploymentId} not found among the latest ${FIND_PAGE_SIZE} of environment "${environment}": ` +
                'its status is left as it is (the step that held records it with the same deployment-environment).');
        }
        catch (error) {
            this.warn(`GitHub deployment of ${actionDeploymentId} (environment "${environment}") could not be looked up: ${this.explain(error)}`);
        }
        return undefined;
    }
    async setStatus(deploymentId, state, description) {
        const { context, environment } = this.options;
        try {
            await this.withTimeout((signal) => this.octokit.rest.repos.createDeploymentStatus({
                owner: context.owner,
                repo: context.repo,
                deployment_id: deploymentId,
                state,
                log_url: context.runUrl,
                description: (0,_outcome_js__WEBPACK_IMPORTED_MODULE_3__/* .capDescription */ .FD)(description),
                environment,
                request: { signal }
            }));
        }
        catch (error) {
            this.warn(`GitHub deployment ${deploymentId} (environment "${environment}"): could not set status ${state}: ${this.explain(error)}`);
        }
    }
    /** Runs one request with its own time limit (a signal made once would expire for later calls). */
    async withTimeout(call) {
        const deadline = _core_deadline_js__WEBPACK_IMPORTED_MODULE_4__/* .Deadline */ .B2.after(this.options.clock ?? _core_clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m, this.timeoutMs, 'GitHub API request');
        try {
            return await (0,_core_deadline_js__WEBPACK_IMPORTED_MODULE_4__/* .raceSignal */ .WU)(call(deadline.signal), deadline.signal);
        }
        catch (error) {
            throw deadline.signal.aborted ? new RequestTimeout(this.timeoutMs) : error;
        }
        finally {
            deadline.dispose();
        }
    }
    /** One sentence: what went wrong, and what to do about it when we know. */
    explain(error) {
        if (error instanceof RequestTimeout)
            return `${error.message}.`;
        const status = httpStatus(error);
        if (status === undefined) {
            return `the GitHub API could not be reached (${capText(describe(error), MAX_DETAIL_CHARS)}).`;
        }
        const detail = `HTTP ${status}: ${capText((0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error), MAX_DETAIL_CHARS)}`;
        switch (status) {
            case 401:
                return `${detail}. The token was refused: check the \`github-token\` input.`;
            case 403:
                return isRateLimited(error)
                    ? `${detail}. The token's API rate limit is exhausted.`
                    : `${detail}. The token lacks permission: ${PERMISSION_HINT}.`;
            case 404:
                return `${detail}. The token cannot see the repository or its deployments: ${PERMISSION_HINT}.`;
            case 409:
                return `${detail}. GitHub created no deployment (a merge conflict, or the commit's status checks failed).`;
            default:
                return `${detail}.`;
        }
    }
    /** Every warning goes through here: whatever GitHub echoed back, the token is never printed. */
    warn(message) {
        const token = this.options.token;
        this.options.warn(token.length >= 4 ? message.split(token).join('***') : message);
    }
}
/** A tracker that records nothing: no `deployment-environment` input, or a run context that cannot be read. */
const noDeploymentTracker = {
    start: async () => undefined,
    finish: async () => undefined,
    find: async () => undefined
};
/**
 * The tracker for these inputs: GitHubDeployments when an environment is set and the run can be
 * identified, else one that does nothing (after one warning saying why, when an environment was set).
 */
function createDeploymentTracker(inputs) {
    const environment = inputs.environment?.trim();
    if (!environment)
        return noDeploymentTracker;
    if (!inputs.token) {
        inputs.warn(`GitHub deployment to environment "${environment}" not recorded: the \`github-token\` input is empty.`);
        return noDeploymentTracker;
    }
    let context;
    try {
        context = (0,_core_run_context_js__WEBPACK_IMPORTED_MODULE_2__/* .readRunContext */ .$)(inputs.env);
    }
    catch (error) {
        inputs.warn(`GitHub deployment to environment "${environment}" not recorded: ${(0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error)}.`);
        return noDeploymentTracker;
    }
    return new GitHubDeployments({
        token: inputs.token,
        environment,
        apiUrl: inputs.env.GITHUB_API_URL,
        warn: inputs.warn,
        context,
        timeoutMs: inputs.timeoutMs
    });
}
class RequestTimeout extends Error {
    constructor(timeoutMs) {
        super(`the GitHub API did not answer within ${formatSeconds(timeoutMs)}`);
        this.name = 'RequestTimeout';
    }
}
function formatSeconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
/** How many of an environment's latest deployments are searched for a held one (GitHub's largest page). */
const FIND_PAGE_SIZE = 100;
/** The action's deployment id a deployment's payload holds (GitHub may hand the payload back as a JSON string). */
function payloadId(deployment) {
    if (typeof deployment !== 'object' || deployment === null)
        return undefined;
    let payload = deployment.payload;
    if (typeof payload === 'string') {
        try {
            payload = JSON.parse(payload);
        }
        catch {
            return undefined;
        }
    }
    const id = typeof payload === 'object' && payload !== null ? payload.deploymentId : undefined;
    return typeof id === 'string' ? id : undefined;
}
function hasNumericId(data) {
    return typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number';
}
/** The HTTP status of an answer GitHub gave; undefined when no answer arrived (network failure). */
function httpStatus(error) {
    // @octokit/request reports network failures as RequestError 500 too, but without a response.
    if (typeof error !== 'object' || error === null || !('response' in error))
        return undefined;
    const response = error.response;
    return typeof response?.status === 'number' ? response.status : undefined;
}
function isRateLimited(error) {
    const headers = error.response?.headers;
    return headers?.['x-ratelimit-remaining'] === '0';
}
function describe(error) {
    const cause = typeof error === 'object' && error !== null ? error.cause : undefined;
    const message = (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(error);
    // undici says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, ...).
    const why = cause !== undefined ? (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorMessage */ .gJ)(cause.cause ?? cause) : '';
    return why && !message.includes(why) ? `${message}: ${why}` : message || (0,_core_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .errorName */ .Is)(error);
}
function capText(text, max) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}


/***/ })

};
