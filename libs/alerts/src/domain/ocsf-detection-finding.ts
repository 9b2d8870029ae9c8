import type { AlertEntity, NormalizedAlert } from './normalized-alert';
import { severityName } from './normalized-alert';

/** The OCSF version the Detection Finding is written in. */
export const OCSF_VERSION = '1.3.0';

const DETECTION_FINDING = 2004;
const FINDINGS_CATEGORY = 2;
const ACTIVITY_CREATE = 1;

// OCSF observable type_ids (dictionary `observable.type_id`).
const OBSERVABLE_TYPES: Readonly<Record<AlertEntity['type'], { id: number; name: string }>> = {
  host: { id: 1, name: 'Hostname' },
  ip: { id: 2, name: 'IP Address' },
  user: { id: 4, name: 'User Name' },
  url: { id: 6, name: 'URL String' },
  file_hash: { id: 8, name: 'Hash' },
  domain: { id: 1, name: 'Hostname' },
  process: { id: 9, name: 'Process Name' },
};

export interface StoredAlertView {
  id: string;
  alert: Omit<NormalizedAlert, 'raw'>;
  receivedAt: Date;
}

/**
 * A stored alert as an OCSF Detection Finding (class 2004, activity Create), so that downstream
 * tools can take our model as is: finding_info (uid, title, desc, analytic, attacks), severity,
 * time, metadata (our product, the original producer in `metadata.labels`), observables, and the
 * vendor's custom fields under `unmapped`. Pure: no I/O, no clock.
 */
export function toOcsfDetectionFinding(view: StoredAlertView): Record<string, unknown> {
  const { alert } = view;
  const severity = severityName(alert.severityId);
  const tacticById = alert.tactics;
  const attacks = [
    ...alert.techniques.map((technique) => ({
      technique: { uid: technique.id, ...(technique.name === null ? {} : { name: technique.name }) },
      ...(tacticById.length === 1 ? { tactic: ocsfTactic(tacticById[0]) } : {}),
    })),
    ...(alert.techniques.length === 0 || tacticById.length > 1
      ? tacticById.map((tactic) => ({ tactic: ocsfTactic(tactic) }))
      : []),
  ];
  const finding: Record<string, unknown> = {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: FINDINGS_CATEGORY,
    category_name: 'Findings',
    class_uid: DETECTION_FINDING,
    class_name: 'Detection Finding',
    type_uid: DETECTION_FINDING * 100 + ACTIVITY_CREATE,
    type_name: 'Detection Finding: Create',
    severity_id: alert.severityId,
    severity: severity.charAt(0).toUpperCase() + severity.slice(1),
    time: alert.time.getTime(),
    status_id: 1,
    status: 'New',
    message: alert.description ?? alert.title,
    metadata: {
      version: OCSF_VERSION,
      uid: view.id,
      product: { name: 'Rampart', vendor_name: 'Rampart' },
      labels: [`format:${alert.format}`, `source:${alert.source}`],
      logged_time: view.receivedAt.getTime(),
      ...(alert.externalId === null ? {} : { original_uid: alert.externalId }),
    },
    finding_info: {
      uid: alert.externalId ?? view.id,
      title: alert.title,
      ...(alert.description === null ? {} : { desc: alert.description }),
      ...(alert.ruleId === null && alert.ruleName === null
        ? {}
        : {
            analytic: {
              type_id: 1,
              type: 'Rule',
              ...(alert.ruleId === null ? {} : { uid: alert.ruleId }),
              ...(alert.ruleName === null ? {} : { name: alert.ruleName }),
            },
          }),
      ...(attacks.length === 0 ? {} : { attacks }),
    },
    observables: alert.entities.map((entity) => ({
      name: `${entity.type}.${entity.role}`,
      type_id: OBSERVABLE_TYPES[entity.type].id,
      type: OBSERVABLE_TYPES[entity.type].name,
      value: entity.value,
    })),
    ...(alert.threatName === null ? {} : { malware: [{ name: alert.threatName, classification_ids: [0] }] }),
    ...(alert.vendorSeverity === null && alert.customFields.length === 0
      ? {}
      : {
          unmapped: {
            ...(alert.vendorSeverity === null ? {} : { vendor_severity: alert.vendorSeverity }),
            ...(alert.customFields.length === 0 ? {} : { custom_fields: alert.customFields }),
          },
        }),
  };
  return finding;
}

function ocsfTactic(tactic: { id: string | null; name: string | null } | undefined): Record<string, string> {
  if (tactic === undefined) return {};
  return {
    ...(tactic.id === null ? {} : { uid: tactic.id }),
    ...(tactic.name === null ? {} : { name: tactic.name }),
  };
}
