export { IngestAlertsUseCase } from './application/ingest-alerts.use-case';
export type { IngestCommand, IngestResult, ItemResult } from './application/ingest-alerts.use-case';
export { IntakeSourceService } from './application/intake-source.service';
export { parseIntakePayload } from './domain/parse-intake-payload';
export { signWebhook, verifyWebhookSignature } from './domain/webhook-signature';
export { ALERT_INTAKE_PATH } from './infrastructure/http/alert-intake.controller';
export { DLQ_HEADERS, KafkaAlertIntakeConsumer } from './infrastructure/kafka/kafka-alert-intake.consumer';
export { IntakeModule } from './intake.module';
