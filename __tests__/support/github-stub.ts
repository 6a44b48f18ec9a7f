import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the two GitHub REST endpoints of deployments, on 127.0.0.1 and a random
 * port, reached through `apiUrl` / GITHUB_API_URL. It records every request and answers like
 * GitHub (201 with the created object) unless a test scripts another answer for a route.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/repos/acme/orders/deployments`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, parsed (undefined when empty). */
  readonly body: unknown;
}

/** A scripted answer: a status and JSON body, or `hang` (read the request, never answer). */
export type StubReply = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export type StubRoute = 'create-deployment' | 'create-status' | 'list-deployments';

export interface GitHubStub {
  /** The API root to give as baseUrl, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests to one route, in order. */
  requestsTo(route: StubRoute): RecordedRequest[];
  /** Resolves once `count` requests to `route` have arrived (at once if they have). */
  waitForRequests(route: StubRoute, count: number): Promise<void>;
  /** Answers the next calls to `route` with `reply` (each call takes the next reply; the last one sticks). */
  reply(route: StubRoute, ...replies: (StubReply | ((request: RecordedRequest) => StubReply))[]): void;
  close(): Promise<void>;
}

const ROUTES: { route: StubRoute; pattern: RegExp }[] = [
  { route: 'create-deployment', pattern: /^(?:\/[^/]+)*\/repos\/([^/]+)\/([^/]+)\/deployments$/ },
  { route: 'create-status', pattern: /^(?:\/[^/]+)*\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)\/statuses$/ }
];

export function routeOf(request: Pick<RecordedRequest, 'method' | 'path'>): StubRoute | undefined {
  const path = request.path.split('?')[0] ?? '';
  const route = ROUTES.find(({ pattern }) => pattern.test(path))?.route;
  if (request.method === 'GET') return route === 'create-deployment' ? 'list-deployments' : undefined;
  return request.method === 'POST' ? route : undefined;
}

export async function startGitHubStub(): Promise<GitHubStub> {
  const requests: RecordedRequest[] = [];
  const waiters: Array<{ route: StubRoute; count: number; resolve: () => void }> = [];
  const countOf = (route: StubRoute): number => requests.filter((request) => routeOf(request) === route).length;
  const scripts = new Map<StubRoute, (StubReply | ((request: RecordedRequest) => StubReply))[]>();
  let nextDeploymentId = 1000;
  let nextStatusId = 5000;
  /** What the stub created, newest first, as GitHub lists them. */
  const created: Array<Record<string, unknown>> = [];

  const defaultReply = (route: StubRoute | undefined, request: RecordedRequest): StubReply => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (route === 'create-deployment') {
      const id = ++nextDeploymentId;
      const deployment = {
        id,
        node_id: `DE_${id}`,
        sha: body.ref,
        ref: body.ref,
        task: 'deploy',
        environment: body.environment,
        payload: body.payload,
        description: body.description
      };
      created.unshift(deployment);
      return { status: 201, body: deployment };
    }
    if (route === 'list-deployments') {
      const environment = new URLSearchParams(request.path.split('?')[1] ?? '').get('environment');
      return {
        status: 200,
        body: created.filter((deployment) => environment === null || deployment.environment === environment)
      };
    }
    if (route === 'create-status') {
      const deploymentId = Number(/deployments\/(\d+)\/statuses/.exec(request.path)?.[1]);
      return {
        status: 201,
        body: {
          id: ++nextStatusId,
          state: body.state,
          deployment_url: `deployments/${deploymentId}`,
          log_url: body.log_url ?? ''
        }
      };
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined
      };
      requests.push(request);
      for (const waiter of waiters.filter((entry) => countOf(entry.route) >= entry.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      const route = routeOf(request);
      const queue = route ? scripts.get(route) : undefined;
      const scripted = queue && queue.length > 0 ? (queue.length > 1 ? queue.shift() : queue[0]) : undefined;
      const reply =
        scripted === undefined ? defaultReply(route, request) : typeof scripted === 'function' ? scripted(request) : scripted;
      if (reply === 'hang') return; // the socket stays open until close()
      const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(payload),
        ...reply.headers
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    requestsTo: (route) => requests.filter((request) => routeOf(request) === route),
    waitForRequests: (route, count) =>
      countOf(route) >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ route, count, resolve })),
    reply: (route, ...replies) => {
      scripts.set(route, [...replies]);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function refusedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
