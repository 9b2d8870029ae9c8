import { Controller, Get, HttpStatus, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { AuditQueries, InvalidAuditCursorError, VerifyAuditTrailUseCase } from '@rampart/audit';
import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import { PLAYBOOK_ID_PATTERN, PlaybookRegistry, RunQueries } from '@rampart/playbooks';
import { ApiDoc, ApiError, BrowserPage, ZodValidationPipe } from '@rampart/web';

import { duration, shortTime } from '../../domain/format';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { principalOf, send } from './page-response';
import { fragmentDoc, pageDoc } from './page-doc';

const playbookId = z.string().regex(PLAYBOOK_ID_PATTERN, 'must be a playbook id');
const day = z.iso.date('a date, YYYY-MM-DD');
const auditQuery = z.strictObject({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(200).optional(),
  targetType: z.string().trim().max(100).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: z.union([day, z.literal('')]).optional(),
  to: z.union([day, z.literal('')]).optional(),
  cursor: z.string().max(200).optional(),
});
const AUDIT_PAGE = 100;

/** Playbooks (YAML, validation, run history) and the audit trail (search, integrity). */
@Controller()
@UseFilters(ConsoleExceptionFilter)
export class OversightPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly registry: PlaybookRegistry,
    private readonly runs: RunQueries,
    private readonly audit: AuditQueries,
    private readonly verify: VerifyAuditTrailUseCase,
  ) {}

  @Get('playbooks')
  @BrowserPage()
  @RequirePermission('playbooks:read')
  @ApiDoc(pageDoc('the playbooks of PLAYBOOKS_DIR with their validation state'))
  playbooks(@Req() request: AuthenticatedRequest, @Res() response: Response): void {
    send(
      response,
      this.views.page(principalOf(request), { title: 'Playbooks', current: '/playbooks' }, 'playbooks', {
        playbooks: this.registry.list().map((entry) => ({
          id: entry.id ?? '',
          hasId: entry.id !== null,
          file: entry.file,
          name: entry.playbook?.name ?? '',
          version: entry.playbook?.version ?? '',
          valid: entry.state === 'valid',
          state: entry.state,
          errors: entry.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length,
          warnings: entry.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning').length,
        })),
      }),
    );
  }

  @Get('playbooks/:id')
  @BrowserPage()
  @RequirePermission('playbooks:read')
  @ApiDoc(pageDoc('a playbook: its YAML, its diagnostics and its run history', [404]))
  async playbook(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Param('id', new ZodValidationPipe(playbookId, 'param')) id: string,
  ): Promise<void> {
    const entry = this.registry.entry(id);
    if (!entry) throw new ApiError(HttpStatus.NOT_FOUND, 'playbook_not_found', `no playbook ${id}`);
    const runs = await this.runs.list({ playbookId: id, limit: 50 });
    send(
      response,
      this.views.page(principalOf(request), { title: `Playbook ${id}`, current: '/playbooks' }, 'playbook', {
        id,
        file: entry.file,
        hash: entry.hash,
        name: entry.playbook?.name ?? '',
        description: entry.playbook?.description ?? '',
        valid: entry.state === 'valid',
        state: entry.state,
        yaml: entry.source,
        diagnostics: entry.diagnostics.map((diagnostic) => ({
          severity: diagnostic.severity,
          code: diagnostic.code,
          where: `${diagnostic.file}${diagnostic.line === null ? '' : `:${diagnostic.line}`}${diagnostic.path ? ` ${diagnostic.path}` : ''}`,
          message: diagnostic.message,
        })),
        runs: runs.items.map((run) => ({
          id: run.id,
          incidentId: run.incidentId,
          status: run.status,
          reason: run.reason ?? '',
          startedBy: run.startedBy,
          startedAt: shortTime(run.startedAt),
          took: run.durationMs === null ? '' : duration(run.durationMs),
        })),
      }),
    );
  }

  @Get('audit')
  @BrowserPage()
  @RequirePermission('audit:read')
  @ApiDoc(pageDoc('search the audit trail (actor, action, target, period) and verify its integrity', [400]))
  async auditSearch(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query(new ZodValidationPipe(auditQuery, 'query')) query: z.output<typeof auditQuery>,
  ): Promise<void> {
    const filter = {
      limit: AUDIT_PAGE,
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.targetType ? { targetType: query.targetType } : {}),
      ...(query.targetId ? { targetId: query.targetId } : {}),
      ...(query.from ? { from: new Date(`${query.from}T00:00:00Z`) } : {}),
      ...(query.to ? { to: new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
    };
    let page;
    try {
      page = await this.audit.search(filter, query.cursor);
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'invalid_cursor', error.message, {
          field: 'query.cursor',
        });
      }
      throw error;
    }
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value && key !== 'cursor') next.set(key, value);
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    send(
      response,
      this.views.page(principalOf(request), { title: 'Audit trail', current: '/audit' }, 'audit', {
        query: {
          actor: query.actor ?? '',
          action: query.action ?? '',
          targetType: query.targetType ?? '',
          targetId: query.targetId ?? '',
          from: query.from ?? '',
          to: query.to ?? '',
        },
        entries: page.items.map((entry) => ({
          seq: entry.seq,
          at: shortTime(entry.at),
          iso: entry.at,
          actor: `${entry.actor.name} (${entry.actor.kind})`,
          action: entry.action,
          target: [entry.target.type, entry.target.name ?? entry.target.id].filter(Boolean).join(' '),
          requestId: entry.requestId ?? '',
        })),
        nextHref: page.nextCursor ? `/audit?${next.toString()}` : '',
      }),
    );
  }

  @Get('audit/verify')
  @BrowserPage()
  @RequirePermission('audit:read')
  @ApiDoc(fragmentDoc('verify the integrity of the audit trail now (recomputes every hash)'))
  async auditVerify(@Res() response: Response): Promise<void> {
    const result = await this.verify.execute();
    send(
      response,
      this.views.fragment('audit-verify', {
        valid: result.valid,
        message: result.message,
        entries: result.entries,
        headSeq: result.head.seq,
        checkpoints: result.checkpoints.total,
        validCheckpoints: result.checkpoints.valid,
        firstBrokenSeq: result.firstBrokenSeq ?? '',
        took: duration(result.durationMs),
      }),
    );
  }
}
