import { formatDuration } from '@rampart/config';
import { normalizeTarget } from '@rampart/connectors';
import { retryDelayMs } from '@rampart/resilience';
import { TemplateError, TemplateRenderer } from '@rampart/templates';

import { describeCondition, evaluateCondition } from './condition';
import {
  type ActionStep,
  allSteps,
  type Approvers,
  type ForEachStep,
  type InputValue,
  type Playbook,
  type Step,
} from './playbook';
import { resolveInputs } from './playbook-inputs';

import { type RunItem, runData, type StepView } from './run-data';
import { approvalIdOf, instanceKey, itemToken, RUN_ID_PATTERN, runKey, stableRandom } from './run-keys';
import type {
  ActionResultEvent,
  ApprovalDecidedEvent,
  Decider,
  Dispatch,
  ItemRef,
  PendingApproval,
  RunCommand,
  RunEvent,
  RunState,
  RunStatus,
  ScopeState,
  StartedEvent,
  StepState,
  StepStatus,
  SubrunFinishedEvent,
  TimelineKind,
  Timer,
} from './run-state';

/** The next state of a run and what the worker must do about it. */
export interface Decision {
  state: RunState;
  commands: RunCommand[];
}

/** A misuse of the state machine by its caller (not a problem of the run). */
export class RunStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStateError';
  }
}

/** Guardrail approvals: who may give them, and how long they wait. */
const GUARDRAIL_APPROVERS: Approvers = { roles: ['responder'], users: [], apiKeys: [] };
const GUARDRAIL_APPROVAL_MS = 4 * 3_600_000;
/** Bounds a decision's work: no playbook comes near it; a bug would otherwise loop forever. */
const MAX_ITERATIONS = 100_000;

// Playbook templates only; alert data is only ever data.
const renderer = new TemplateRenderer();
const stepIndexes = new WeakMap<Playbook, Map<string, Step>>();

/**
 * The run state machine: the state of a run and one event in, the next state and the commands
 * to carry out. Pure and deterministic: no clock but `now`, no randomness but what the run id
 * gives, nothing read or written; the same events give the same state and commands. `state` is
 * null only for the `started` event. Events a run cannot use (a duplicate result, a decision on
 * an approval already decided, anything after the run finished) change nothing.
 */
export function decide(playbook: Playbook, state: RunState | null, event: RunEvent, now: Date): Decision {
  return new RunMachine(playbook, now).decide(state, event);
}

/** Whether `decider` is one of the approvers (admin always is). */
export function mayDecide(approvers: Approvers, decider: Decider): boolean {
  if (decider.kind === 'system') return true;
  if (decider.role === 'admin') return true;
  if (decider.role !== null && approvers.roles.includes(decider.role)) return true;
  if (decider.kind === 'user') return approvers.users.includes(decider.name);
  return approvers.apiKeys.includes(decider.name);
}

class RunMachine {
  private state!: RunState;
  private readonly commands: RunCommand[] = [];
  private readonly nowMs: number;
  private readonly at: string;
  private readonly stepsById: Map<string, Step>;

  constructor(
    private readonly playbook: Playbook,
    now: Date,
  ) {
    this.nowMs = now.getTime();
    if (!Number.isFinite(this.nowMs)) throw new RunStateError('now is not a valid time');
    this.at = now.toISOString();
    let index = stepIndexes.get(playbook);
    if (index === undefined) {
      index = new Map(allSteps(playbook.steps).map((step) => [step.id, step]));
      stepIndexes.set(playbook, index);
    }
    this.stepsById = index;
  }

  decide(state: RunState | null, event: RunEvent): Decision {
    let previousWakeup: string | null = null;
    if (event.type === 'started') {
      if (state !== null) return { state, commands: [] };
      this.start(event);
    } else {
      if (state === null) throw new RunStateError('a run begins with a `started` event');
      if (state.playbookId !== this.playbook.id || state.playbookHash !== this.playbook.hash) {
        throw new RunStateError(
          `run ${state.runId} runs playbook ${state.playbookId} version ${state.playbookHash}, not ${this.playbook.id} version ${this.playbook.hash}`,
        );
      }
      if (state.status !== 'running') return { state, commands: [] };
      this.state = structuredClone(state);
      previousWakeup = this.state.nextWakeupAt;
      this.apply(event);
    }
    this.advance();
    const next = this.state.timers.reduce<string | null>(
      (earliest, timer) => (earliest === null || timer.at < earliest ? timer.at : earliest),
      null,
    );
    this.state.nextWakeupAt = next;
    if (next !== null && next !== previousWakeup) this.commands.push({ type: 'schedule_wakeup', at: next });
    return { state: this.state, commands: this.commands };
  }

  // -- events ------------------------------------------------------------------------------------

  private start(event: StartedEvent): void {
    if (!RUN_ID_PATTERN.test(event.runId)) {
      throw new RunStateError(`run id "${event.runId}" must be 1-40 letters, digits, ., _ or -`);
    }
    const byName = new Map(event.connectors.map((connector) => [connector.name, connector]));
    const inputs = resolveInputs(this.playbook, event.inputs ?? {});
    this.state = {
      version: 1,
      runId: event.runId,
      playbookId: this.playbook.id,
      playbookHash: this.playbook.hash,
      status: 'running',
      reason: null,
      startedAt: this.at,
      finishedAt: null,
      startedBy: event.startedBy ?? 'trigger',
      snapshot: event.snapshot,
      connectors: [...byName.values()].sort((a, b) => compare(a.name, b.name)),
      inputs: inputs.ok ? inputs.inputs : {},
      vars: {},
      steps: {},
      scopes: { '': newScope('', null, 'root', null) },
      timers: [],
      timerSeq: 1,
      nextWakeupAt: null,
    };
    this.record(
      'run_started',
      null,
      `playbook ${this.playbook.id} version ${this.playbook.version} started by ${this.state.startedBy}`,
    );
    if (!inputs.ok) {
      const problems = inputs.problems.map((problem) => `${problem.input}: ${problem.message}`).join('; ');
      this.finishRun('failed', `invalid inputs: ${problems}`);
    }
  }

  private apply(event: Exclude<RunEvent, StartedEvent>): void {
    switch (event.type) {
      case 'action_result':
        return this.onActionResult(event);
      case 'wakeup':
        return this.fireTimers();
      case 'approval_decided':
        return this.onApprovalDecided(event);
      case 'subrun_finished':
        return this.onSubrunFinished(event);
      case 'cancel_requested': {
        this.cancelScope('', `run cancelled by ${event.by}`);
        const reason = `cancelled by ${event.by}${event.reason ? `: ${event.reason}` : ''}`;
        return this.finishRun('cancelled', reason);
      }
    }
  }

  private onActionResult(event: ActionResultEvent): void {
    for (const st of Object.values(this.state.steps)) {
      const dispatch = st.dispatches.find((each) => each.idempotencyKey === event.idempotencyKey);
      if (dispatch === undefined) continue;
      if (dispatch.status !== 'pending' || st.status !== 'running') return;
      const { result } = event;
      switch (result.status) {
        case 'succeeded':
          dispatch.status = 'succeeded';
          dispatch.output = result.output ?? {};
          break;
        case 'failed':
          dispatch.status = 'failed';
          dispatch.error = {
            code: result.code,
            message: result.message ?? result.code,
            retryable: result.retryable ?? true,
          };
          break;
        case 'refused':
          dispatch.status = 'refused';
          dispatch.error = {
            code: 'refused_by_guardrail',
            message: `refused by guardrail ${result.rule}${result.message ? `: ${result.message}` : ''}`,
            retryable: false,
          };
          break;
        case 'approval_required':
          this.requestGuardrailApproval(st, dispatch, result.reason);
          break;
      }
      this.settleAction(st);
      return;
    }
  }

  private fireTimers(): void {
    const due = this.state.timers
      .filter((timer) => Date.parse(timer.at) <= this.nowMs)
      .sort((a, b) => compare(a.at, b.at) || a.id - b.id);
    const fired = new Set(due.map((timer) => timer.id));
    this.state.timers = this.state.timers.filter((timer) => !fired.has(timer.id));
    for (const timer of due) this.fire(timer);
  }

  private fire(timer: Timer): void {
    const st = this.state.steps[timer.step];
    if (st === undefined) return;
    const step = this.stepOf(st);
    switch (timer.kind) {
      case 'timeout':
        if (st.status === 'running' || st.status === 'waiting_retry') {
          const limit = step.timeoutMs === null ? '' : ` within ${formatDuration(step.timeoutMs)}`;
          this.failStep(st, { code: 'timeout', message: `the step did not finish${limit}` }, false);
        }
        return;
      case 'wait':
        if (st.status === 'running') this.succeedStep(st, {});
        return;
      case 'retry':
        if (st.status === 'waiting_retry') this.retry(st, step);
        return;
      case 'approval': {
        const approval = st.approvals.find((each) => each.approvalId === timer.approvalId);
        if (approval === undefined || approval.status !== 'pending' || st.status !== 'running') return;
        const waited = formatDuration(Date.parse(approval.expiresAt) - Date.parse(approval.requestedAt));
        this.commands.push({
          type: 'withdraw_approval',
          approvalId: approval.approvalId,
          reason: `nobody decided within ${waited}: ${approval.onTimeout === 'approve' ? 'approved' : 'rejected'} by default`,
        });
        this.applyDecision(
          st,
          approval,
          approval.onTimeout === 'approve' ? 'approved' : 'rejected',
          { kind: 'system', name: 'timeout', role: null },
          `nobody decided in time (${waited})`,
        );
        return;
      }
    }
  }

  private onApprovalDecided(event: ApprovalDecidedEvent): void {
    for (const st of Object.values(this.state.steps)) {
      const approval = st.approvals.find((each) => each.approvalId === event.approvalId);
      if (approval === undefined) continue;
      if (approval.status !== 'pending' || st.status !== 'running') return;
      if (!mayDecide(approval.approvers, event.by)) {
        this.record(
          'approval_ignored',
          st,
          `${event.by.name} is not among the approvers of ${approval.approvalId}`,
        );
        return;
      }
      this.applyDecision(st, approval, event.decision, event.by, event.reason ?? null);
      return;
    }
  }

  private onSubrunFinished(event: SubrunFinishedEvent): void {
    const st = Object.values(this.state.steps).find(
      (each) => each.subrun?.key === event.subrunKey && each.subrun.status === 'running',
    );
    if (st === undefined || st.subrun === null || st.status !== 'running') return;
    st.subrun.status = 'finished';
    if (event.status === 'succeeded') {
      this.succeedStep(st, { status: 'succeeded' });
      return;
    }
    const reason = event.reason ? `: ${event.reason}` : '';
    this.failStep(
      st,
      { code: `subrun_${event.status}`, message: `the sub-playbook run ${event.status}${reason}` },
      event.status === 'failed',
    );
  }

  // -- advancing -----------------------------------------------------------------------------------

  private advance(): void {
    if (this.state.status !== 'running') return;
    this.advanceScope('');
    const root = this.state.scopes[''] as ScopeState;
    if (root.status === 'succeeded') this.finishRun('succeeded', 'every step finished');
    else if (root.status === 'failed') this.finishRun('failed', this.failureOf(root));
  }

  /** Works through a step list as far as it can go without a new event. */
  private advanceScope(scopeKey: string): void {
    const scope = this.state.scopes[scopeKey] as ScopeState;
    const list = this.listOf(scope);
    for (let guard = 0; scope.status === 'running'; guard += 1) {
      if (guard > MAX_ITERATIONS) throw new RunStateError('the run does not settle');
      const step = list[scope.position];
      if (step === undefined) {
        this.finishScope(scope, 'succeeded', null);
        return;
      }
      const key = instanceKey(step.id, scope.item?.token ?? null);
      if (this.state.steps[key] === undefined) this.startStep(step, scope);
      const st = this.state.steps[key] as StepState;
      if (st.status === 'running' && st.children.length > 0) {
        for (const child of st.children) this.advanceScope(child);
        this.settleComposite(st);
      }
      if (!isFinished(st.status)) return;
      if (st.status !== 'failed' || step.onError.kind === 'continue') {
        scope.position += 1;
        continue;
      }
      if (step.onError.kind === 'fail') {
        this.finishScope(scope, 'failed', st.key);
        return;
      }
      const target = step.onError.step;
      const targetIndex = list.findIndex((each) => each.id === target);
      for (let index = scope.position + 1; index < targetIndex; index += 1) {
        const skipped = list[index] as Step;
        const skippedKey = instanceKey(skipped.id, scope.item?.token ?? null);
        this.state.steps[skippedKey] = this.newStep(skipped, scope, skippedKey);
        this.skip(this.state.steps[skippedKey] as StepState, `"${step.id}" failed and went to "${target}"`);
      }
      scope.position = targetIndex < 0 ? list.length : targetIndex;
    }
  }

  private startStep(step: Step, scope: ScopeState): void {
    const key = instanceKey(step.id, scope.item?.token ?? null);
    const st = this.newStep(step, scope, key);
    this.state.steps[key] = st;
    if (step.when !== null && !evaluateCondition(step.when, this.context(scope.item))) {
      this.skip(st, `condition not met: ${describeCondition(step.when)}`);
      return;
    }
    this.record('step_started', st, `${step.kind} step "${step.name}" started`);
    if (step.timeoutMs !== null && step.kind !== 'approval') {
      st.deadline = this.after(step.timeoutMs);
      this.addTimer('timeout', st, st.deadline, null);
    }
    switch (step.kind) {
      case 'action':
        return this.startAction(st, step);
      case 'condition': {
        const branch = evaluateCondition(step.if, this.context(scope.item)) ? 'then' : 'else';
        st.output = { branch };
        st.children = [this.openScope(st, branch, scope.item)];
        return;
      }
      case 'parallel':
        st.children = step.branches.map((_branch, index) => this.openScope(st, index, scope.item));
        return;
      case 'for_each':
        return this.startForEach(st, step);
      case 'approval': {
        const message = this.render(st, step.message);
        if (message === null) return;
        const approvalId = approvalIdOf(runKey(this.state.runId, step.id, { item: st.item?.token ?? null }));
        this.openApproval(
          st,
          {
            approvalId,
            kind: 'step',
            approvers: step.approvers,
            requestedAt: this.at,
            expiresAt: this.after(step.timeoutMs ?? 0),
            onTimeout: step.onTimeout,
            connector: null,
            status: 'pending',
            decidedBy: null,
            reason: null,
          },
          message,
          null,
        );
        return;
      }
      case 'wait':
        this.addTimer('wait', st, this.after(step.durationMs), null);
        return;
      case 'playbook':
        return this.startSubrun(st, step);
      case 'set': {
        const values = this.renderValues(st, step.variables);
        if (values === null) return;
        Object.assign(this.state.vars, values);
        this.succeedStep(st, values);
        return;
      }
      case 'incident': {
        const comment = step.comment === null ? null : this.render(st, step.comment);
        if (step.comment !== null && comment === null) return;
        this.commands.push({
          type: 'update_incident',
          stepId: step.id,
          instance: st.key,
          incidentId: this.state.snapshot.incident.id,
          status: step.status,
          severity: step.severity,
          comment,
        });
        this.succeedStep(st, { status: step.status, severity: step.severity, comment });
        return;
      }
    }
  }

  // -- step kinds ----------------------------------------------------------------------------------

  private startAction(st: StepState, step: ActionStep): void {
    const candidates = this.state.connectors.filter((connector) =>
      step.connector !== null ? connector.name === step.connector : connector.capability === step.capability,
    );
    if (candidates.length === 0) {
      this.skip(
        st,
        step.connector !== null
          ? `no connector named "${step.connector}" is available`
          : `no ${step.capability} connector is available for ${step.operation}`,
      );
      return;
    }
    const named = candidates[0];
    if (step.connector !== null && named !== undefined && named.capability !== step.capability) {
      this.failStep(
        st,
        {
          code: 'unsupported_operation',
          message: `connector "${named.name}" is a ${named.capability} connector: ${step.operation} needs ${step.capability}`,
        },
        false,
      );
      return;
    }
    const rendered = this.render(st, step.target);
    if (rendered === null) return;
    const reason = step.reason === null ? null : this.render(st, step.reason);
    if (step.reason !== null && reason === null) return;
    const parameters = this.renderValues(st, step.parameters);
    if (parameters === null) return;
    const target = normalizeTarget(step.operation, rendered);
    if (!target.ok) {
      this.failStep(
        st,
        {
          code: 'invalid_target',
          message: `target ${JSON.stringify(rendered)} ${target.problem} for ${step.operation}`,
        },
        false,
      );
      return;
    }
    const expiresAfterSeconds =
      step.expiresAfter === null
        ? null
        : 'seconds' in step.expiresAfter
          ? step.expiresAfter.seconds
          : Number(this.state.inputs[step.expiresAfter.input]);
    st.action = {
      target: target.target,
      reason,
      parameters: parameters as Record<string, string>,
      expiresAfterSeconds,
      connectors: candidates.map((connector) => connector.name),
      fanOut: step.connector === null,
    };
    for (const connector of st.action.connectors) this.dispatch(st, step, connector, null);
  }

  private dispatch(
    st: StepState,
    step: ActionStep,
    connector: string,
    approval: { approvalId: string; by: string } | null,
  ): void {
    const action = st.action;
    if (action === null) return;
    const idempotencyKey = runKey(this.state.runId, step.id, {
      item: st.item?.token ?? null,
      attempt: st.attempt,
      approved: approval !== null,
      connector: action.fanOut ? connector : null,
    });
    st.dispatches.push({
      idempotencyKey,
      connector,
      attempt: st.attempt,
      status: 'pending',
      output: null,
      error: null,
      approvalId: null,
      approved: approval !== null,
    });
    this.commands.push({
      type: 'execute_action',
      stepId: step.id,
      instance: st.key,
      item: itemRef(st.item),
      incidentId: this.state.snapshot.incident.id,
      connector,
      operation: step.operation,
      target: action.target,
      reason: action.reason,
      parameters: action.parameters,
      expiresAfterSeconds: action.expiresAfterSeconds,
      idempotencyKey,
      approval,
    });
  }

  private requestGuardrailApproval(st: StepState, dispatch: Dispatch, reason: string): void {
    const step = this.stepOf(st) as ActionStep;
    if (dispatch.approved) {
      // Approved once already: asking again would loop.
      dispatch.status = 'failed';
      dispatch.error = {
        code: 'approval_required',
        message: `still needs approval after one: ${reason}`,
        retryable: false,
      };
      return;
    }
    dispatch.status = 'awaiting_approval';
    dispatch.approvalId = approvalIdOf(dispatch.idempotencyKey);
    const target = st.action?.target ?? '';
    this.openApproval(
      st,
      {
        approvalId: dispatch.approvalId,
        kind: 'guardrail',
        approvers: GUARDRAIL_APPROVERS,
        requestedAt: this.at,
        expiresAt: this.after(GUARDRAIL_APPROVAL_MS),
        onTimeout: 'reject',
        connector: dispatch.connector,
        status: 'pending',
        decidedBy: null,
        reason: null,
      },
      `${step.operation} ${target} through ${dispatch.connector} needs an approval: ${reason}`,
      {
        connector: dispatch.connector,
        operation: step.operation,
        target,
        idempotencyKey: dispatch.idempotencyKey,
      },
    );
  }

  /** Settles an action step once every connector's latest dispatch has an answer. */
  private settleAction(st: StepState): void {
    if (st.status !== 'running') return;
    const latest = this.latestDispatches(st);
    if (latest.some((dispatch) => dispatch.status === 'pending' || dispatch.status === 'awaiting_approval'))
      return;
    const results = latest.map((dispatch) => ({
      connector: dispatch.connector,
      status: dispatch.status,
      output: dispatch.output,
      error: dispatch.error === null ? null : { code: dispatch.error.code, message: dispatch.error.message },
    }));
    const failures = latest.filter((dispatch) => dispatch.status !== 'succeeded');
    const output = { results, succeeded: latest.length - failures.length, failed: failures.length };
    const first = failures[0];
    if (first === undefined) {
      this.succeedStep(st, output);
      return;
    }
    st.output = output;
    const error = first.error ?? { code: 'failed', message: 'the action failed', retryable: true };
    const message =
      failures.length > 1 ? `${error.message} (and ${failures.length - 1} more)` : error.message;
    this.failStep(
      st,
      { code: error.code, message: `${first.connector}: ${message}` },
      failures.every((dispatch) => dispatch.error?.retryable === true),
    );
  }

  private latestDispatches(st: StepState): Dispatch[] {
    const latest = new Map<string, Dispatch>();
    for (const dispatch of st.dispatches) latest.set(dispatch.connector, dispatch);
    return [...latest.values()];
  }

  private startForEach(st: StepState, step: ForEachStep): void {
    const { types, roles } = step.entities;
    const items: RunItem[] = this.state.snapshot.entities
      .filter(
        (entity) =>
          (types.length === 0 || types.includes(entity.type)) &&
          // The reporting device (an IDS sensor, a forwarder) is never acted on unless asked for.
          (roles.length === 0
            ? entity.roles.length === 0 || entity.roles.some((role) => role !== 'observer')
            : entity.roles.some((role) => roles.includes(role))),
      )
      .map((entity) => ({
        token: itemToken(entity.type, entity.value),
        type: entity.type,
        value: entity.value,
        roles: [...entity.roles],
      }))
      .sort((a, b) => compare(a.type, b.type) || compare(a.value, b.value));
    const what = [
      types.length > 0 ? `of type ${types.join(' or ')}` : null,
      roles.length > 0 ? `with role ${roles.join(' or ')}` : null,
    ]
      .filter((part) => part !== null)
      .join(' ');
    if (items.length === 0) {
      this.skip(st, `no entity ${what || 'at all'} in the incident`.replace('  ', ' '));
      return;
    }
    if (items.length > step.maxItems) {
      this.failStep(
        st,
        {
          code: 'too_many_items',
          message: `${items.length} entities ${what} match, more than max_items (${step.maxItems})`.replace(
            '  ',
            ' ',
          ),
        },
        false,
      );
      return;
    }
    st.output = { items: items.length };
    st.children = items.map((item) => this.openScope(st, 'steps', item));
  }

  private startSubrun(st: StepState, step: Extract<Step, { kind: 'playbook' }>): void {
    const inputs = this.renderValues(st, step.inputs);
    if (inputs === null) return;
    const subrunKey = runKey(this.state.runId, step.id, {
      item: st.item?.token ?? null,
      attempt: st.attempt,
    });
    st.subrun = { key: subrunKey, status: 'running' };
    this.commands.push({
      type: 'start_subrun',
      subrunKey,
      stepId: step.id,
      instance: st.key,
      playbookId: step.playbook,
      inputs,
    });
  }

  private retry(st: StepState, step: Step): void {
    st.status = 'running';
    if (step.kind === 'playbook') {
      this.startSubrun(st, step);
      return;
    }
    if (step.kind !== 'action') return;
    for (const dispatch of this.latestDispatches(st)) {
      if (dispatch.status === 'failed') this.dispatch(st, step, dispatch.connector, null);
    }
  }

  private openApproval(
    st: StepState,
    approval: PendingApproval,
    message: string,
    action: {
      connector: string;
      operation: ActionStep['operation'];
      target: string;
      idempotencyKey: string;
    } | null,
  ): void {
    st.approvals.push(approval);
    this.addTimer('approval', st, approval.expiresAt, approval.approvalId);
    this.commands.push({
      type: 'request_approval',
      approvalId: approval.approvalId,
      kind: approval.kind,
      stepId: st.stepId,
      instance: st.key,
      item: itemRef(st.item),
      message,
      approvers: approval.approvers,
      expiresAt: approval.expiresAt,
      onTimeout: approval.onTimeout,
      action,
    });
    this.record('approval_requested', st, message);
  }

  private applyDecision(
    st: StepState,
    approval: PendingApproval,
    decision: 'approved' | 'rejected',
    by: Decider,
    reason: string | null,
  ): void {
    approval.status = decision;
    approval.decidedBy = by;
    approval.reason = reason;
    this.state.timers = this.state.timers.filter((timer) => timer.approvalId !== approval.approvalId);
    const why = reason ? `: ${reason}` : '';
    this.record('approval_decided', st, `${decision} by ${by.name}${why}`);
    if (approval.kind === 'step') {
      if (decision === 'approved') this.succeedStep(st, { decision, by: by.name, reason });
      else this.failStep(st, { code: 'approval_rejected', message: `rejected by ${by.name}${why}` }, false);
      return;
    }
    const dispatch = st.dispatches.find((each) => each.approvalId === approval.approvalId);
    if (dispatch === undefined) return;
    if (decision === 'approved') {
      dispatch.status = 'abandoned';
      this.dispatch(st, this.stepOf(st) as ActionStep, dispatch.connector, {
        approvalId: approval.approvalId,
        by: by.name,
      });
    } else {
      dispatch.status = 'failed';
      dispatch.error = {
        code: 'approval_rejected',
        message: `rejected by ${by.name}${why}`,
        retryable: false,
      };
      this.settleAction(st);
    }
  }

  private settleComposite(st: StepState): void {
    const scopes = st.children.map((key) => this.state.scopes[key] as ScopeState);
    if (scopes.some((scope) => scope.status === 'running')) return;
    const failed = scopes.filter((scope) => scope.status !== 'succeeded');
    const step = this.stepOf(st);
    if (step.kind === 'condition') {
      const first = failed[0];
      if (first === undefined) this.succeedStep(st, st.output ?? {});
      else this.failStep(st, { code: 'branch_failed', message: this.failureOf(first) }, false);
      return;
    }
    const counts = { succeeded: scopes.length - failed.length, failed: failed.length };
    const output =
      step.kind === 'for_each'
        ? { items: scopes.length, ...counts, results: scopes.map((scope) => this.itemResult(scope)) }
        : { branches: scopes.length, ...counts };
    const first = failed[0];
    if (first === undefined) {
      this.succeedStep(st, output);
      return;
    }
    st.output = output;
    const what = step.kind === 'for_each' ? 'items' : 'branches';
    this.failStep(
      st,
      {
        code: step.kind === 'for_each' ? 'item_failed' : 'branch_failed',
        message: `${failed.length} of ${scopes.length} ${what} failed; first: ${this.failureOf(first)}`,
      },
      false,
    );
  }

  /** One iteration of a for_each, for its output: the entity, how it went, each step's status. */
  private itemResult(scope: ScopeState): Record<string, unknown> {
    const steps: Record<string, StepStatus> = {};
    for (const st of Object.values(this.state.steps)) {
      if (scope.item !== null && st.item?.token === scope.item.token) steps[st.stepId] = st.status;
    }
    return { type: scope.item?.type, value: scope.item?.value, status: scope.status, steps };
  }

  // -- step and scope lifecycle ------------------------------------------------------------------------

  private succeedStep(st: StepState, output: Record<string, unknown>): void {
    st.status = 'succeeded';
    st.output = output;
    st.error = null;
    st.finishedAt = this.at;
    this.closeStep(st);
    this.record('step_finished', st, `step "${st.stepId}" succeeded`, 'succeeded');
  }

  /** Fails a step, or schedules its retry when its policy allows one. */
  private failStep(st: StepState, error: { code: string; message: string }, retryable: boolean): void {
    const step = this.stepOf(st);
    const policy = step.kind === 'action' || step.kind === 'playbook' ? step.retry : null;
    const beforeDeadline = st.deadline === null || Date.parse(st.deadline) > this.nowMs;
    if (retryable && policy !== null && st.attempt <= policy.maxRetries && beforeDeadline) {
      const delay = retryDelayMs(policy, st.attempt, () =>
        stableRandom(this.state.runId, st.key, st.attempt),
      );
      const at = this.after(delay);
      st.status = 'waiting_retry';
      st.error = error;
      this.record(
        'step_retry',
        st,
        `${error.code}: ${error.message}; retry ${st.attempt} of ${policy.maxRetries} at ${at}`,
      );
      st.attempt += 1;
      this.addTimer('retry', st, at, null);
      return;
    }
    st.status = 'failed';
    st.error = error;
    st.finishedAt = this.at;
    this.closeStep(st);
    this.record('step_finished', st, `step "${st.stepId}" failed: ${error.code}: ${error.message}`, 'failed');
  }

  private skip(st: StepState, reason: string): void {
    st.status = 'skipped';
    st.reason = reason;
    st.finishedAt = this.at;
    this.record('step_skipped', st, reason, 'skipped');
  }

  /** A finished step lets go of everything still open under it. */
  private closeStep(st: StepState): void {
    this.state.timers = this.state.timers.filter((timer) => timer.step !== st.key);
    for (const approval of st.approvals) {
      if (approval.status !== 'pending') continue;
      approval.status = 'withdrawn';
      this.commands.push({
        type: 'withdraw_approval',
        approvalId: approval.approvalId,
        reason: `step ${st.status}`,
      });
    }
    for (const dispatch of st.dispatches) {
      if (dispatch.status === 'pending' || dispatch.status === 'awaiting_approval')
        dispatch.status = 'abandoned';
    }
    if (st.subrun?.status === 'running') {
      st.subrun.status = 'cancelled';
      this.commands.push({ type: 'cancel_subrun', subrunKey: st.subrun.key, reason: `step ${st.status}` });
    }
    for (const child of st.children) this.cancelScope(child, `step "${st.stepId}" ${st.status}`);
  }

  private cancelScope(scopeKey: string, reason: string): void {
    const scope = this.state.scopes[scopeKey];
    if (scope === undefined || scope.status !== 'running') return;
    scope.status = 'cancelled';
    // By key, not by property order: a worker may store the state where key order is not kept.
    const open = Object.values(this.state.steps)
      .filter((st) => st.scope === scopeKey && !isFinished(st.status))
      .sort((a, b) => compare(a.key, b.key));
    for (const st of open) {
      st.status = 'cancelled';
      st.finishedAt = this.at;
      st.reason = reason;
      this.closeStep(st);
      this.record('step_finished', st, `step "${st.stepId}" cancelled: ${reason}`, 'cancelled');
    }
  }

  private finishScope(scope: ScopeState, status: 'succeeded' | 'failed', failedStep: string | null): void {
    scope.status = status;
    scope.failedStep = failedStep;
  }

  private finishRun(status: Exclude<RunStatus, 'running'>, reason: string): void {
    this.cancelScope('', `run ${status}`);
    this.state.status = status;
    this.state.reason = reason;
    this.state.finishedAt = this.at;
    this.state.timers = [];
    this.record('run_finished', null, `run ${status}: ${reason}`, status);
    this.commands.push({ type: 'finish_run', status, reason });
  }

  private failureOf(scope: ScopeState): string {
    const st = scope.failedStep === null ? undefined : this.state.steps[scope.failedStep];
    if (st === undefined) return 'cancelled';
    return `step "${st.stepId}" failed: ${st.error?.code ?? 'failed'}: ${st.error?.message ?? ''}`;
  }

  private openScope(owner: StepState, part: ScopeState['part'], item: RunItem | null): string {
    const key = `${owner.key}/${typeof part === 'number' ? part : item !== null && part === 'steps' ? item.token : part}`;
    this.state.scopes[key] = newScope(key, owner.key, part, item);
    return key;
  }

  private listOf(scope: ScopeState): Step[] {
    if (scope.owner === null) return this.playbook.steps;
    const owner = this.stepOf(this.state.steps[scope.owner] as StepState);
    if (owner.kind === 'condition') return scope.part === 'then' ? owner.then : owner.else;
    if (owner.kind === 'parallel' && typeof scope.part === 'number')
      return owner.branches[scope.part]?.steps ?? [];
    if (owner.kind === 'for_each') return owner.steps;
    return [];
  }

  private stepOf(st: StepState): Step {
    const step = this.stepsById.get(st.stepId);
    if (step === undefined) throw new RunStateError(`the playbook has no step "${st.stepId}"`);
    return step;
  }

  private newStep(step: Step, scope: ScopeState, key: string): StepState {
    return {
      key,
      stepId: step.id,
      kind: step.kind,
      scope: scope.key,
      item: scope.item,
      status: 'running',
      attempt: 1,
      startedAt: this.at,
      finishedAt: null,
      deadline: null,
      output: null,
      error: null,
      reason: null,
      children: [],
      dispatches: [],
      approvals: [],
      subrun: null,
      action: null,
    };
  }

  // -- data, templates, timers, timeline ---------------------------------------------------------------

  private context(item: RunItem | null) {
    return { snapshot: this.state.snapshot, data: this.data(item) };
  }

  private data(item: RunItem | null): Record<string, unknown> {
    const steps: Record<string, StepView> = {};
    const views = Object.values(this.state.steps);
    // Outside a loop `steps.<id>` is the step's one instance; inside, the current item's.
    for (const st of views) if (st.item === null) steps[st.stepId] = view(st);
    if (item !== null) for (const st of views) if (st.item?.token === item.token) steps[st.stepId] = view(st);
    return runData(this.state.snapshot, {
      run: { id: this.state.runId, startedAt: this.state.startedAt },
      playbook: { id: this.playbook.id, name: this.playbook.name, version: this.playbook.version },
      inputs: this.state.inputs,
      vars: this.state.vars,
      steps,
      item,
    });
  }

  /** A rendered template, or null after failing the step (a template error is not retried). */
  private render(st: StepState, template: string): string | null {
    try {
      return renderer.render(template, this.data(st.item));
    } catch (failure) {
      if (!(failure instanceof TemplateError)) throw failure;
      this.failStep(st, { code: 'template_error', message: failure.message }, false);
      return null;
    }
  }

  private renderValues(st: StepState, values: Record<string, InputValue>): Record<string, InputValue> | null {
    const rendered: Record<string, InputValue> = {};
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'string') {
        const text = this.render(st, value);
        if (text === null) return null;
        rendered[name] = text;
      } else if (Array.isArray(value)) {
        const texts: string[] = [];
        for (const item of value) {
          const text = this.render(st, item);
          if (text === null) return null;
          texts.push(text);
        }
        rendered[name] = texts;
      } else {
        rendered[name] = value;
      }
    }
    return rendered;
  }

  private after(ms: number): string {
    return new Date(this.nowMs + ms).toISOString();
  }

  private addTimer(kind: Timer['kind'], st: StepState, at: string, approvalId: string | null): void {
    this.state.timers.push({ id: this.state.timerSeq, at, kind, step: st.key, approvalId });
    this.state.timerSeq += 1;
  }

  private record(
    kind: TimelineKind,
    st: StepState | null,
    message: string,
    status: StepStatus | RunStatus | null = null,
  ): void {
    this.commands.push({
      type: 'record',
      entry: { at: this.at, kind, stepId: st?.stepId ?? null, instance: st?.key ?? null, status, message },
    });
  }
}

function newScope(
  key: string,
  owner: string | null,
  part: ScopeState['part'],
  item: RunItem | null,
): ScopeState {
  return { key, owner, part, item, position: 0, status: 'running', failedStep: null };
}

function view(st: StepState): StepView {
  return { status: st.status, output: st.output, error: st.error };
}

function itemRef(item: RunItem | null): ItemRef | null {
  return item === null ? null : { token: item.token, type: item.type, value: item.value };
}

function isFinished(status: StepStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'skipped' || status === 'cancelled';
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
