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
export { PlaybooksHttpModule, PlaybooksModule } from './playbooks.module';
