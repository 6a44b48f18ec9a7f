import type { ApiError } from '../shared/errors.js';
import { jsonReply, type HttpReply } from '../server/http.js';

/** Lambda error shapes whose message member is `Message` (the rest use `message`), per the SDK schemas. */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException', 'ServiceQuotaExceededException']);

/**
 * restJson1 error as Lambda sends it: status code, `x-amzn-errortype` header (checked first by the
 * SDK's loadRestJsonErrorCode), body `{Type, message|Message}`.
 */
export function encodeLambdaError(error: ApiError): HttpReply {
  const messageKey = CAPITALISED_MESSAGE.has(error.code) ? 'Message' : 'message';
  const body = { Type: error.status >= 500 ? 'Service' : 'User', [messageKey]: error.message, ...error.fields };
  return jsonReply(error.status, body, { 'x-amzn-errortype': error.code, ...error.headers });
}
