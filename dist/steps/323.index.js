export const id = 323;
export const ids = [323];
export const modules = {

/***/ 2323:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloudWatchAlarmGateway: () => (/* binding */ CloudWatchAlarmGateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4085);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6343);
/* harmony import */ var _translate_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5979);



/** DescribeAlarms accepts at most 100 names per call. */
const NAMES_PER_CALL = 100;
/** AlarmGateway over CloudWatch's DescribeAlarms, one client per region. */
class CloudWatchAlarmGateway {
    clients;
    constructor(clients) {
        this.clients = clients;
    }
    async describe(alarms, signal) {
        const byRegion = new Map();
        for (const alarm of alarms)
            byRegion.set(alarm.region, [...(byRegion.get(alarm.region) ?? []), alarm.name]);
        const batches = [];
        for (const [region, names] of byRegion) {
            const unique = [...new Set(names)];
            for (let i = 0; i < unique.length; i += NAMES_PER_CALL)
                batches.push({ region, names: unique.slice(i, i + NAMES_PER_CALL) });
        }
        const answers = await Promise.all(batches.map((batch) => this.describeBatch(batch.region, batch.names, signal)));
        return answers.flat();
    }
    async describeBatch(region, names, signal) {
        const found = [];
        let nextToken;
        do {
            let page;
            try {
                const sent = this.clients
                    .client('cloudwatch', region, (config) => new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .CloudWatchClient */ .WBn(config))
                    .send(new _aws_sdk_client_cloudwatch__WEBPACK_IMPORTED_MODULE_1__/* .DescribeAlarmsCommand */ .zWD({
                    AlarmNames: names,
                    AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
                    MaxRecords: NAMES_PER_CALL,
                    NextToken: nextToken
                }), { abortSignal: signal });
                page = await (signal ? (0,_core_deadline_js__WEBPACK_IMPORTED_MODULE_2__/* .raceSignal */ .WU)(sent, signal) : sent);
            }
            catch (error) {
                throw (0,_translate_js__WEBPACK_IMPORTED_MODULE_0__/* .translateSdkError */ .J)(error, {
                    operation: 'DescribeAlarms',
                    action: 'cloudwatch:DescribeAlarms',
                    endpoint: this.clients.endpoint('cloudwatch', region),
                    signal
                });
            }
            for (const alarm of page.MetricAlarms ?? [])
                found.push(toStatus(alarm, 'metric', region));
            for (const alarm of page.CompositeAlarms ?? [])
                found.push(toStatus(alarm, 'composite', region));
            nextToken = page.NextToken;
        } while (nextToken);
        return found;
    }
}
function toStatus(alarm, kind, region) {
    return {
        name: alarm.AlarmName ?? '',
        ...(region ? { region } : {}),
        ...(alarm.AlarmArn ? { arn: alarm.AlarmArn } : {}),
        kind,
        state: (alarm.StateValue ?? 'INSUFFICIENT_DATA'),
        reason: alarm.StateReason ?? ''
    };
}


/***/ })

};
