import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AlertsModule } from '@rampart/alerts';
import { CorrelationModule } from '@rampart/correlation';

import { AlertGroupCommit } from './application/alert-group-commit';
import { IngestAlertsUseCase } from './application/ingest-alerts.use-case';
import { IntakeSourceService } from './application/intake-source.service';
import { AlertIntakeController } from './infrastructure/http/alert-intake.controller';
import { IntakeSourceController } from './infrastructure/http/intake-source.controller';
import { IntakeSourceKeyEntity } from './infrastructure/intake-source-key.entity';
import { IntakeSourceEntity } from './infrastructure/intake-source.entity';
import { KafkaAlertIntakeConsumer } from './infrastructure/kafka/kafka-alert-intake.consumer';
import { WebhookReplayGuardEntity } from './infrastructure/webhook-replay-guard.entity';

/**
 * Alert intake. `http` mounts the webhook routes (api role); `kafka` runs the consumer group
 * (ingestor role, when KAFKA_BROKERS is set; needs MessagingModule).
 */
@Module({})
export class IntakeModule {
  static register(options: { http: boolean; kafka: boolean }): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        AlertsModule,
        CorrelationModule,
        TypeOrmModule.forFeature([IntakeSourceEntity, IntakeSourceKeyEntity, WebhookReplayGuardEntity]),
      ],
      controllers: options.http ? [AlertIntakeController, IntakeSourceController] : [],
      providers: [
        AlertGroupCommit,
        IngestAlertsUseCase,
        IntakeSourceService,
        ...(options.kafka ? [KafkaAlertIntakeConsumer] : []),
      ],
      exports: [IngestAlertsUseCase],
    };
  }
}
