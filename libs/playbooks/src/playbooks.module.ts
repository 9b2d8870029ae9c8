import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ConnectorsModule } from '@rampart/connectors';
import { ContainmentModule } from '@rampart/containment';
import { IncidentsCoreModule } from '@rampart/incidents';

import { PlaybookFiles } from './application/playbook-files';
import { PlaybookRegistry } from './application/playbook-registry';
import { AdvanceRunUseCase } from './application/runs/advance-run.use-case';
import { CancelRunUseCase } from './application/runs/cancel-run.use-case';
import { DecideApprovalUseCase } from './application/runs/decide-approval.use-case';
import { DryRunPlaybookUseCase } from './application/runs/dry-run-playbook.use-case';
import { RunContextReader } from './application/runs/incident-snapshots';
import { RunQueries } from './application/runs/run-queries';
import { RunRepository } from './application/runs/run-repository';
import { StartRunUseCase } from './application/runs/start-run.use-case';
import { TriggerPlaybooksUseCase } from './application/runs/trigger-playbooks.use-case';
import { ValidatePlaybookUseCase } from './application/validate-playbook.use-case';
import { DirectoryPlaybookFiles } from './infrastructure/directory-playbook-files';
import { RunWorker } from './infrastructure/engine/run-worker';
import { TriggerJob } from './infrastructure/engine/trigger-job';
import { PlaybooksController } from './infrastructure/http/playbooks.controller';
import { RunsController } from './infrastructure/http/runs.controller';
import { IncidentRunContextReader } from './infrastructure/incident-run-context.reader';
import { PlaybookReloader } from './infrastructure/playbook-reloader';
import { EngineCursorEntity } from './infrastructure/sql/engine-cursor.entity';
import { PlaybookApprovalEntity } from './infrastructure/sql/playbook-approval.entity';
import { PlaybookRunDispatchEntity } from './infrastructure/sql/playbook-run-dispatch.entity';
import { PlaybookRunEventEntity } from './infrastructure/sql/playbook-run-event.entity';
import { PlaybookRunTimelineEntity } from './infrastructure/sql/playbook-run-timeline.entity';
import { PlaybookRunEntity } from './infrastructure/sql/playbook-run.entity';
import { SqlRunQueries } from './infrastructure/sql/sql-run.queries';
import { SqlRunRepository } from './infrastructure/sql/sql-run.repository';

/**
 * The playbook registry, loaded from PLAYBOOKS_DIR and reloaded when its files change. Static,
 * so the api and engine roles share one registry (and one watch) in a process that runs both.
 */
@Module({
  providers: [
    { provide: PlaybookFiles, useClass: DirectoryPlaybookFiles },
    PlaybookRegistry,
    PlaybookReloader,
    ValidatePlaybookUseCase,
  ],
  exports: [PlaybookRegistry, ValidatePlaybookUseCase],
})
export class PlaybooksModule {}

const RUN_USE_CASES = [
  AdvanceRunUseCase,
  StartRunUseCase,
  TriggerPlaybooksUseCase,
  DecideApprovalUseCase,
  CancelRunUseCase,
  DryRunPlaybookUseCase,
];

/**
 * Durable playbook runs: their persistence, the use cases that start, advance, cancel and decide
 * them, and what a run reads of incidents and connectors. Containment actions go through
 * ContainmentModule's use cases (and so through its guardrails).
 */
@Module({
  imports: [
    PlaybooksModule,
    IncidentsCoreModule,
    ContainmentModule,
    ConnectorsModule,
    TypeOrmModule.forFeature([
      PlaybookRunEntity,
      PlaybookRunEventEntity,
      PlaybookRunDispatchEntity,
      PlaybookApprovalEntity,
      PlaybookRunTimelineEntity,
      EngineCursorEntity,
    ]),
  ],
  providers: [
    { provide: RunRepository, useClass: SqlRunRepository },
    { provide: RunQueries, useClass: SqlRunQueries },
    { provide: RunContextReader, useClass: IncidentRunContextReader },
    ...RUN_USE_CASES,
  ],
  exports: [...RUN_USE_CASES, RunQueries, RunRepository],
})
export class PlaybookRunsModule {}

/** The api role's routes: `/api/v1/playbooks`, `/api/v1/runs`, approvals and manual runs. */
@Module({
  imports: [PlaybooksModule, PlaybookRunsModule],
  controllers: [PlaybooksController, RunsController],
})
export class PlaybooksHttpModule {}

/** The engine role: the run workers and the trigger consumer. */
@Module({
  imports: [PlaybookRunsModule],
  providers: [RunWorker, TriggerJob],
  exports: [RunWorker, TriggerJob],
})
export class PlaybookEngineModule {}
