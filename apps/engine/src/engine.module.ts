import { Module } from '@nestjs/common';

/**
 * Playbook workers. Thin until the playbook engine lands: the role exists so that deployments
 * can already name it in SOAR_ROLES.
 */
@Module({})
export class EngineModule {}
