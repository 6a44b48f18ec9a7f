export const id = 861;
export const ids = [861];
export const modules = {

/***/ 6861:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3CodeObjectGateway: () => (/* binding */ S3CodeObjectGateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3711);
/* harmony import */ var _code_hash_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(897);
/* harmony import */ var _core_deadline_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6343);
/* harmony import */ var _failures_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(678);
/* harmony import */ var _translate_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5979);





/**
 * CodeObjectGateway over S3's GetObject. The object is hashed as it streams in, never held whole.
 * The request time limit ends at the answer's headers; a body that stops flowing for as long is
 * abandoned too, so that a stalled download cannot hang the preflight.
 */
class S3CodeObjectGateway {
    clients;
    constructor(clients) {
        this.clients = clients;
    }
    async digest(object, region, signal) {
        const versioned = object.objectVersion !== undefined;
        const failed = (error) => (0,_translate_js__WEBPACK_IMPORTED_MODULE_2__/* .translateSdkError */ .J)(error, {
            operation: 'GetObject',
            // Reading a given version is an IAM action of its own.
            action: versioned ? 's3:GetObjectVersion' : 's3:GetObject',
            endpoint: this.clients.endpoint('s3', region),
            signal
        });
        const idleMs = this.clients.settings.requestTimeoutMs;
        try {
            const sent = this.s3(region).send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__/* .GetObjectCommand */ .jLs({ Bucket: object.bucket, Key: object.key, VersionId: object.objectVersion }), {
                abortSignal: signal
            });
            const { Body } = await (signal ? (0,_core_deadline_js__WEBPACK_IMPORTED_MODULE_4__/* .raceSignal */ .WU)(sent, signal) : sent);
            if (!Body)
                throw new _failures_js__WEBPACK_IMPORTED_MODULE_1__/* .NoAnswer */ .W_(`GetObject answered without a body for s3://${object.bucket}/${object.key}`, 'GetObject');
            return await hashStream(Body, idleMs, signal);
        }
        catch (error) {
            throw error instanceof _failures_js__WEBPACK_IMPORTED_MODULE_1__/* .NoAnswer */ .W_ ? error : failed(error);
        }
    }
    /**
     * An endpoint set in the environment (an emulator, LocalStack, MinIO) is addressed path-style
     * (`/<bucket>/<key>`): such endpoints seldom resolve bucket names as host names.
     */
    s3(region) {
        const pathStyle = this.clients.hasCustomEndpoint('s3');
        return this.clients.client('s3', region, (config) => new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_3__/* .S3Client */ .YxF({ ...config, ...(pathStyle ? { forcePathStyle: true } : {}) }));
    }
}
/** Hashes a body as it arrives; `idleMs` without a byte (or the signal) ends it. */
async function hashStream(body, idleMs, signal) {
    const hasher = new _code_hash_js__WEBPACK_IMPORTED_MODULE_0__/* .CodeSha256Hasher */ .u();
    let timer;
    const stop = (error) => body.destroy?.(error);
    const rearm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => stop(Object.assign(new Error(`no data for ${idleMs / 1000} s while reading the object`), { name: 'TimeoutError' })), idleMs);
    };
    const onAbort = () => stop(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
        rearm();
        for await (const chunk of body) {
            hasher.update(chunk);
            rearm();
        }
        return hasher.digest();
    }
    finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
    }
}


/***/ })

};
