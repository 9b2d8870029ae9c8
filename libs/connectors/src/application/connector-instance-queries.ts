import { Injectable } from '@nestjs/common';

import { ConnectorInstanceView, toView } from './connector-definition';
import { ConnectorInstanceStore } from './connector-instance-store';

/** Read side of connector instances: never the credentials, only their field names. */
@Injectable()
export class ConnectorInstanceQueries {
  constructor(private readonly store: ConnectorInstanceStore) {}

  async list(): Promise<ConnectorInstanceView[]> {
    return (await this.store.list()).map(toView);
  }

  async get(name: string): Promise<ConnectorInstanceView | null> {
    const stored = await this.store.findByName(name);
    return stored ? toView(stored) : null;
  }
}
