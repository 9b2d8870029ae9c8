import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { type AuditEntryInput, AuditTrail } from '@rampart/audit';
import { type SqlExecutor, TransactionRunner } from '@rampart/database';

import type { ConnectorInfo, IncidentSnapshot, LoadedPlaybook, Playbook } from '../../domain';
import { PlaybookRegistry } from '../playbook-registry';
import { RunContextReader } from './incident-snapshots';
import { ENGINE_ACTOR, runStarted } from './run-audit';
import { RunRepository } from './run-repository';

export class RunStartError extends Error {
  constructor(
    readonly code: 'playbook_not_found' | 'playbook_invalid' | 'incident_not_found',
    message: string,
  ) {
    super(message);
    this.name = 'RunStartError';
  }
}

export interface StartRunCommand {
  incidentId: string;
  playbookId: string;
  inputs?: Record<string, unknown>;
  startedBy: string;
}

/**
 * Starts a run of a loaded, valid playbook on an incident: the run row and its `started` event (the
 * incident as it is now, the connectors it may use, the inputs) in one transaction. The workers
 * pick it up at commit.
 */
@Injectable()
export class StartRunUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly runs: RunRepository,
    private readonly registry: PlaybookRegistry,
    private readonly context: RunContextReader,
    private readonly audit: AuditTrail,
  ) {}

  /** A run started by hand; its id. */
  async start(command: StartRunCommand): Promise<string> {
    const entry = this.loaded(command.playbookId);
    const snapshot = await this.context.snapshot(command.incidentId);
    if (!snapshot) {
      throw new RunStartError('incident_not_found', `no incident ${command.incidentId}`);
    }
    const connectors = await this.context.connectors();
    const id = randomUUID();
    await this.transactions.run(async (sql) => {
      await this.insert(sql, {
        id,
        entry,
        snapshot,
        connectors,
        triggerKey: `manual:${id}`,
        startedBy: command.startedBy,
        ...(command.inputs ? { inputs: command.inputs } : {}),
      });
      // The caller of the request (a person or a key) started it.
      await this.audit.record(
        sql,
        runStarted(
          {
            id,
            playbookId: command.playbookId,
            incidentId: snapshot.incident.id,
            startedBy: command.startedBy,
          },
          'manual',
        ),
      );
    });
    return id;
  }

  /**
   * In the caller's transaction (the trigger consumer's, with its cursor): a run of `playbook`
   * for the incident change `triggerKey`, and its `run.started` audit entry for the caller to
   * append last; null when that key already started one.
   */
  async startTriggered(
    sql: SqlExecutor,
    playbook: Playbook,
    snapshot: IncidentSnapshot,
    connectors: ConnectorInfo[],
    triggerKey: string,
  ): Promise<AuditEntryInput | null> {
    const entry = this.loaded(playbook.id);
    const id = randomUUID();
    const inserted = await this.insert(sql, {
      id,
      entry,
      snapshot,
      connectors,
      triggerKey: playbook.trigger.oncePerIncident ? 'once' : triggerKey,
      startedBy: 'trigger',
    });
    if (!inserted) return null;
    return runStarted(
      { id, playbookId: playbook.id, incidentId: snapshot.incident.id, startedBy: 'trigger' },
      'trigger',
      ENGINE_ACTOR,
    );
  }

  private insert(
    sql: SqlExecutor,
    run: {
      id: string;
      entry: LoadedPlaybook;
      snapshot: IncidentSnapshot;
      connectors: ConnectorInfo[];
      triggerKey: string;
      startedBy: string;
      inputs?: Record<string, unknown>;
    },
  ): Promise<boolean> {
    const playbook = run.entry.playbook as Playbook;
    return this.runs.insertRun(sql, {
      id: run.id,
      playbookId: playbook.id,
      playbookHash: run.entry.hash,
      playbookFile: run.entry.file,
      playbookSource: run.entry.source,
      incidentId: run.snapshot.incident.id,
      parentRunId: null,
      subrunKey: null,
      triggerKey: run.triggerKey,
      startedBy: run.startedBy,
      started: {
        type: 'started',
        runId: run.id,
        snapshot: run.snapshot,
        connectors: run.connectors,
        startedBy: run.startedBy,
        ...(run.inputs ? { inputs: run.inputs } : {}),
      },
    });
  }

  private loaded(playbookId: string): LoadedPlaybook {
    const entry = this.registry.entry(playbookId);
    if (!entry) throw new RunStartError('playbook_not_found', `no playbook "${playbookId}" is loaded`);
    if (entry.state !== 'valid' || entry.playbook === null) {
      throw new RunStartError(
        'playbook_invalid',
        `playbook "${playbookId}" (${entry.file}) does not validate; see GET /api/v1/playbooks/${playbookId}`,
      );
    }
    return entry;
  }
}
