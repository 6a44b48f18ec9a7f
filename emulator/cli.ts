/**
 * `npm run emulator`: starts the emulator on $PORT (or a random port) and runs until SIGINT/SIGTERM.
 */
import { startEmulator } from './index.js';

const port = process.env.PORT ? Number(process.env.PORT) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid PORT: ${process.env.PORT}`);
  process.exit(2);
}
const emu = await startEmulator({
  port,
  ...(process.env.EMULATOR_HOST ? { host: process.env.EMULATOR_HOST } : {}),
  ...(process.env.EMULATOR_SEED ? { seed: Number(process.env.EMULATOR_SEED) } : {}),
  // How long one CodeDeploy minute lasts, in ms (e.g. 500 for half-second canary bakes); default real time.
  ...(process.env.EMULATOR_CODEDEPLOY_MINUTE_MS ? { codeDeployMinuteMs: Number(process.env.EMULATOR_CODEDEPLOY_MINUTE_MS) } : {})
});

console.log(`Lambda Safe Deploy emulator listening on ${emu.url}`);
console.log('Point the AWS SDK / the action at it:');
console.log(`  export AWS_ENDPOINT_URL=${emu.url}`);
console.log(
  '  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test  # any credentials work; the region picks the namespace'
);
console.log(`Control API: POST ${emu.url}/_emulator/<method> (e.g. createFunction), GET ${emu.url}/_emulator/state`);

const stop = (signal: string) => {
  console.log(`\n${signal}: stopping emulator`);
  emu.close().then(
    () => process.exit(0),
    () => process.exit(1)
  );
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
