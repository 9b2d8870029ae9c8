import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Who made the current request, once authentication has said so. */
export interface RequestActor {
  kind: 'user' | 'api_key' | 'anonymous';
  id: string | null;
  name: string;
}

interface RequestState {
  requestId: string;
  actor?: RequestActor;
}

const storage = new AsyncLocalStorage<RequestState>();

export const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's id is kept when it is short and plain (it ends up in logs and the audit trail).
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id and the caller of the HTTP request being served, without threading them through
 * every call: use cases (and the audit trail) read them here. Outside a request (background jobs,
 * Kafka intake) there is none.
 */
export const RequestContext = {
  /** Runs `work` as request `requestId`; what it awaits sees the same context. */
  run<T>(requestId: string, work: () => T): T {
    return storage.run({ requestId }, work);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  /** The caller, once authenticated; undefined outside a request or before authentication. */
  actor(): RequestActor | undefined {
    return storage.getStore()?.actor;
  },
  /** Whether the code runs on behalf of an HTTP request. */
  active(): boolean {
    return storage.getStore() !== undefined;
  },
  /** Said by authentication (or whatever learns who calls); ignored outside a request. */
  setActor(actor: RequestActor): void {
    const state = storage.getStore();
    if (state) state.actor = actor;
  },
};

/**
 * Express middleware: every request gets an id (the caller's `X-Request-Id` when it is plain, a
 * new uuid otherwise), answered in `X-Request-Id`, and runs in its RequestContext. Mount it after
 * the body parsers: their stream callbacks would not carry the context on.
 */
export function requestContext(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const offered = request.header(REQUEST_ID_HEADER);
    const requestId = offered && CALLER_REQUEST_ID.test(offered) ? offered : randomUUID();
    response.setHeader(REQUEST_ID_HEADER, requestId);
    RequestContext.run(requestId, next);
  };
}
