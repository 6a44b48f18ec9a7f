import { describe, expect, it } from '@jest/globals';
import { readRunContext, RunContextError } from '../../src/core/run-context.js';

const env = {
  GITHUB_REPOSITORY: 'acme/orders-service',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SERVER_URL: 'https://github.example.com',
  GITHUB_RUN_ID: '987654321',
  GITHUB_ACTOR: 'octocat'
};

describe('readRunContext', () => {
  it('reads the run from the env given', () => {
    expect(readRunContext(env)).toEqual({
      owner: 'acme',
      repo: 'orders-service',
      sha: '0123456789abcdef0123456789abcdef01234567',
      ref: 'refs/heads/main',
      runUrl: 'https://github.example.com/acme/orders-service/actions/runs/987654321',
      actor: 'octocat'
    });
  });

  it('reads at call time: a changed env gives a changed context', () => {
    const first = readRunContext(env);
    const second = readRunContext({ ...env, GITHUB_REPOSITORY: 'other/repo', GITHUB_RUN_ID: '1' });
    expect(first.repo).toBe('orders-service');
    expect(second).toMatchObject({
      owner: 'other',
      repo: 'repo',
      runUrl: 'https://github.example.com/other/repo/actions/runs/1'
    });
  });

  it('defaults the server to https://github.com and drops a trailing slash', () => {
    const { GITHUB_SERVER_URL: _server, ...withoutServer } = env;
    expect(readRunContext(withoutServer).runUrl).toBe('https://github.com/acme/orders-service/actions/runs/987654321');
    expect(readRunContext({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com/' }).runUrl).toBe(
      'https://ghe.example.com/acme/orders-service/actions/runs/987654321'
    );
  });

  it('leaves ref and actor undefined when unset or empty', () => {
    const context = readRunContext({ ...env, GITHUB_REF: '', GITHUB_ACTOR: undefined });
    expect(context.ref).toBeUndefined();
    expect(context.actor).toBeUndefined();
  });

  it('names every missing variable', () => {
    const attempt = (): unknown => readRunContext({ GITHUB_REPOSITORY: 'acme/orders-service', GITHUB_SHA: ' ' });
    expect(attempt).toThrow(RunContextError);
    expect(attempt).toThrow('GITHUB_SHA, GITHUB_RUN_ID are not set (not running in GitHub Actions?)');
  });

  it.each(['acme', '/orders', 'acme/', 'acme/orders/extra'])('refuses GITHUB_REPOSITORY %j', (repository) => {
    expect(() => readRunContext({ ...env, GITHUB_REPOSITORY: repository })).toThrow('GITHUB_REPOSITORY (not owner/repo');
  });
});
