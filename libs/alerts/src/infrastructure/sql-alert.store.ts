import { Injectable } from '@nestjs/common';

import type { SqlExecutor } from '@rampart/database';

import { AlertIntake, AlertStore, IdentifiedAlert, StoredAlert } from '../application/alert-store';
import { entityKey, type NormalizedAlert } from '../domain/normalized-alert';

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
    // An identity given twice is one alert: the first is stored (the entity rows join on identity).
    const seen = new Set<string>();
    const unique = alerts.filter(({ identity }) => !seen.has(identity) && seen.add(identity));
    for (let start = 0; start < unique.length; start += ALERTS_PER_STATEMENT) {
      const chunk = unique.slice(start, start + ALERTS_PER_STATEMENT);
      for (const alert of await this.insertChunk(sql, chunk, intake)) stored.push(alert);
    }
    return stored;
  }

  /**
   * One statement per chunk: the alerts, then the entity rows of those new to the database, taken
   * from what the insert returned (a repeated alert inserts nothing, so neither do its entities).
   * Each entity row is derived in the statement from an alert row it inserts, which is why
   * `alert_entity` needs no foreign key checked row by row (a migration keeps its cascade).
   */
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
      entity_rows: entityRows(alert.entities),
      raw: alert.raw,
      event_time: alert.time.toISOString(),
      time_fallback: timeFallback ?? null,
      intake_source: intakeSource ?? null,
    }));
    const inserted = await sql.query<{ id: string; identity: string }>(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(identity text, format text, source text, external_id text,
                title text, description text, threat_name text, custom_fields jsonb, original text,
                severity_id smallint, vendor_severity text, rule_id text, rule_name text, tactics jsonb,
                techniques jsonb, entities jsonb, entity_rows jsonb, raw jsonb, event_time timestamptz,
                time_fallback text, intake_source text)),
       inserted AS (
         INSERT INTO alert (identity, format, source, external_id, title, description, threat_name, custom_fields,
                            original, severity_id, vendor_severity, rule_id, rule_name, tactics, techniques, entities,
                            raw, event_time, time_fallback, intake, intake_source)
         SELECT r.identity, r.format, r.source, r.external_id, r.title, r.description, r.threat_name,
                r.custom_fields, r.original, r.severity_id, r.vendor_severity, r.rule_id, r.rule_name, r.tactics,
                r.techniques, r.entities, r.raw, r.event_time, r.time_fallback, $2, r.intake_source
           FROM r
         ON CONFLICT ON CONSTRAINT uq_alert_identity DO NOTHING
         RETURNING id, identity, event_time),
       entities AS (
         INSERT INTO alert_entity (alert_id, entity_key, type, value, role, event_time)
         SELECT i.id, e.entity_key, e.type, e.value, e.role, i.event_time
           FROM inserted i JOIN r ON r.identity = i.identity
          CROSS JOIN LATERAL jsonb_to_recordset(r.entity_rows) AS e(entity_key text, type text, value text, role text))
       SELECT id::text, identity FROM inserted`,
      [JSON.stringify(rows), intake],
    );
    if (inserted.length === 0) return [];
    const byIdentity = new Map(alerts.map((item) => [item.identity, item.alert]));
    return inserted.map((row) => ({
      id: row.id,
      identity: row.identity,
      alert: byIdentity.get(row.identity) as IdentifiedAlert['alert'],
    }));
  }
}

/**
 * An alert's rows of `alert_entity`, one per entity key and role (the table's key): two entities
 * may share one once their values are bounded or made storable; the first of them is kept.
 */
function entityRows(entities: NormalizedAlert['entities']) {
  const rows = new Map<string, { entity_key: string; type: string; value: string; role: string }>();
  for (const entity of entities) {
    const key = entityKey(entity);
    const keyAndRole = `${entity.role} ${key}`;
    if (!rows.has(keyAndRole))
      rows.set(keyAndRole, { entity_key: key, type: entity.type, value: entity.value, role: entity.role });
  }
  return [...rows.values()];
}
