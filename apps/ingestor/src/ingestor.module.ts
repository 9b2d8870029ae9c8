import { Module } from '@nestjs/common';

import { IntakeModule } from '@rampart/intake';
import { MessagingModule } from '@rampart/messaging';

/** The Kafka consumer group on the alerts topic (SOAR_ROLES includes `ingestor`, KAFKA_BROKERS set). */
@Module({
  imports: [MessagingModule.forRoot(), IntakeModule.register({ http: false, kafka: true })],
})
export class IngestorModule {}
