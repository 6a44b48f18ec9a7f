export const id = 806;
export const ids = [806];
export const modules = {

/***/ 4806:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudWatchMetricsGateway: () => (/* binding */ CloudWatchMetricsGateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6343);
/* harmony import */ var _translate_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5979);



const NAMESPACE = 'AWS/Lambda';
/** The three statistics read per version, by query-id prefix (ids must start with a lowercase letter). */
const STATS = {
    i: { metric: 'Invocations', stat: 'Sum', field: 'invocations' },
    e: { metric: 'Errors', stat: 'Sum', field: 'errors' },
    d: { metric: 'Duration', stat: 'p99', field: 'p99Ms' }
};
/**
 * MetricsGateway over CloudWatch: one GetMetricData call (paged if CloudWatch pages) for every
 * version's Sum of Invocations and Errors and p99 of Duration, plain metric queries with no metric
 * math, so that missing periods stay missing; ListMetrics to tell whether the alias is invoked at all.
 */
class CloudWatchMetricsGateway {
    clients;
    constructor(clients) {
        this.clients = clients;
    }
    async versionMetrics(query, signal) {
        const queries = query.versions.flatMap((version, index) => Object.keys(STATS).map((key) => metricQuery(`${key}${index}`, query, version, key)));
        const points = query.versions.map(() => new Map());
        await this.metricData(queries, query, query.region, signal, (id, startMs, value) => {
            const key = id.charAt(0);
            const series = points[Number(id.slice(1))];
            if (!(key in STATS) || !series)
                return;
            series.set(startMs, { ...series.get(startMs), [STATS[key].field]: value });
        });
        return query.versions.map((version, index) => ({
            version,
            periods: [...points[index].entries()]
                .sort(([a], [b]) => a - b)
                .map(([startMs, values]) => ({ startMs, ...values }))
        }));
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
        await this.metricData(queries, query, query.aliases[0]?.region, signal, (id, startMs, value) => series[Number(id.slice(1))]?.push({ startMs, value }));
        return series.map((points) => points.sort((a, b) => a.startMs - b.startMs));
    }
    async aliasHasMetrics(ref, signal) {
        const command = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .ListMetricsCommand */ .tPF({ Namespace: NAMESPACE, MetricName: 'Invocations', Dimensions: aliasDimensions(ref) });
        const page = await this.call('ListMetrics', ref.region, signal, (client) => client.send(command, { abortSignal: signal }));
        return (page.Metrics ?? []).length > 0;
    }
    /**
     * One GetMetricData over the window (paged if CloudWatch pages): `each` gets every datapoint with
     * its query's id, the start of its period and its value; missing periods stay missing.
     */
    async metricData(queries, window, region, signal, each) {
        let nextToken;
        do {
            const command = new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .GetMetricDataCommand */ .Soe({
                MetricDataQueries: queries,
                StartTime: new Date(window.startMs),
                EndTime: new Date(window.endMs),
                ScanBy: 'TimestampAscending',
                NextToken: nextToken
            });
            const page = await this.call('GetMetricData', region, signal, (client) => client.send(command, { abortSignal: signal }));
            for (const result of page.MetricDataResults ?? []) {
                (result.Timestamps ?? []).forEach((timestamp, i) => {
                    const value = result.Values?.[i];
                    if (result.Id && value !== undefined && Number.isFinite(value))
                        each(result.Id, timestamp.getTime(), value);
                });
            }
            nextToken = page.NextToken;
        } while (nextToken);
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
function metricQuery(id, query, version, key) {
    const { metric, stat } = STATS[key];
    return {
        Id: id,
        MetricStat: {
            Metric: {
                Namespace: NAMESPACE,
                MetricName: metric,
                Dimensions: [...aliasDimensions(query), { Name: 'ExecutedVersion', Value: version }]
            },
            Period: query.periodSeconds,
            Stat: stat
        },
        ReturnData: true
    };
}


/***/ })

};
