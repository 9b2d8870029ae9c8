import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The platform's Prometheus metrics, one registry per process (per app instance in tests).
 * Names follow Prometheus conventions: `rampart_` prefix, `_total` counters, base units.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly alertsReceived = new Counter({
    name: 'rampart_alerts_received_total',
    help: 'Alerts received, by intake (kafka, webhook) and result (accepted, duplicate, rejected)',
    labelNames: ['intake', 'result'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'rampart_alerts_dead_lettered_total',
    help: 'Kafka records sent to the dead-letter topic, by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly incidents = new Counter({
    name: 'rampart_incidents_total',
    help: 'Incident changes made by correlation: opened, updated, merged, rule_matched',
    labelNames: ['change'] as const,
    registers: [this.registry],
  });

  readonly ingestBatchSeconds = new Histogram({
    name: 'rampart_ingest_batch_duration_seconds',
    help: 'Time to normalize, store and correlate one batch, by intake',
    labelNames: ['intake'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly groupCommitAlerts = new Histogram({
    name: 'rampart_group_commit_alerts',
    help: 'Alerts stored and correlated by one group-commit transaction, by intake',
    labelNames: ['intake'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });

  readonly groupCommitSeconds = new Histogram({
    name: 'rampart_group_commit_stage_duration_seconds',
    help:
      'Time of each stage of a group-commit transaction: insert (alerts stored, before the lock), ' +
      'lock_wait (waiting for the correlation lock), correlate (under the lock), commit',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'rampart_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (unmatched for no route) and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpRequestSeconds = new Histogram({
    name: 'rampart_http_request_duration_seconds',
    help: 'Time from request to the end of the answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly containmentActions = new Counter({
    name: 'rampart_containment_actions_total',
    help:
      'Containment action records written by an execution, rollback, expiry or reconciliation, by ' +
      'operation, the state they were left in, and result (the outcome when succeeded, else the error code)',
    labelNames: ['operation', 'state', 'result'] as const,
    registers: [this.registry],
  });

  readonly containmentSweepFailures = new Counter({
    name: 'rampart_containment_sweep_failures_total',
    help:
      'Actions the sweeper could not handle because of an unexpected error (job: expiry, reconcile); each ' +
      'is recorded on the action, set aside for a while, and the rest of the pass goes on. Alert on any increase.',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  // The two workflow metrics keep the names SOC dashboards for workflow engines already use.
  readonly workflowExecutions = new Counter({
    name: 'workflow_executions_total',
    help: 'Playbook runs finished, by playbook and status (succeeded, failed, cancelled)',
    labelNames: ['playbook', 'status'] as const,
    registers: [this.registry],
  });

  readonly workflowDuration = new Histogram({
    name: 'workflow_duration_seconds',
    help: 'Time from the start of a playbook run to its end, by playbook',
    labelNames: ['playbook'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400],
    registers: [this.registry],
  });

  readonly workflowSteps = new Counter({
    name: 'rampart_workflow_steps_total',
    help: 'Playbook steps finished, by step kind and outcome (succeeded, failed, skipped, cancelled)',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'rampart_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
