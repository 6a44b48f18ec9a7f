export const id = 806;
export const ids = [806];
export const modules = {

/***/ 4806:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudWatchMetricsGateway: () => (/* binding */ CloudWatchMetricsGateway),
/* harmony export */   spanningPeriodSeconds: () => (/* binding */ spanningPeriodSeconds)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6343);
/* harmony import */ var _translate_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5979);



const NAMESPACE = 'AWS/Lambda';
const PREFIX = { invocations: 'i', errors: 'e', samples: 'n', windowP99: 'w', rank: 'r' };
const STAT_OF = Object.fromEntries(Object.entries(PREFIX).map(([stat, prefix]) => [prefix, stat]));
/**
 * MetricsGateway over CloudWatch: one GetMetricData call (paged if CloudWatch pages) for every
 * version's Sum of Invocations and Errors per period, with `slowerThanMs` the `SampleCount` and
 * the percentile rank `PR(:T)` of Duration per period and threshold, and the p99 of Duration over
 * one period spanning the whole window; one for the alias's traffic over a window (every call
 * through it, and one version's calls and p99). Plain metric queries with no metric math, so that
 * missing periods stay missing; ListMetrics to tell whether the alias is invoked at all.
 */
class CloudWatchMetricsGateway {
    clients;
    constructor(clients) {
        this.clients = clients;
    }
    async versionMetrics(query, signal) {
        const windowSeconds = spanningPeriodSeconds((query.endMs - query.startMs) / 1000);
        const thresholds = query.slowerThanMs ?? [];
        const queries = query.versions.flatMap((version, index) => [
            metricQuery(`i${index}`, query, version, 'Invocations', 'Sum', query.periodSeconds),
            metricQuery(`e${index}`, query, version, 'Errors', 'Sum', query.periodSeconds),
            ...(thresholds.length > 0
                ? [metricQuery(`n${index}`, query, version, 'Duration', 'SampleCount', query.periodSeconds)]
                : []),
            ...thresholds.map((ms, t) => metricQuery(`r${index}_${t}`, query, version, 'Duration', `PR(:${thresholdText(ms)})`, query.periodSeconds)),
            metricQuery(`w${index}`, query, version, 'Duration', 'p99', windowSeconds)
        ]);
        const points = query.versions.map(() => new Map());
        const windowP99 = query.versions.map(() => undefined);
        for (const result of await this.metricData(queries, query, signal)) {
            const [, prefix, versionIndex, threshold] = /^([a-z])(\d+)(?:_(\d+))?$/.exec(result.Id ?? '') ?? [];
            const stat = STAT_OF[prefix ?? ''];
            const index = Number(versionIndex);
            const series = points[index];
            if (!stat || !series)
                continue;
            (result.Timestamps ?? []).forEach((timestamp, i) => {
                const value = result.Values?.[i];
                if (value === undefined || !Number.isFinite(value))
                    return;
                if (stat === 'windowP99') {
                    windowP99[index] = value;
                    return;
                }
                const at = timestamp.getTime();
                const values = series.get(at) ?? { ranks: thresholds.map(() => undefined) };
                if (stat === 'rank')
                    values.ranks[Number(threshold)] = value;
                else
                    values[stat] = value;
                series.set(at, values);
            });
        }
        return query.versions.map((version, index) => ({
            version,
            periods: [...points[index].entries()].sort(([a], [b]) => a - b).map(([startMs, values]) => periodPoint(startMs, values)),
            ...(windowP99[index] !== undefined ? { windowP99Ms: windowP99[index] } : {})
        }));
    }
    async aliasTraffic(query, signal) {
        const period = spanningPeriodSeconds((query.endMs - query.startMs) / 1000);
        const queries = [
            metricQuery('alias', query, undefined, 'Invocations', 'Sum', period),
            metricQuery('calls', query, query.version, 'Invocations', 'Sum', period),
            metricQuery('p99', query, query.version, 'Duration', 'p99', period)
        ];
        const values = new Map();
        for (const result of await this.metricData(queries, query, signal)) {
            for (const value of result.Values ?? []) {
                if (!Number.isFinite(value) || !result.Id)
                    continue;
                // One period spans the window; were it cut in two, the counts add up and the p99 is the later one's.
                values.set(result.Id, result.Id === 'p99' ? value : (values.get(result.Id) ?? 0) + value);
            }
        }
        const p99Ms = values.get('p99');
        return {
            calls: values.get('alias') ?? 0,
            version: { calls: values.get('calls') ?? 0, ...(p99Ms !== undefined ? { p99Ms } : {}) }
        };
    }
    /** One GetMetricData call over the window, its pages followed: every query's results, in the order they came. */
    async metricData(queries, window, signal) {
        const results = [];
        let nextToken;
        do {
            const command = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .GetMetricDataCommand */ .Soe({
                MetricDataQueries: queries,
                StartTime: new Date(window.startMs),
                EndTime: new Date(window.endMs),
                ScanBy: 'TimestampAscending',
                NextToken: nextToken
            });
            const page = await this.call('GetMetricData', window.region, signal, (client) => client.send(command, { abortSignal: signal }));
            results.push(...(page.MetricDataResults ?? []));
            nextToken = page.NextToken;
        } while (nextToken);
        return results;
    }
    async spilloverInvocations(query, signal) {
        const queries = query.aliases.map((alias, index) => ({
            Id: `s${index}`,
            MetricStat: {
                Metric: {
                    Namespace: NAMESPACE,
                    MetricName: 'ProvisionedConcurrencySpilloverInvocations',
                    Dimensions: aliasDimensions(alias)
                },
                Period: query.periodSeconds,
                Stat: 'Sum'
            },
            ReturnData: true
        }));
        const series = query.aliases.map(() => []);
        const region = query.aliases[0]?.region;
        const window = { startMs: query.startMs, endMs: query.endMs, ...(region !== undefined ? { region } : {}) };
        for (const result of await this.metricData(queries, window, signal)) {
            const points = series[Number(result.Id?.slice(1))];
            if (!points)
                continue;
            (result.Timestamps ?? []).forEach((timestamp, i) => {
                const value = result.Values?.[i];
                if (value !== undefined && Number.isFinite(value))
                    points.push({ startMs: timestamp.getTime(), value });
            });
        }
        return series.map((points) => points.sort((a, b) => a.startMs - b.startMs));
    }
    async aliasHasMetrics(ref, signal) {
        const command = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .ListMetricsCommand */ .tPF({ Namespace: NAMESPACE, MetricName: 'Invocations', Dimensions: aliasDimensions(ref) });
        const page = await this.call('ListMetrics', ref.region, signal, (client) => client.send(command, { abortSignal: signal }));
        return (page.Metrics ?? []).length > 0;
    }
    /** One SDK call, cut short by the signal; SDK errors become domain failures. */
    async call(operation, region, signal, send) {
        try {
            const sent = send(this.clients.client('cloudwatch', region, (config) => new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .CloudWatchClient */ .WBn(config)));
            return await (signal ? (0,_core_deadline_js__WEBPACK_IMPORTED_MODULE_2__/* .raceSignal */ .WU)(sent, signal) : sent);
        }
        catch (error) {
            throw (0,_translate_js__WEBPACK_IMPORTED_MODULE_0__/* .translateSdkError */ .J)(error, {
                operation,
                action: `cloudwatch:${operation}`,
                endpoint: this.clients.endpoint('cloudwatch', region),
                signal
            });
        }
    }
}
/** `{FunctionName, Resource=fn:alias}`: the dimensions of every call through the alias. */
function aliasDimensions(ref) {
    return [
        { Name: 'FunctionName', Value: ref.functionName },
        { Name: 'Resource', Value: `${ref.functionName}:${ref.alias}` }
    ];
}
/** One metric of the alias's calls: of one version's (`ExecutedVersion`), or of every call through it (undefined). */
function metricQuery(id, ref, version, metric, statistic, periodSeconds) {
    return {
        Id: id,
        MetricStat: {
            Metric: {
                Namespace: NAMESPACE,
                MetricName: metric,
                Dimensions: [...aliasDimensions(ref), ...(version !== undefined ? [{ Name: 'ExecutedVersion', Value: version }] : [])]
            },
            Period: periodSeconds,
            Stat: statistic
        },
        ReturnData: true
    };
}
/** One period's numbers; slow calls from each percentile rank (a percentage) and the sample count. */
function periodPoint(startMs, values) {
    const { invocations, errors, samples, ranks } = values;
    const slow = (rank) => rank === undefined || samples === undefined ? 0 : Math.max(0, Math.round((samples * (100 - rank)) / 100));
    return {
        startMs,
        ...(invocations !== undefined ? { invocations } : {}),
        ...(errors !== undefined ? { errors } : {}),
        ...(samples !== undefined ? { slowCalls: ranks.map(slow) } : {})
    };
}
/** A threshold as a statistic names it: `PR(:812.5)` (at most three decimals, no exponent). */
function thresholdText(ms) {
    return String(Number(ms.toFixed(3)));
}
/**
 * The period CloudWatch takes that spans a window of `seconds`: a multiple of 60 from a minute up
 * (the window, in whole minutes against AWS), any whole number of seconds below (emulators only).
 */
function spanningPeriodSeconds(seconds) {
    const whole = Math.max(1, Math.ceil(seconds));
    return whole < 60 ? whole : Math.ceil(whole / 60) * 60;
}


/***/ })

};
