import { Module } from '@nestjs/common';

import { PlaybookFiles } from './application/playbook-files';
import { PlaybookRegistry } from './application/playbook-registry';
import { ValidatePlaybookUseCase } from './application/validate-playbook.use-case';
import { DirectoryPlaybookFiles } from './infrastructure/directory-playbook-files';
import { PlaybooksController } from './infrastructure/http/playbooks.controller';
import { PlaybookReloader } from './infrastructure/playbook-reloader';

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

/** The api role's routes: `/api/v1/playbooks`. */
@Module({
  imports: [PlaybooksModule],
  controllers: [PlaybooksController],
})
export class PlaybooksHttpModule {}
