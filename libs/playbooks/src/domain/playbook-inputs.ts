import { parseDuration } from '@rampart/config';

import type { InputType, InputValue, Playbook } from './playbook';

/**
 * A value for an input of `type`: durations become whole seconds (`24h` -> 86400, or a number of
 * seconds as given); lists are lists of strings. The reason when the value does not fit.
 */
export function coerceInput(
  type: InputType,
  value: unknown,
): { ok: true; value: InputValue } | { ok: false; problem: string } {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, problem: 'must be a string' };
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : { ok: false, problem: 'must be a number' };
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : { ok: false, problem: 'must be true or false' };
    case 'duration': {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return { ok: true, value };
      const ms = typeof value === 'string' ? parseDuration(value) : null;
      return ms !== null && ms % 1_000 === 0
        ? { ok: true, value: ms / 1_000 }
        : { ok: false, problem: 'must be a duration such as 90s, 30m, 2h or 1d (or whole seconds)' };
    }
    case 'string_list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? { ok: true, value: [...(value as string[])] }
        : { ok: false, problem: 'must be a list of strings' };
  }
}

export interface InputProblem {
  input: string;
  message: string;
}

/**
 * The inputs of a run: `given` checked against the playbook's inputs, defaults filled in. Names
 * the playbook does not declare and required inputs left out are problems too.
 */
export function resolveInputs(
  playbook: Pick<Playbook, 'inputs'>,
  given: Readonly<Record<string, unknown>> = {},
): { ok: true; inputs: Record<string, InputValue> } | { ok: false; problems: InputProblem[] } {
  const inputs: Record<string, InputValue> = {};
  const problems: InputProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(playbook.inputs, name)) {
      problems.push({ input: name, message: 'the playbook has no such input' });
    }
  }
  for (const [name, spec] of Object.entries(playbook.inputs)) {
    const value = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    if (value === undefined) {
      if (spec.default === undefined) problems.push({ input: name, message: 'required: it has no default' });
      else inputs[name] = spec.default;
      continue;
    }
    const coerced = coerceInput(spec.type, value);
    if (coerced.ok) inputs[name] = coerced.value;
    else problems.push({ input: name, message: coerced.problem });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, inputs };
}
