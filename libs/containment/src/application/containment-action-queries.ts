import { Injectable } from '@nestjs/common';

import { ContainmentAction } from '../domain/containment-action';
import { ActionListFilter, ActionPage, ContainmentActionStore } from './containment-action-store';

/** One action with the undo records (rollback or expiry attempts) written for it. */
export interface ContainmentActionDetail extends ContainmentAction {
  rollbacks: ContainmentAction[];
}

/** Read side of containment actions for the API and the console. */
@Injectable()
export class ContainmentActionQueries {
  constructor(private readonly actions: ContainmentActionStore) {}

  /** Newest first; throws ContainmentError `invalid_cursor` for a cursor this API did not issue. */
  list(filter: ActionListFilter): Promise<ActionPage> {
    return this.actions.list(filter);
  }

  async get(id: string): Promise<ContainmentActionDetail | null> {
    const action = await this.actions.findById(id);
    if (!action) return null;
    return { ...action, rollbacks: await this.actions.undoRecordsOf(id) };
  }
}
