/**
 * A service error raised by the emulator's models. The HTTP front (server/lambda-rest, server/cloudwatch-json)
 * encodes it the way each SDK parses errors; the in-process API (core/in-process) throws it SDK-shaped.
 */
export class ApiError extends Error {
  constructor(
    /** Error shape name as the SDK models it, e.g. 'ResourceNotFoundException'. */
    readonly code: string,
    message: string,
    /** HTTP status. */
    readonly status: number,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
    /** Extra error body members (e.g. Lambda's Reason). */
    readonly fields: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = code;
  }
}

/** Lambda error constructors with the status codes from the Lambda model. */
export const lambdaErrors = {
  notFound: (message: string) => new ApiError('ResourceNotFoundException', message, 404),
  invalidParameter: (message: string) => new ApiError('InvalidParameterValueException', message, 400),
  conflict: (message: string) => new ApiError('ResourceConflictException', message, 409),
  precondition: (message: string) => new ApiError('PreconditionFailedException', message, 412),
  invalidContent: (message: string) => new ApiError('InvalidRequestContentException', message, 400),
  pcNotFound: (message: string) => new ApiError('ProvisionedConcurrencyConfigNotFoundException', message, 404),
  /** IAM refusal as Lambda's front end sends it: 403, `x-amzn-errortype: AccessDeniedException`. */
  accessDenied: (message: string) => new ApiError('AccessDeniedException', message, 403)
};

/** CloudWatch error constructors (shape names as in @aws-sdk/client-cloudwatch). */
export const cloudWatchErrors = {
  validation: (message: string) => new ApiError('ValidationException', message, 400),
  invalidParameter: (message: string) => new ApiError('InvalidParameterValueException', message, 400),
  invalidCombination: (message: string) => new ApiError('InvalidParameterCombinationException', message, 400),
  invalidNextToken: (message: string) => new ApiError('InvalidNextToken', message, 400),
  /** IAM refusal: the awsQuery code `AccessDenied` (not modelled by the CloudWatch SDK), HTTP 403. */
  accessDenied: (message: string) => new ApiError('AccessDenied', message, 403)
};

/**
 * CodeDeploy errors (awsJson1_1): every modelled CodeDeploy error is a client error with HTTP 400, the
 * shape name as `__type` (e.g. 'DeploymentDoesNotExistException').
 */
export function codeDeployError(code: string, message: string): ApiError {
  return new ApiError(code, message, 400);
}

/** The 500 an unexpected emulator failure is answered with, in each service's words. */
export function internalError(service: 'lambda' | 'cloudwatch' | 'codedeploy' | 's3', message: string): ApiError {
  const code = {
    lambda: 'ServiceException',
    cloudwatch: 'InternalServiceFault',
    codedeploy: 'InternalFailure',
    s3: 'InternalError'
  }[service];
  return new ApiError(code, message, 500);
}
