export * from './domain';
export { PlaybookFiles, type PlaybookFilesSnapshot } from './application/playbook-files';
export { PlaybookRegistry, type RegistryChange } from './application/playbook-registry';
export {
  type PlaybookValidation,
  type ValidatePlaybookCommand,
  ValidatePlaybookUseCase,
} from './application/validate-playbook.use-case';
export { checkPlaybookDirectory, type PlaybookCheck } from './infrastructure/check-playbooks';
export { readPlaybookDirectory } from './infrastructure/read-playbook-directory';
export {
  PlaybookEngineModule,
  PlaybookRunsModule,
  PlaybooksHttpModule,
  PlaybooksModule,
} from './playbooks.module';
export { AdvanceRunUseCase, RUN_LEASE_MS } from './application/runs/advance-run.use-case';
export { DryRunPlaybookUseCase } from './application/runs/dry-run-playbook.use-case';
export { StartRunUseCase } from './application/runs/start-run.use-case';
export { TriggerPlaybooksUseCase } from './application/runs/trigger-playbooks.use-case';
export { RunQueries } from './application/runs/run-queries';
export type { RunSummary } from './application/runs/run-queries';
export { RunWorker } from './infrastructure/engine/run-worker';
export { TriggerJob } from './infrastructure/engine/trigger-job';
export { startRunBody } from './infrastructure/http/runs.controller';
