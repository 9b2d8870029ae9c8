import { ALERT_FORMATS, ENTITY_ROLES, ENTITY_TYPES, SEVERITY_NAMES } from '@rampart/alerts';
import { ROLES } from '@rampart/auth';
import { CAPABILITIES, CONNECTOR_NAME_PATTERN, CONTAINMENT_OPERATIONS } from '@rampart/connectors';
import { INCIDENT_STATUSES } from '@rampart/incidents';
import { z } from 'zod';

import { FIELD_OPERATORS } from './condition';
import { INPUT_TYPES, PLAYBOOK_INCIDENT_STATUSES, TRIGGER_EVENTS } from './playbook';

// The playbook file format: structure only, so that its JSON Schema (docs/playbook.schema.json,
// GET /api/v1/playbooks/schema.json) is the whole published contract. What a schema cannot say
// (step ids unique, goto targets, templates that compile, sub-playbook cycles) is checked by
// compilePlaybook, with the same diagnostics.

export const PLAYBOOK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const STEP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,47}$/;
export const NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;
export const DURATION_PATTERN = /^(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$/;
export const TACTIC_ID_PATTERN = /^TA\d{4}$/i;
export const TECHNIQUE_ID_PATTERN = /^T\d{4}(?:\.\d{3})?$/i;
const MAX_TEMPLATE = 2_000;
const MAX_LIST = 100;

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(MAX_LIST)]);

const duration = z
  .string()
  .regex(DURATION_PATTERN, { error: 'must be a duration such as 90s, 30m, 2h or 1d' })
  .min(2)
  .describe('a duration: digits and a unit (d, h, m, s), largest unit first, e.g. 90s, 30m, 1h30m, 1d');
const template = z
  .string()
  .min(1)
  .max(MAX_TEMPLATE)
  .describe('a Handlebars template over the run data (docs/playbooks.md#templates)');
const stepId = z.string().regex(STEP_ID_PATTERN, {
  error: 'must be 1-48 lower-case letters, digits, - and _, starting with a letter or digit',
});
const playbookId = z.string().regex(PLAYBOOK_ID_PATTERN, {
  error: 'must be 1-63 lower-case letters, digits and -, starting with a letter or digit',
});
const name = (what: string) =>
  z.string().regex(NAME_PATTERN, {
    error: `must be a ${what} name: lower-case letters, digits and _, starting with a letter`,
  });
const scalar = z.union([z.string().max(MAX_TEMPLATE), z.number(), z.boolean()]);
const value = z.union([scalar, z.array(z.string().max(MAX_TEMPLATE)).max(MAX_LIST)]);

const fieldCondition = z
  .strictObject({
    path: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/, {
        error: 'must be a dotted path such as steps.lookup.output.verdict',
      })
      .describe(
        'where to look in the run data: incident.title, inputs.x, vars.x, steps.<id>.output.x, item.value',
      ),
    equals: scalar.optional(),
    one_of: z.array(scalar).min(1).max(MAX_LIST).optional(),
    matches: oneOrMany(z.string().max(256)).optional().describe('glob patterns (* and ?), case-insensitive'),
    contains: scalar.optional(),
    exists: z.boolean().optional(),
    at_least: z.number().optional(),
    at_most: z.number().optional(),
    in_cidr: oneOrMany(z.string().min(3).max(50))
      .optional()
      .describe('CIDR blocks such as 10.0.0.0/8 or fc00::/7'),
  })
  .describe(`a path and exactly one operator: ${FIELD_OPERATORS.join(', ')}`);

/** One condition; several keys in one mapping must all hold. */
export const conditionSchema = z
  .strictObject({
    get all() {
      return z.array(conditionSchema).min(1).max(MAX_LIST).optional().describe('every condition holds');
    },
    get any() {
      return z
        .array(conditionSchema)
        .min(1)
        .max(MAX_LIST)
        .optional()
        .describe('at least one condition holds');
    },
    get not() {
      return conditionSchema.optional().describe('the condition does not hold');
    },
    severity: z
      .strictObject({
        at_least: z.enum(SEVERITY_NAMES).optional(),
        one_of: oneOrMany(z.enum(SEVERITY_NAMES)).optional(),
      })
      .optional()
      .describe("the incident's severity"),
    status: oneOrMany(z.enum(INCIDENT_STATUSES)).optional().describe("the incident's status is one of these"),
    entity: z
      .strictObject({
        type: oneOrMany(z.enum(ENTITY_TYPES)).optional(),
        role: oneOrMany(z.enum(ENTITY_ROLES)).optional(),
        value: oneOrMany(z.string().min(1).max(512)).optional().describe('exact values, case-insensitive'),
        matches: oneOrMany(z.string().min(1).max(256)).optional().describe('glob patterns (* and ?)'),
      })
      .optional()
      .describe('the incident has an entity with all of these'),
    tag: oneOrMany(z.string().min(1).max(100)).optional().describe('the incident has one of these tags'),
    source_format: oneOrMany(z.enum(ALERT_FORMATS))
      .optional()
      .describe('an alert came in one of these formats'),
    rule: oneOrMany(z.string().min(1).max(100)).optional().describe('one of these correlation rules matched'),
    tactic: oneOrMany(z.string().regex(TACTIC_ID_PATTERN, { error: 'must be a tactic id such as TA0006' }))
      .optional()
      .describe('an alert carries one of these ATT&CK tactics'),
    technique: oneOrMany(
      z.string().regex(TECHNIQUE_ID_PATTERN, { error: 'must be a technique id such as T1110 or T1110.004' }),
    )
      .optional()
      .describe('an alert carries one of these ATT&CK techniques (or a sub-technique of one)'),
    alert_title_contains: oneOrMany(z.string().min(1).max(256))
      .optional()
      .describe("an alert's title contains one of these, case-insensitive"),
    field: fieldCondition.optional(),
  })
  .meta({
    id: 'Condition',
    description: 'A structured condition; several keys in one mapping must all hold.',
  });

const retry = z
  .strictObject({
    max_retries: z.number().int().min(0).max(10).optional(),
    initial_delay: duration.optional(),
    max_delay: duration.optional(),
    multiplier: z.number().min(1).max(10).optional(),
    jitter: z.enum(['full', 'none']).optional(),
  })
  .meta({
    id: 'Retry',
    description: 'Retries of a failed step, with exponential backoff (default 3 retries from 5s).',
  });

const onError = z
  .union([
    z.enum(['fail', 'continue']),
    z.strictObject({ goto: stepId.describe('a later step of the same list') }),
  ])
  .describe(
    'what a failure of the step does: fail (default) the enclosing steps, continue, or go to a later step',
  );

const common = {
  id: stepId.describe('unique in the playbook; part of every idempotency key of the step'),
  name: z.string().min(1).max(200).optional(),
  when: conditionSchema.optional().describe('run the step only when this holds; skipped otherwise'),
  timeout: duration.optional().describe('fail the step when it has not finished this long after it started'),
  on_error: onError.optional(),
};

// Nested step lists are typed loosely to break the type-level recursion; they are validated by
// the same schema, so compilePlaybook reads them as StepFile.
type NestedSteps = z.ZodArray<z.ZodType<Record<string, unknown>>>;

export const stepSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      ...common,
      kind: z.literal('action').describe('a containment operation through a connector'),
      operation: z.enum(CONTAINMENT_OPERATIONS),
      capability: z
        .enum(CAPABILITIES)
        .optional()
        .describe("the operation's capability; fans out to every connector of it"),
      connector: z
        .string()
        .regex(CONNECTOR_NAME_PATTERN, { error: 'must be a connector instance name' })
        .optional()
        .describe('one connector by name instead of every connector of the capability'),
      target: template.describe(
        'IP or CIDR, host, user or message text, as the operation needs (a template)',
      ),
      reason: template.optional().describe('why, for the vendor and the action record (a template)'),
      parameters: z.record(name('parameter'), template).optional(),
      expires_after: z
        .union([duration, z.strictObject({ input: name('input') })])
        .optional()
        .describe('reversible operations: undone this long after (at most 30 days), or a duration input'),
      retry: retry.optional(),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('condition').describe('runs `then` or `else` by a condition'),
      if: conditionSchema,
      get then(): NestedSteps {
        return z.array(stepSchema).max(MAX_LIST);
      },
      get else(): z.ZodOptional<NestedSteps> {
        return z.array(stepSchema).max(MAX_LIST).optional();
      },
    }),
    z.strictObject({
      ...common,
      kind: z.literal('parallel').describe('runs branches side by side; done when all are'),
      branches: z
        .array(
          z.strictObject({
            name: z.string().min(1).max(200).optional(),
            get steps(): NestedSteps {
              return z.array(stepSchema).min(1).max(MAX_LIST);
            },
          }),
        )
        .min(1)
        .max(20),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('approval').describe('waits for a person to approve or reject'),
      message: template,
      approvers: z
        .strictObject({
          roles: oneOrMany(z.enum(ROLES)).optional(),
          users: oneOrMany(z.string().min(1).max(200)).optional(),
          api_keys: oneOrMany(z.string().min(1).max(200)).optional().describe('API key names'),
        })
        .optional()
        .describe('who may decide (any one of them); default: role responder'),
      on_timeout: z
        .enum(['approve', 'reject'])
        .optional()
        .describe('decision when `timeout` (default 4h) passes; default reject'),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('wait').describe('waits for a duration'),
      duration,
    }),
    z.strictObject({
      ...common,
      kind: z.literal('playbook').describe('runs another playbook on the same incident and waits for it'),
      playbook: playbookId,
      inputs: z.record(name('input'), value).optional().describe('strings are templates'),
      retry: retry.optional(),
    }),
    z.strictObject({
      ...common,
      kind: z.literal('set').describe('sets run variables (vars.<name>)'),
      variables: z.record(name('variable'), value).describe('strings are templates'),
    }),
    z.strictObject({
      ...common,
      kind: z
        .literal('for_each')
        .describe('runs its steps once per matching entity of the incident, side by side'),
      entities: z.strictObject({
        type: oneOrMany(z.enum(ENTITY_TYPES)).optional(),
        role: oneOrMany(z.enum(ENTITY_ROLES)).optional(),
      }),
      max_items: z
        .number()
        .int()
        .min(1)
        .max(500)
        .optional()
        .describe('more matching entities fail the step (default 50)'),
      get steps(): NestedSteps {
        return z.array(stepSchema).min(1).max(MAX_LIST);
      },
    }),
    z
      .strictObject({
        ...common,
        kind: z
          .literal('incident')
          .describe("changes the run's incident: status forward, severity up, a comment"),
        status: z
          .enum(PLAYBOOK_INCIDENT_STATUSES)
          .optional()
          .describe('applied when the lifecycle allows it from where the incident stands; never a step back'),
        severity: z.enum(SEVERITY_NAMES).optional().describe('applied when above the current; never lowers'),
        comment: template.optional().describe('a comment on the incident, by the playbook'),
      })
      .refine(
        (step) => step.status !== undefined || step.severity !== undefined || step.comment !== undefined,
        {
          error: 'an incident step changes something: give status, severity or comment',
        },
      ),
  ])
  .meta({ id: 'Step' });

const input = z.strictObject({
  type: z.enum(INPUT_TYPES),
  description: z.string().max(1_000).optional(),
  default: value.optional(),
});

export const playbookSchema = z
  .strictObject({
    id: playbookId.describe('unique among the loaded playbooks'),
    name: z.string().min(1).max(200),
    version: z.number().int().min(1),
    description: z.string().max(5_000).optional(),
    owner: z.string().min(1).max(200).describe('who answers for the playbook: a team or a person'),
    enabled: z.boolean().optional().describe('default true'),
    trigger: z.strictObject({
      on: oneOrMany(z.enum(TRIGGER_EVENTS)),
      when: conditionSchema.optional(),
      once_per_incident: z.boolean().optional().describe('at most one run per incident (default true)'),
    }),
    inputs: z.record(name('input'), input).optional(),
    steps: z.array(stepSchema).min(1).max(MAX_LIST),
  })
  .meta({
    title: 'Rampart playbook',
    description:
      'A response playbook (docs/playbooks.md). Files live in PLAYBOOKS_DIR, one playbook per file.',
  });

export type PlaybookFile = z.output<typeof playbookSchema>;
export type StepFile = z.output<typeof stepSchema>;
export type ConditionFile = z.output<typeof conditionSchema>;

/** The JSON Schema of a playbook file, as published in docs/playbook.schema.json. */
export function playbookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(playbookSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
