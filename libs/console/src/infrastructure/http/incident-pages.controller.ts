import { Controller, Get, HttpStatus, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';

import { ALERT_SEVERITY_NAMES, severityId } from '@rampart/alerts';
import { type AuthenticatedRequest, RequirePermission } from '@rampart/auth';
import {
  allowedTransitions,
  INCIDENT_STATUSES,
  IncidentQueries,
  type IncidentStatus,
} from '@rampart/incidents';
import { DryRunPlaybookUseCase, PlaybookRegistry } from '@rampart/playbooks';
import { ApiDoc, ApiError, BrowserPage, ZodValidationPipe } from '@rampart/web';

import { severityClass, shortTime, isoTime } from '../../domain/format';
import { matchesSearch, parseSearch, QUEUE_SORTS, sortQueue } from '../../domain/incident-queue';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleViews } from './console-views';
import { fragmentDoc, pageDoc } from './page-doc';
import { principalOf, send } from './page-response';

const QUEUE_LIMIT = 200;

/**
 * A list filter as the filter form sends it (one parameter per checked box: `?status=new&status=closed`)
 * or as a link does (`?status=new,closed`).
 */
function listFilter<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string()).max(20)])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

const queueQuery = z.strictObject({
  status: listFilter(z.enum(INCIDENT_STATUSES)).optional(),
  severity: listFilter(z.enum(ALERT_SEVERITY_NAMES)).optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(QUEUE_SORTS).default('number'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
const incidentId = z.uuid('must be an incident id (uuid)');
const dryRunQuery = z.strictObject({ playbook: z.string().min(1).max(200) });

/** The incident queue (the console's home) and the incident detail. */
@Controller()
@UseFilters(ConsoleExceptionFilter)
export class IncidentPagesController {
  constructor(
    private readonly views: ConsoleViews,
    private readonly incidents: IncidentQueries,
    private readonly playbooks: PlaybookRegistry,
    private readonly dryRun: DryRunPlaybookUseCase,
  ) {}

  @Get()
  @BrowserPage()
  @RequirePermission('incidents:read')
  @ApiDoc(pageDoc('the incident queue (filters: status, severity, q; sort, dir); new incidents appear live'))
  async queue(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Query(new ZodValidationPipe(queueQuery, 'query')) query: z.output<typeof queueQuery>,
  ): Promise<void> {
    const search = parseSearch(query.q);
    const page = await this.incidents.list({
      status: query.status,
      severity: query.severity?.map(severityId),
      entity: search.kind === 'entity' ? search.entity : undefined,
      limit: QUEUE_LIMIT,
    });
    const items = sortQueue(
      page.items.filter((incident) => matchesSearch(incident, search)),
      query.sort,
      query.dir === 'desc',
    );
    const filters = { status: query.status ?? [], severity: query.severity ?? [], q: query.q ?? '' };
    const rows = this.views.fragment('incident-rows', {
      items: items.map((incident) => ({
        ...incident,
        severityClass: severityClass(incident.severity),
        lastSeenText: shortTime(incident.lastSeen),
        assignee: incident.assignee ?? '',
      })),
      empty: items.length === 0,
    });
    const sortLink = (column: string) => {
      const params = new URLSearchParams();
      if (filters.status.length) params.set('status', filters.status.join(','));
      if (filters.severity.length) params.set('severity', filters.severity.join(','));
      if (filters.q) params.set('q', filters.q);
      params.set('sort', column);
      params.set('dir', query.sort === column && query.dir === 'desc' ? 'asc' : 'desc');
      return {
        href: `/?${params.toString()}`,
        ariaSort: query.sort === column ? (query.dir === 'desc' ? 'descending' : 'ascending') : 'none',
      };
    };
    send(
      response,
      this.views.page(principalOf(request), { title: 'Incidents', current: '/' }, 'queue', {
        statuses: INCIDENT_STATUSES.map((status) => ({
          value: status,
          checked: filters.status.includes(status),
        })),
        severities: ALERT_SEVERITY_NAMES.map((severity) => ({
          value: severity,
          checked: filters.severity.includes(severity),
        })),
        q: filters.q,
        sort: Object.fromEntries(QUEUE_SORTS.map((column) => [column, sortLink(column)])),
        rows,
        truncated: page.nextCursor !== null,
        limit: QUEUE_LIMIT,
      }),
    );
  }

  @Get('incidents/:id')
  @BrowserPage()
  @RequirePermission('incidents:read')
  @ApiDoc(
    pageDoc('an incident: alert timeline, entities, MITRE tags, comments, status, runs, actions', [404]),
  )
  async detail(
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
  ): Promise<void> {
    const incident = await this.incidents.get(id);
    if (!incident) throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no incident ${id}`);
    const alerts = incident.alerts as AlertRow[];
    const tactics = new Map<string, string>();
    const techniques = new Map<string, string>();
    for (const alert of alerts) {
      for (const tactic of alert.tactics ?? []) {
        const key = tactic.id ?? tactic.name ?? '';
        if (key) tactics.set(key, [tactic.id, tactic.name].filter(Boolean).join(' '));
      }
      for (const technique of alert.techniques ?? []) {
        techniques.set(technique.id, [technique.id, technique.name].filter(Boolean).join(' '));
      }
    }
    const status = incident.status as IncidentStatus;
    const next = allowedTransitions(status).filter((to) => to !== 'merged');
    const principal = principalOf(request);
    send(
      response,
      this.views.page(
        principal,
        { title: `#${incident.number} ${incident.title}`, current: '/' },
        'incident',
        {
          incident: {
            id: incident.id,
            number: incident.number,
            status: incident.status,
            severity: incident.severity,
            severityClass: severityClass(incident.severity),
            assignee: incident.assignee ?? '',
            alertCount: incident.alertCount,
            firstSeen: shortTime(incident.firstSeen),
            lastSeen: shortTime(incident.lastSeen),
          },
          alerts: alerts.map((alert) => ({
            time: shortTime(alert.time),
            iso: isoTime(alert.time),
            title: alert.title ?? '',
            source: alert.source ?? '',
            severity: alert.severity,
            severityClass: severityClass(alert.severity),
            ruleName: alert.ruleName ?? '',
          })),
          moreAlerts: incident.alertsNextCursor !== null,
          entities: (incident.entities as unknown as EntityRow[]).map((entity) => ({
            type: entity.type,
            value: entity.value,
            alertCount: entity.alertCount,
          })),
          tactics: [...tactics.values()],
          techniques: [...techniques.values()],
          timeline: (incident.timeline as unknown as TimelineRow[]).map((entry) => ({
            at: shortTime(entry.at),
            kind: entry.kind,
            actor: entry.actor ?? '',
            message: entry.message ?? '',
          })),
          comments: (incident.comments as unknown as CommentRow[]).map((comment) => ({
            author: comment.author,
            at: shortTime(comment.createdAt),
            body: comment.body,
          })),
          runs: (incident.runs as unknown as RunRow[]).map((run) => ({
            id: run.id,
            playbookId: run.playbookId,
            status: run.status,
            startedBy: run.startedBy,
            startedAt: shortTime(run.startedAt),
          })),
          actions: (incident.actions as unknown as ActionRow[]).map((action) => ({
            id: action.id,
            operation: action.operation,
            target: action.target,
            state: action.state,
            connector: action.connector,
            expiresAt: shortTime(action.expiresAt),
          })),
          transitions: next.map((to) => ({ value: to })),
          canTransition: next.length > 0,
          playbooks: this.playbooks
            .list()
            .filter((entry) => entry.state === 'valid' && entry.id !== null)
            .map((entry) => ({ id: entry.id, name: entry.playbook?.name ?? entry.id })),
        },
      ),
    );
  }

  /** What a playbook would do on this incident now, touching no vendor and recording nothing. */
  @Get('incidents/:id/dry-run')
  @BrowserPage()
  @RequirePermission('runs:start')
  @ApiDoc(fragmentDoc('dry-run preview of a playbook on an incident', [404]))
  async dryRunPreview(
    @Res() response: Response,
    @Param('id', new ZodValidationPipe(incidentId, 'param')) id: string,
    @Query(new ZodValidationPipe(dryRunQuery, 'query')) query: z.output<typeof dryRunQuery>,
  ): Promise<void> {
    let data: Record<string, unknown>;
    try {
      const result = await this.dryRun.execute({ incidentId: id, playbookId: query.playbook });
      data = {
        failed: false,
        error: '',
        playbook: result.playbook.name,
        status: result.status,
        reason: result.reason,
        actions: result.actions.map((action) => ({ text: describe(action) })),
        approvals: result.approvals.map((approval) => ({ text: describe(approval) })),
        skipped: result.skipped.map((skip) => ({ text: `${skip.stepId}: ${skip.reason}` })),
        notes: result.notes,
      };
    } catch (error) {
      data = {
        failed: true,
        error: error instanceof Error ? error.message : 'the dry run failed',
        playbook: query.playbook,
        status: '',
        reason: '',
        actions: [],
        approvals: [],
        skipped: [],
        notes: [],
      };
    }
    send(response, this.views.fragment('dry-run', data));
  }
}

/** One line for a dry-run action or approval: its own short summary of the fields that matter. */
function describe(item: object): string {
  const record = item as Record<string, unknown>;
  const parts = ['stepId', 'operation', 'target', 'connector', 'message', 'guardrail', 'verdict']
    .filter((key) => record[key] !== undefined && record[key] !== null)
    .map(
      (key) =>
        `${key}: ${typeof record[key] === 'object' ? JSON.stringify(record[key]) : String(record[key])}`,
    );
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(item);
}

interface AlertRow {
  time: string;
  title: string | null;
  source: string | null;
  severity: string;
  ruleName: string | null;
  tactics: { id: string | null; name: string | null }[] | null;
  techniques: { id: string; name: string | null }[] | null;
}
interface EntityRow {
  type: string;
  value: string;
  alertCount: number;
}
interface TimelineRow {
  at: string;
  kind: string;
  actor: string | null;
  message: string | null;
}
interface CommentRow {
  author: string;
  body: string;
  createdAt: string;
}
interface RunRow {
  id: string;
  playbookId: string;
  status: string;
  startedBy: string;
  startedAt: string;
}
interface ActionRow {
  id: string;
  operation: string;
  target: string;
  state: string;
  connector: string;
  expiresAt: string | null;
}
