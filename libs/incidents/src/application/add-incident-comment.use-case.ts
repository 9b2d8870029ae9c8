import { HttpStatus, Injectable } from '@nestjs/common';

import { TransactionRunner } from '@rampart/database';

import { type IncidentComment, IncidentWriter } from './incident-writer';
import { IncidentError } from './update-incident.use-case';

export interface AddIncidentCommentCommand {
  incidentId: string;
  author: string;
  body: string;
}

/** An analyst notes something on an incident (any status: post-incident notes are common). */
@Injectable()
export class AddIncidentCommentUseCase {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly writer: IncidentWriter,
  ) {}

  async execute(command: AddIncidentCommentCommand): Promise<IncidentComment> {
    const comment = await this.transactions.run((sql) =>
      this.writer.addComment(sql, command.incidentId, command.author, command.body),
    );
    if (!comment) {
      throw new IncidentError(
        'not_found',
        `no incident ${command.incidentId}`,
        HttpStatus.NOT_FOUND,
        'param.id',
      );
    }
    return comment;
  }
}
