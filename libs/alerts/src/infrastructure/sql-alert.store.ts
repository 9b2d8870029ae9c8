import { Injectable } from '@nestjs/common';

import type { SqlExecutor } from '@rampart/database';

import { AlertIntake, AlertStore, IdentifiedAlert, StoredAlert } from '../application/alert-store';
import { entityKey } from '../domain/normalized-alert';

/**
 * Alerts per INSERT statement. A group commit's transaction takes up to 5,000 alerts; sent as one
 * statement, their JSON parameter and the driver's copy of it were 12 MB of a Kafka ingestor's
 * peak memory for nothing: the rows insert as fast in a few statements of the same transaction.
 */
const ALERTS_PER_STATEMENT = 1_000;

@Injectable()
export class SqlAlertStore extends AlertStore {
  async insertNew(sql: SqlExecutor, alerts: IdentifiedAlert[], intake: AlertIntake): Promise<StoredAlert[]> {
    const stored: StoredAlert[] = [];
    for (let start = 0; start < alerts.length; start += ALERTS_PER_STATEMENT) {
      const chunk = alerts.slice(start, start + ALERTS_PER_STATEMENT);
      for (const alert of await this.insertChunk(sql, chunk, intake)) stored.push(alert);
    }
    return stored;
  }

  private async insertChunk(
    sql: SqlExecutor,
    alerts: IdentifiedAlert[],
    intake: AlertIntake,
  ): Promise<StoredAlert[]> {
    // One jsonb array parameter keeps the statement's size fixed whatever the batch size.
    const rows = alerts.map(({ identity, alert, original, timeFallback, intakeSource }) => ({
      identity,
      format: alert.format,
      source: alert.source,
      external_id: alert.externalId,
      title: alert.title,
      description: alert.description,
      threat_name: alert.threatName,
      custom_fields: alert.customFields,
      original: original ?? null,
      severity_id: alert.severityId,
      vendor_severity: alert.vendorSeverity,
      rule_id: alert.ruleId,
      rule_name: alert.ruleName,
      tactics: alert.tactics,
      techniques: alert.techniques,
      entities: alert.entities,
      raw: alert.raw,
      event_time: alert.time.toISOString(),
      time_fallback: timeFallback ?? null,
      intake_source: intakeSource ?? null,
    }));
    const inserted = await sql.query<{ id: string; identity: string }>(
      `INSERT INTO alert (identity, format, source, external_id, title, description, threat_name, custom_fields,
                          original, severity_id, vendor_severity, rule_id, rule_name, tactics, techniques, entities,
                          raw, event_time, time_fallback, intake, intake_source)
       SELECT r.identity, r.format, r.source, r.external_id, r.title, r.description, r.threat_name, r.custom_fields,
              r.original, r.severity_id, r.vendor_severity, r.rule_id, r.rule_name, r.tactics, r.techniques,
              r.entities, r.raw, r.event_time, r.time_fallback, $2, r.intake_source
         FROM jsonb_to_recordset($1::jsonb) AS r(identity text, format text, source text, external_id text, title text,
              description text, threat_name text, custom_fields jsonb, original text, severity_id smallint,
              vendor_severity text, rule_id text, rule_name text, tactics jsonb, techniques jsonb, entities jsonb,
              raw jsonb, event_time timestamptz, time_fallback text, intake_source text)
       ON CONFLICT ON CONSTRAINT uq_alert_identity DO NOTHING
       RETURNING id::text, identity`,
      [JSON.stringify(rows), intake],
    );
    if (inserted.length === 0) return [];
    const byIdentity = new Map(alerts.map((item) => [item.identity, item.alert]));
    const stored = inserted.map((row) => ({
      id: row.id,
      identity: row.identity,
      alert: byIdentity.get(row.identity) as IdentifiedAlert['alert'],
    }));
    const entityRows = stored.flatMap(({ id, alert }) =>
      alert.entities.map((entity) => ({
        alert_id: id,
        entity_key: entityKey(entity),
        type: entity.type,
        value: entity.value,
        role: entity.role,
        event_time: alert.time.toISOString(),
      })),
    );
    if (entityRows.length > 0) {
      await sql.query(
        `INSERT INTO alert_entity (alert_id, entity_key, type, value, role, event_time)
         SELECT r.alert_id, r.entity_key, r.type, r.value, r.role, r.event_time
           FROM jsonb_to_recordset($1::jsonb) AS r(alert_id uuid, entity_key text, type text, value text, role text,
                event_time timestamptz)
         ON CONFLICT ON CONSTRAINT pk_alert_entity DO NOTHING`,
        [JSON.stringify(entityRows)],
      );
    }
    return stored;
  }
}
