/**
 * Public types of the local AWS emulator (test infrastructure), gathered from the folders that own them.
 * Shared by the in-process API (`startEmulator`), the HTTP control API and `EmulatorClient`.
 */
export type * from './shared/types.js';
export type * from './lambda/types.js';
export type * from './lambda/trigger-types.js';
export type * from './cloudwatch/types.js';
export type * from './codedeploy/types.js';
export type * from './s3/types.js';
export type { EmulatorOptions } from './core/emulator.js';
export type { EmulatedServiceException, ResponseMetadata } from './core/in-process.js';
export type { CallerOptions } from './shared/identity.js';
export type { InvocationRecord } from './shared/invocations.js';
export type { AsyncEmulatorControl, ControlMethodName, EmulatorControl, EmulatorSnapshot } from './control/table.js';
