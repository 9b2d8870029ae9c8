import { Controller, Get, HttpStatus, Req, Res } from '@nestjs/common';
import type { Response } from 'express';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { ApiDoc, ApiError } from '@rampart/web';

import { IncidentLiveFeed } from '../../application/incident-live-feed';

const KEEP_ALIVE_MS = 20_000;

/** Server-sent events for the console: each committed incident change, as it commits. */
@Controller('console')
export class ConsoleEventsController {
  constructor(private readonly live: IncidentLiveFeed) {}

  @Get('events')
  @RequirePermission('incidents:read')
  @ApiDoc({
    summary:
      'Console: incident changes as server-sent events (`event: incident`, data {kind, incidentId, …})',
    responses: {
      200: { description: 'an event stream', contentType: 'text/event-stream', schema: { type: 'string' } },
    },
  })
  events(@Req() request: AuthenticatedRequest, @Res() response: Response): void {
    // Only an event-stream client (EventSource) gets the endless answer; anything else a short 406.
    if (!String(request.headers.accept ?? '').includes('text/event-stream')) {
      throw new ApiError(
        HttpStatus.NOT_ACCEPTABLE,
        'not_acceptable',
        'this is an event stream: send Accept: text/event-stream',
        {
          field: 'header.Accept',
        },
      );
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 3000\n: connected\n\n');
    let closed = false;
    const write = (text: string) => {
      if (!closed) response.write(text);
    };
    const unsubscribe = this.live.subscribe(
      (event) => {
        const payload = event.payload as Record<string, unknown>;
        const data = {
          kind: event.kind,
          incidentId: event.incidentId,
          at: event.at,
          ...(typeof payload.title === 'string' ? { title: payload.title } : {}),
          ...(typeof payload.number === 'number' ? { number: payload.number } : {}),
        };
        write(`event: incident\ndata: ${JSON.stringify(data)}\n\n`);
      },
      () => write('event: ready\ndata: {}\n\n'),
    );
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unsubscribe();
      response.end();
    };
    request.on('close', close);
    this.closers.add(close);
    request.on('close', () => this.closers.delete(close));
  }

  private readonly closers = new Set<() => void>();

  /** Open streams end when the server stops, so closing it does not wait for browsers. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
  }
}
