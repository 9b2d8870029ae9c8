import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';

import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { isReversible } from '@rampart/connectors';
import { type ContainmentAction, ContainmentActionQueries } from '@rampart/containment';
import { RunQueries } from '@rampart/playbooks';
import { ApiDoc, BrowserPage } from '@rampart/web';

import { shortTime, untilOrAgo } from '../../domain/format';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { principalOf, send } from './page-response';
import { pageDoc } from './page-doc';

/** The responders' pages: the approvals inbox and the containment actions in force. */
@Controller()
@UseFilters(ConsoleExceptionFilter)
export class ResponsePagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly runs: RunQueries,
    private readonly actions: ContainmentActionQueries,
  ) {}

  @Get('approvals')
  @BrowserPage()
  @RequirePermission('runs:read')
  @ApiDoc(pageDoc('the approvals inbox: pending approvals to approve or reject, and recent decisions'))
  async approvals(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const now = new Date();
    const [pending, decided] = await Promise.all([
      this.runs.approvals({ status: ['pending'], limit: 200 }),
      this.runs.approvals({ status: ['approved', 'rejected', 'withdrawn'], limit: 25 }),
    ]);
    send(
      response,
      this.views.page(principalOf(request), { title: 'Approvals', current: '/approvals' }, 'approvals', {
        pending: pending.map((approval) => ({
          id: approval.id,
          runId: approval.runId,
          incidentId: approval.incidentId,
          stepId: approval.stepId,
          kind: approval.kind,
          message: approval.message,
          approvers: [
            ...approval.approvers.roles.map((role) => `role ${role}`),
            ...approval.approvers.users.map((user) => `user ${user}`),
          ].join(', '),
          requestedAt: shortTime(approval.requestedAt),
          expires: untilOrAgo(approval.expiresAt, now),
          onTimeout: approval.onTimeout,
        })),
        decided: decided.map((approval) => ({
          incidentId: approval.incidentId,
          message: approval.message,
          status: approval.status,
          decidedBy: approval.decidedBy ?? '',
          decidedAt: shortTime(approval.decidedAt),
          reason: approval.reason ?? '',
        })),
      }),
    );
  }

  @Get('actions')
  @BrowserPage()
  @RequirePermission('actions:read')
  @ApiDoc(pageDoc('containment actions in force with their expiry and a rollback button, and recent ones'))
  async containment(@Req() request: AuthenticatedRequest, @Res() response: Response): Promise<void> {
    const now = new Date();
    const [active, recent] = await Promise.all([
      this.actions.list({ state: ['succeeded', 'pending'], limit: 200 }),
      this.actions.list({ limit: 50 }),
    ]);
    const view = (action: ContainmentAction) => ({
      id: action.id,
      operation: action.operation,
      target: action.target,
      connector: action.connectorName,
      state: action.state,
      incidentId: action.incidentId ?? '',
      requestedBy: action.requestedBy,
      requestedAt: shortTime(action.requestedAt),
      expiresAt: shortTime(action.expiresAt),
      expires: action.expiresAt ? untilOrAgo(action.expiresAt, now) : 'never (until rolled back)',
      error: action.errorMessage ?? '',
      canRollBack: action.state === 'succeeded' && isReversible(action.operation),
    });
    send(
      response,
      this.views.page(
        principalOf(request),
        { title: 'Containment actions', current: '/actions' },
        'actions',
        {
          active: active.items.filter((action) => action.rollbackOf === null).map(view),
          recent: recent.items.map(view),
        },
      ),
    );
  }
}
